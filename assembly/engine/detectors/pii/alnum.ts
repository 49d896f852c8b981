// Identifiers made of letters and digits, on a candidate whose letters are upper-cased:
//   IBAN            compact, or in blocks of 4 separated by single spaces (the printed form,
//                   ISO 13616-1 §5.4): "DE89 3704 0044 0532 0130 00"
//   UK_NINO         "AB123456C", "AB 12 34 56 C", "AB 123456 C", "PR 123612C"
//   ES_NIF / NIE    "12345678Z", "12345678-Z", "1111111G" (7 digits: a leading 0 is implied),
//                   "X1234567L", "Y8063915-Z"
//   SG_NRIC         "S1234567D"
//   IT_FISCAL_CODE  "RSSMRA85T10A562S"
// Each is accepted only when its validator (checksum / check letter) agrees.
import { ibanValid } from "../../validators/iban";
import { ninoValid } from "../../validators/uk_nino";
import { esNieValid, esNifValid } from "../../validators/es_nif";
import { sgNricValid } from "../../validators/sg_nric";
import { itFiscalCodeValid } from "../../validators/it_fiscal_code";
import { isDigit, isUpper } from "../../validators/ascii";
import { Candidate, Gap, SEP_MIXED } from "./candidate";
import { PiiCode } from "./codes";

const enum Char {
  ZERO = 0x30,
  X = 0x58,
  Z = 0x5a,
}

/** "1111111G" padded to the 8-digit form the NIF validator reads. */
const NIF = new StaticArray<u8>(9);

export function matchAlnum(c: Candidate): void {
  if (c.allDigits || c.plus) return;
  const p = c.ptr();
  const n = c.n;
  const ng = c.ng;
  const c0 = <u32>c.charAt(0);
  if (n >= 15 && n <= 34 && isUpper(c0) && isUpper(c.charAt(1)) && isDigit(c.charAt(2)) && isDigit(c.charAt(3))) {
    // Blocks of 4 are the standard; banks also print national layouts with spaces or
    // dashes ("ES91 2100 0418 45 0200051332"), which mod 97 still guards well.
    if (c.wants(PiiCode.IBAN) && ibanLayout(c) && ibanValid(p, n)) {
      c.accept(PiiCode.IBAN, ng == 1 || (c.sep() == Gap.SP && c.blocksOf(4)) ? 0.95 : 0.85);
    }
    return;
  }
  const sep = c.sep();
  if (sep == SEP_MIXED) return;
  if (ng == 1 && n == 16) {
    if (c.wants(PiiCode.IT_FISCAL_CODE) && itFiscalCodeValid(p, 16)) c.accept(PiiCode.IT_FISCAL_CODE, 0.9);
    return;
  }
  // A letter split off by '-' or a space: "12345678-Z", "Y8063915 Z".
  const letterTail = ng == 2 && c.len(1) == 1 && (sep == Gap.DASH || sep == Gap.SP);
  if (n == 9) {
    if (isUpper(c0) && isUpper(c.charAt(1)) && (ng == 1 || (sep == Gap.SP && ninoBreaks(c)))) {
      if (c.wants(PiiCode.UK_NINO) && ninoValid(p, 9)) c.accept(PiiCode.UK_NINO, ng == 1 ? 0.8 : 0.85);
      return;
    }
    if (c0 >= <u32>Char.X && c0 <= <u32>Char.Z && (ng == 1 || letterTail)) {
      if (c.wants(PiiCode.ES_NIE) && esNieValid(p, 9)) c.accept(PiiCode.ES_NIE, 0.8);
      return;
    }
    if (isUpper(c0) && ng == 1) {
      if (c.wants(PiiCode.SG_NRIC) && sgNricValid(p, 9)) c.accept(PiiCode.SG_NRIC, 0.8);
      return;
    }
    if (isDigit(c0) && (ng == 1 || letterTail)) {
      if (c.wants(PiiCode.ES_NIF) && esNifValid(p, 9)) c.accept(PiiCode.ES_NIF, 0.8);
    }
    return;
  }
  if (n == 8 && isDigit(c0) && (ng == 1 || letterTail) && c.wants(PiiCode.ES_NIF)) {
    const q = changetype<usize>(NIF);
    store<u8>(q, Char.ZERO);
    memory.copy(q + 1, p, 8);
    if (esNifValid(q, 9)) c.accept(PiiCode.ES_NIF, 0.6);
  }
}

/** Every gap inside the candidate is one space or one dash. */
function ibanLayout(c: Candidate): bool {
  for (let k = 1; k < c.ng; k++) {
    const g = c.gapAt(k);
    if (g != Gap.SP && g != Gap.DASH) return false;
  }
  return true;
}

/** NINO groups break only after the prefix and between digit pairs (positions 2, 4, 6, 8). */
function ninoBreaks(c: Candidate): bool {
  let at = 0;
  for (let k = 0; k < c.ng - 1; k++) {
    at += c.len(k);
    if (at & 1 || at < 2 || at > 8) return false;
  }
  return true;
}
