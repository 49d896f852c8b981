// The number run: the streaming machine behind every PII type written with digits
// (cards, phones, IBANs, national ids, IPv4). It reads the pattern view as GROUPS of
// letters/digits joined by short GAPS ("415" "-" "555" "-" "2671"), keeps the groups of
// the current run in a small buffer, and when the run ends (or grows past what one
// candidate can span) chooses candidates left to right, longest first, among group
// intervals, asking the format matchers which entity types each interval is.
//
// Rules that keep look-alikes out:
//  - a group glued to a word ("abc123", "order_4111…", "x@4155552671") is never part of
//    a digit entity: groups are whole words, and '_' or '@' poison them (and whatever a
//    '.', '-' or '/' joins to them next: "build_7.4155552671");
//  - a candidate is only cut out of a run at a space or a real boundary, never at '-',
//    '.', '/' or ':' ("550e8400-…-446655440000", "1.2.3.4.5", "2024-01-15" stay whole);
//  - a spaced candidate next to another spaced digit group of 3+ digits is refused
//    ("4111 1111 1111 1112" is not a 4-4-4 Aadhaar plus a stray "1112").
// Letters enter a run only where an entity has them: a 1-2 letter prefix then a space
// ("AB 12 34 56 C"), a one-letter suffix ("12345678-Z"), or the blocks of an IBAN
// ("GB82 WEST 1234 …"); anything else ends the run.
//
// Memory: bytes, their original spans and group records live in fixed arrays; a run
// never holds more than MAX_CANDIDATE_BYTES + one gap + one group before its front is
// resolved, so CAP bytes always suffice and no byte allocates.
import { NONE } from "../../constants";
import { ByteClass, upper } from "./chars";
import { Candidate, Gap, GroupFlag, MAX_CANDIDATE_BYTES, MAX_GROUP, MAX_SPAN, SEP_KINDS } from "./candidate";
import { PiiCode } from "./codes";
import { PiiOut } from "./out";
import { matchDottedQuad, matchNumeric } from "./numeric";
import { matchPhone } from "./phone";
import { matchAlnum } from "./alnum";

const CAP = 128;
const MAX_GROUPS = 16;
/** Longest digit group: a bare 19-digit card number. */
const MAX_DIGIT_GROUP = 19;
/** A codice fiscale may be all letters (omocodia replaces digits): 16 leading letters. */
const MAX_LEAD_LETTERS = 16;
/** Longest letters-and-digits group after the first outside an IBAN ("123612C" of a NINO). */
const MAX_MIXED_TAIL = 8;

const enum Mode {
  IDLE = 0,
  GROUP = 1,
  GAP = 2,
}

/** What the group being read is. */
const enum Cur {
  LIVE = 0, // in the run buffer
  WORD = 1, // letters that cannot be part of an entity: ignored, joins nothing
  GLUED = 2, // a word with digits or '_'/'@': ignored, and glues what '.', '-', '/' join to it
}

// @ts-ignore: decorator
@inline function isWordByte(c: ByteClass): bool {
  return <u32>(c - ByteClass.DIGIT) < 4 || c == ByteClass.AT; // DIGIT UPPER LOWER UNDERSCORE, '@'
}

// @ts-ignore: decorator
@inline function isGapByte(c: ByteClass): bool {
  return <u32>(c - ByteClass.SPACE) < 8; // SPACE DASH DOT SLASH COLON OPEN CLOSE PLUS
}

/** The gap bit of a gap byte (same order as ByteClass SPACE..PLUS). */
// @ts-ignore: decorator
@inline function gapBit(c: ByteClass): u32 {
  return <u32>1 << (c - ByteClass.SPACE);
}

/** A candidate may begin or end at this gap: a real boundary or a plain space. */
// @ts-ignore: decorator
@inline function cuttable(g: u32): bool {
  return (g & Gap.BOUND) != 0 || (g & (SEP_KINDS | Gap.BOUND)) == Gap.SP;
}

// @ts-ignore: decorator
@inline function pureSpace(g: u32): bool {
  return (g & (SEP_KINDS | Gap.OPEN | Gap.CLOSE)) == Gap.SP;
}

