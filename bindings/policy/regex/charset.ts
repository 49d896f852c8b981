// Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges.
// Classes, escapes and case folding are computed here, before UTF-8 encoding.

export type CharSet = [number, number][];

export const MAX_CP = 0x10ffff;

/** Sorts and merges overlapping or adjacent ranges. */
export function normalize(ranges: CharSet): CharSet {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: CharSet = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function union(...sets: CharSet[]): CharSet {
  return normalize(sets.flat().map(([lo, hi]) => [lo, hi] as [number, number]));
}

export function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [lo, hi] of normalize(set)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

export function has(set: CharSet, cp: number): boolean {
  for (const [lo, hi] of set) if (cp >= lo && cp <= hi) return true;
  return false;
}

// ECMAScript's sets (ECMA-262 §22.2.2.9 CharacterClassEscape, WhiteSpace and
// LineTerminator), so patterns mean what they mean in JavaScript.
export const DIGIT: CharSet = [[0x30, 0x39]];
export const WORD: CharSet = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
export const SPACE: CharSet = normalize([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
export const LINE_TERMINATORS: CharSet = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];
export const ANY: CharSet = [[0, MAX_CP]];
