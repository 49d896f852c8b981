// Digit-only national identifiers, payment cards and dotted-quad IPv4 on a candidate.
// A candidate is accepted for a type only in that type's printed layouts, and only when
// the type's validator accepts its digits. Where one layout is several types (9 plain
// digits: SSN, ITIN, SIN, TFN, BSN, ABA) each passing type is accepted with a low base
// score; context words decide later. Scores: grouped layouts are far less ambiguous
// than a bare digit run, and a checksum of 1 in 10 weighs less than one of 1 in 97.
import { luhnValid } from "../../validators/luhn";
import { cardIssuerValid } from "../../validators/card";
import { usSsnValid } from "../../validators/us_ssn";
import { usItinValid } from "../../validators/us_itin";
import { caSinValid } from "../../validators/ca_sin";
import { auTfnValid } from "../../validators/au_tfn";
import { nlBsnValid } from "../../validators/nl_bsn";
import { abaRoutingValid } from "../../validators/us_aba";
import { nhsValid } from "../../validators/uk_nhs";
import { aadhaarValid } from "../../validators/in_aadhaar";
import { deTaxIdValid } from "../../validators/de_tax_id";
import { peselValid } from "../../validators/pl_pesel";
import { auAbnValid } from "../../validators/au_abn";
import { brCpfValid } from "../../validators/br_cpf";
import { ipv4Valid } from "../../validators/ip";
import { allSame } from "../../validators/ascii";
import { Candidate, Gap, SEP_MIXED } from "./candidate";
import { PiiCode } from "./codes";

/** Bare 9-digit runs: six types share them, most numbers of 9 digits are none of them.
 *  Below the default min_score (0.3) until a context word ("ssn", "sin", "routing") helps. */
const SCORE_BARE_9: f32 = 0.25;
/** Bare 11-digit runs with a weak check (IdNr, CPF). */
const SCORE_BARE: f32 = 0.3;
/** Bare runs whose check is mod 11 or holds a date (NHS, PESEL, ABN mod 89). */
const SCORE_BARE_STRONG: f32 = 0.4;

const QUAD = new StaticArray<u8>(16);

