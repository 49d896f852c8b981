// One candidate span of a number run, as the format matchers see it: a few groups of
// letters/digits (the separators between them removed) plus what separated them. The
// run fills it, the matchers (numeric.ts, phone.ts, alnum.ts) accept entity codes on it.
//
//   text    "+1 (415) 555-2671"
//   groups   1    415   555  2671          norm = "14155552671", glen = [1, 3, 3, 4]
//   gap[k]  PLUS|BOUND  SP|OPEN  CLOSE|SP  DASH   BOUND     gap[0] before group 0,
//                                                            gap[ng] after the last group
import { PII_CODE_COUNT } from "./codes";

/** Separator bits: what stood between two groups (gap masks). */
export const enum Gap {
  SP = 1,
  DASH = 2,
  DOT = 4,
  SLASH = 8,
  COLON = 16,
  OPEN = 32, // '(' before the next group
  CLOSE = 64, // ')' after the previous group
  PLUS = 128, // '+' before the run's first group
  BOUND = 256, // a real boundary: start or end of the run
  V6 = 512, // the run started inside an IPv6 text ("::ffff:10.0.0.1")
}

/** Gap bits that are single separators. */
export const SEP_KINDS: u32 = Gap.SP | Gap.DASH | Gap.DOT | Gap.SLASH | Gap.COLON;
/** Candidate.sep(): the internal gaps differ or hold parentheses. */
export const SEP_MIXED: u32 = 0xffff;

/** Group content bits. */
export const enum GroupFlag {
  DIGIT = 1,
  LETTER = 2,
  GLUE = 4, // '_' or '@' inside: never part of an entity
  LEAD_LETTER = 8, // first character is a letter
}

/** Most groups one candidate spans: a 34-character IBAN printed in groups of 4. */
export const MAX_SPAN = 9;
/** Most bytes (separators included) from a candidate's first to its last byte. */
export const MAX_CANDIDATE_BYTES = 56;
/** Longest group any entity has (a compact IBAN). */
export const MAX_GROUP = 34;
/** Capacity of norm (characters without separators). */
const NORM_CAP = 64;

export class Candidate {
  /** Characters of the groups, separators removed, letters upper-cased. */
  norm: StaticArray<u8> = new StaticArray<u8>(NORM_CAP);
  n: i32 = 0;
  ng: i32 = 0;
  glen: StaticArray<i32> = new StaticArray<i32>(MAX_SPAN);
  gflag: StaticArray<u32> = new StaticArray<u32>(MAX_SPAN);
  gap: StaticArray<u32> = new StaticArray<u32>(MAX_SPAN + 1);
  /** Every group is digits only. */
  allDigits: bool = true;
  /** The run began with '+' and this candidate starts at its first group. */
  plus: bool = false;
  /** Original start of the first group, of the '(' just before it (or sPlain), of the run's prefix. */
  sPlain: u32 = 0;
  sOpen: u32 = 0;
  sPrefix: u32 = 0;
  /** Original start of the run's '+' (sPrefix unless the run opened with "(+"). */
  sPlus: u32 = 0;
  /** Where a PHONE finding starts (set by the phone matcher: it may include '+' or '('). */
  phoneStart: u32 = 0;
  /** Codes accepted on this span (bit per code) and their base scores. */
  found: u32 = 0;
  scores: StaticArray<f32> = new StaticArray<f32>(PII_CODE_COUNT);
  /** Codes the policy detects (bit per code): others are not even validated. */
  enabled: u32 = 0xffffffff;

  clear(): void {
    this.n = 0;
    this.ng = 0;
    this.allDigits = true;
    this.plus = false;
    this.found = 0;
  }

  // @ts-ignore: decorator
  @inline ptr(): usize {
    return changetype<usize>(this.norm);
  }

  // @ts-ignore: decorator
  @inline wants(code: i32): bool {
    return (this.enabled & (1 << code)) != 0;
  }

  accept(code: i32, score: f32): void {
    if (!this.wants(code)) return;
    this.found |= 1 << code;
    unchecked((this.scores[code] = score));
  }

  // @ts-ignore: decorator
  @inline len(k: i32): i32 {
    return unchecked(this.glen[k]);
  }

  // @ts-ignore: decorator
  @inline gapAt(k: i32): u32 {
    return unchecked(this.gap[k]);
  }

  // @ts-ignore: decorator
  @inline charAt(i: i32): u8 {
    return load<u8>(this.ptr() + <usize>i);
  }

  /**
   * The one separator kind used between all groups (0 for a single group), or SEP_MIXED
   * when they differ or any holds a parenthesis: "078-05-1120" → DASH, "693-09.4444" → mixed.
   */
  sep(): u32 {
    let kind: u32 = 0;
    for (let k = 1; k < this.ng; k++) {
      const g = this.gapAt(k);
      if (g & (Gap.OPEN | Gap.CLOSE | Gap.PLUS)) return SEP_MIXED;
      const s = g & SEP_KINDS;
      if (popcnt(s) != 1 || (kind != 0 && s != kind)) return SEP_MIXED;
      kind = s;
    }
    return kind;
  }

  /** True when the groups have exactly these lengths (trailing zeros = no more groups). */
  shape(a: i32, b: i32, c: i32 = 0, d: i32 = 0, e: i32 = 0): bool {
    const ng = this.ng;
    const want = c == 0 ? 2 : d == 0 ? 3 : e == 0 ? 4 : 5;
    if (ng != want) return false;
    if (this.len(0) != a || this.len(1) != b) return false;
    if (ng > 2 && this.len(2) != c) return false;
    if (ng > 3 && this.len(3) != d) return false;
    return ng < 5 || this.len(4) == e;
  }

  /** Groups of `size` except the last, which has 1..size: "4111 1111 1111 1111 111". */
  blocksOf(size: i32): bool {
    const last = this.ng - 1;
    for (let k = 0; k < last; k++) if (this.len(k) != size) return false;
    const l = this.len(last);
    return l >= 1 && l <= size;
  }
}
