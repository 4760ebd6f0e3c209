// Finds the encrypted blocks inside a response or alert payload (gbcs.md section 7): DLMS
// octet-strings holding `31 00000000 || ciphertext || tag`, and GBZ components with the encrypted
// control bit. Only structure is walked here; what the values mean is the Parse side's job.

export interface BlockLocation {
  readonly offset: number;
  readonly length: number;
}

const BLOCK_HEADER_LENGTH = 5;
const TAG_LENGTH = 12;

class Truncated extends Error {
  constructor(what: string) {
    super(`payload truncated in ${what}`);
  }
}

// GBZ alerts whose body is not a list of components (gbcs.md section 4, alert layouts):
// future-dated outcome, firmware receipt hash, meter integrity code.
const GBZ_SPECIAL_ALERTS = new Set([0x00cd, 0x00cf, 0x00f2]);

/**
 * Encrypted blocks in `content` (offsets relative to content) of a message with this CRA flag and
 * message code; throws on malformed structure.
 */
export function findEncryptedBlocks(content: Uint8Array, cra: number, messageCode: number): BlockLocation[] {
  if (content[0] === 0x01 && content[1] === 0x09) {
    if (cra !== 3) return gbzBlocks(content, 3);
    // Alert: count, alert code (2), timestamp (4), then the components.
    return GBZ_SPECIAL_ALERTS.has(messageCode) ? [] : gbzBlocks(content, 3 + 6);
  }
  // ACCESS.response: DA invoke-id(4) 00 00, then a counted list of Data (then the result list).
  if (content[0] === 0xda) return dlmsBlocks(content, 1 + 4 + 2, true);
  // DATA-NOTIFICATION: 0F invoke-id(4) 00, then one Data item.
  if (content[0] === 0x0f) return dlmsBlocks(content, 1 + 4 + 1, false);
  return [];
}

// GBZ: 01 09, count, then components: control(1) cluster(2) length(2) rest. An encrypted
// component's rest is: 2 header bytes, ZCL header (3), ciphered length (2), block.
function gbzBlocks(content: Uint8Array, first: number): BlockLocation[] {
  const blocks: BlockLocation[] = [];
  const count = content[2] ?? 0;
  let p = first;
  for (let i = 0; i < count; i++) {
    if (p + 5 > content.length) throw new Truncated(`GBZ component ${i + 1}`);
    const control = content[p] as number;
    const length = ((content[p + 3] as number) << 8) | (content[p + 4] as number);
    const rest = p + 5;
    if (rest + length > content.length) throw new Truncated(`GBZ component ${i + 1}`);
    if (control & 0x02) {
      const lengthAt = rest + 2 + 3;
      const blockLength = ((content[lengthAt] as number) << 8) | (content[lengthAt + 1] as number);
      const offset = lengthAt + 2;
      if (offset + blockLength > rest + length) throw new Truncated(`GBZ component ${i + 1} ciphertext`);
      blocks.push({ offset, length: blockLength });
    }
    p = rest + length;
  }
  return blocks;
}

// DLMS: walk the Data items; octet-strings that hold a whole block count.
function dlmsBlocks(content: Uint8Array, start: number, counted: boolean): BlockLocation[] {
  const blocks: BlockLocation[] = [];
  let p = start;
  let count = 1;
  if (counted) {
    const [value, size] = readLength(content, p);
    count = value;
    p += size;
  }
  for (let i = 0; i < count; i++) p = skipData(content, p, blocks);
  return blocks;
}

const FIXED_SIZES: Record<number, number> = {
  0x00: 0, 0x03: 1, 0x05: 4, 0x06: 4, 0x0f: 1, 0x10: 2, 0x11: 1, 0x12: 2, 0x14: 8, 0x15: 8,
  0x16: 1, 0x17: 4, 0x18: 8, 0x19: 12, 0x1a: 5, 0x1b: 4,
};

function readLength(content: Uint8Array, p: number): [number, number] {
  const first = content[p];
  if (first === undefined) throw new Truncated("a DLMS length");
  if (first < 0x80) return [first, 1];
  const size = first & 0x7f;
  if (size > 2 || p + 1 + size > content.length) throw new Truncated("a DLMS length");
  let value = 0;
  for (let i = 1; i <= size; i++) value = (value << 8) | (content[p + i] as number);
  return [value, 1 + size];
}

function skipData(content: Uint8Array, p: number, blocks: BlockLocation[]): number {
  const tag = content[p];
  if (tag === undefined) throw new Truncated("a DLMS data item");
  p += 1;
  const fixed = FIXED_SIZES[tag];
  if (fixed !== undefined) return p + fixed;
  if (tag === 0x01 || tag === 0x02) {
    const [count, size] = readLength(content, p);
    p += size;
    for (let i = 0; i < count; i++) p = skipData(content, p, blocks);
    return p;
  }
  if (tag === 0x09 || tag === 0x0a || tag === 0x0c) {
    const [length, size] = readLength(content, p);
    p += size;
    if (p + length > content.length) throw new Truncated("a DLMS string");
    if (tag === 0x09 && isBlock(content, p, length)) blocks.push({ offset: p, length });
    return p + length;
  }
  if (tag === 0x13) {
    // compact-array: a type description, then the packed contents as one length-prefixed run
    p = skipTypeDescription(content, p);
    const [length, size] = readLength(content, p);
    if (p + size + length > content.length) throw new Truncated("a DLMS compact array");
    return p + size + length;
  }
  if (tag === 0x04) {
    const [bits, size] = readLength(content, p);
    return p + size + Math.ceil(bits / 8);
  }
  // Any other tag is opaque to this walker: it cannot know where the item ends.
  throw new Error(`unsupported DLMS data tag 0x${tag.toString(16).padStart(2, "0")} at payload byte ${p - 1}`);
}

function skipTypeDescription(content: Uint8Array, p: number): number {
  const tag = content[p];
  if (tag === undefined) throw new Truncated("a DLMS type description");
  if (tag === 0x01) return skipTypeDescription(content, p + 3); // array: count (2) + element type
  if (tag === 0x02) {
    const [count, size] = readLength(content, p + 1);
    let q = p + 1 + size;
    for (let i = 0; i < count; i++) q = skipTypeDescription(content, q);
    return q;
  }
  return p + 1;
}

function isBlock(content: Uint8Array, p: number, length: number): boolean {
  return length >= BLOCK_HEADER_LENGTH + TAG_LENGTH && content[p] === 0x31 &&
    content[p + 1] === 0 && content[p + 2] === 0 && content[p + 3] === 0 && content[p + 4] === 0;
}
