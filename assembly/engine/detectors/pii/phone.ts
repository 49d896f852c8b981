// Telephone numbers on a candidate, in the layouts people write:
//   international  "+44 20 7946 0958", "+1-415-555-2671", "+49 (0)30 123456", "0044 20 7946 0958"
//                  (the country code and national length checked by phoneCountryCodeLength)
//   NANP           "(415) 555-2671", "415-555-2671", "415.555.2671", "1-415-555-2671",
//                  bare "4155552671" at a low score (nanpValid)
//   national       a trunk '0' and 10-12 digits in groups, area code first: "020 7946 0958"
//                  (GB), "030 1234567" / "030/1234567" (DE), "01 23 45 67 89" (FR); bare
//                  "0" + 10 digits (GB/IN mobiles) at a low score; India "98765 43210"
// Dates, times and versions never reach 10 digits in one run, so they cannot match.
import { nanpValid, phoneCountryCodeLength } from "../../validators/phone";
import { allSame } from "../../validators/ascii";
import { Candidate, Gap } from "./candidate";
import { PiiCode } from "./codes";

const enum Digit {
  ZERO = 0x30,
  ONE = 0x31,
  SIX = 0x36,
  NINE = 0x39,
}

/** Digits of the candidate without a "(0)" trunk group (international form). */
const DIGITS = new StaticArray<u8>(64);

export function matchPhone(c: Candidate): void {
  if (!c.allDigits || !c.wants(PiiCode.PHONE)) return;
  const ng = c.ng;
  // Separators: each gap is [')'] [one of space - . /] ['('], one paren group at most,
  // and one kind among - . / in the whole number ("415-555.2671" is not written).
  // A '(' before the first group that does not close right after it brackets the whole
  // number ("(415-555-2671)", "(+44 20 7946 0958)") and is not part of it.
  let parenK = -1;
  let kinds: u32 = 0;
  let outer = false;
  for (let k = 0; k < ng; k++) {
    const g = c.gapAt(k);
    if (g & Gap.OPEN) {
      if (k == 0 && !(c.gapAt(1) & Gap.CLOSE)) {
        outer = true;
      } else {
        if (parenK >= 0 || !(c.gapAt(k + 1) & Gap.CLOSE)) return;
        parenK = k;
      }
    }
    if (k == 0) continue;
    if (g & (Gap.COLON | Gap.PLUS)) return;
    if ((g & Gap.CLOSE) && parenK != k - 1) return;
    kinds |= g & (Gap.DASH | Gap.DOT | Gap.SLASH);
  }
  if (popcnt(kinds) > 1) return;
  if (parenK == ng - 1) {
    if (ng > 1) return;
    parenK = -1; // "(4155552671)": the parentheses wrap the number, they are not part of it
  }
  const p = c.ptr();
  const n = c.n;
  if (allSame(p, n)) return;
  c.phoneStart = parenK == 0 ? c.sOpen : c.sPlain;

  if (c.plus) {
    // International with '+': drop a "(0)" trunk digit after the country code.
    const d = changetype<usize>(DIGITS);
    let w = 0;
    let r = 0;
    for (let k = 0; k < ng; k++) {
      const l = c.len(k);
      const trunk = k == parenK && k > 0 && l == 1 && c.charAt(r) == Digit.ZERO;
      for (let i = 0; i < l; i++) {
        if (!trunk) store<u8>(d + <usize>(w++), c.charAt(r));
        r++;
      }
    }
    if (w < 8 || w > 15) return; // E.164 §6: at most 15 digits
    if (!international(d, w)) return;
    c.phoneStart = outer ? c.sPlus : c.sPrefix;
    c.accept(PiiCode.PHONE, ng > 1 ? 0.75 : 0.65);
    return;
  }
  const d0 = c.charAt(0);
  const d1 = c.charAt(1);
  if (d0 == Digit.ZERO && d1 == Digit.ZERO) {
    // "00" international call prefix (ITU-T E.164 §5), written in groups with the country
    // code in the first one: "0044 20 7946 0958" (bare 00… runs are too often other ids)
    if (ng > 1 && c.len(0) <= 5 && n >= 10 && n <= 17 && international(p + 2, n - 2)) c.accept(PiiCode.PHONE, 0.5);
    return;
  }
  if (n == 10 || (n == 11 && d0 == Digit.ONE)) {
    // NANP: 3-3-4 (paren only around the area code), optionally after a "1" group.
    const lead = n - 10;
    const nanp = nanpValid(p + <usize>lead, 10);
    if (nanp) {
      if (ng == 1) {
        c.accept(PiiCode.PHONE, 0.4);
        return;
      }
      const off = ng - 3;
      const layout = (ng == 3 && lead == 0) || (ng == 4 && lead == 1 && c.len(0) == 1);
      if (layout && c.len(off) == 3 && c.len(off + 1) == 3 && c.len(off + 2) == 4 && (parenK < 0 || parenK == off)) {
        const spacesOnly = parenK < 0 && kinds == 0;
        c.accept(PiiCode.PHONE, spacesOnly ? 0.6 : 0.7);
        return;
      }
    }
  }
  if (d0 == Digit.ZERO) {
    // National with trunk prefix 0 (GB, DE, FR, IN …): area code group first.
    if (ng == 1) {
      if (n == 11) c.accept(PiiCode.PHONE, 0.35);
      return;
    }
    if (n < 10 || n > 12 || parenK > 0) return;
    const area = c.len(0);
    if (area < 2 || area > 5) return;
    // pairs only in the French 5 × 2 layout (a MAC "01-23-45-67-89-10" has pairs too)
    if (area == 2 && c.blocksOf(2) && c.len(ng - 1) == 2 && n != 10) return;
    for (let k = 1; k < ng; k++) {
      if (c.len(k) < 2) return;
      // '/' only after the area code ("030/1234567"), never between later groups
      if (k > 1 && (c.gapAt(k) & Gap.SLASH)) return;
    }
    c.accept(PiiCode.PHONE, 0.45);
    return;
  }
  // India mobile without trunk: "98765 43210".
  if (n == 10 && <i32>d0 >= Digit.SIX && <i32>d0 <= Digit.NINE && c.shape(5, 5) && c.gapAt(1) == Gap.SP) {
    c.accept(PiiCode.PHONE, 0.4);
  }
}

/** Country code plausible for the n digits at p; NANP numbers also pass nanpValid. */
function international(p: usize, n: i32): bool {
  const cc = phoneCountryCodeLength(p, n);
  if (cc == 0) return false;
  if (load<u8>(p) == Digit.ONE && cc == 1) return n == 11 && nanpValid(p + 1, 10);
  return true;
}
