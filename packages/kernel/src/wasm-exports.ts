// The raw WASM ABI (assembly/index.ts) and the I/O area the loader manages on top of it.
import { kernelModule } from "#wasm";

export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  ioBase(): number;
  sha256(input: number, length: number, out: number): void;
  aesEncrypt(key: number, input: number, out: number): void;
  gcmSeal(key: number, iv: number, ivLength: number, aad: number, aadLength: number, input: number, length: number, out: number, tag: number, tagLength: number): void;
  gcmOpen(key: number, iv: number, ivLength: number, aad: number, aadLength: number, input: number, length: number, out: number, tag: number, tagLength: number): number;
  ctEqual(a: number, b: number, length: number): number;
  parseFrame(input: number, length: number, record: number): number;
  deriveKey(z: number, originator: number, kdfType: number, counter: number, recipient: number, out: number): void;
  gbcsMac(z: number, apdu: number, apduLength: number, out: number): number;
  gbcsWrap(z: number, apdu: number, apduLength: number, out: number): number;
  wrappedLength(apduLength: number): number;
  gbcsVerify(z: number, frame: number, frameLength: number): number;
  gbcsWrapBatch(table: number, count: number): number;
  gbcsVerifyBatch(table: number, count: number): number;
  gbcsSealBlock(z: number, originator: number, party: number, counter: number, plain: number, plainLength: number, out: number): number;
  gbcsOpenBlock(z: number, originator: number, party: number, counter: number, block: number, blockLength: number, out: number): number;
  anomalyTableSize(slots: number, buckets: number): number;
  encBegin(out: number, capacity: number): void;
  encEnd(): number;
  encByte(value: number): void;
  encUint(hi: number, lo: number, width: number): void;
  encUintLe(hi: number, lo: number, width: number): void;
  encCopy(source: number, length: number): void;
  encLength(length: number): void;
  encOpen(kind: number): void;
  encClose(): void;
  dlmsNumber(tag: number, hi: number, lo: number): number;
  dlmsCount(tag: number, count: number): void;
  dlmsString(tag: number, source: number, length: number): void;
  dlmsBits(source: number, bitCount: number): void;
  cosemDateTime(year: number, month: number, day: number, weekday: number, hour: number, minute: number, second: number, hundredths: number, deviation: number, status: number): void;
  gbcsHeader(cra: number, counter: number, originator: number, recipient: number, dateTime: number, otherInfo: number, otherInfoLength: number): void;
  anomalyHit(table: number, index: number, buckets: number, nowBucket: number, limit: number): number;
  anomalyCount(table: number, index: number, buckets: number, nowBucket: number): number;
}

const instance = new WebAssembly.Instance(kernelModule, {
  env: {
    abort(_message: number, _file: number, line: number, column: number): never {
      throw new Error(`kernel aborted at ${line}:${column}`);
    },
  },
});
export const wasm = instance.exports as unknown as KernelExports;

const PAGE = 65536;

/**
 * A bump allocator over the kernel's I/O area, reset at the start of every call. Results are
 * always copied out, so nothing handed to a caller points into memory the next call reuses.
 */
export class IoArea {
  private base = wasm.ioBase();
  private top = this.base;
  private view = new Uint8Array(wasm.memory.buffer);

  reset(): void {
    this.top = this.base;
  }

  /**
   * Takes `length` zeroed bytes below the I/O area for good (state that outlives a call, such as
   * anomaly counters). Only between calls: the area is empty then.
   */
  claimPersistent(length: number): number {
    this.reset();
    const at = this.reserve(length);
    this.view.fill(0, at, at + length);
    this.base = this.top;
    this.top = this.base;
    return at;
  }

  /** Reserves `length` bytes, 16-aligned, growing the memory when needed. */
  reserve(length: number): number {
    const at = this.top;
    this.top = (at + length + 15) & ~15;
    const needed = this.top - wasm.memory.buffer.byteLength;
    if (needed > 0) wasm.memory.grow(Math.ceil(needed / PAGE));
    if (this.view.buffer !== wasm.memory.buffer) this.view = new Uint8Array(wasm.memory.buffer);
    return at;
  }

  put(bytes: Uint8Array): number {
    const at = this.reserve(bytes.length);
    this.view.set(bytes, at);
    return at;
  }

  copyOut(at: number, length: number): Uint8Array {
    return this.view.slice(at, at + length);
  }

  bytes(): Uint8Array {
    return this.view;
  }

  /** A fresh Int32Array view (views go stale when the memory grows). */
  int32(): Int32Array {
    return new Int32Array(wasm.memory.buffer);
  }
}

export const io = new IoArea();
