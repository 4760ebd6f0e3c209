// A bounded reader over GBZ bytes: every read checks it stays inside its window and reports the
// offset from the start of the message content, so errors point at the byte that is wrong.
import { toHex } from "@opendcc/kernel";
import { GbcsParseError } from "./types.js";

/** Seconds between 1970-01-01 and 2000-01-01, the ZigBee UTCTime epoch (ZCL 2.6.2). */
const ZIGBEE_EPOCH_SECONDS = 946_684_800;

export class GbzCursor {
  private position: number;

  /**
   * @param bytes the whole window being read (a component, a ZCL payload, ...)
   * @param base offset of bytes[0] within the message content, for error messages
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base = 0,
  ) {
    this.position = 0;
  }

  get offset(): number {
    return this.base + this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  fail(message: string, at = this.offset): never {
    throw new GbcsParseError(message, at);
  }

  /** The next `length` bytes; a sub-cursor can be made over them with `window`. */
  take(length: number, what: string): Uint8Array {
    if (length > this.remaining) {
      this.fail(`${what} needs ${length} byte${length === 1 ? "" : "s"} but only ${this.remaining} remain`);
    }
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }

  /** A cursor over the next `length` bytes, which this cursor then skips. */
  window(length: number, what: string): GbzCursor {
    const base = this.offset;
    return new GbzCursor(this.take(length, what), base);
  }

  /** The rest of this window. */
  rest(): Uint8Array {
    return this.take(this.remaining, "the rest");
  }

  u8(what: string): number {
    return this.take(1, what)[0] as number;
  }

  /** Big-endian unsigned (GBCS header fields: cluster, length, alert code, timestamp). */
  beUint(size: number, what: string): number {
    let value = 0;
    for (const byte of this.take(size, what)) value = value * 256 + byte;
    return value;
  }

  /** Little-endian unsigned (ZCL payload fields), as a number when below 2^53 else a decimal string. */
  leUint(size: number, what: string): number | string {
    const bytes = this.take(size, what);
    let value = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }

  /** Little-endian unsigned that always fits a number (sizes up to 6 bytes). */
  leSmall(size: number, what: string): number {
    const bytes = this.take(size, what);
    let value = 0;
    for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + (bytes[i] as number);
    return value;
  }

  /** Little-endian two's complement signed, up to 6 bytes. */
  leInt(size: number, what: string): number {
    const unsigned = this.leSmall(size, what);
    const limit = 2 ** (8 * size);
    return unsigned >= limit / 2 ? unsigned - limit : unsigned;
  }

  done(): boolean {
    return this.remaining === 0;
  }

  /** Fails unless the window has been read to its end. */
  expectEnd(what: string): void {
    if (this.remaining > 0) this.fail(`${this.remaining} unexpected byte${this.remaining === 1 ? "" : "s"} after ${what}: ${toHex(this.bytes.subarray(this.position))}`);
  }
}

/** Seconds since 2000-01-01 UTC (the GBZ alert and from-date-time headers) as ISO 8601. */
export function isoTime(seconds: number): string {
  return new Date((seconds + ZIGBEE_EPOCH_SECONDS) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * A ZigBee UTCTime (seconds since 2000-01-01 UTC) as ISO 8601. ZCL gives two values a meaning of
 * their own: 0x00000000 is "now" (start immediately) and 0xFFFFFFFF is "not set / never" (null).
 */
export function zigbeeTime(seconds: number): string | null {
  if (seconds === 0xffffffff) return null;
  if (seconds === 0) return "now";
  return isoTime(seconds);
}
