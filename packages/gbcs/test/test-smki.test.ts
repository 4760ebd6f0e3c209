// The test SMKI issues certificates the rest of OpenDCC reads like real ones, and that openssl
// (through node:crypto's X509Certificate) accepts as signed by the test CA.
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sign, verify, importPublicKey } from "@opendcc/kernel";
import { TestSmki, readCertificate } from "../src/index.js";

describe("test SMKI", () => {
  it("issues remote-party certificates with the EUI in x500UniqueIdentifier and the role in OU", async () => {
    const smki = await TestSmki.create();
    const issued = await smki.issue({ eui: "90-B3-D5-1F-30-01-00-00", usage: "ds", commonName: "DEMO SUPPLIER", roleCode: "02" });
    const read = readCertificate(issued.der);
    expect(read).toMatchObject({ eui: "90B3D51F30010000", usage: "ds", roleCode: "02", commonName: "DEMO SUPPLIER", issuer: "OU=07,CN=OpenDCC Test CA" });
    const data = new TextEncoder().encode("signed pre-command");
    const signature = await sign(issued.keys.privateKey, data);
    expect(await verify(await importPublicKey(read.spki, "ds"), data, signature)).toBe(true);
    expect(new X509Certificate(issued.pem).subject).toMatch(/CN=DEMO SUPPLIER/);
  });

  it("issues device certificates with an empty subject and the EUI in a SAN hardwareModuleName", async () => {
    const smki = await TestSmki.create("Device CA");
    const issued = await smki.issue({ eui: "00DB1234567890A0", usage: "ka" });
    expect(readCertificate(issued.der)).toMatchObject({ eui: "00DB1234567890A0", usage: "ka", roleCode: null, commonName: null });
  });

  it("signs with the CA: each certificate verifies against its CA's certificate and fails against another", async () => {
    const smki = await TestSmki.create();
    const other = await TestSmki.create("Other CA");
    const leaf = new X509Certificate((await smki.issue({ eui: "0000000000000001", usage: "ds", roleCode: "02" })).pem);
    expect(leaf.verify(new X509Certificate(smki.ca.pem).publicKey)).toBe(true);
    expect(leaf.verify(new X509Certificate(other.ca.pem).publicKey)).toBe(false);
    expect(leaf.checkIssued(new X509Certificate(smki.ca.pem))).toBe(true);
  });
});
