// Checks and applies GBCS message protection with the keys of a KeyRing: which key pair goes with
// which message (gbcs.md sections 6-8), then the kernel does the byte work.
import {
  FrameError, openBlock, parseFrame, readCounter, toHex, fromHex, verify, verifyMac, wrapApdu, concatBytes,
  type Frame,
} from "@opendcc/kernel";
import type { KeyRing } from "./keyring.js";
import { findEncryptedBlocks } from "./blocks.js";

/** The DCC's Access Control Broker, which MACs every command (gbcs.md sections 6 and 12). */
export const ACCESS_CONTROL_BROKER = "90B3D51F30000002";

export type Protection = "mac" | "signature" | "encryption";

export interface ProtectionReport {
  readonly frame: Frame;
  /** The checks that were made and passed. */
  readonly checked: Protection[];
  /** Why the message failed, or null when every applicable check passed. */
  readonly error: string | null;
}

/** Header fields of a parsed message, as hex and bigint. */
export interface Header {
  readonly cra: 1 | 2 | 3;
  readonly counter: bigint;
  readonly originator: string;
  readonly recipient: string;
  readonly messageCode: number;
}

export function headerOf(message: Uint8Array, frame: Frame): Header {
  return {
    cra: frame.cra,
    counter: readCounter(message, frame.counterOffset),
    originator: toHex(message.subarray(frame.originatorOffset, frame.originatorOffset + 8)),
    recipient: toHex(message.subarray(frame.recipientOffset, frame.recipientOffset + 8)),
    messageCode: frame.messageCode,
  };
}

/**
 * The two parties whose KA keys make the MAC key: a command is always keyed between the ACB and
 * the device, whoever originated it; a response or alert between its originator and recipient.
 */
export function macParties(header: Header, broker = ACCESS_CONTROL_BROKER): [string, string] {
  return header.cra === 1 ? [broker, header.recipient] : [header.originator, header.recipient];
}

/** Z for two parties, using whichever side's private key the ring holds. */
export function secretBetween(ring: KeyRing, a: string, b: string): Promise<Uint8Array> | null {
  return ring.sharedSecret(a, b) ?? ring.sharedSecret(b, a);
}

class CheckFailed extends Error {}

/** Verifies every protection the message carries: MAC, signature, encrypted blocks. */
export async function checkProtection(message: Uint8Array, ring: KeyRing): Promise<ProtectionReport> {
  const frame = parseFrame(message);
  const header = headerOf(message, frame);
  const checked: Protection[] = [];
  try {
    if (frame.form === "GeneralCiphering") {
      const [a, b] = macParties(header);
      const secret = await secretBetween(ring, a, b);
      if (!secret) throw new CheckFailed(`unknown key: no key-agreement private key for ${a} or ${b} to check the MAC`);
      if (!verifyMac(secret, message)) throw new CheckFailed("MAC does not verify");
      checked.push("mac");
    }
    if (frame.signature === "present") {
      await checkSignature(message, frame, header, ring);
      checked.push("signature");
    }
    const blocks = frame.cra === 1 ? [] : findEncryptedBlocks(message.subarray(frame.content.offset, frame.content.offset + frame.content.length), frame.cra, frame.messageCode);
    if (blocks.length > 0) {
      for (const block of blocks) {
        const start = frame.content.offset + block.offset;
        if (!(await decryptBlock(message, frame, header, ring, message.subarray(start, start + block.length)))) {
          throw new CheckFailed(`encrypted block at byte ${start} does not authenticate`);
        }
      }
      checked.push("encryption");
    }
    return { frame, checked, error: null };
  } catch (error) {
    if (error instanceof CheckFailed || error instanceof FrameError) return { frame, checked, error: error.message };
    throw error;
  }
}

/** The bytes an ECDSA signature covers: from after the DF tag through the end of the content. */
export function signedBytes(message: Uint8Array, frame: Frame): Uint8Array {
  return message.subarray(frame.apdu.offset + 1, frame.content.offset + frame.content.length);
}

async function checkSignature(message: Uint8Array, frame: Frame, header: Header, ring: KeyRing): Promise<void> {
  const publicKey = ring.publicKey(header.originator, "ds");
  if (!publicKey) throw new CheckFailed(`unknown key: no digital-signing certificate for ${header.originator}`);
  const at = frame.signatureOffset as number;
  if (!(await verify(publicKey, signedBytes(message, frame), message.subarray(at, at + 64)))) {
    throw new CheckFailed(`signature by ${header.originator} does not verify`);
  }
}

/**
 * Decrypts one response block. Key: device (originator) x remote party P, where P is the
 * supplementary remote party when the other-information carries one; counter: the supplementary
 * originator counter when present (gbcs.md section 7).
 */
export async function decryptBlock(message: Uint8Array, frame: Frame, header: Header, ring: KeyRing, block: Uint8Array): Promise<Uint8Array | null> {
  const other = message.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
  const party = other.length >= 10 ? toHex(other.subarray(2, 10)) : header.recipient;
  const counter = other.length >= 26 ? other.subarray(18, 26) : message.subarray(frame.counterOffset, frame.counterOffset + 8);
  const secret = await secretBetween(ring, header.originator, party);
  if (!secret) throw new CheckFailed(`unknown key: no key-agreement private key for ${party} to decrypt`);
  return openBlock({
    sharedSecret: secret,
    originator: message.subarray(frame.originatorOffset, frame.originatorOffset + 8),
    party: fromHex(party),
    counter,
  }, block);
}

/**
 * Builds the MAC-protected DD command for a General-Signing APDU. A pre-command (no signature
 * field) becomes an unsigned command by appending the empty signature field.
 */
export async function protectApdu(apdu: Uint8Array, ring: KeyRing): Promise<Uint8Array> {
  const frame = parseFrame(apdu);
  if (frame.form !== "GeneralSigning") throw new FrameError(32);
  const complete = frame.signature === "absent" ? concatBytes(apdu, new Uint8Array([0])) : apdu;
  const [a, b] = macParties(headerOf(apdu, frame));
  const secret = await secretBetween(ring, a, b);
  if (!secret) throw new Error(`unknown key: no key-agreement private key for ${a} or ${b} to compute the MAC`);
  return wrapApdu(secret, complete);
}
