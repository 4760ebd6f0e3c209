// The Parse side (seed paragraph 160, the Message Mapping Catalogue idea): any GBCS command,
// response or alert as plain, typed JSON naming its use case and every field. The frame is walked
// strictly by the kernel, the content by its family's parser; with a key ring, MACs and signatures
// are checked and encrypted blocks opened first. Bad input gets a FrameError (framing),
// GbcsParseError (content) or GbcsProtectionError (protection), never a partial result.
import { parseFrame, readCounter, toHex, type Frame } from "@opendcc/kernel";
import { findEncryptedBlocks } from "../blocks.js";
import type { KeyRing } from "../keyring.js";
import { formatMessageCode, messageCodeInfo } from "../message-codes.js";
import { checkProtection, decryptBlock, headerOf, type Protection } from "../protection.js";
import { parseAsn1Payload } from "./asn1.js";
import { cosemDateTime } from "./cosem-time.js";
import { parseDlmsPayload } from "./dlms.js";
import { familyOf } from "./families.js";
import { parseGbzPayload } from "./gbz.js";
import { GbcsParseError, GbcsProtectionError, type ParsedPayload, type PayloadContext } from "./types.js";

/** The header facts of a message: `opendcc gbcs inspect`'s fields (cli-contract.md). */
export interface MessageHeader {
  readonly form: Frame["form"];
  readonly cra: 1 | 2 | 3;
  /** The originator counter as a decimal string (64 bits do not fit a JSON number). */
  readonly counter: string;
  readonly originator: string;
  readonly recipient: string;
  readonly dateTime: string | null;
  /** As GBCS writes it: 0x0059. */
  readonly messageCode: string;
  readonly useCase: string | null;
  readonly signed: boolean;
  readonly maced: boolean;
}

export interface ParsedMessage extends MessageHeader {
  readonly useCaseName: string | null;
  /** The supplementary fields of the other-information (gbcs.md section 2b), when present. */
  readonly supplementary: Supplementary | null;
  /** What the key ring allowed to check; absent when no ring was given. */
  readonly protection?: { readonly checked: readonly Protection[]; readonly unchecked: string | null };
  readonly payload: ParsedPayload;
}

export interface Supplementary {
  readonly remoteParty: string;
  readonly remotePartyCounter: string | null;
  readonly originatorCounter: string | null;
  /** The unknown remote party's key-agreement certificate (DER, hex) of a URP command. */
  readonly remotePartyCertificate: string | null;
}

export interface ParseOptions {
  /** Keys for checking MACs and signatures and opening encrypted blocks. */
  readonly ring?: KeyRing;
}

/** Parses one GBCS message (DD or DF form) into its header facts and named payload. */
/** The header facts of a framed message (no payload parsing). */
export function describeHeader(message: Uint8Array, frame: Frame): MessageHeader {
  const header = headerOf(message, frame);
  return {
    form: frame.form,
    cra: header.cra,
    counter: header.counter.toString(),
    originator: header.originator,
    recipient: header.recipient,
    dateTime: frame.dateTimeOffset === null ? null : cosemDateTime(message.subarray(frame.dateTimeOffset, frame.dateTimeOffset + 12)),
    messageCode: formatMessageCode(header.messageCode),
    useCase: messageCodeInfo(header.messageCode)?.useCase ?? null,
    signed: frame.signature === "present",
    maced: frame.form === "GeneralCiphering",
  };
}