export class NumberRun {
  private chars: StaticArray<u8> = new StaticArray<u8>(CAP);
  private ss: StaticArray<u32> = new StaticArray<u32>(CAP);
  private es: StaticArray<u32> = new StaticArray<u32>(CAP);
  private n: i32 = 0;
  // completed groups of the run: start index, length, GroupFlag bits, gap before;
  // gb[ng] is the gap after the last group once the run (or a front) is resolved
  private gs: StaticArray<i32> = new StaticArray<i32>(MAX_GROUPS);
  private gl: StaticArray<i32> = new StaticArray<i32>(MAX_GROUPS);
  private gf: StaticArray<u32> = new StaticArray<u32>(MAX_GROUPS);
  private gb: StaticArray<u32> = new StaticArray<u32>(MAX_GROUPS + 1);
  private ng: i32 = 0;
  private mode: Mode = Mode.IDLE;
  // the group being read
  private cur: Cur = Cur.LIVE;
  private curStart: i32 = 0;
  private curLen: i32 = 0;
  private curFlags: u32 = 0;
  private curLead: i32 = 0;
  private curGap: u32 = 0;
  // the gap being read
  private gap: u32 = 0;
  private gapLen: i32 = 0;
  /** A '(' opened before the last group and no ')' has closed it yet. */
  private parenOpen: bool = false;
  /** The previous bytes were a GLUED word and '.', '-' or '/': the next group is glued. */
  private link: bool = false;
  /** Group 0 is "LLDD": the run may be an IBAN in blocks of 4, letter blocks allowed. */
  private ibanish: bool = false;
  /** Last group index that an emitted candidate covered (-1: none). */
  private lastConsumed: i32 = -1;
  /** The group before group 0 (resolved away) had 3+ digits and was not emitted. */
  private leftDigits: bool = false;
  private cand: Candidate = new Candidate();

  reset(): void {
    this.clearRun();
    this.mode = Mode.IDLE;
    this.link = false;
  }

  /** In the start state: no run, no glued word before (pii_matcher.ts relies on it). */
  // @ts-ignore: decorator
  @inline idle(): bool {
    return this.mode == Mode.IDLE && this.n == 0 && !this.link;
  }

  /** Original start of the run's first byte, NONE when no run is held. */
  pending(): u32 {
    return this.n > 0 ? unchecked(this.ss[0]) : NONE;
  }

  /** Restricts the format matchers to the entities the policy detects (bit per code). */
  setEnabled(mask: u32): void {
    this.cand.enabled = mask;
  }

  feed(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut, inIpv6: bool): void {
    if (this.n > 0 && e - unchecked(this.ss[0]) > out.maxHold) this.overflow(out);
    if (this.mode == Mode.GROUP) {
      if (isWordByte(c)) {
        this.groupByte(b, c, s, e, out);
        return;
      }
      this.endGroup(c, out);
      if (this.mode == Mode.GAP && isGapByte(c)) {
        this.gapByte(b, c, s, e, out);
        return;
      }
      if (this.mode == Mode.GAP) {
        this.endRun(Gap.BOUND, out); // OTHER after a group
        this.mode = Mode.IDLE;
      } else if (c == ByteClass.PLUS || c == ByteClass.OPEN) {
        this.idleByte(b, c, s, e, out, inIpv6); // "word(415) …": the '(' may still lead
      }
      return;
    }
    if (this.mode == Mode.GAP) {
      if (isWordByte(c)) this.startGroup(b, c, s, e, out, inIpv6);
      else if (isGapByte(c)) this.gapByte(b, c, s, e, out);
      else {
        this.endRun(Gap.BOUND | this.gap, out);
        this.mode = Mode.IDLE;
      }
      return;
    }
    this.idleByte(b, c, s, e, out, inIpv6);
  }

  finish(out: PiiOut): void {
    if (this.mode == Mode.GROUP) this.endGroup(ByteClass.OTHER, out);
    if (this.mode == Mode.GAP) this.endRun(Gap.BOUND | this.gap, out);
    this.reset();
  }

  // ---- reading --------------------------------------------------------------------

  private idleByte(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut, inIpv6: bool): void {
    if (isWordByte(c)) {
      this.startGroup(b, c, s, e, out, inIpv6);
    } else if (c == ByteClass.PLUS || c == ByteClass.OPEN) {
      // "+44 …", "(415) …": a prefix that only a phone uses
      this.clearRun();
      this.push(b, s, e);
      this.gap = Gap.BOUND | gapBit(c);
      this.gapLen = 1;
      this.parenOpen = c == ByteClass.OPEN;
      this.mode = Mode.GAP;
      this.link = false;
    } else {
      this.link = false;
    }
  }

