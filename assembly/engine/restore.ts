// Pseudonym round trip: placeholders that ingress put in place of values (`<EMAIL_1>`)
// are put back in the streamed answer, so the model never sees the value and the user
// still reads it. A placeholder may arrive split across any number of deltas: while
// `<` and what follows could still be one, it is held (at most MAX_PLACEHOLDER bytes).
// Restoring happens after scanning (the scanner saw `<EMAIL_1>`, not the address), so the
// user's own value is not redacted on its way back.
import { NONE } from "./constants";
import { FindingSink } from "./sink";

const MAX_PLACEHOLDER: i32 = 64;
/** Candidates with this bit set in their type id are restorations of table entry (id & 0xffff). */
export const RESTORE_BIT: u32 = 0x80000000;

// @ts-ignore: decorator
@inline function isNameByte(b: u32): bool {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b == 0x5f;
}

export class Restorer {
  // table: keys and values in one pool; entry i = (keyOff, keyLen, valOff, valLen)
  private pool: StaticArray<u8>;
  private index: StaticArray<u32>;
  private count: i32;
  // the placeholder being read
  private buf: StaticArray<u8> = new StaticArray<u8>(MAX_PLACEHOLDER);
  private len: i32 = 0;
  private start: u32 = NONE;

  /** table bytes: u32 count, then count × (u32 keyLen, key, u32 valueLen, value) */
  constructor(p: usize, n: i32) {
    let count = n >= 4 ? <i32>load<u32>(p) : 0;
    if (count < 0 || count > (n >> 3)) count = 0; // each entry needs 8 bytes of lengths
    const pool = new StaticArray<u8>(n);
    memory.copy(changetype<usize>(pool), p, <usize>n);
    this.pool = pool;
    const index = new StaticArray<u32>(count * 4 + 4);
    this.index = index;
    this.count = 0;
    let o: u32 = 4;
    let i = 0;
    for (; i < count; i++) {
      if (<i32>o + 4 > n) break;
      const kl = load<u32>(p + o);
      if (<u64>o + 4 + <u64>kl + 4 > <u64>n) break;
      const vl = load<u32>(p + o + 4 + kl);
      if (<u64>o + 8 + <u64>kl + <u64>vl > <u64>n) break;
      unchecked((index[i * 4] = o + 4));
      unchecked((index[i * 4 + 1] = kl));
      unchecked((index[i * 4 + 2] = o + 8 + kl));
      unchecked((index[i * 4 + 3] = vl));
      o += 8 + kl + vl;
    }
    this.count = i;
  }

  reset(): void { this.len = 0; this.start = NONE; }

  pending(): u32 { return this.start; }

  feed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const c = <u32>b;
    if (this.len > 0) {
      if (c == 0x3e && this.len > 1) { // '>'
        const k = this.lookup();
        if (k >= 0) sink.emit(RESTORE_BIT | <u32>k, this.start, e, 1);
        this.len = 0;
        this.start = NONE;
        return;
      }
      if (isNameByte(c) && this.len < MAX_PLACEHOLDER) { unchecked((this.buf[this.len++] = b)); return; }
      this.len = 0;
      this.start = NONE;
    }
    if (c == 0x3c) { this.len = 1; this.start = s; unchecked((this.buf[0] = b)); }
  }

  finish(): void { this.reset(); }

  /** Table entry whose key is `<` + buf[1..len) + `>`, or -1. */
  private lookup(): i32 {
    const n = this.len + 1;
    const pool = changetype<usize>(this.pool);
    for (let i = 0; i < this.count; i++) {
      if (unchecked(this.index[i * 4 + 1]) != <u32>n) continue;
      const k = pool + <usize>unchecked(this.index[i * 4]);
      if (load<u8>(k + <usize>(n - 1)) != 0x3e) continue;
      if (memory.compare(k, changetype<usize>(this.buf), <usize>this.len) == 0) return i;
    }
    return -1;
  }

  valuePtr(i: i32): usize { return changetype<usize>(this.pool) + <usize>unchecked(this.index[i * 4 + 2]); }
  valueLen(i: i32): i32 { return <i32>unchecked(this.index[i * 4 + 3]); }
}
