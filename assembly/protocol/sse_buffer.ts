// A growable byte buffer for the SSE parser: the event being assembled and the items of one
// push live in these, never in the caller's chunk, which the host reuses after push returns.
// Growth doubles, so appending n bytes costs O(n) amortised; callers bound the total
// (SseParser checks its event limit before every append), so a buffer never outgrows it.

export class SseBuffer {
  private store: StaticArray<u8>;
  /** Bytes in use. */
  length: i32 = 0;

  constructor(capacity: i32) {
    this.store = new StaticArray<u8>(capacity < 16 ? 16 : capacity);
  }

  /** Address of byte 0; valid until the next append that grows the buffer. */
  // @ts-ignore: decorator
  @inline get base(): usize { return changetype<usize>(this.store); }

  /** Makes room for `extra` more bytes. */
  reserve(extra: i32): void {
    const need = this.length + extra;
    const cap = this.store.length;
    if (need <= cap) return;
    const next = new StaticArray<u8>(need > cap << 1 ? need : cap << 1);
    memory.copy(changetype<usize>(next), changetype<usize>(this.store), <usize>this.length);
    this.store = next;
  }

  /** Appends n bytes from p (p must not point into this buffer). */
  append(p: usize, n: i32): void {
    if (n <= 0) return;
    this.reserve(n);
    memory.copy(this.base + <usize>this.length, p, <usize>n);
    this.length += n;
  }

  appendByte(b: u8): void {
    this.reserve(1);
    store<u8>(this.base + <usize>this.length, b);
    this.length++;
  }

  /** Appends the bytes of another buffer. */
  appendBuffer(other: SseBuffer): void {
    this.append(other.base, other.length);
  }

  // @ts-ignore: decorator
  @inline clear(): void { this.length = 0; }
}
