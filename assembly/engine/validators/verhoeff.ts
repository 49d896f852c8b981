// Verhoeff check digit (J. Verhoeff, "Error Detecting Decimal Codes", 1969): detects
// every single-digit error and every adjacent transposition. Used by Aadhaar.

import { digitAt } from "./ascii";

// Multiplication table of the dihedral group D5, d[j * 10 + k]. 100 bytes.
// Source: Verhoeff 1969 / Wikipedia "Verhoeff algorithm".
const D5 = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  1, 2, 3, 4, 0, 6, 7, 8, 9, 5,
  2, 3, 4, 0, 1, 7, 8, 9, 5, 6,
  3, 4, 0, 1, 2, 8, 9, 5, 6, 7,
  4, 0, 1, 2, 3, 9, 5, 6, 7, 8,
  5, 9, 8, 7, 6, 0, 4, 3, 2, 1,
  6, 5, 9, 8, 7, 1, 0, 4, 3, 2,
  7, 6, 5, 9, 8, 2, 1, 0, 4, 3,
  8, 7, 6, 5, 9, 3, 2, 1, 0, 4,
  9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
]);

// Position permutation p[(i mod 8) * 10 + digit], i counted from the right (check digit
// is i = 0); row i is p1^i with p1 = (1 5 8 9 4 2 7 0)(3 6). 80 bytes. Same source.
const PERM = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  1, 5, 7, 6, 2, 8, 3, 0, 9, 4,
  5, 8, 0, 3, 7, 9, 6, 1, 4, 2,
  8, 9, 1, 6, 0, 4, 3, 5, 2, 7,
  9, 4, 5, 3, 1, 2, 6, 8, 7, 0,
  4, 2, 8, 6, 5, 7, 3, 9, 0, 1,
  2, 7, 9, 3, 8, 0, 6, 4, 1, 5,
  7, 0, 4, 6, 9, 1, 3, 2, 5, 8,
]);

/**
 * True when the n digits at p (check digit last, n >= 2) pass the Verhoeff check.
 *
 * @example verhoeffValid(ptr("2363"), 4) == true
 */
export function verhoeffValid(p: usize, n: i32): bool {
  if (n < 2) return false;
  let c: u32 = 0;
  for (let i = 0; i < n; i++) {
    let d = digitAt(p, n - 1 - i);
    if (d > 9) return false;
    c = load<u8>(D5 + c * 10 + load<u8>(PERM + <usize>(i & 7) * 10 + d));
  }
  return c == 0;
}
