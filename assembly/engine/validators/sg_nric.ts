// Singapore NRIC / FIN (ICA): prefix S T F G M, 7 digits, check letter. Weighted sum
// (2,7,6,5,4,3,2) plus an offset per prefix (T, G: 4; M: 3), mod 11, indexes a letter
// table per series. Source: ICA algorithm as published in "NRIC numbers" (ngiam.net) and,
// for the M series (from 2022), ICA's FIN specification.

import { digitAt } from "./ascii";

const WEIGHTS = memory.data<u8>([2, 7, 6, 5, 4, 3, 2]);

// Check letters indexed by (sum + offset) mod 11, 11 bytes each.
const LETTERS_ST = memory.data<u8>([0x4a, 0x5a, 0x49, 0x48, 0x47, 0x46, 0x45, 0x44, 0x43, 0x42, 0x41]); // J Z I H G F E D C B A
const LETTERS_FG = memory.data<u8>([0x58, 0x57, 0x55, 0x54, 0x52, 0x51, 0x50, 0x4e, 0x4d, 0x4c, 0x4b]); // X W U T R Q P N M L K
const LETTERS_M = memory.data<u8>([0x58, 0x57, 0x55, 0x54, 0x52, 0x51, 0x50, 0x4e, 0x4a, 0x4c, 0x4b]);  // X W U T R Q P N J L K

const enum Series {
  F = 0x46,
  G = 0x47,
  M = 0x4d,
  S = 0x53,
  T = 0x54,
}

/**
 * True for "S1234567D"-style NRIC/FIN numbers with the right check letter.
 *
 * @example sgNricValid(ptr("S1234567D"), 9) == true
 */
export function sgNricValid(p: usize, n: i32): bool {
  if (n != 9) return false;
  let prefix = <u32>load<u8>(p);
  let offset: u32 = 0;
  let letters: usize;
  if (prefix == Series.S || prefix == Series.T) {
    letters = LETTERS_ST;
    if (prefix == Series.T) offset = 4;
  } else if (prefix == Series.F || prefix == Series.G) {
    letters = LETTERS_FG;
    if (prefix == Series.G) offset = 4;
  } else if (prefix == Series.M) {
    letters = LETTERS_M;
    offset = 3;
  } else {
    return false;
  }
  let sum = offset;
  for (let i = 0; i < 7; i++) {
    let d = digitAt(p, i + 1);
    if (d > 9) return false;
    sum += d * <u32>load<u8>(WEIGHTS + <usize>i);
  }
  return <u32>load<u8>(p, 8) == <u32>load<u8>(letters + sum % 11);
}
