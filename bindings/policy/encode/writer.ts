// Little-endian byte writer for compiled-policy sections.
export class ByteWriter {
  #buf = new Uint8Array(256);
  #dv = new DataView(this.#buf.buffer);
  length = 0;

  #ensure(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let cap = this.#buf.length;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#dv = new DataView(next.buffer);
  }
  u8(v: number): this { this.#ensure(1); this.#dv.setUint8(this.length, v); this.length += 1; return this; }
  u16(v: number): this { this.#ensure(2); this.#dv.setUint16(this.length, v, true); this.length += 2; return this; }
  u32(v: number): this { this.#ensure(4); this.#dv.setUint32(this.length, v >>> 0, true); this.length += 4; return this; }
  f32(v: number): this { this.#ensure(4); this.#dv.setFloat32(this.length, v, true); this.length += 4; return this; }
  u64(v: bigint): this { this.#ensure(8); this.#dv.setBigUint64(this.length, v, true); this.length += 8; return this; }
  bytes(b: Uint8Array): this { this.#ensure(b.length); this.#buf.set(b, this.length); this.length += b.length; return this; }
  align(n: number): this { while (this.length % n) this.u8(0); return this; }
  /** Overwrites a u32 written earlier. */
  patchU32(at: number, v: number): void { this.#dv.setUint32(at, v >>> 0, true); }
  finish(): Uint8Array { return this.#buf.slice(0, this.length); }
}
