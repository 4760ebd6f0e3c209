// Typed face of the kernel's byte writer (assembly/encode.ts). Callers describe a message with a
// GbcsWriter inside `encode(...)`; the kernel writes the bytes, patches the lengths and the result
// is copied out. Encoding is synchronous and must not call other kernel functions meanwhile (they
// reuse the I/O area the writer writes into).
import { io, wasm } from "./wasm-exports.js";
import { counterBytes, fromHex } from "./bytes.js";

/** Length fields a writer can open and close around contents. */
export type LengthKind = "gbcs" | "u8" | "u16" | "u16le";
const LENGTH_KINDS: Record<LengthKind, number> = { gbcs: 0, u8: 1, u16: 2, u16le: 3 };

/** Commands are bounded; the largest RTDS message is under 4 KB. */
const CAPACITY = 1 << 16;

const REASONS: Record<number, string> = {
  1: `message exceeds ${CAPACITY} bytes`,
  2: "a length field was closed without being opened, or left open",
  3: "contents too long for their length field",
  4: "too many length fields open at once",
};

export class EncodeError extends Error {
  override readonly name = "EncodeError";
}

/** DLMS Data tags with a fixed width (gbcs.md section 4). */
export const DLMS = {
  boolean: 0x03, int32: 0x05, uint32: 0x06, int8: 0x0f, int16: 0x10, uint8: 0x11, uint16: 0x12,
  int64: 0x14, uint64: 0x15, enum: 0x16,
} as const;
export type DlmsNumberTag = (typeof DLMS)[keyof typeof DLMS];

/** A COSEM date-time's fields; undefined fields are written as "not given". */
export interface CosemDateTimeFields {
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
  readonly weekday?: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  readonly hundredths?: number;
  /** Minutes local time lags UTC; undefined: 0x8000, not given. */
  readonly deviation?: number;
  readonly status?: number;
}

export interface GeneralSigningHeader {
  /** 1 command, 2 response, 3 alert. */
  readonly cra: 1 | 2 | 3;
  readonly counter: bigint;
  /** 8-byte EUI-64s. */
  readonly originator: Uint8Array;
  readonly recipient: Uint8Array;
  /** 12-byte COSEM date-time, or null (absent). */
  readonly dateTime: Uint8Array | null;
  /** Message code (2 bytes) and any supplementary fields (gbcs.md 2b). */
  readonly otherInfo: Uint8Array;
}

const high = (value: bigint) => Number((value >> 32n) & 0xffffffffn);
const low = (value: bigint) => Number(value & 0xffffffffn);

export class GbcsWriter {
  private scratch: number;
  private scratchSize: number;

  /** @internal Use `encode`. */
  constructor(scratch: number, scratchSize: number) {
    this.scratch = scratch;
    this.scratchSize = scratchSize;
  }

  byte(value: number): this {
    wasm.encByte(value);
    return this;
  }

  /** Unsigned integer, big-endian, in `width` bytes (1-8). */
  uint(value: number | bigint, width: number): this {
    const big = BigInt(value);
    wasm.encUint(high(big), low(big), width);
    return this;
  }

  /** Unsigned integer, little-endian (ZCL payload fields). */
  uintLe(value: number | bigint, width: number): this {
    const big = BigInt(value);
    wasm.encUintLe(high(big), low(big), width);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    wasm.encCopy(this.stage(bytes), bytes.length);
    return this;
  }

  hex(text: string): this {
    return this.bytes(fromHex(text));
  }

  /** A GBCS / A-XDR length in its shortest form. */
  length(value: number): this {
    wasm.encLength(value);
    return this;
  }

  /** Writes `contents` preceded by its length in the given form. */
  sized(kind: LengthKind, contents: (w: this) => void): this {
    wasm.encOpen(LENGTH_KINDS[kind]);
    contents(this);
    wasm.encClose();
    return this;
  }

  /** A fixed-width DLMS Data item. */
  dlmsNumber(tag: DlmsNumberTag, value: number | bigint): this {
    const big = BigInt.asUintN(64, BigInt(value));
    if (!wasm.dlmsNumber(tag, high(big), low(big))) throw new EncodeError(`0x${tag.toString(16)} is not a fixed-width DLMS tag`);
    return this;
  }

  dlmsNull(): this {
    return this.byte(0x00);
  }

  dlmsArray(count: number): this {
    wasm.dlmsCount(0x01, count);
    return this;
  }

  dlmsStructure(count: number): this {
    wasm.dlmsCount(0x02, count);
    return this;
  }

  dlmsOctets(bytes: Uint8Array): this {
    wasm.dlmsString(0x09, this.stage(bytes), bytes.length);
    return this;
  }

  dlmsVisible(text: string): this {
    const bytes = new TextEncoder().encode(text);
    wasm.dlmsString(0x0a, this.stage(bytes), bytes.length);
    return this;
  }

  /** bit-string: `bits[0]` is the most significant bit of the first byte. */
  dlmsBits(bits: readonly boolean[]): this {
    const bytes = new Uint8Array((bits.length + 7) >> 3);
    bits.forEach((bit, i) => {
      if (bit) bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
    });
    wasm.dlmsBits(this.stage(bytes), bits.length);
    return this;
  }

  /** The 12 bytes of a COSEM date-time (without a tag). */
  cosemDateTime(fields: CosemDateTimeFields): this {
    const given = (value: number | undefined, none: number) => value ?? none;
    wasm.cosemDateTime(
      given(fields.year, 0xffff), given(fields.month, 0xff), given(fields.day, 0xff), given(fields.weekday, 0xff),
      given(fields.hour, 0xff), given(fields.minute, 0xff), given(fields.second, 0xff), given(fields.hundredths, 0xff),
      fields.deviation === undefined ? 0x8000 : fields.deviation & 0xffff, given(fields.status, 0xff),
    );
    return this;
  }

  /** The General-Signing APDU header, then the content inside its length. No signature field. */
  generalSigning(header: GeneralSigningHeader, content: (w: this) => void): this {
    const counter = this.stage(counterBytes(header.counter), 0);
    const originator = this.stage(header.originator, 8);
    const recipient = this.stage(header.recipient, 16);
    const dateTime = header.dateTime ? this.stage(header.dateTime, 24) : 0;
    const otherInfo = this.stage(header.otherInfo, 40);
    wasm.gbcsHeader(header.cra, counter, originator, recipient, dateTime, otherInfo, header.otherInfo.length);
    return this.sized("gbcs", content);
  }

  /** Copies bytes to the scratch area (at `at`) for the kernel to read. */
  private stage(bytes: Uint8Array, at = 0): number {
    if (at + bytes.length > this.scratchSize) {
      if (at !== 0) throw new EncodeError("header field too long");
      this.scratchSize = Math.max(bytes.length, this.scratchSize * 2);
      this.scratch = io.reserve(this.scratchSize);
    }
    io.bytes().set(bytes, this.scratch + at);
    return this.scratch + at;
  }
}

/** Builds one message with a GbcsWriter and returns its bytes. */
export function encode(build: (writer: GbcsWriter) => void): Uint8Array {
  io.reset();
  const out = io.reserve(CAPACITY);
  const scratchSize = 4096;
  const writer = new GbcsWriter(io.reserve(scratchSize), scratchSize);
  wasm.encBegin(out, CAPACITY);
  build(writer);
  const length = wasm.encEnd();
  if (length < 0) throw new EncodeError(REASONS[-length] ?? `kernel encoder error ${-length}`);
  return io.copyOut(out, length);
}
