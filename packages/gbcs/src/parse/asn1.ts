// ASN.1 DER payloads (gbcs.md section 4): the security credential, join, firmware and clock use
// cases. The DER is read strictly (asn1-der.ts), then named by the message code's schema
// (asn1-names.ts): certificates by their SMKI identity (asn1-certificate.ts), times as ISO 8601,
// status codes by name.
import { toHex } from "@opendcc/kernel";
import { formatMessageCode } from "../message-codes.js";
import { KEY_USAGE_BITS, describeCertificate } from "./asn1-certificate.js";
import { isConstructed, readDer, type DerNode } from "./asn1-der.js";
import { asn1SchemaFor, type Alternative, type Asn1Schema, type MessageSchema } from "./asn1-names.js";
import { alertMeaning, formatAlertCode } from "./alert-codes.js";
import { GbcsParseError, type ParsedPayload, type ParsedValue, type PayloadContext } from "./types.js";

type Fields = Record<string, ParsedValue>;

const UNIVERSAL_TAGS: Readonly<Record<Asn1Schema["kind"], number>> = {
  integer: 0x02, alertCode: 0x02, enumerated: 0x0a, octets: 0x04, accepted: 0x05, null: 0x05, time: 0x18, keyUsage: 0x03,
  sequence: 0x30, sequenceOf: 0x30, certificate: 0x30, certificationRequest: 0x30,
};

export function parseAsn1Payload(content: Uint8Array, context: PayloadContext): ParsedPayload {
  const schema = asn1SchemaFor(context.messageCode);
  const code = formatMessageCode(context.messageCode);
  if (!schema) throw new GbcsParseError(`message code ${code} has no ASN.1 payload layout`, 0);
  const alternatives = alternativesFor(schema, context.cra);
  const kind = context.cra === 1 ? "command" : context.cra === 2 ? "response" : "alert";
  if (!alternatives) throw new GbcsParseError(`message code ${code} defines no ASN.1 ${kind} payload`, 0);
  const root = readDer(content);
  const chosen = alternatives.find((alternative) => UNIVERSAL_TAGS[alternative.schema.kind] === root.tag);
  if (!chosen) {
    const expected = alternatives.map((alternative) => tagHex(UNIVERSAL_TAGS[alternative.schema.kind])).join(" or ");
    throw new GbcsParseError(`${code} ${kind} must start with tag ${expected}, found ${tagHex(root.tag)}`, root.offset);
  }
  const reader = new SchemaReader(content);
  const value = reader.read(root, chosen.schema, chosen.name ?? kind);
  const fields: Fields = chosen.name === null ? (value as Fields) : { [chosen.name]: value };
  return { family: "ASN.1", fields };
}

function alternativesFor(schema: MessageSchema, cra: 1 | 2 | 3): readonly Alternative[] | undefined {
  return cra === 1 ? schema.command : cra === 2 ? schema.response : schema.alert;
}

const tagHex = (tag: number) => tag.toString(16).toUpperCase().padStart(2, "0");

class SchemaReader {
  constructor(private readonly content: Uint8Array) {}

  read(node: DerNode, schema: Asn1Schema, path: string, tag = UNIVERSAL_TAGS[schema.kind]): ParsedValue {
    if (node.tag !== tag) throw new GbcsParseError(`${path}: expected tag ${tagHex(tag)}, found ${tagHex(node.tag)}`, node.offset);
    if (isConstructed(tag) !== (node.children !== null)) throw new GbcsParseError(`${path}: wrong constructed bit`, node.offset);
    switch (schema.kind) {
      case "integer": {
        const value = integerOf(node, path);
        return schema.names && typeof value === "number" ? { code: value, name: schema.names[value] ?? null } : value;
      }
      case "enumerated": {
        const value = integerOf(node, path);
        return typeof value === "number" ? { code: value, name: schema.names[value] ?? null } : value;
      }
      case "alertCode": {
        const value = integerOf(node, path);
        if (typeof value !== "number" || value < 0 || value > 0xffff) throw new GbcsParseError(`${path}: alert code must be a 16-bit value`, node.offset);
        return formatAlertCode(value);
      }
      case "octets": return toHex(node.value);
      case "accepted":
      case "null":
        if (node.value.length !== 0) throw new GbcsParseError(`${path}: NULL must be empty`, node.offset);
        return schema.kind === "accepted" ? true : null;
      case "time": return generalizedTime(node, path);
      case "keyUsage": return keyUsageOf(node, path);
      case "sequence": return this.sequence(node, schema.fields, path);
      case "sequenceOf": return (node.children ?? []).map((child, i) => this.read(child, schema.item, `${path}[${i}]`));
      case "certificate": return describeCertificate(this.whole(node).slice());
      case "certificationRequest": return { der: toHex(this.whole(node)) };
    }
  }

