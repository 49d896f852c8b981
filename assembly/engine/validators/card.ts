// Payment card issuer (IIN) prefixes and the card-number lengths each issuer uses.
// The Luhn check is separate (luhn.ts); the PII matcher asks for both.

import { allDigits, decimalAt } from "./ascii";

/** Shortest and longest card numbers any issuer below uses (ISO/IEC 7812: up to 19). */
const MIN_LENGTH = 12;
const MAX_LENGTH = 19;

// Length sets as bit masks (bit L set = length L allowed).
const L12_19: u32 = 0xff000;           // 12..19
const L14_19: u32 = 0xfc000;           // 14..19
const L16_19: u32 = 0xf0000;           // 16..19
const L16: u32 = 1 << 16;
const L15: u32 = 1 << 15;
const L13_16_19: u32 = (1 << 13) | (1 << 16) | (1 << 19);
const L16_18_19: u32 = (1 << 16) | (1 << 18) | (1 << 19);

// Issuer table: rows of (first 6-digit prefix, last 6-digit prefix, length mask), every
// prefix range widened to 6 digits (Visa "4" = 400000..499999). Ranges overlap (UnionPay 62
// contains Discover 622126-622925; Maestro 56-69 contains Discover, RuPay, UnionPay): a
// number is accepted when ANY row matches, so the table order does not matter.
// Source: Wikipedia "Payment card number", table "Issuer identification number (IIN)"
// (2024 revision), restricted to the issuers listed in the brief.
const ISSUERS = memory.data<u32>([
  400000, 499999, L13_16_19,   // Visa 4
  510000, 559999, L16,         // Mastercard 51-55
  222100, 272099, L16,         // Mastercard 2221-2720
  340000, 349999, L15,         // American Express 34
  370000, 379999, L15,         // American Express 37
  601100, 601199, L16_19,      // Discover 6011
  644000, 649999, L16_19,      // Discover 644-649
  650000, 659999, L16_19,      // Discover 65
  622126, 622925, L16_19,      // Discover (China UnionPay co-branded) 622126-622925
  300000, 305999, L14_19,      // Diners Club International 300-305
  360000, 369999, L14_19,      // Diners Club International 36
  380000, 399999, L14_19,      // Diners Club 38, 39
  352800, 358999, L16_19,      // JCB 3528-3589
  620000, 629999, L16_19,      // UnionPay 62
  500000, 509999, L12_19,      // Maestro 50
  560000, 699999, L12_19,      // Maestro 56-69
  220000, 220499, L16_19,      // Mir 2200-2204
  600000, 609999, L16,         // RuPay 60
  650000, 659999, L16,         // RuPay 65
  810000, 829999, L16,         // RuPay 81, 82
  508000, 508999, L16,         // RuPay 508
  506099, 506198, L16_18_19,   // Verve 506099-506198
  650002, 650027, L16_18_19,   // Verve 650002-650027
]);
const ISSUER_ROWS = 23;

/**
 * True when the n digits at p start with a known issuer prefix and n is a length that
 * issuer uses. Does not check Luhn.
 *
 * @example cardIssuerValid(ptr("378282246310005"), 15) == true  // Amex, 15 digits
 */
export function cardIssuerValid(p: usize, n: i32): bool {
  if (n < MIN_LENGTH || n > MAX_LENGTH || !allDigits(p, n)) return false;
  let prefix = decimalAt(p, 0, 6);
  let bit: u32 = 1 << <u32>n;
  for (let row = 0; row < ISSUER_ROWS; row++) {
    let at = ISSUERS + <usize>row * 12;
    if (prefix >= load<u32>(at) && prefix <= load<u32>(at, 4) && (load<u32>(at, 8) & bit) != 0) {
      return true;
    }
  }
  return false;
}
