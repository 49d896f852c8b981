// RegexSet: every user pattern of a policy section run together, one byte at a time, in
// time linear in the input whatever the patterns — a Pike VM (Thompson's simulation
// with a start offset per thread), never backtracking.
//
// The program (layout drawn in ./program.ts) is one byte-level NFA per pattern, laid
// out one after the other; a thread is (pc, start index, start offset) and knows its
// pattern from its pc. Per byte:
//
//     threads after byte n-1          threads after byte n
//     (pcs not yet closed)            (pcs not yet closed)
//   ┌──────────────────────┐        ┌──────────────────────┐
//   │ cur                  │──A+B──▶│ nxt                  │──C──▶ emit / restart
//   └──────────────────────┘        └──────────────────────┘
//   A  closure at position n: follow SPLIT/JMP, test ASSERTs — they need the byte
//      before AND the byte after, which is only known now (or at finish) — and note
//      MATCHes (a match ending at n); patterns without a candidate also spawn here.
//   B  each CONSUME that takes byte n adds its target to nxt, once per pc: threads are
//      kept in start order per pattern, so the first to claim a pc has the earliest
//      start, which is all leftmost-longest needs from the threads sharing a pc.
//   C  a pattern's candidate (leftmost start, longest end so far) is final when none
//      of its threads is left (threads starting after the candidate are dropped at
//      once, and the pattern stops spawning): it is emitted and the pattern restarts
//      at the candidate's end by re-running the history from there (usually the one
//      byte that ended the match), so matches do not overlap.
//
// Work per byte is O(program size) (each pc is visited at most once per position);
// re-runs only happen for a pattern whose candidate waited on a longer competitor,
// and are bounded by maxHold. When no thread is alive the VM costs one table look-up
// per byte: a byte whose class can start no pattern is skipped.

import { NONE } from "../constants";
import { FindingSink } from "../sink";
import { Assert, Header, Op, REGEX_MAGIC, REGEX_VERSION } from "./program";

/** Stamps are cleared before they could wrap (a re-run bumps them once per byte). */
const STAMP_LIMIT: u32 = 0xf0000000;
/** Initial history ring size (bytes); it doubles when a candidate waits longer. */
const HISTORY_MIN: i32 = 256;

const enum Byte {
  LF = 0x0a,
  CR = 0x0d,
  ZERO = 0x30,
  UNDERSCORE = 0x5f,
  LOWER_A = 0x61,
}

// Word bytes for \b: [A-Za-z0-9_] and every non-ASCII byte, so that words of other
// scripts (whose UTF-8 bytes are all >= 0x80) count as words.
// @ts-ignore: decorator
@inline function isWordByte(b: i32): bool {
  return b >= 0x80 || <u32>((b | 0x20) - Byte.LOWER_A) < 26 || <u32>(b - Byte.ZERO) < 10 || b == Byte.UNDERSCORE;
}

// @ts-ignore: decorator
@inline function isLineEnd(b: i32): bool {
  return b == Byte.LF || b == Byte.CR;
}

