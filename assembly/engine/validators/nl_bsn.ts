// Dutch citizen service number (burgerservicenummer): 9 digits passing the "11-proef"
// with weights 9..2 and -1 for the last digit.

import { allDigits, digitAt } from "./ascii";

/**
 * True when the 9 digits at p are a BSN (000000000 rejected: it passes the test trivially).
 *
 * @example nlBsnValid(ptr("111222333"), 9) == true
 */
export function nlBsnValid(p: usize, n: i32): bool {
  if (n != 9 || !allDigits(p, n)) return false;
  let sum: i32 = 0;
  for (let i = 0; i < 8; i++) sum += <i32>digitAt(p, i) * (9 - i);
  sum -= <i32>digitAt(p, 8);
  return sum != 0 && sum % 11 == 0;
}