  private startGroup(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut, inIpv6: bool): void {
    this.mode = Mode.GROUP;
    this.curLen = 0;
    this.curFlags = 0;
    this.curLead = 0;
    const fromGap = this.n > 0;
    if (!fromGap) {
      if (this.link) {
        this.link = false;
        this.cur = Cur.GLUED;
        return;
      }
      this.curGap = Gap.BOUND | (inIpv6 ? Gap.V6 : 0);
    } else {
      this.curGap = this.gap;
      if (this.ng == 0) {
        this.curGap |= inIpv6 ? Gap.V6 : 0; // after a prefix
      } else if (this.ng == 1 && !(unchecked(this.gf[0]) & GroupFlag.DIGIT) && this.gap != Gap.SP) {
        // a letter prefix ("AB") only leads a NINO when a single space follows: the run
        // ends before this gap (a 16-letter codice fiscale is final there, as after a
        // word in kill()), but a '(' that ends the gap still opens the number, as it
        // would after a longer word: "to (415) 555-2671" is "not (415) 555-2671"
        const last = this.n - 1;
        const ob = unchecked(this.chars[last]);
        const os = unchecked(this.ss[last]);
        const oe = unchecked(this.es[last]);
        const open = (this.gap & Gap.OPEN) != 0;
        this.endRun(Gap.BOUND | this.gap, out);
        if (open) {
          this.push(ob, os, oe);
          this.gap = Gap.BOUND | Gap.OPEN;
          this.gapLen = 1;
          this.parenOpen = true;
          this.curGap = this.gap | (inIpv6 ? Gap.V6 : 0);
        } else {
          this.curGap = Gap.BOUND;
        }
      }
    }
    this.cur = Cur.LIVE;
    this.curStart = this.n;
    this.groupByte(b, c, s, e, out);
  }

  private groupByte(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut): void {
    const glue = c == ByteClass.UNDERSCORE || c == ByteClass.AT;
    if (this.cur != Cur.LIVE) {
      if (glue || c == ByteClass.DIGIT) this.cur = Cur.GLUED;
      return;
    }
    if (glue) {
      this.curFlags |= GroupFlag.GLUE;
      this.kill(false, out);
      return;
    }
    const letter = c != ByteClass.DIGIT;
    if (this.curLen == 0 && letter) this.curFlags |= GroupFlag.LEAD_LETTER;
    if (letter) {
      this.curFlags |= GroupFlag.LETTER;
      if (!(this.curFlags & GroupFlag.DIGIT)) this.curLead++;
    } else {
      this.curFlags |= GroupFlag.DIGIT;
    }
    this.push(letter ? upper(b) : b, s, e);
    this.curLen++;
    if (!this.admissible(this.ng, false)) this.kill(false, out);
  }

  /** May the group read so far (or, when final, the whole group) be group k of a run? */
  private admissible(k: i32, final: bool): bool {
    const len = this.curLen;
    const f = this.curFlags;
    if (f & GroupFlag.GLUE) return false;
    if (k == 0) {
      if (!(f & GroupFlag.LETTER)) return len <= MAX_DIGIT_GROUP;
      // letters only: a NINO prefix ("AB 12 …") or an omocodia codice fiscale
      if (!(f & GroupFlag.DIGIT)) return final ? len <= 2 || len == MAX_LEAD_LETTERS : len <= MAX_LEAD_LETTERS;
      return len <= MAX_GROUP && this.curLead <= MAX_LEAD_LETTERS;
    }
    // after a country code, long digit blocks of national IBAN layouts: "ME 2551…1246"
    const maxDigits = unchecked(this.gf[0]) & GroupFlag.LEAD_LETTER ? MAX_GROUP : MAX_DIGIT_GROUP;
    if (this.ibanish) return (f & GroupFlag.LETTER) ? len <= 4 && (this.curGap & Gap.SP) != 0 : len <= maxDigits;
    if (f & GroupFlag.LEAD_LETTER) return len == 1 && (this.curGap & (Gap.SP | Gap.DASH)) != 0;
    if (!(f & GroupFlag.LETTER)) return len <= maxDigits;
    return len <= MAX_MIXED_TAIL;
  }