// u32 array element access through a raw data pointer.
// @ts-ignore: decorator
@inline function ld(p: usize, i: u32): u32 { return load<u32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function st(p: usize, i: u32, v: u32): void { store<u32>(p + (<usize>i << 2), v); }

/** Which assertions hold between prev and next (-1 = start / end of text). */
// @ts-ignore: decorator
@inline function assertMask(prev: i32, next: i32): u32 {
  let m: u32 = 0;
  if (prev < 0) m |= (1 << Assert.SOT) | (1 << Assert.BOL);
  else if (isLineEnd(prev)) m |= 1 << Assert.BOL;
  if (next < 0) m |= (1 << Assert.EOT) | (1 << Assert.EOL);
  else if (isLineEnd(next)) m |= 1 << Assert.EOL;
  const pw = prev >= 0 && isWordByte(prev);
  const nw = next >= 0 && isWordByte(next);
  m |= pw != nw ? 1 << Assert.WB : 1 << Assert.NWB;
  return m;
}

export class RegexSet {
  /** Longest span (original offsets) a thread may cover before it is dropped. */
  maxHold: u32 = 4096;
  /** Closure steps taken since construction: a work counter for tests and benchmarks. */
  steps: u32 = 0;
  /** False when the section bytes were malformed (the set then matches nothing). */
  valid: bool = true;

  private insts: StaticArray<u32>;
  private sets: StaticArray<u32>;
  private classMap: StaticArray<u8> = new StaticArray<u8>(256);
  private startIndex: StaticArray<u32>;
  private startList: StaticArray<u32>;
  private patStart: StaticArray<u32>;
  private patFirst: StaticArray<u32>;
  private patType: StaticArray<u32>;
  private patScore: StaticArray<f32>;
  private pcPattern: StaticArray<u32>;

  // Thread lists, 3 words per thread (pc, start index, start offset), in four regions
  // of one array: cur and nxt swap after every byte, A and B serve re-runs. Regions are
  // word offsets, so swapping them stores no reference (no GC write barrier per byte).
  private threads: StaticArray<u32>;
  private cur: u32 = 0;
  private curN: i32 = 0;
  private nxt: u32 = 0;
  private scrA: u32 = 0;
  private scrB: u32 = 0;
  private scrOut: u32 = 0;
  private scrOutN: i32 = 0;
  private stack: StaticArray<u32>;
  // Visited marks: markC[pc] (closure) and markN[pc] (claimed in the target list) equal
  // `stamp` when set in the current pass; seenN[p] when pattern p has a thread there.
  private markC: StaticArray<u32>;
  private markN: StaticArray<u32>;
  private seenN: StaticArray<u32>;
  private stamp: u32 = 0;

  // Per-pattern candidate match: [start, end) as byte indices and original offsets.
  private candActive: StaticArray<u8>;
  private candSIdx: StaticArray<u32>;
  private candSOff: StaticArray<u32>;
  private candEIdx: StaticArray<u32>;
  private candEOff: StaticArray<u32>;
  private candList: StaticArray<u32>;
  private candCount: i32 = 0;

  // History ring (byte, start, end) from the oldest candidate's end on, for re-runs.
  private hb: StaticArray<u8> = new StaticArray<u8>(HISTORY_MIN);
  private hs: StaticArray<u32> = new StaticArray<u32>(HISTORY_MIN);
  private he: StaticArray<u32> = new StaticArray<u32>(HISTORY_MIN);
  private hmask: u32 = <u32>HISTORY_MIN - 1;

  private n: u32 = 0; //        index of the next byte
  private prevByte: i32 = -1; // byte n-1, or -1 at the start of text
  private prevE: u32 = 0; //    end offset of byte n-1

  // Closure context (the position being closed).
  private tgt: u32 = 0;
  private tgtN: i32 = 0;
  private ctxCls: i32 = -1; //   class of the byte to consume; -1 at end of text
  private ctxMask: u32 = 0;
  private ctxIdx: u32 = 0; //    position: a match found now ends here
  private ctxE: u32 = 0; //      end offset of the byte to consume (holdback check)
  private ctxPrevE: u32 = 0; //  end offset of a match found now
  private overflowMin: u32 = NONE; // earliest start of a thread dropped for maxHold

  // Raw data pointers of the arrays above (never reallocated, except the history ring,
  // whose pointers grow() refreshes). The hot loops use these rather than references,
  // so that the incremental runtime's shadow stack has nothing to spill per byte.
  private pInsts: usize = 0;
  private pSets: usize = 0;
  private pClassMap: usize = 0;
  private pStartIndex: usize = 0;
  private pStartList: usize = 0;
  private pPatStart: usize = 0;
  private pPcPattern: usize = 0;
  private pThreads: usize = 0;
  private pStack: usize = 0;
  private pMarkC: usize = 0;
  private pMarkN: usize = 0;
  private pSeenN: usize = 0;
  private pCandActive: usize = 0;
  private pCandSIdx: usize = 0;
  private pCandEIdx: usize = 0;
  private pCandList: usize = 0;
  private pHb: usize = 0;
  private pHs: usize = 0;
  private pHe: usize = 0;

  constructor(section: usize, len: i32) {
    let P = 0, N = 0, C = 1, W = 1, T = 0, L = 0;
    let ok = len >= Header.WORDS * 4 && load<u32>(section) == REGEX_MAGIC && load<u32>(section + 4) == REGEX_VERSION;
    if (ok) {
      P = <i32>load<u32>(section + (Header.PATTERNS << 2));
      N = <i32>load<u32>(section + (Header.INSTS << 2));
      C = <i32>load<u32>(section + (Header.CLASSES << 2));
      W = <i32>load<u32>(section + (Header.SET_WORDS << 2));
      T = <i32>load<u32>(section + (Header.SET_TABLE << 2));
      L = <i32>load<u32>(section + (Header.START_LIST << 2));
      const words = <i64>Header.WORDS + Header.CLASS_MAP_WORDS + C + 1 + L + <i64>P * Header.PATTERN_WORDS + T + (<i64>N << 1);
      ok = P >= 0 && N >= 0 && C >= 1 && C <= 256 && W == (C + 31) >> 5 && T >= 0 && L >= 0 && words * 4 <= <i64>len;
    }
    if (!ok) {
      P = 0; N = 0; C = 1; W = 1; T = 0; L = 0;
    }
    const cap = N > 0 ? N : 1;
    this.insts = new StaticArray<u32>(N << 1);
    this.sets = new StaticArray<u32>(T);
    this.startIndex = new StaticArray<u32>(C + 1);
    this.startList = new StaticArray<u32>(L);
    this.patStart = new StaticArray<u32>(P);
    this.patFirst = new StaticArray<u32>(P);
    this.patType = new StaticArray<u32>(P);
    this.patScore = new StaticArray<f32>(P);
    this.pcPattern = new StaticArray<u32>(cap);
    const region = <u32>cap * 3;
    this.threads = new StaticArray<u32>(cap * 12);
    this.nxt = region;
    this.scrA = region * 2;
    this.scrB = region * 3;
    this.stack = new StaticArray<u32>(cap);
    this.markC = new StaticArray<u32>(cap);
    this.markN = new StaticArray<u32>(cap);
    this.seenN = new StaticArray<u32>(P);
    this.candActive = new StaticArray<u8>(P);
    this.candSIdx = new StaticArray<u32>(P);
    this.candSOff = new StaticArray<u32>(P);
    this.candEIdx = new StaticArray<u32>(P);
    this.candEOff = new StaticArray<u32>(P);
    this.candList = new StaticArray<u32>(P);
    this.valid = ok && this.decode(section, P, N, C, W, T, L);
    this.pInsts = changetype<usize>(this.insts);
    this.pSets = changetype<usize>(this.sets);
    this.pClassMap = changetype<usize>(this.classMap);
    this.pStartIndex = changetype<usize>(this.startIndex);
    this.pStartList = changetype<usize>(this.startList);
    this.pPatStart = changetype<usize>(this.patStart);
    this.pPcPattern = changetype<usize>(this.pcPattern);
    this.pThreads = changetype<usize>(this.threads);
    this.pStack = changetype<usize>(this.stack);
    this.pMarkC = changetype<usize>(this.markC);
    this.pMarkN = changetype<usize>(this.markN);
    this.pSeenN = changetype<usize>(this.seenN);
    this.pCandActive = changetype<usize>(this.candActive);
    this.pCandSIdx = changetype<usize>(this.candSIdx);
    this.pCandEIdx = changetype<usize>(this.candEIdx);
    this.pCandList = changetype<usize>(this.candList);
    this.pHb = changetype<usize>(this.hb);
    this.pHs = changetype<usize>(this.hs);
    this.pHe = changetype<usize>(this.he);
  }

  /** Copies the section into the set's arrays and checks every index once. */
  private decode(section: usize, P: i32, N: i32, C: i32, W: i32, T: i32, L: i32): bool {
    let ok = true;
    let at = section + (Header.WORDS << 2);
    memory.copy(changetype<usize>(this.classMap), at, 256);
    at += Header.CLASS_MAP_WORDS << 2;
    memory.copy(changetype<usize>(this.startIndex), at, <usize>(C + 1) << 2);
    at += <usize>(C + 1) << 2;
    memory.copy(changetype<usize>(this.startList), at, <usize>L << 2);
    at += <usize>L << 2;
    const bases = new StaticArray<u32>(P + 1);
    for (let p = 0; p < P; p++) {
      unchecked((bases[p] = load<u32>(at)));
      unchecked((this.patStart[p] = load<u32>(at, 4)));
      unchecked((this.patFirst[p] = load<u32>(at, 8)));
      unchecked((this.patType[p] = load<u32>(at, 12)));
      unchecked((this.patScore[p] = load<f32>(at, 16)));
      at += Header.PATTERN_WORDS << 2;
    }
    unchecked((bases[P] = <u32>N));
    memory.copy(changetype<usize>(this.sets), at, <usize>T << 2);
    at += <usize>T << 2;
    memory.copy(changetype<usize>(this.insts), at, <usize>N << 3);

    // Check every index once here, so that the hot loops need no bounds checks.
    for (let c = 0; c < 256; c++) if (<i32>unchecked(this.classMap[c]) >= C) ok = false;
    for (let c = 0; c <= C; c++) if (unchecked(this.startIndex[c]) > <u32>L || (c > 0 && unchecked(this.startIndex[c]) < unchecked(this.startIndex[c - 1]))) ok = false;
    for (let k = 0; k < L; k++) if (unchecked(this.startList[k]) >= <u32>P) ok = false;
    for (let p = 0; p < P; p++) {
      const lo = unchecked(bases[p]), hi = unchecked(bases[p + 1]);
      if (lo > hi || hi > <u32>N || unchecked(this.patStart[p]) < lo || unchecked(this.patStart[p]) >= hi) { ok = false; break; }
      if (unchecked(this.patFirst[p]) + <u32>W > <u32>T) ok = false;
      for (let pc = lo; pc < hi; pc++) unchecked((this.pcPattern[pc] = <u32>p));
    }
    for (let pc = 0; pc < N && ok; pc++) {
      const w0 = unchecked(this.insts[pc << 1]), w1 = unchecked(this.insts[(pc << 1) + 1]);
      const arg = w0 >>> 4;
      switch (w0 & 0xf) {
        case Op.CONSUME: ok = arg + <u32>W <= <u32>T && w1 < <u32>N; break;
        case Op.SPLIT: ok = arg < <u32>N && w1 < <u32>N; break;
        case Op.JMP: ok = w1 < <u32>N; break;
        case Op.ASSERT: ok = arg <= <u32>Assert.NWB && w1 < <u32>N; break;
        case Op.MATCH: ok = arg < <u32>P; break;
        default: ok = false;
      }
    }
    // a pattern's pcs must stay inside its own range, or pcPattern would lie
    for (let pc = 0; pc < N && ok; pc++) {
      const w0 = unchecked(this.insts[pc << 1]), w1 = unchecked(this.insts[(pc << 1) + 1]);
      const p = unchecked(this.pcPattern[pc]);
      const op = w0 & 0xf;
      if (op != Op.MATCH && unchecked(this.pcPattern[w1]) != p) ok = false;
      if (op == Op.SPLIT && unchecked(this.pcPattern[w0 >>> 4]) != p) ok = false;
      if (op == Op.MATCH && w0 >>> 4 != p) ok = false;
    }
    if (!ok) {
      // match nothing: no pattern can start
      for (let c = 0; c <= C; c++) unchecked((this.startIndex[c] = 0));
    }
    return ok;
  }

  /** Forgets the text so far (threads, candidates, position). */
  reset(): void {
    this.curN = 0;
    for (let k = 0; k < this.candCount; k++) store<u8>(this.pCandActive + ld(this.pCandList, k), 0);
    this.candCount = 0;
    this.n = 0;
    this.prevByte = -1;
    this.prevE = 0;
  }

  /**
   * One byte of text whose original span is [s, e). Matches found are emitted into sink;
   * a thread outgrowing maxHold is dropped and reported with sink.overflow(start).
   */
  feed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const idx = this.n;
    const cls = <u32>load<u8>(this.pClassMap + b);
    const pStartIndex = this.pStartIndex;
    const k0 = ld(pStartIndex, cls), k1 = ld(pStartIndex, cls + 1);
    if (this.curN == 0 && this.candCount == 0 && k0 == k1) {
      // the common case: nothing alive, nothing can start at this byte
      this.prevByte = b;
      this.prevE = e;
      this.n = idx + 1;
      return;
    }
    if (this.stamp > STAMP_LIMIT) this.clearMarks();
    if (this.candCount > 0) this.keepHistory(idx);
    const hm = <usize>(idx & this.hmask);
    store<u8>(this.pHb + hm, b);
    store<u32>(this.pHs + (hm << 2), s);
    store<u32>(this.pHe + (hm << 2), e);
    this.ctxCls = <i32>cls;
    this.ctxMask = assertMask(this.prevByte, b);
    this.ctxIdx = idx;
    this.ctxE = e;
    this.ctxPrevE = this.prevE;
    this.stamp++;
    this.tgt = this.nxt;
    this.tgtN = 0;
    this.stepList(this.cur, this.curN);
    const pCandActive = this.pCandActive, pStartList = this.pStartList, pPatStart = this.pPatStart;
    for (let k = k0; k < k1; k++) {
      const p = ld(pStartList, k);
      if (load<u8>(pCandActive + p) == 0) this.addThread(ld(pPatStart, p), p, idx, s);
    }
    if (this.candCount > 0) this.resolve(idx, sink);
    const t = this.cur;
    this.cur = this.nxt;
    this.nxt = t;
    this.curN = this.tgtN;
    this.prevByte = b;
    this.prevE = e;
    this.n = idx + 1;
    if (this.overflowMin != NONE) this.reportOverflow(sink);
  }

  /** End of text: settles $ and \b at the end, emits every remaining match, and resets. */
  finish(sink: FindingSink): void {
    if (this.stamp > STAMP_LIMIT) this.clearMarks();
    const endMask = assertMask(this.prevByte, -1);
    const lastE = this.prevE;
    this.endContext(endMask, lastE);
    this.stepList(this.cur, this.curN);
    while (this.candCount > 0) {
      const p = ld(this.pCandList, --this.candCount);
      for (;;) {
        this.emitCandidate(p, sink);
        this.rescan(p, unchecked(this.candEIdx[p]), this.n - 1, sink);
        this.endContext(endMask, lastE);
        this.stepList(this.scrOut, this.scrOutN);
        if (load<u8>(this.pCandActive + p) == 0) break;
        this.removeCandidate(p);
      }
    }
    if (this.overflowMin != NONE) this.reportOverflow(sink);
    this.reset();
  }

  /** Earliest original offset at which a match still tracked may start; NONE if none. */
  pending(): u32 {
    let m = NONE;
    const pThreads = this.pThreads;
    for (let i = 0, o = this.cur + 2; i < this.curN; i++, o += 3) {
      const s = ld(pThreads, o);
      if (s < m) m = s;
    }
    for (let k = 0; k < this.candCount; k++) {
      const s = unchecked(this.candSOff[ld(this.pCandList, k)]);
      if (s < m) m = s;
    }
    return m;
  }

  // ── the VM ────────────────────────────────────────────────────────────────────────

  private reportOverflow(sink: FindingSink): void {
    sink.overflow(this.overflowMin);
    this.overflowMin = NONE;
  }

  private endContext(mask: u32, lastE: u32): void {
    this.ctxCls = -1;
    this.ctxMask = mask;
    this.ctxIdx = this.n;
    this.ctxE = lastE;
    this.ctxPrevE = lastE;
    this.stamp++;
    this.tgt = this.nxt;
    this.tgtN = 0;
  }

  /** Closes (and steps) every thread of a list, dropping those that lost to a candidate. */
  private stepList(list: u32, count: i32): void {
    const pPcPattern = this.pPcPattern, pCandActive = this.pCandActive, pCandSIdx = this.pCandSIdx;
    const pThreads = this.pThreads;
    for (let i = 0, o = list; i < count; i++, o += 3) {
      const pc = ld(pThreads, o);
      const sIdx = ld(pThreads, o + 1);
      const p = ld(pPcPattern, pc);
      if (load<u8>(pCandActive + p) != 0 && sIdx > ld(pCandSIdx, p)) continue;
      this.addThread(pc, p, sIdx, ld(pThreads, o + 2));
    }
  }

  /** Follows the epsilon closure of pc0 at the current position (A) and takes the byte (B). */
  private addThread(pc0: u32, p: u32, sIdx: u32, sOff: u32): void {
    const stamp = this.stamp;
    const pMarkC = this.pMarkC;
    if (ld(pMarkC, pc0) == stamp) return;
    st(pMarkC, pc0, stamp);
    // everything the loop reads, in locals (field reads cost a shadow-stack spill each)
    const pStack = this.pStack, pInsts = this.pInsts, pSets = this.pSets, pMarkN = this.pMarkN;
    const pThreads = this.pThreads, tgt = this.tgt;
    const cls = this.ctxCls, mask = this.ctxMask;
    const overHold = this.ctxE - sOff > this.maxHold; // this thread may not take one more byte
    let n = this.tgtN;
    let sp: u32 = 0;
    let steps = this.steps;
    st(pStack, sp++, pc0);
    while (sp > 0) {
      const pc = ld(pStack, --sp);
      steps++;
      const at = pInsts + (<usize>pc << 3);
      const w0 = load<u32>(at);
      const w1 = load<u32>(at, 4);
      const op = w0 & 0xf;
      if (op == Op.CONSUME) {
        if (cls < 0) continue; // end of text: nothing to take
        if (((ld(pSets, (w0 >>> 4) + (<u32>cls >>> 5)) >>> (<u32>cls & 31)) & 1) == 0) continue;
        if (ld(pMarkN, w1) == stamp) continue; // an earlier start holds that pc
        if (overHold) {
          if (sOff < this.overflowMin) this.overflowMin = sOff;
          continue;
        }
        st(pMarkN, w1, stamp);
        const o = tgt + <u32>n * 3;
        st(pThreads, o, w1);
        st(pThreads, o + 1, sIdx);
        st(pThreads, o + 2, sOff);
        n++;
        st(this.pSeenN, p, stamp);
      } else if (op == Op.SPLIT) {
        const x = w0 >>> 4;
        if (ld(pMarkC, w1) != stamp) {
          st(pMarkC, w1, stamp);
          st(pStack, sp++, w1);
        }
        if (ld(pMarkC, x) != stamp) {
          st(pMarkC, x, stamp);
          st(pStack, sp++, x);
        }
      } else if (op == Op.JMP || (op == Op.ASSERT && ((mask >>> (w0 >>> 4)) & 1) != 0)) {
        if (ld(pMarkC, w1) != stamp) {
          st(pMarkC, w1, stamp);
          st(pStack, sp++, w1);
        }
      } else if (op == Op.MATCH) {
        this.onMatch(p, sIdx, sOff);
      }
    }
    this.tgtN = n;
    this.steps = steps;
  }

  /** A thread of p that started at sIdx matches up to the current position. */
  // @ts-ignore: decorator
  @inline private onMatch(p: u32, sIdx: u32, sOff: u32): void {
    const eIdx = this.ctxIdx;
    const pCandSIdx = this.pCandSIdx, pCandEIdx = this.pCandEIdx;
    if (load<u8>(this.pCandActive + p) == 0) {
      store<u8>(this.pCandActive + p, 1);
      st(this.pCandList, <u32>this.candCount, p);
      this.candCount++;
      this.setCandidate(p, sIdx, sOff, eIdx);
    } else if (sIdx == ld(pCandSIdx, p)) {
      if (eIdx > ld(pCandEIdx, p)) { // longer
        st(pCandEIdx, p, eIdx);
        unchecked((this.candEOff[p] = this.ctxPrevE));
      }
    } else if (sIdx < ld(pCandSIdx, p)) {
      this.setCandidate(p, sIdx, sOff, eIdx); // more leftmost (later starts were dropped)
    }
  }

  private setCandidate(p: u32, sIdx: u32, sOff: u32, eIdx: u32): void {
    st(this.pCandSIdx, p, sIdx);
    st(this.pCandEIdx, p, eIdx);
    unchecked((this.candSOff[p] = sOff));
    unchecked((this.candEOff[p] = this.ctxPrevE));
  }

  /** Phase C after byte idx: emit the candidates whose pattern has no thread left. */
  private resolve(idx: u32, sink: FindingSink): void {
    const mainStamp = this.stamp;
    let i = 0;
    while (i < this.candCount) {
      const p = ld(this.pCandList, i);
      if (ld(this.pSeenN, p) == mainStamp) {
        i++;
        continue;
      }
      this.candCount--;
      st(this.pCandList, i, ld(this.pCandList, this.candCount));
      this.emitCandidate(p, sink);
      const main = this.tgt, mainN = this.tgtN;
      this.rescan(p, ld(this.pCandEIdx, p), idx, sink);
      this.tgt = main;
      this.tgtN = mainN;
      const got = this.scrOutN;
      if (got > 0) {
        // p had no thread in the main list, so its pcs are free there
        const base = this.pThreads;
        memory.copy(base + ((<usize>main + <usize>mainN * 3) << 2), base + (<usize>this.scrOut << 2), <usize>got * 12);
        this.tgtN = mainN + got;
        st(this.pSeenN, p, mainStamp);
      }
    }
    this.stamp++; // the re-runs used the marks; the caller's pass is over
  }

  /**
   * Re-runs pattern p alone over the history [from, last] (after a match of p ended at
   * `from`); leaves p's threads after byte `last` in scrOut. Matches settled during the
   * re-run are emitted, and the re-run restarts at their end.
   */
  private rescan(p: u32, from: u32, last: u32, sink: FindingSink): void {
    let a = this.scrA, b = this.scrB;
    let aN = 0;
    const start = unchecked(this.patStart[p]);
    const first = unchecked(this.patFirst[p]);
    const hmask = this.hmask;
    let i = from;
    while (i <= last) {
      const m = i & hmask;
      const byte = <i32>unchecked(this.hb[m]);
      const cls = <i32>unchecked(this.classMap[byte]);
      const pm = (i - 1) & hmask;
      this.ctxCls = cls;
      this.ctxMask = assertMask(i == 0 ? -1 : <i32>unchecked(this.hb[pm]), byte);
      this.ctxIdx = i;
      this.ctxE = unchecked(this.he[m]);
      this.ctxPrevE = i == 0 ? 0 : unchecked(this.he[pm]);
      this.stamp++;
      this.tgt = b;
      this.tgtN = 0;
      this.stepList(a, aN);
      if (load<u8>(this.pCandActive + p) == 0 && ((unchecked(this.sets[first + (<u32>cls >>> 5)]) >>> (<u32>cls & 31)) & 1) != 0) {
        this.addThread(start, p, i, unchecked(this.hs[m]));
      }
      if (load<u8>(this.pCandActive + p) != 0 && ld(this.pSeenN, p) != this.stamp) {
        this.removeCandidate(p);
        this.emitCandidate(p, sink);
        i = ld(this.pCandEIdx, p);
        aN = 0;
        continue;
      }
      const t = a;
      a = b;
      b = t;
      aN = this.tgtN;
      i++;
    }
    this.scrOut = a;
    this.scrOutN = aN;
  }

  private emitCandidate(p: u32, sink: FindingSink): void {
    store<u8>(this.pCandActive + p, 0);
    sink.emit(unchecked(this.patType[p]), unchecked(this.candSOff[p]), unchecked(this.candEOff[p]), unchecked(this.patScore[p]));
  }

  private removeCandidate(p: u32): void {
    for (let k = 0; k < this.candCount; k++) {
      if (ld(this.pCandList, k) == p) {
        this.candCount--;
        st(this.pCandList, k, ld(this.pCandList, this.candCount));
        return;
      }
    }
  }

  /** Grows the history ring if a pending candidate still needs bytes it would overwrite. */
  private keepHistory(idx: u32): void {
    // a re-run of p starts at candEIdx[p] and reads the byte before it
    let oldest = idx;
    for (let k = 0; k < this.candCount; k++) {
      const x = ld(this.pCandEIdx, ld(this.pCandList, k)) - 1;
      if (x < oldest) oldest = x;
    }
    if (idx - oldest > this.hmask) this.grow(oldest, idx);
  }

  private grow(oldest: u32, idx: u32): void {
    let cap = (this.hmask + 1) << 1;
    while (idx - oldest >= cap) cap <<= 1;
    const hb = new StaticArray<u8>(cap), hs = new StaticArray<u32>(cap), he = new StaticArray<u32>(cap);
    const om = this.hmask, nm = cap - 1;
    for (let j = oldest; j != idx; j++) {
      unchecked((hb[j & nm] = unchecked(this.hb[j & om])));
      unchecked((hs[j & nm] = unchecked(this.hs[j & om])));
      unchecked((he[j & nm] = unchecked(this.he[j & om])));
    }
    this.hb = hb;
    this.hs = hs;
    this.he = he;
    this.hmask = nm;
    this.pHb = changetype<usize>(hb);
    this.pHs = changetype<usize>(hs);
    this.pHe = changetype<usize>(he);
  }

  private clearMarks(): void {
    this.markC.fill(0);
    this.markN.fill(0);
    this.seenN.fill(0);
    this.stamp = 0;
  }
}
