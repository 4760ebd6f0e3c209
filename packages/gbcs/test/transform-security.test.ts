// The security use cases' (CS*) handling of input the RTDS pairs do not exercise: every choice
// DUIS allows maps to its GBCS value, and bad input is a TransformError naming the field.
import { describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { TransformError, transformRequest, type DeviceType, type ServiceNode } from "../src/index.js";

const SUPPLIER = "90B3D51F30010000";
const node = (name: string, children: ServiceNode[] | string): ServiceNode => (typeof children === "string" ? { name, text: children } : { name, children });

function transform(srv: string, deviceType: DeviceType, body: ServiceNode, executionDateTime?: string) {
  return transformRequest({ srv, deviceType, commandVariant: 4, requestId: { originator: SUPPLIER, target: "00DB1234567890A0", counter: 0x1234n }, executionDateTime, body });
}

function fails(run: () => unknown, field: string, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    expect((error as TransformError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error("no TransformError");
}

describe("security use case transforms", () => {
  it("CS06 writes the counter minimally and a cancellation as the latest GeneralizedTime", () => {
    const hash = "00".repeat(32);
    const body = node("ActivateFirmware", [node("FirmwareHash", hash)]);
    expect(toHex(transform("11.3", "GSME", body).apdu)).toMatch(new RegExp(`00122830260420${hash}02021234$`));
    const cancel = transform("11.3", "ESME", body, "3000-12-31T00:00:00Z");
    expect(toHex(cancel.apdu)).toMatch(/180F39393939313233313233353935395A$/);
    fails(() => transform("11.3", "ESME", node("ActivateFirmware", [node("FirmwareHash", "AABB")])), "FirmwareHash", /2 bytes, not 32/);
  });

  it("CS02c / CS02e take the key usage from CredentialType", () => {
    for (const [type, bits] of [["Digital Signature", "30040302 0780"], ["Key Agreement", "30040302 0308"]] as const) {
      expect(toHex(transform("6.17", "ESME", node("IssueSecurityCredentials", [node("CredentialType", type)])).apdu)).toMatch(new RegExp(`${bits.replace(" ", "")}$`));
    }
    fails(() => transform("6.24.2", "GSME", node("RetrieveDeviceSecurityCredentialsDevice", [node("CredentialType", "Encryption")])), "RetrieveDeviceSecurityCredentialsDevice/CredentialType", /not one of/);
  });

  it("CS02a asks for the roles named, and becomes CS02f when the load controller is among them", () => {
    const ask = (...roles: string[]) => transform("6.24.1", "ESME", node("RetrieveDeviceSecurityCredentialsKRP", roles.map((role) => node("RemotePartyRole", role))));
    const plain = ask("Root", "Recovery", "TransCoS", "WANProvider");
    expect(plain.messageCode).toBe(0x0008);
    expect(toHex(plain.apdu)).toMatch(/3017300702010403020308300C020100020101020105020106$/);
    expect(ask("Supplier", "LoadController").messageCode).toBe(0x011b);
    fails(() => ask("Auditor"), "RetrieveDeviceSecurityCredentialsKRP/RemotePartyRole[1]", /not one of/);
    fails(() => ask(), "RemotePartyRole", /at least one RemotePartyRole/);
  });

  it("CS04 unjoins: critical CS04AC, non-critical CS04B, and refuses a short EUI", () => {
    const unjoin = (srv: string, eui: string) => transform(srv, "GSME", node(srv === "8.8.1" ? "UnjoinServiceCritical" : "UnjoinServiceNonCritical", [node("OtherDeviceID", eui)]));
    expect(unjoin("8.8.1", "01-02-03-04-05-06-07-08")).toMatchObject({ useCase: "CS04AC", messageCode: 0x000f, critical: true });
    const typeTwo = unjoin("8.8.2", "01-02-03-04-05-06-07-08");
    expect(typeTwo).toMatchObject({ useCase: "CS04B", messageCode: 0x0010, critical: false });
    expect(toHex(typeTwo.apdu)).toMatch(/0A04080102030405060708$/);
    fails(() => unjoin("8.8.2", "01-02"), "OtherDeviceID", /not an EUI-64/);
  });

  it("CS10 refuses a log it does not know and CS02b a party it cannot replace", () => {
    const period = node("ReadLogPeriod", [node("StartDateTime", "2015-01-01T00:00:00Z"), node("EndDateTime", "2015-01-02T00:00:00Z")]);
    fails(() => transform("6.13", "GSME", node("ReadEventOrSecurityLog", [period, node("LogToRead", "Power")])), "ReadEventOrSecurityLog/LogToRead", /not one of Event, Security/);
    const update = node("UpdateSecurityCredentialsKRP", [node("RemotePartyRole", "Root"), node("RemotePartyFloorSeqNumber", "0")]);
    fails(() => transform("6.15.1", "ESME", update), "UpdateSecurityCredentialsKRP/RemotePartyRole", /not one of Supplier, NetworkOperator, LoadController/);
    const noCertificate = node("ServiceOptOut", [node("ACBFloorSeqNumber", "0"), node("ReplacementCertificates", [node("KeyAgreementCertificate", "AAAA")]), node("CertificationPathCertificates", [])]);
    fails(() => transform("8.5", "ESME", noCertificate), "KeyAgreementCertificate", /not one DER SEQUENCE/);
  });
});
