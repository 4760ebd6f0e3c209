// What the workerd test asks of the package, run the same way in Node and in workerd.
import { exportPublicKey, generateKeyPair, toBase64 } from "@opendcc/kernel";
import {
  DuisError, formatRequestId, parseRequest, parseResponse, signDocument, verifyDocument, writeRequest, writeResponse,
} from "../src/index.js";

export const REQUEST = `<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.2">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1008</sr:RequestID>
    <sr:CommandVariant>4</sr:CommandVariant>
    <sr:ServiceReference>1.1</sr:ServiceReference>
    <sr:ServiceReferenceVariant>1.1.1</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>
    <sr:UpdateImportTariffPrimaryElement>
      <sr:ExecutionDateTime>2030-01-15T09:00:00.00Z</sr:ExecutionDateTime>
      <sr:ElecTariffElements>
        <sr:CurrencyUnits>GBP</sr:CurrencyUnits>
        <sr:ReferencedDayName index="1">1</sr:ReferencedDayName>
        <sr:Note>MDU &lt;= 5 floors &amp; more</sr:Note>
      </sr:ElecTariffElements>
    </sr:UpdateImportTariffPrimaryElement>
  </sr:Body>
</sr:Request>
`;

export interface Probe {
  readonly requestId: string;
  readonly written: string;
  readonly response: string;
  readonly hostile: string;
  readonly signed: string;
  readonly spki: string;
  readonly selfVerified: boolean;
  readonly tampered: string;
}

export async function probeDuis(): Promise<Probe> {
  const request = parseRequest(REQUEST);
  const written = writeRequest(request);
  const response = writeResponse(parseResponse(writeResponse({
    schemaVersion: "5.1",
    header: { requestId: request.header.requestId, responseCode: "I0", responseDateTime: "2030-01-15T09:00:00Z" },
    body: { kind: "ResponseMessage", serviceReference: "1.1", serviceReferenceVariant: "1.1.1", content: { kind: "PreCommand", gbcsVersion: "4.0", gbcsPayload: new Uint8Array([0xdf, 9, 1]) } },
    signature: null,
  })));
  let hostile = "accepted";
  try {
    parseRequest(`<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>${REQUEST.slice(REQUEST.indexOf("<sr:Request"))}`);
  } catch (error) {
    hostile = error instanceof DuisError ? error.code : String(error);
  }
  const pair = await generateKeyPair("ds");
  const signed = await signDocument(written, { privateKey: pair.privateKey, issuerName: "CN=Z1,OU=07", serialNumber: 99n });
  const selfVerified = (await verifyDocument(signed, () => pair.publicKey)).ok;
  const tamperedResult = await verifyDocument(signed.replace(">GBP<", ">EUR<"), () => pair.publicKey);
  return {
    requestId: formatRequestId(request.header.requestId),
    written,
    response,
    hostile,
    signed,
    spki: toBase64(await exportPublicKey(pair.publicKey)),
    selfVerified,
    tampered: tamperedResult.ok ? "ok" : tamperedResult.reason,
  };
}
