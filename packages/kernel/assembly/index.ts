// The kernel's WASM exports. Everything works on caller-given offsets into linear memory; the TS
// loader owns the I/O area that starts at ioBase() and grows the memory when it needs more.

import { aesExpandKey128, aesEncryptBlock } from "./aes";

export { sha256 } from "./sha256";
export { gcmSeal, gcmOpen, ctEqual } from "./gcm";
export { parseFrame } from "./frame";
export {
  encBegin, encEnd, encByte, encUint, encUintLe, encCopy, encLength, encOpen, encClose,
  dlmsNumber, dlmsCount, dlmsString, dlmsBits, cosemDateTime, gbcsHeader,
} from "./encode";
export { anomalyTableSize, anomalyHit, anomalyCount } from "./anomaly";
export { deriveKey, gbcsMac, gbcsWrap, wrappedLength, gbcsVerify, gbcsWrapBatch, gbcsVerifyBatch, gbcsSealBlock, gbcsOpenBlock } from "./gbcs";

const schedule: usize = memory.data(176, 16);

/** AES-128 encryption of one block under a raw 16-byte key. */
export function aesEncrypt(keyPtr: usize, inPtr: usize, outPtr: usize): void {
  aesExpandKey128(keyPtr, schedule);
  aesEncryptBlock(schedule, inPtr, outPtr);
}

/** First byte of the loader's I/O area: everything below is the kernel's own static data. */
export function ioBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}
