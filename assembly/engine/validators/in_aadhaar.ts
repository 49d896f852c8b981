// Indian Aadhaar number (UIDAI): 12 digits, never starting with 0 or 1, last digit a
// Verhoeff check digit.

import { allDigits, digitAt } from "./ascii";
import { verhoeffValid } from "./verhoeff";

/**
 * True when the 12 digits at p are a well-formed Aadhaar number. Palindromes (which
 * include all-same-digit numbers such as 999999999999) are rejected as placeholders,
 * as Presidio's recognizer does.
 *
 * @example aadhaarValid(ptr("312345678909"), 12) == true
 */
export function aadhaarValid(p: usize, n: i32): bool {
  if (n != 12 || !allDigits(p, n) || digitAt(p, 0) < 2) return false;
  return !isPalindrome(p, n) && verhoeffValid(p, n);
}

function isPalindrome(p: usize, n: i32): bool {
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    if (load<u8>(p + <usize>i) != load<u8>(p + <usize>j)) return false;
  }
  return true;
}