/** Accepts every digit-only type the candidate is (not IPv4: see matchDottedQuad). */
export function matchNumeric(c: Candidate): void {
  if (!c.allDigits || c.plus) return;
  const p = c.ptr();
  const n = c.n;
  if (allSame(p, n)) return; // "000000000", "1111 1111 1111": placeholders, whatever checksums say
  const sep = c.sep();
  const bare = c.ng == 1;
  if (n == 9) {
    const ssnLayout = bare || (c.shape(3, 2, 4) && (sep == Gap.DASH || sep == Gap.SP || sep == Gap.DOT));
    if (ssnLayout) {
      const s: f32 = bare ? SCORE_BARE_9 : sep == Gap.DASH ? 0.85 : 0.6;
      if (c.wants(PiiCode.US_SSN) && usSsnValid(p, 9)) c.accept(PiiCode.US_SSN, s);
      if (c.wants(PiiCode.US_ITIN) && usItinValid(p, 9)) c.accept(PiiCode.US_ITIN, s);
    }
    const threes = c.shape(3, 3, 3);
    if (bare || (threes && (sep == Gap.SP || sep == Gap.DASH))) {
      const s: f32 = bare ? SCORE_BARE_9 : 0.6;
      if (c.wants(PiiCode.CA_SIN) && caSinValid(p, 9)) c.accept(PiiCode.CA_SIN, s);
      if (c.wants(PiiCode.AU_TFN) && auTfnValid(p, 9)) c.accept(PiiCode.AU_TFN, bare ? SCORE_BARE_9 : 0.5);
    }
    // BSN: printed bare, "1234.56.782" or "123.456.782".
    if (bare || (c.shape(4, 2, 3) && sep != SEP_MIXED && sep != Gap.SLASH && sep != Gap.COLON) || (threes && sep == Gap.DOT)) {
      if (c.wants(PiiCode.NL_BSN) && nlBsnValid(p, 9)) c.accept(PiiCode.NL_BSN, bare ? SCORE_BARE_9 : 0.5);
    }
    // ABA: bare, or "0711-0130-7" (Presidio's grouped layout).
    if (bare || (c.shape(4, 4, 1) && sep == Gap.DASH)) {
      if (c.wants(PiiCode.US_ABA_ROUTING) && abaRoutingValid(p, 9)) c.accept(PiiCode.US_ABA_ROUTING, bare ? SCORE_BARE_9 : 0.6);
    }
  } else if (n == 10) {
    if (bare || (c.shape(3, 3, 4) && (sep == Gap.SP || sep == Gap.DASH))) {
      if (c.wants(PiiCode.UK_NHS) && nhsValid(p, 10)) c.accept(PiiCode.UK_NHS, bare ? SCORE_BARE_STRONG : 0.6);
    }
  } else if (n == 11) {
    if (bare) {
      if (c.wants(PiiCode.PL_PESEL) && peselValid(p, 11)) c.accept(PiiCode.PL_PESEL, SCORE_BARE_STRONG);
      if (c.wants(PiiCode.DE_TAX_ID) && deTaxIdValid(p, 11)) c.accept(PiiCode.DE_TAX_ID, SCORE_BARE);
      if (c.wants(PiiCode.AU_ABN) && auAbnValid(p, 11)) c.accept(PiiCode.AU_ABN, SCORE_BARE_STRONG);
      if (c.wants(PiiCode.BR_CPF) && brCpfValid(p, 11)) c.accept(PiiCode.BR_CPF, SCORE_BARE);
    } else if (c.shape(2, 3, 3, 3) && sep == Gap.SP) {
      // "51 824 753 556" (ABN as the ATO prints it) and "12 345 678 901" (IdNr on letters)
      if (c.wants(PiiCode.AU_ABN) && auAbnValid(p, 11)) c.accept(PiiCode.AU_ABN, 0.7);
      if (c.wants(PiiCode.DE_TAX_ID) && deTaxIdValid(p, 11)) c.accept(PiiCode.DE_TAX_ID, 0.6);
    } else if (c.shape(3, 3, 3, 2) && c.gapAt(1) == Gap.DOT && c.gapAt(2) == Gap.DOT && c.gapAt(3) == Gap.DASH) {
      if (c.wants(PiiCode.BR_CPF) && brCpfValid(p, 11)) c.accept(PiiCode.BR_CPF, 0.9); // "123.456.789-09"
    }
  } else if (n == 12) {
    // "3123:4567:8909" is written too, but not as a piece of a longer colon run (IPv6).
    const colonRun = sep == Gap.COLON && ((c.gapAt(0) | c.gapAt(3)) & (Gap.COLON | Gap.V6)) != 0;
    if (bare || (c.shape(4, 4, 4) && (sep == Gap.SP || sep == Gap.DASH || sep == Gap.COLON) && !colonRun)) {
      if (c.wants(PiiCode.IN_AADHAAR) && aadhaarValid(p, 12)) c.accept(PiiCode.IN_AADHAAR, bare ? SCORE_BARE_STRONG : 0.8);
    }
  }
  if (n >= 12 && n <= 19 && c.wants(PiiCode.CREDIT_CARD)) { // 12: Maestro's shortest
    // Layouts issuers print: bare, blocks of 4 (last block shorter), Amex 4-6-5, Diners 4-6-4.
    const grouped = !bare && (sep == Gap.SP || sep == Gap.DASH) &&
      ((c.ng >= 3 && c.blocksOf(4)) || c.shape(4, 6, 5) || c.shape(4, 6, 4));
    if ((bare || grouped) && cardIssuerValid(p, n) && luhnValid(p, n)) {
      c.accept(PiiCode.CREDIT_CARD, grouped ? 0.95 : 0.85);
    }
  }
}

/**
 * IPv4 in dotted-quad form: exactly four groups of 1-3 digits joined by dots. The run
 * never cuts a candidate at a dot, so "1.2.3.4.5" and "v1.2.3.4" cannot get here.
 */
export function matchDottedQuad(c: Candidate): void {
  if (!c.allDigits || c.plus || c.ng != 4 || c.sep() != Gap.DOT || !c.wants(PiiCode.IP_ADDRESS)) return;
  if (c.gapAt(0) & Gap.V6) return; // the tail of "::ffff:10.0.0.1": the IPv6 machine has it
  const q = changetype<usize>(QUAD);
  let w = 0;
  let r = 0;
  for (let k = 0; k < 4; k++) {
    const l = c.len(k);
    if (l > 3) return;
    if (k > 0) store<u8>(q + <usize>(w++), 0x2e);
    for (let i = 0; i < l; i++) store<u8>(q + <usize>(w++), c.charAt(r++));
  }
  if (ipv4Valid(q, w)) c.accept(PiiCode.IP_ADDRESS, 0.6);
}