  /** The current group ends (gap byte, OTHER byte or end of text). */
  private endGroup(next: ByteClass, out: PiiOut): void {
    if (this.cur != Cur.LIVE) {
      this.mode = Mode.IDLE;
      this.link = this.cur == Cur.GLUED && (next == ByteClass.DOT || next == ByteClass.DASH || next == ByteClass.SLASH);
      return;
    }
    if (!this.admissible(this.ng, true)) {
      this.kill(true, out);
      this.mode = Mode.IDLE;
      this.link = this.cur == Cur.GLUED && (next == ByteClass.DOT || next == ByteClass.DASH || next == ByteClass.SLASH);
      if (this.n > 0) this.endGroup(next, out); // restarted as group 0 of a new run: close it too
      return;
    }
    const k = this.ng;
    unchecked((this.gs[k] = this.curStart));
    unchecked((this.gl[k] = this.curLen));
    unchecked((this.gf[k] = this.curFlags & (GroupFlag.DIGIT | GroupFlag.LETTER | GroupFlag.LEAD_LETTER)));
    unchecked((this.gb[k] = this.curGap));
    this.ng = k + 1;
    if (k == 0) this.ibanish = this.curLen == 4 && this.curLead == 2;
    unchecked((this.gb[k + 1] = 0)); // the gap after it is not known yet: no cut there
    this.resolveFront(out);
    this.mode = Mode.GAP;
    this.gap = 0;
    this.gapLen = 0;
  }

  private gapByte(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut): void {
    const bit = gapBit(c);
    let ok = false;
    if (this.ng == 0) {
      ok = (bit == Gap.PLUS || bit == Gap.OPEN) && !(this.gap & bit); // "+(", "(+"
      if (bit == Gap.OPEN) this.parenOpen = true;
    } else if (bit == Gap.CLOSE) {
      ok = this.gapLen == 0 && this.parenOpen;
      this.parenOpen = false;
    } else if (bit == Gap.OPEN) {
      ok = !(this.gap & Gap.OPEN);
      this.parenOpen = true;
    } else if (bit != Gap.PLUS) {
      ok = !(this.gap & (SEP_KINDS | Gap.OPEN));
    }
    if (this.gapLen == 0 && bit != Gap.CLOSE && bit != Gap.OPEN) this.parenOpen = false;
    if (ok) {
      this.gap |= bit;
      this.gapLen++;
      this.push(b, s, e);
      return;
    }
    // "4111--1111", "2671. Then": the run ends before this gap
    this.endRun(Gap.BOUND | this.gap, out);
    this.mode = Mode.IDLE;
    this.idleByte(b, c, s, e, out, false);
  }

  /**
   * The group being read cannot be group ng of this run: resolve the run before it, then
   * let the group start a new run if it can lead one ("12 34 X1234567L": the NIE restarts).
   */
  private kill(final: bool, out: PiiOut): void {
    const f = this.curFlags;
    const digity = (f & (GroupFlag.DIGIT | GroupFlag.GLUE)) != 0;
    const spaced = (this.curGap & Gap.SP) != 0;
    const prevDigits = this.ng > 0 && (unchecked(this.gf[this.ng - 1]) & GroupFlag.DIGIT) != 0;
    const linked = !spaced && prevDigits;
    if (this.ng > 0) {
      // cut the run's tail where this group's gap began: a boundary after a space (or
      // after a letter word), none when '-', '.', '/' or ':' glues it to the run's digits
      // ("01-23-45-67-89-AB" is a MAC, not a phone and two letters)
      this.n = unchecked(this.gs[this.ng - 1]) + unchecked(this.gl[this.ng - 1]);
      this.endRun(spaced || !prevDigits ? this.curGap | Gap.BOUND : this.curGap, out);
    }
    if ((f & GroupFlag.GLUE) || linked) {
      this.clearRun();
      this.cur = digity ? Cur.GLUED : Cur.WORD;
      return;
    }
    // restart as group 0 of a fresh run
    const from = this.curStart;
    const len = this.curLen;
    this.clearRun();
    memory.copy(changetype<usize>(this.chars), changetype<usize>(this.chars) + <usize>from, <usize>len);
    memory.copy(changetype<usize>(this.ss), changetype<usize>(this.ss) + (<usize>from << 2), <usize>len << 2);
    memory.copy(changetype<usize>(this.es), changetype<usize>(this.es) + (<usize>from << 2), <usize>len << 2);
    this.n = len;
    this.curStart = 0;
    this.curGap = Gap.BOUND;
    if (this.admissible(0, final)) {
      this.cur = Cur.LIVE;
      if (final) this.n = len; // endGroup() pushes it as group 0
    } else {
      this.n = 0;
      this.cur = digity ? Cur.GLUED : Cur.WORD;
    }
  }

