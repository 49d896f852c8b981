// A growable output byte buffer for decoded text, encoded JSON and rebuilt payloads.
// It doubles when full, so after a few frames it stops allocating: the per-byte paths
// write through ensure() + store, never one allocation per byte.

/**
 * Output bytes [ptr, ptr + len).
 *
 * ```ts
 * const out = new JsonOut();
 * out.bytes(p, n);
 * // read out.ptr / out.len, then out.reset() for the next frame
 * ```
 */
export class JsonOut {
  private buf: StaticArray<u8>;
  len: i32 = 0;

  constructor(capacity: i32 = 256) {
    this.buf = new StaticArray<u8>(capacity < 16 ? 16 : capacity);
  }

  /** Address of the first byte; valid until the next write that grows the buffer. */
  get ptr(): usize { return changetype<usize>(this.buf); }

  reset(): void { this.len = 0; }

  /** Makes room for `extra` more bytes; returns the address to write them at. */
  ensure(extra: i32): usize {
    const need = this.len + extra;
    let cap = this.buf.length;
    if (need > cap) {
      while (cap < need) cap <<= 1;
      const next = new StaticArray<u8>(cap);
      memory.copy(changetype<usize>(next), changetype<usize>(this.buf), <usize>this.len);
      this.buf = next;
    }
    return changetype<usize>(this.buf) + <usize>this.len;
  }

  byte(b: u32): void {
    store<u8>(this.ensure(1), <u8>b);
    this.len++;
  }

  bytes(p: usize, n: usize): void {
    if (n == 0) return;
    memory.copy(this.ensure(<i32>n), p, n);
    this.len += <i32>n;
  }

  /** Empties the buffer, dropping it when it grew past `cap` (one huge body must not pin memory). */
  shrink(cap: i32): void {
    if (this.buf.length > cap) this.buf = new StaticArray<u8>(cap);
    this.len = 0;
  }
}
