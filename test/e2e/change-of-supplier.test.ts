// Change of supplier end to end over HTTP (seed 003 paragraphs 140-147): the gaining supplier,
// registered from today, sends 6.23; the DCC checks Registration Data on the execution date (144),
// the CoS party signs the CS02b command (145-146), the meter replaces its supplier trust anchors
// with the gaining supplier's, both suppliers are alerted (N42, 146), and from then on the meter
// takes supplier commands from the gaining supplier only. Registration Data stays as the
// registration service gave it (147: the DCC does not hold it) and the inventory is unchanged.
import { describe, expect, it } from "vitest";
import { CHANGE_OF_SUPPLIER_ALERT, COS_PARTY_ID } from "@opendcc/core";
import { formatEui } from "@opendcc/duis";
import { pemToDer } from "@opendcc/kernel";
import { SUPPLIER_B_PARTY, SUPPLIER_PARTY } from "../../bench/src/e2e/users.js";
import { changeOfSupplier } from "./bodies.js";
import { disableSupply, readImportRegisters, startE2e } from "./support.js";

describe("change of supplier over HTTP", () => {
  it("6.23 from the gaining supplier: the meter trusts only it, both suppliers get N42, the losing supplier is refused", async () => {
    const e2e = await startE2e({ gainingSupplier: true });
    const gaining = e2e.gaining;
    if (!gaining) throw new Error("no gaining supplier");
    const { esme, mpan } = e2e.premises;
    const today = new Date().toISOString().slice(0, 10);
    // Registration Data (from the registration service): Supplier A until today, Supplier B from today.
    const before = await e2e.json<{ mpxn: string; role: string; partyId: string; effectiveTo: string | null }[]>("GET", "/admin/v1/registration");
    const registration = [
      ...before.filter((a) => a.mpxn !== mpan),
      { mpxn: mpan, fuel: "electricity", role: "IS", partyId: SUPPLIER_PARTY, effectiveFrom: "2020-01-01", effectiveTo: today },
      { mpxn: mpan, fuel: "electricity", role: "IS", partyId: SUPPLIER_B_PARTY, effectiveFrom: today, effectiveTo: null },
    ];
    await e2e.json("PUT", "/admin/v1/registration", registration);
    expect((await e2e.device(esme)).supplier).toBeNull();

    // The losing supplier may not send it (paragraph 144: the sender is the supplier on the execution date).
    const losing = await e2e.client.send({ target: esme, body: changeOfSupplier({ ds: pemToDer(e2e.user.certificates.ds), ka: pemToDer(e2e.user.certificates.ka) }, e2e.usersCa.ca.der, mpan) });
    expect([losing.code, losing.reason]).toEqual(["E4", expect.stringMatching(new RegExp(`^party SUPPLIER-A is not registered as IS/GS for MPxN ${mpan} on ${today}T`))]);

    const certificates = gaining.user.certificates;
    const cos = await gaining.client.send({ target: esme, body: changeOfSupplier({ ds: pemToDer(certificates.ds), ka: pemToDer(certificates.ka) }, e2e.usersCa.ca.der, mpan) });
    expect([cos.code, cos.reason]).toEqual(["I99", null]);
    // The device's answer (CS02b, signed by the device) goes to the gaining supplier.
    const answered = await gaining.delivered(cos.built.key);
    expect(answered.response.header.responseCode).toBe("I0");
    expect(answered.gbcs).toMatchObject({ useCase: "CS02b", originator: esme, recipient: COS_PARTY_ID, signed: true, protection: { checked: ["signature"] } });
    expect((await e2e.device(esme)).supplier).toBe(gaining.user.userId);

    // Paragraph 146: both the gaining and the losing supplier are alerted.
    for (const side of [gaining, e2e]) {
      const { response } = await side.delivered({ dccAlertCode: CHANGE_OF_SUPPLIER_ALERT });
      expect(response.body).toMatchObject({ kind: "DCCAlertMessage", dccAlertCode: "N42", event: { name: "ChangeOfSupplier" } });
      expect(JSON.stringify(response.body)).toContain(formatEui(esme));
    }

    // The gaining supplier reads the meter (responses MAC'd and encrypted for its key agreement key).
    const read = await gaining.client.send({ target: esme, body: readImportRegisters });
    expect([read.code, read.reason]).toEqual(["I99", null]);
    expect((await gaining.delivered(read.built.key)).gbcs).toMatchObject({ useCase: "ECS17b", recipient: gaining.user.userId, protection: { checked: ["mac", "encryption"] } });

    // The losing supplier: the DCC refuses its non-critical requests (Registration Data), and the
    // meter refuses its critical commands (its supplier cells are Supplier B's now: alert 0x8F30).
    const refused = await e2e.client.send({ target: esme, body: readImportRegisters });
    expect(refused.code).toBe("E4");
    const critical = await e2e.client.critical({ target: esme, body: disableSupply });
    expect([critical.preCommand.code, critical.answer.code]).toEqual(["I0", "I99"]);
    const alert = await e2e.delivered({ alertCode: "8F30" });
    expect(alert.gbcs).toMatchObject({ originator: esme, payload: { fields: { alertCode: "0x8F30" } } });
    const device = await e2e.device(esme);
    expect(device.supply).toBe("enabled");
    expect(device.security.map((entry) => entry.code)).toEqual(["0x8F30"]);

    // Paragraph 147: Registration Data is the registration service's, not changed by the DCC; the
    // meter stays commissioned in the inventory, for the same MPAN.
    expect(await e2e.json("GET", "/admin/v1/registration")).toEqual(expect.arrayContaining(registration.filter((a) => a.mpxn === mpan).map((a) => expect.objectContaining(a))));
    expect(e2e.gateway.dcc.services.inventory.get(esme)).toMatchObject({ status: "commissioned", mpxn: mpan });
  });
});
