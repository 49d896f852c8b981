// Code point ranges to UTF-8 byte-range sequences: the standard construction of
// Rust's utf8-ranges / regex-syntax (Utf8Sequences). A range is split at the encoding
// length boundaries (0x7F, 0x7FF, 0xFFFF) and then at continuation-byte boundaries
// until the first and last code point of each piece differ only in bytes that range
// over the full 0x80..0xBF, so each piece is one sequence of byte ranges.
// Surrogates (U+D800..U+DFFF) are not scalar values and never occur in UTF-8.
import type { CharSet } from "./charset.ts";

export type ByteRange = [number, number];
export type ByteSeq = ByteRange[];

function encode(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

export function utf8Sequences(set: CharSet): ByteSeq[] {
  const out: ByteSeq[] = [];
  const stack: [number, number][] = [];
  for (const [lo, hi] of set) {
    // remove the surrogate block
    if (lo < 0xd800 && hi >= 0xd800) {
      stack.push([lo, 0xd7ff]);
      if (hi > 0xdfff) stack.push([0xe000, hi]);
    } else if (lo >= 0xd800 && lo <= 0xdfff) {
      if (hi > 0xdfff) stack.push([0xe000, hi]);
    } else stack.push([lo, hi]);
  }
  stack.reverse();
  next: while (stack.length) {
    let [s, e] = stack.pop()!;
    for (;;) {
      for (const max of [0x7f, 0x7ff, 0xffff]) {
        if (s <= max && max < e) {
          stack.push([max + 1, e]);
          e = max;
        }
      }
      if (e < 0x80) {
        out.push([[s, e]]);
        continue next;
      }
      let split = false;
      for (let i = 1; i < 4; i++) {
        const m = (1 << (6 * i)) - 1;
        if ((s & ~m) !== (e & ~m)) {
          if ((s & m) !== 0) {
            stack.push([(s | m) + 1, e]);
            e = s | m;
            split = true;
            break;
          }
          if ((e & m) !== m) {
            stack.push([e & ~m, e]);
            e = (e & ~m) - 1;
            split = true;
            break;
          }
        }
      }
      if (split) continue;
      const a = encode(s), b = encode(e);
      out.push(a.map((x, i) => [x, b[i]] as ByteRange));
      continue next;
    }
  }
  return out;
}
