// UK National Insurance number (HMRC manual NIM39110): two prefix letters, six digits
// and an optional suffix A-D. HMRC never allocates the letters and prefixes rejected below.

import { Char, digitAt, isUpper } from "./ascii";

// Letter sets as bit masks over 'A'..'Z' (bit 0 = 'A').
// First letter is never D, F, I, Q, U or V (bits 3, 5, 8, 16, 20, 21).
const BAD_FIRST: u32 = 1 << 3 | 1 << 5 | 1 << 8 | 1 << 16 | 1 << 20 | 1 << 21;
// Second letter additionally never O (bit 14).
const BAD_SECOND: u32 = BAD_FIRST | 1 << 14;

/** Never-issued prefixes as little-endian u16 loads of the two letters (first | second << 8). */
const enum Prefix {
  BG = 0x4742,
  GB = 0x4247,
  KN = 0x4e4b,
  NK = 0x4b4e,
  NT = 0x544e,
  TN = 0x4e54,
  ZZ = 0x5a5a,
}

/**
 * True for "AB123456C" (n = 9, suffix A-D) or "AB123456" (n = 8).
 *
 * @example ninoValid(ptr("AB123456C"), 9) == true
 */
export function ninoValid(p: usize, n: i32): bool {
  if (n != 8 && n != 9) return false;
  let a = <u32>load<u8>(p);
  let b = <u32>load<u8>(p, 1);
  if (!isUpper(a) || !isUpper(b)) return false;
  if (((BAD_FIRST >> (a - Char.A)) & 1) != 0 || ((BAD_SECOND >> (b - Char.A)) & 1) != 0) return false;
  // Administrative prefixes (BG, GB, KN, NK, NT, TN) and the temporary ZZ are never issued.
  let ab = <u32>load<u16>(p);
  if (ab == Prefix.BG || ab == Prefix.GB || ab == Prefix.KN || ab == Prefix.NK
    || ab == Prefix.NT || ab == Prefix.TN || ab == Prefix.ZZ) return false;
  for (let i = 2; i < 8; i++) {
    if (digitAt(p, i) > 9) return false;
  }
  return n == 8 || <u32>load<u8>(p, 8) - Char.A < 4;
}
