// Australian Tax File Number: 9 digits (or 8 for old numbers), weighted sum divisible by
// 11. Weights from the ATO algorithm as documented by python-stdnum (stdnum.au.tfn).

import { allDigits, digitAt } from "./ascii";

const WEIGHTS_9 = memory.data<u8>([1, 4, 3, 7, 5, 8, 6, 9, 10]);
const WEIGHTS_8 = memory.data<u8>([10, 7, 8, 4, 6, 3, 5, 1]);

/**
 * True when the 8 or 9 digits at p are a TFN.
 *
 * @example auTfnValid(ptr("123456782"), 9) == true
 */
export function auTfnValid(p: usize, n: i32): bool {
  if ((n != 9 && n != 8) || !allDigits(p, n)) return false;
  let weights = n == 9 ? WEIGHTS_9 : WEIGHTS_8;
  let sum: u32 = 0;
  for (let i = 0; i < n; i++) sum += digitAt(p, i) * <u32>load<u8>(weights + <usize>i);
  return sum % 11 == 0;
}
