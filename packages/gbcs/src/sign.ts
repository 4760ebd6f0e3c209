// Signing a Pre-Command (GBCS issue point 5; gbcs.md section 8): the user's ECDSA P-256/SHA-256
// signature over the General-Signing APDU from the byte after DF through the end of the content,
// appended as 40 || r || s. The result is the Signed Pre-Command the DCC then MACs (protectApdu).
import { concatBytes, parseFrame, sign, FrameError } from "@opendcc/kernel";

/** Why a message cannot be signed as a Pre-Command. */
export class SignError extends Error {
  override readonly name = "SignError";
}

const SIGNATURE_LENGTH = 0x40;

/**
 * Signs a Pre-Command. RTDS pre-commands omit the signature field; some DCC Boxed versions carry
 * an empty one (00): both are accepted and the placeholder is dropped before signing.
 */
export async function signPreCommand(preCommand: Uint8Array, privateKey: CryptoKey): Promise<Uint8Array> {
  const unsigned = unsignedApdu(preCommand);
  const signature = await sign(privateKey, unsigned.subarray(1));
  return concatBytes(unsigned, Uint8Array.of(SIGNATURE_LENGTH), signature);
}

/** The Pre-Command without any signature field, after checking it is one. */
export function unsignedApdu(preCommand: Uint8Array): Uint8Array {
  let frame;
  try {
    frame = parseFrame(preCommand);
  } catch (error) {
    if (error instanceof FrameError) throw new SignError(`not a Pre-Command: ${error.message}`);
    throw error;
  }
  if (frame.form !== "GeneralSigning") throw new SignError("not a Pre-Command: a MAC-protected (DD) command is already complete");
  if (frame.cra !== 1) throw new SignError(`not a Pre-Command: CRA flag ${frame.cra} is not a command`);
  if (frame.signature === "present") throw new SignError("the Pre-Command is already signed");
  return preCommand.slice(0, frame.content.offset + frame.content.length);
}