  private sequence(node: DerNode, fields: Extract<Asn1Schema, { kind: "sequence" }>["fields"], path: string): Fields {
    const children = node.children ?? [];
    const out: Fields = {};
    let next = 0;
    for (const field of fields) {
      const child = children[next];
      const tag = field.tag ?? UNIVERSAL_TAGS[field.schema.kind];
      if (child && child.tag === tag) {
        const value = this.read(child, field.schema, `${path}.${field.name}`, tag);
        out[field.name] = value;
        if (field.schema.kind === "alertCode") out["alert"] = alertMeaning(parseInt(String(value), 16))?.meaning ?? null;
        next++;
      } else if (!field.optional) {
        const at = child?.offset ?? node.valueOffset + node.value.length;
        throw new GbcsParseError(`${path}: missing ${field.name} (tag ${tagHex(tag)})${child ? `, found tag ${tagHex(child.tag)}` : ""}`, at);
      }
    }
    const extra = children[next];
    if (extra) throw new GbcsParseError(`${path}: unexpected element with tag ${tagHex(extra.tag)} after the last field`, extra.offset);
    return out;
  }

  private whole(node: DerNode): Uint8Array {
    return this.content.subarray(node.offset, node.valueOffset + node.value.length);
  }
}

// INTEGER: two's complement, big-endian, in the fewest bytes (X.690 8.3.2).
function integerOf(node: DerNode, path: string): number | string {
  const bytes = node.value;
  if (bytes.length === 0) throw new GbcsParseError(`${path}: INTEGER has no content`, node.offset);
  const [first, second] = [bytes[0] as number, bytes[1]];
  if (second !== undefined && ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80))) {
    throw new GbcsParseError(`${path}: INTEGER is not in its shortest form`, node.offset);
  }
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  if (first >= 0x80) value -= 1n << BigInt(8 * bytes.length);
  const safe = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
  return safe ? Number(value) : value.toString();
}

// GeneralizedTime as GBCS writes it: YYYYMMDDhhmmssZ (UTC, no fraction).
function generalizedTime(node: DerNode, path: string): string {
  const text = String.fromCharCode(...node.value);
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z` : null;
  if (!iso || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString().slice(0, 19) !== iso.slice(0, 19)) {
    throw new GbcsParseError(`${path}: GeneralizedTime must be a real YYYYMMDDhhmmssZ time, found "${text}"`, node.offset);
  }
  return iso;
}

// KeyUsage BIT STRING: the unused-bit count, then the bits from bit 0 (X.509 4.2.1.3).
function keyUsageOf(node: DerNode, path: string): string[] {
  const [unused, ...bits] = node.value;
  if (unused === undefined || unused > 7 || (bits.length === 0 && unused !== 0)) {
    throw new GbcsParseError(`${path}: malformed BIT STRING`, node.offset);
  }
  const last = bits[bits.length - 1];
  if (last !== undefined && (last & ((1 << unused) - 1)) !== 0) throw new GbcsParseError(`${path}: BIT STRING unused bits must be zero`, node.offset);
  const names: string[] = [];
  bits.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) names.push(KEY_USAGE_BITS[i * 8 + bit] ?? `bit${i * 8 + bit}`);
  });
  return names;
}
