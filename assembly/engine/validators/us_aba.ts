// ABA routing transit number (US bank routing numbers): 9 digits, weights 3,7,1 repeated,
// weighted sum divisible by 10; the first two digits are a Federal Reserve routing symbol.

import { allDigits, decimalAt, digitAt } from "./ascii";

/**
 * True when the 9 digits at p are a routing number: prefix 00-12 (banks), 21-32 (thrifts,
 * +20), 61-72 (electronic, +60) or 80 (traveller's cheques), and the 3-7-1 checksum holds.
 *
 * @example abaRoutingValid(ptr("121000358"), 9) == true
 */
export function abaRoutingValid(p: usize, n: i32): bool {
  if (n != 9 || !allDigits(p, n)) return false;
  let prefix = decimalAt(p, 0, 2);
  if (!(prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix == 80)) {
    return false;
  }
  let sum: u32 = 0;
  for (let i = 0; i < 9; i += 3) {
    sum += 3 * digitAt(p, i) + 7 * digitAt(p, i + 1) + digitAt(p, i + 2);
  }
  return sum % 10 == 0;
}
