// A bounds-checked cursor over DLMS bytes: every read that would run past the end throws a
// GbcsParseError naming what was being read and where, so a truncated message never half-parses.
import { GbcsParseError } from "./types.js";

export class Reader {
  /**
   * @param bytes what is read
   * @param base the offset of `bytes` within the content, so errors point into the message
   */
  constructor(readonly bytes: Uint8Array, public at = 0, readonly base = 0) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  fail(message: string, at = this.at): never {
    throw new GbcsParseError(message, this.base + at);
  }

  byte(what: string): number {
    const value = this.bytes[this.at];
    if (value === undefined) this.fail(`truncated: ${what} is missing`);
    this.at += 1;
    return value;
  }

  peek(): number | undefined {
    return this.bytes[this.at];
  }

  take(count: number, what: string): Uint8Array {
    if (count > this.remaining) this.fail(`truncated: ${what} needs ${count} bytes, ${this.remaining} left`);
    const out = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return out;
  }

  /** A big-endian unsigned integer of up to 6 bytes. */
  uint(count: number, what: string): number {
    let value = 0;
    for (const byte of this.take(count, what)) value = value * 256 + byte;
    return value;
  }

  /** A length: 00-7F itself, 81 LL, 82 HH LL (gbcs.md section 1); A-XDR uses the same form. */
  length(what: string): number {
    const at = this.at;
    const first = this.byte(`the length of ${what}`);
    if (first < 0x80) return first;
    if (first === 0x81 || first === 0x82) return this.uint(first & 0x7f, `the length of ${what}`);
    this.fail(`invalid length encoding 0x${first.toString(16).padStart(2, "0")} for ${what}`, at);
  }

  /** Throws unless every byte was read: a longer input is an error, not ignored trailing bytes. */
  end(what: string): void {
    if (this.remaining > 0) this.fail(`${this.remaining} unexpected byte(s) after ${what}`);
  }
}