  // @ts-ignore: decorator
  @inline private push(b: u8, s: u32, e: u32): void {
    const i = this.n;
    unchecked((this.chars[i] = b));
    unchecked((this.ss[i] = s));
    unchecked((this.es[i] = e));
    this.n = i + 1;
  }

  private overflow(out: PiiOut): void {
    out.overflow(unchecked(this.ss[0]));
    this.clearRun();
    if (this.mode == Mode.GROUP) this.cur = Cur.GLUED; // the rest of this word is ignored
    else this.mode = Mode.IDLE;
    this.link = false;
  }

  private clearRun(): void {
    this.n = 0;
    this.ng = 0;
    this.gap = 0;
    this.gapLen = 0;
    this.parenOpen = false;
    this.ibanish = false;
    this.lastConsumed = -1;
    this.leftDigits = false;
  }

  // ---- resolving --------------------------------------------------------------------

  /** The run ends; `tail` is the gap after its last group. */
  private endRun(tail: u32, out: PiiOut): void {
    const ng = this.ng;
    if (ng > 0) {
      unchecked((this.gb[ng] = tail));
      let i = 0;
      while (i < ng) {
        i = cuttable(unchecked(this.gb[i])) ? this.resolveStart(i, ng - 1, out) : i + 1;
      }
    }
    this.clearRun();
  }

  /**
   * After a group is added: while no candidate starting at group 0 can reach the last
   * group (too many groups or bytes), the candidates at group 0 are final — resolve them
   * and drop what they covered. Keeps the run within CAP and MAX_GROUPS.
   */
  private resolveFront(out: PiiOut): void {
    while (this.ng > 1) {
      const last = this.ng - 1;
      const span = unchecked(this.gs[last]) + unchecked(this.gl[last]) - this.firstByte(0);
      if (this.ng <= MAX_SPAN && span <= MAX_CANDIDATE_BYTES) return;
      const next = cuttable(unchecked(this.gb[0])) ? this.resolveStart(0, last - 1, out) : 1;
      this.dropFront(next);
    }
  }

  /** Buffer index where a candidate starting at group i begins ('+'/'(' included). */
  // @ts-ignore: decorator
  @inline private firstByte(i: i32): i32 {
    const g = unchecked(this.gb[i]);
    if (i == 0 && (g & Gap.PLUS)) return 0;
    return unchecked(this.gs[i]) - (g & Gap.OPEN ? 1 : 0);
  }

  private dropFront(k: i32): void {
    const dropped = k - 1;
    this.leftDigits = unchecked(this.gf[dropped]) == GroupFlag.DIGIT && unchecked(this.gl[dropped]) >= 3 &&
      dropped > this.lastConsumed;
    const first = this.firstByte(k);
    const len = this.n - first;
    memory.copy(changetype<usize>(this.chars), changetype<usize>(this.chars) + <usize>first, <usize>len);
    memory.copy(changetype<usize>(this.ss), changetype<usize>(this.ss) + (<usize>first << 2), <usize>len << 2);
    memory.copy(changetype<usize>(this.es), changetype<usize>(this.es) + (<usize>first << 2), <usize>len << 2);
    this.n = len;
    const ng = this.ng - k;
    for (let g = 0; g < ng; g++) {
      unchecked((this.gs[g] = this.gs[g + k] - first));
      unchecked((this.gl[g] = this.gl[g + k]));
      unchecked((this.gf[g] = this.gf[g + k]));
      unchecked((this.gb[g] = this.gb[g + k] & ~Gap.PLUS));
    }
    this.ng = ng;
    this.lastConsumed -= k;
    this.ibanish = false;
  }

  /** Emits the longest candidate starting at group i (ending by maxJ); returns the next start. */
  private resolveStart(i: i32, maxJ: i32, out: PiiOut): i32 {
    const jMax = min(maxJ, i + MAX_SPAN - 1);
    for (let j = jMax; j >= i; j--) {
      const endGap = unchecked(this.gb[j + 1]);
      let ipOnly = false;
      if (!cuttable(endGap)) {
        // "10.0.0.1:8080", "10.0.0.1/24": only an IPv4 may end at a port or prefix length
        const sep = endGap & (SEP_KINDS | Gap.OPEN | Gap.CLOSE);
        if (sep != Gap.COLON && sep != Gap.SLASH) continue;
        ipOnly = true;
      }
      if (this.crowded(i, j)) continue;
      if (this.classify(i, j, ipOnly)) {
        // "10.0.0.0/8": the prefix length belongs to the address
        const end = ipOnly && (endGap & Gap.SLASH) && this.prefixLength(j + 1) ? j + 1 : j;
        this.emit(i, end, out);
        this.lastConsumed = end;
        return end + 1;
      }
    }
    return i + 1;
  }

