// Where matchers put what they find. A matcher never decides actions: it reports a
// candidate (policy type id, original byte span, score) and the engine applies rules.
//
// Positions are ORIGINAL byte offsets in the stream (counted from the stream's first
// byte), whatever normalisation did: every unit a matcher is fed carries the original
// span [start, end) of the code point it came from.

export class FindingSink {
  /** Packed candidates: typeId, start, end, score-bits; grows, never shrinks. */
  buf: StaticArray<u32> = new StaticArray<u32>(256);
  count: i32 = 0;
  /** Original offset of the first candidate a matcher abandoned because it outgrew
   *  the policy's max_holdback (NONE if none did); the policy decides release or stop. */
  overflowAt: u32 = 0xffffffff;

  overflow(start: u32): void {
    if (start < this.overflowAt) this.overflowAt = start;
  }

  emit(typeId: u32, start: u32, end: u32, score: f32): void {
    let i = this.count << 2;
    if (i + 4 > this.buf.length) {
      const next = new StaticArray<u32>(this.buf.length << 1);
      memory.copy(changetype<usize>(next), changetype<usize>(this.buf), <usize>this.buf.length << 2);
      this.buf = next;
    }
    unchecked((this.buf[i] = typeId));
    unchecked((this.buf[i + 1] = start));
    unchecked((this.buf[i + 2] = end));
    unchecked((this.buf[i + 3] = reinterpret<u32>(score)));
    this.count++;
  }

  // @ts-ignore: decorator
  @inline typeId(i: i32): u32 { return unchecked(this.buf[i << 2]); }
  // @ts-ignore: decorator
  @inline start(i: i32): u32 { return unchecked(this.buf[(i << 2) + 1]); }
  // @ts-ignore: decorator
  @inline end(i: i32): u32 { return unchecked(this.buf[(i << 2) + 2]); }
  // @ts-ignore: decorator
  @inline score(i: i32): f32 { return reinterpret<f32>(unchecked(this.buf[(i << 2) + 3])); }

  clear(): void { this.count = 0; }
}