export async function parseGbcs(message: Uint8Array, options: ParseOptions = {}): Promise<ParsedMessage> {
  const frame = parseFrame(message);
  const header = headerOf(message, frame);
  const info = messageCodeInfo(header.messageCode);
  if (!info) throw new GbcsParseError(`unknown message code ${formatMessageCode(header.messageCode)} in the other-information`, frame.otherInfo.offset);
  // Only pre-commands leave the signature field out (gbcs.md section 2b): a response or alert
  // without one has been cut short.
  if (frame.signature === "absent" && header.cra !== 1) {
    throw new GbcsParseError("truncated: a response or alert must end with its signature field (00, or 40 and 64 bytes)", message.length);
  }
  const content = message.subarray(frame.content.offset, frame.content.offset + frame.content.length);
  const base: Omit<ParsedMessage, "payload" | "protection"> = {
    ...describeHeader(message, frame),
    useCaseName: info.name,
    supplementary: supplementaryOf(message.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length)),
  };
  const context: PayloadContext = { cra: header.cra, messageCode: header.messageCode, useCase: info.useCase };
  if (!options.ring) return { ...base, payload: parsePayload(content, context) };
  const protection = await checked(message, options.ring);
  const opened = await openBlocks(message, frame, content, options.ring);
  return { ...base, protection, payload: parsePayload(content, { ...context, openBlock: (block) => opened.get(toHex(block)) ?? null }) };
}

/** The content of a message, parsed by its family (gbcs.md section 4 decision order). */
export function parsePayload(content: Uint8Array, context: PayloadContext): ParsedPayload {
  if (content.length === 0) throw new GbcsParseError("the content is empty", 0);
  switch (familyOf(context.messageCode, content)) {
    case "DLMS":
      return parseDlmsPayload(content, context);
    case "GBZ":
      return parseGbzPayload(content, context);
    case "ASN.1":
      return parseAsn1Payload(content, context);
    case "opaque":
      throw new GbcsParseError(`the content is not DLMS, GBZ or ASN.1 (it starts 0x${toHex(content.subarray(0, 2))})`, 0);
  }
}

/** Other-information after the message code: remote party (8), its counter (8), then a supplementary originator counter (8) or a DER certificate. */
function supplementaryOf(other: Uint8Array): Supplementary | null {
  if (other.length < 10) return null;
  const rest = other.subarray(18);
  const counter = (at: number) => (other.length >= at + 8 ? readCounter(other, at).toString() : null);
  return {
    remoteParty: toHex(other.subarray(2, 10)),
    remotePartyCounter: counter(10),
    originatorCounter: rest.length === 8 ? counter(18) : null,
    remotePartyCertificate: rest.length > 8 ? toHex(rest) : null,
  };
}

/**
 * Checks every protection the keys allow. A check that fails is an error; a check the ring has
 * no key for is reported as unchecked (device-to-device messages, unknown parties).
 */
async function checked(message: Uint8Array, ring: KeyRing): Promise<NonNullable<ParsedMessage["protection"]>> {
  const header = headerOf(message, parseFrame(message));
  // A command from a device (a certificate without a remote-party role, e.g. PPMID -> GSME) is MACed
  // between the two devices' keys, which no keystore holds (gbcs.md section 6).
  if (header.cra === 1 && ring.entry(header.originator, "ka")?.certificate?.roleCode === null) {
    return { checked: [], unchecked: `device-to-device command from ${header.originator}: its MAC needs device private keys` };
  }
  const report = await checkProtection(message, ring);
  if (report.error === null) return { checked: report.checked, unchecked: null };
  if (report.error.startsWith("unknown key")) return { checked: report.checked, unchecked: report.error };
  throw new GbcsProtectionError(report.error);
}

/** Decrypts the content's encrypted blocks ahead of the (synchronous) payload parse, keyed by their hex. */
async function openBlocks(message: Uint8Array, frame: Frame, content: Uint8Array, ring: KeyRing): Promise<Map<string, Uint8Array>> {
  const opened = new Map<string, Uint8Array>();
  if (frame.cra === 1) return opened;
  let blocks: ReturnType<typeof findEncryptedBlocks>;
  try {
    blocks = findEncryptedBlocks(content, frame.cra, frame.messageCode);
  } catch {
    return opened; // malformed content: the payload parse reports exactly where
  }
  const header = headerOf(message, frame);
  for (const { offset, length } of blocks) {
    const block = content.subarray(offset, offset + length);
    const clear = await decryptBlock(message, frame, header, ring, block).catch(() => null);
    if (clear) opened.set(toHex(block), clear);
  }
  return opened;
}
