// Australian Business Number (ABR, "Format of the ABN"): 11 digits; subtract 1 from the
// first digit, weight 10,1,3,5,...,19, and the sum is divisible by 89.

import { allDigits, digitAt } from "./ascii";

// Source: Australian Business Register, ABN format.
const WEIGHTS = memory.data<u8>([10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);

/**
 * True when the 11 digits at p are an ABN.
 *
 * @example auAbnValid(ptr("51824753556"), 11) == true
 */
export function auAbnValid(p: usize, n: i32): bool {
  if (n != 11 || !allDigits(p, n)) return false;
  let first = digitAt(p, 0);
  if (first == 0) return false; // 0 - 1 has no digit: never issued.
  let sum = (first - 1) * 10;
  for (let i = 1; i < 11; i++) sum += digitAt(p, i) * <u32>load<u8>(WEIGHTS + <usize>i);
  return sum % 89 == 0;
}