  /** Group k is an IPv4 prefix length (0-32) that ends where a candidate may end. */
  private prefixLength(k: i32): bool {
    if (k >= this.ng || unchecked(this.gf[k]) != GroupFlag.DIGIT || !cuttable(unchecked(this.gb[k + 1]))) return false;
    const at = unchecked(this.gs[k]);
    const l = unchecked(this.gl[k]);
    if (l > 2) return false;
    let v: u32 = 0;
    for (let i = 0; i < l; i++) v = v * 10 + (<u32>unchecked(this.chars[at + i]) - 0x30);
    return v <= 32;
  }

  /** A spaced candidate with a spaced 3+ digit group beside it is a piece of a longer number. */
  private crowded(i: i32, j: i32): bool {
    let spaced = false;
    for (let k = i + 1; k <= j; k++) if (unchecked(this.gb[k]) & Gap.SP) spaced = true;
    if (!spaced || (unchecked(this.gb[i]) & Gap.PLUS)) return false;
    if (pureSpace(unchecked(this.gb[i]))) {
      const left = i > 0
        ? unchecked(this.gf[i - 1]) == GroupFlag.DIGIT && unchecked(this.gl[i - 1]) >= 3 && i - 1 > this.lastConsumed
        : this.leftDigits;
      if (left) return true;
    }
    const r = j + 1;
    return r < this.ng && pureSpace(unchecked(this.gb[r])) && unchecked(this.gf[r]) == GroupFlag.DIGIT &&
      unchecked(this.gl[r]) >= 3;
  }

  /** Fills the candidate for groups i..j and runs the format matchers; true if any type fits. */
  private classify(i: i32, j: i32, ipOnly: bool): bool {
    const first = this.firstByte(i);
    const endByte = unchecked(this.gs[j]) + unchecked(this.gl[j]);
    if (endByte - first > MAX_CANDIDATE_BYTES) return false;
    const c = this.cand;
    c.clear();
    const norm = changetype<usize>(c.norm);
    const chars = changetype<usize>(this.chars);
    let w = 0;
    for (let k = i; k <= j; k++) {
      const at = unchecked(this.gs[k]);
      const l = unchecked(this.gl[k]);
      memory.copy(norm + <usize>w, chars + <usize>at, <usize>l);
      w += l;
      unchecked((c.glen[k - i] = l));
      unchecked((c.gflag[k - i] = this.gf[k]));
      unchecked((c.gap[k - i] = this.gb[k]));
      if (unchecked(this.gf[k]) != GroupFlag.DIGIT) c.allDigits = false;
    }
    unchecked((c.gap[j - i + 1] = this.gb[j + 1]));
    c.n = w;
    c.ng = j - i + 1;
    const g0 = unchecked(this.gb[i]);
    c.plus = (g0 & Gap.PLUS) != 0;
    const start = unchecked(this.gs[i]);
    c.sPlain = unchecked(this.ss[start]);
    c.sOpen = g0 & Gap.OPEN ? unchecked(this.ss[start - 1]) : c.sPlain;
    c.sPrefix = unchecked(this.ss[first]);
    c.sPlus = c.plus && unchecked(this.chars[first]) == 0x28 ? unchecked(this.ss[first + 1]) : c.sPrefix; // "(+"
    c.phoneStart = c.sPlain;
    if (ipOnly) {
      matchDottedQuad(c);
    } else {
      matchNumeric(c);
      matchDottedQuad(c);
      matchPhone(c);
      matchAlnum(c);
    }
    return c.found != 0;
  }

  private emit(i: i32, j: i32, out: PiiOut): void {
    const c = this.cand;
    const end = unchecked(this.es[this.gs[j] + this.gl[j] - 1]);
    let found = c.found;
    while (found) {
      const code = <i32>ctz(found);
      found &= found - 1;
      const start = code == PiiCode.PHONE ? c.phoneStart : c.sPlain;
      out.emit(code, start, end, unchecked(c.scores[code]));
    }
  }
}
