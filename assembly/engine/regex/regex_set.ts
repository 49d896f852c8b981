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
// and are bounded by maxHold.
//
// The Pike VM is dormant most of the time. In front of it runs a lazily built DFA over
// the union of all patterns, unanchored (every pattern spawns at every byte), whose
// state is the set of pcs the threads could be at plus the kind of the byte before
// (start of text, word, line end, other), so that ^ $ \b \B are decided exactly in
// its transitions. Transitions are cached per (state, byte class): one byte costs one
// dependent table load. The DFA's pc set is always a superset of the VM's (the VM only
// ever drops threads: later starts behind a candidate, overflowing threads), so a
// transition without the MATCH flag means that the VM would find no match there.
//
//   - The VM sleeps while it has no candidate. It went to sleep with its threads kept
//     as a snapshot (often none: the replay start is then the byte at which every
//     thread of the DFA had died, flag FRESH). As long as no transition reaches a
//     MATCH, the VM would emit nothing and, as the window is kept within maxHold,
//     drop nothing: its state is a function of the snapshot and the bytes since.
//   - At a transition that reaches a MATCH, when a thread could outgrow maxHold, or at
//     finish, it is woken: it replays the bytes since the snapshot (kept in the history
//     ring) and runs on every byte until it has no candidate left, exactly as if it had
//     never slept. Only the patterns with threads in the DFA states around the waking
//     byte take part in the replay (the others' threads died without a match).
//     A byte is replayed at most once per wake, and the VM sleeps again as soon as it
//     can: the work stays linear.
//
// pending() while the VM sleeps: the earliest start of the snapshot's threads or of the
// first spawn since, if the DFA state is not empty, else NONE — never later than the
// VM's own answer, sometimes earlier. The DFA cache is bounded (states, table bytes, pc
// pool); when full it is flushed and rebuilt on demand, so each byte adds at most one
// state. The VM's spawns are cached as well (per kind of the byte before and class).

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

// ── the DFA in front of the VM ──────────────────────────────────────────────────────

/** Byte kinds for assertions: the kind of the byte before is part of a DFA state. */
const enum Kind {
  OTHER = 0,
  WORD = 1,
  LINE_END = 2,
  START = 3, // before the first byte (as "previous"); end of text (as "next")
}
/** States 0..3 are the empty states, one per kind of the byte before. */
const EMPTY_STATES: u32 = 4;
/** A transition not built yet. */
const UNKNOWN: u32 = 0xffffffff;
/** Transition entry: MATCH | byte offset of the next state's row | FRESH (FRESH only
 *  towards a state that is not empty); below the empty rows' end exactly when the next
 *  state is empty and nothing matched. A transition not built yet: T_UNKNOWN. */
const T_UNKNOWN: u32 = 0xffffffff;
const T_FRESH: u32 = 1; // every thread of the old state died: only this byte's spawns live
const T_MATCH: u32 = 0x80000000; // a MATCH was reached: a match ends before this byte
/** A representative byte of each kind, as the VM's "byte before" a replayed window. */
// @ts-ignore: decorator
@inline function kindByte(kind: u32): i32 {
  return kind == Kind.START ? -1 : kind == Kind.WORD ? 0x61 : kind == Kind.LINE_END ? 0x0a : 0x20;
}
/** Cache bounds: states, transition table bytes, pc pool words. */
const DFA_MAX_STATES: i32 = 4096;
const DFA_MAX_TABLE_BYTES: i32 = 2 << 20;
const DFA_MIN_POOL: i32 = 1 << 16;
const DFA_INIT_STATES: i32 = 64;
/** Above this many pcs a new state's list is sorted by a sweep over the marks. */
const SORT_SWEEP: i32 = 48;

// @ts-ignore: decorator
@inline function kindOf(b: i32): u32 {
  return isWordByte(b) ? Kind.WORD : isLineEnd(b) ? Kind.LINE_END : Kind.OTHER;
}

/** assertMask() from the kinds of the byte before and after. */
function kindMask(prev: u32, next: u32): u32 {
  let m: u32 = 0;
  if (prev == Kind.START) m |= (1 << Assert.SOT) | (1 << Assert.BOL);
  else if (prev == Kind.LINE_END) m |= 1 << Assert.BOL;
  if (next == Kind.START) m |= (1 << Assert.EOT) | (1 << Assert.EOL);
  else if (next == Kind.LINE_END) m |= 1 << Assert.EOL;
  m |= (prev == Kind.WORD) != (next == Kind.WORD) ? 1 << Assert.WB : 1 << Assert.NWB;
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
  /** Patterns that spawn (all but during a replay, see wake()). */
  private patOn: StaticArray<u8>;

  // History ring (byte, start, end) from the oldest candidate's end on, for re-runs.
  private hb: StaticArray<u8> = new StaticArray<u8>(HISTORY_MIN);
  private hs: StaticArray<u32> = new StaticArray<u32>(HISTORY_MIN);
  private he: StaticArray<u32> = new StaticArray<u32>(HISTORY_MIN);
  private hmask: u32 = <u32>HISTORY_MIN - 1;

  // The DFA (see the top of this file). A state is a row of the transition table;
  // A state is a row of 1 << dShift u32 entries: dK transitions, then the state's kind
  // (of the byte before) in the last one; dState is its byte offset in the table, so a
  // step is one dependent load. Class ids put letters and space first, so the part of a
  // row that words use is two cache lines.
  /** False: run the Pike VM on every byte (tests compare both ways). */
  useDfa: bool = true;
  private dfaMode: bool = true; // the VM sleeps, the DFA runs
  private dState: u32 = 0; //      byte offset of the current state's row
  private dEmptyEnd: u32 = 0; //   rows below it are the empty states
  private hn: u32 = 0; //        index of the next byte fed (the VM's n lags while it sleeps)
  // While the VM sleeps and the DFA state is not empty: where a replay starts (the VM's
  // state there is the snapshot, often empty) and the earliest start it may find.
  private rIdx: u32 = 0; //      first byte to replay
  private rPrev: i32 = -1; //    the byte before it (or a byte of the same kind)
  private rPrevE: u32 = 0; //    its end offset
  private rOff: u32 = 0; //      no thread of the VM starts before this offset
  private snapN: i32 = 0; //     threads in the snapshot
  private snap: StaticArray<u32>; // the VM's threads at rIdx (pc, start index, start offset)
  private dK: u32 = 1; //        byte classes of the DFA (program class × kind)
  private dShift: u32 = 1; //     log2 of the row length (> dK)
  private dRowShift: u32 = 3; //  log2 of its bytes
  private dClass: StaticArray<u8> = new StaticArray<u8>(256);
  private dClsProg: StaticArray<u32>; // DFA class → program class
  private dClsKind: StaticArray<u32>; // DFA class → kind of its bytes
  private dTrans: StaticArray<u32>; //   state × class → entry (T_UNKNOWN until built)
  private dInfo: StaticArray<u32>; //    per state: pool offset, pc count, kind, hash
  private dPool: StaticArray<u32>; //    the states' sorted pc lists
  private dHash: StaticArray<u32>; //    open addressing: state id + 1
  private dTgt: StaticArray<u32>; //     pcs of the state being built
  private dCount: i32 = 0; //   states
  private dCap: i32 = 0; //     states the arrays hold
  private dLimit: i32 = 0; //   states before a flush
  private dPoolN: i32 = 0;
  private dPoolLimit: i32 = 0;
  private dTgtN: i32 = 0;
  private dMatch: bool = false;
  /** DFA states built and cache flushes since construction (for tests and benchmarks). */
  dfaBuilt: u32 = 0;
  dfaFlushes: u32 = 0;
  /** Times the VM was woken, and bytes it replayed then. */
  wakes: u32 = 0;
  replayBytes: u32 = 0;
  private pDClass: usize = 0;
  private pTrans: usize = 0;
  // The VM's spawns, cached per (kind of the byte before, DFA class): the targets that
  // the closures of the patterns' start pcs claim, in the order addThread claims them.
  private spOff: StaticArray<u32>; //  UNKNOWN until built
  private spLen: StaticArray<u32>;
  private spList: StaticArray<u32> = new StaticArray<u32>(256);
  private spN: i32 = 0;

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
    const on = new StaticArray<u8>(P);
    memory.fill(changetype<usize>(on), 1, <usize>P);
    this.patOn = on;
    this.dClsProg = new StaticArray<u32>(0);
    this.dClsKind = new StaticArray<u32>(0);
    this.dTrans = new StaticArray<u32>(0);
    this.dInfo = new StaticArray<u32>(0);
    this.dPool = new StaticArray<u32>(0);
    this.dHash = new StaticArray<u32>(0);
    this.dTgt = new StaticArray<u32>(cap);
    this.snap = new StaticArray<u32>(cap * 3);
    this.spOff = new StaticArray<u32>(0);
    this.spLen = new StaticArray<u32>(0);
    this.valid = ok && this.decode(section, P, N, C, W, T, L);
    if (!this.valid) this.classMap.fill(0); // class 0 starts nothing then
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
    this.initDfa(C, cap);
  }

  /** Byte classes of the DFA (for tests and benchmarks). */
  dfaClasses(): u32 { return this.dK; }

  /** The DFA's byte classes (program class × kind) and an empty cache. */
  private initDfa(C: i32, N: i32): void {
    const ids = new StaticArray<i32>(C * 3);
    for (let i = 0; i < C * 3; i++) unchecked((ids[i] = -1));
    const prog = new StaticArray<u32>(256), kinds = new StaticArray<u32>(256);
    let K = 0;
    // First seen, first numbered: lower-case letters and space (the word view's bytes)
    // get the first ids, so that the entries words use sit together in each row.
    for (let j = -27; j < 256; j++) {
      const b = j < -1 ? 0x61 + j + 27 : j == -1 ? 0x20 : j;
      const pc = <i32>unchecked(this.classMap[b]);
      const kd = kindOf(b);
      const key = pc * 3 + <i32>kd;
      let id = unchecked(ids[key]);
      if (id < 0) {
        id = K++;
        unchecked((ids[key] = id));
        unchecked((prog[id] = <u32>pc));
        unchecked((kinds[id] = kd));
      }
      unchecked((this.dClass[b] = <u8>id));
    }
    this.dK = <u32>K;
    this.dClsProg = prog;
    this.dClsKind = kinds;
    let shift: u32 = 1;
    while ((1 << shift) <= K) shift++;
    this.dShift = shift;
    this.dRowShift = shift + 2;
    this.dEmptyEnd = EMPTY_STATES << (shift + 2);
    this.dState = <u32>Kind.START << (shift + 2);
    let limit = DFA_MAX_TABLE_BYTES >> (shift + 2);
    if (limit > DFA_MAX_STATES) limit = DFA_MAX_STATES;
    if (limit < 64) limit = 64;
    this.dLimit = limit;
    this.dPoolLimit = N << 2 > DFA_MIN_POOL ? N << 2 : DFA_MIN_POOL;
    this.dCap = 0;
    this.dPool = new StaticArray<u32>(N > 1024 ? N : 1024);
    this.dGrowStates(DFA_INIT_STATES);
    this.pDClass = changetype<usize>(this.dClass);
    this.dFlush();
    this.spOff = new StaticArray<u32>(K << 2);
    this.spLen = new StaticArray<u32>(K << 2);
    memory.fill(changetype<usize>(this.spOff), 0xff, <usize>K << 4);
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
    this.hn = 0;
    this.snapN = 0;
    this.dfaMode = this.useDfa;
    this.dState = <u32>Kind.START << this.dRowShift;
  }

  /**
   * One byte of text whose original span is [s, e). Matches found are emitted into sink;
   * a thread outgrowing maxHold is dropped and reported with sink.overflow(start).
   */
  // @ts-ignore: decorator
  @inline feed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    // the common cases, inlined into the caller
    if (this.dfaMode) {
      const t = load<u32>(this.pTrans + <usize>this.dState + (<usize>load<u8>(this.pDClass + b) << 2));
      if (t < this.dEmptyEnd) {
        // nothing is alive after b (and b is never replayed: it takes no index)
        this.dState = t;
        return;
      }
      if ((t & (T_MATCH | T_FRESH)) == 0) { // (T_UNKNOWN has both bits)
        // threads go on, none begins or ends here: keep the byte for a replay
        const idx = this.hn;
        const hmask = this.hmask;
        if (idx - this.rIdx < hmask && e - this.rOff <= this.maxHold) {
          const hm = <usize>(idx & hmask);
          store<u8>(this.pHb + hm, b);
          store<u32>(this.pHs + (hm << 2), s);
          store<u32>(this.pHe + (hm << 2), e);
          this.hn = idx + 1;
          this.dState = t;
          return;
        }
      }
    }
    this.feedMore(b, s, e, sink);
  }

  /**
   * Feeds n bytes at p whose spans are [s0 + i, s0 + i + 1): the same as n calls of
   * feed(), with the DFA's state kept in a local while it runs (a word at a time).
   */
  feedRun(p: usize, n: i32, s0: u32, sink: FindingSink): void {
    let i = 0;
    while (i < n) {
      if (this.dfaMode) {
        let st = this.dState;
        let idx = this.hn;
        let rIdx = this.rIdx, rOff = this.rOff;
        const pT = this.pTrans, pC = this.pDClass, emptyEnd = this.dEmptyEnd, rowBytes = <u32>1 << this.dRowShift;
        const hmask = this.hmask, maxHold = this.maxHold;
        const pHb = this.pHb, pHs = this.pHs, pHe = this.pHe;
        for (; i < n; i++) {
          const b = load<u8>(p + <usize>i);
          const t = load<u32>(pT + <usize>st + (<usize>load<u8>(pC + b) << 2));
          if (t < emptyEnd) {
            st = t; // nothing alive after b
            continue;
          }
          if ((t & T_MATCH) != 0) break;
          const s = s0 + <u32>i;
          if ((t & T_FRESH) != 0) {
            // every thread died before b: a replay would start here
            if (maxHold > 0) {
              this.rPrev = kindByte(load<u32>(pT + <usize>(st + rowBytes - 4)));
              this.rPrevE = 0;
              this.snapN = 0;
              rIdx = idx;
              rOff = s;
            } else break;
          } else if (idx - rIdx >= hmask || s + 1 - rOff > maxHold) break;
          const hm = <usize>(idx & hmask);
          store<u8>(pHb + hm, b);
          store<u32>(pHs + (hm << 2), s);
          store<u32>(pHe + (hm << 2), s + 1);
          idx++;
          st = t & ~T_FRESH;
        }
        this.dState = st;
        this.hn = idx;
        this.rIdx = rIdx;
        this.rOff = rOff;
        if (i == n) return;
        // this byte needs more (a match, a new state to build, the holdback limit)
      }
      const s = s0 + <u32>i;
      this.feed(load<u8>(p + <usize>i), s, s + 1, sink);
      i++;
    }
  }

  private feedMore(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const idx = this.hn;
    const k = <u32>load<u8>(this.pDClass + b);
    let t = load<u32>(this.pTrans + <usize>this.dState + (<usize>k << 2));
    if (t == T_UNKNOWN) t = this.dBuild(this.dState >>> this.dRowShift, k); // (a flush renumbers states, never empty ones)
    const row = this.dState >>> this.dRowShift; // state ids from here on
    const next = (t & ~(T_MATCH | T_FRESH)) >>> this.dRowShift;
    this.dState = next << this.dRowShift;
    if (this.dfaMode) {
      if (row < EMPTY_STATES) this.freshAt(idx, s, row); // a new replay start (the old one is void)
      const keep = this.rIdx > 0 ? this.rIdx - 1 : 0;
      if (idx - keep > this.hmask) this.grow(keep, idx);
      this.keepByte(idx, b, s, e);
      if (next >= EMPTY_STATES) {
        if ((t & T_MATCH) == 0) {
          const fresh = (t & T_FRESH) != 0;
          if (e - (fresh ? s : this.rOff) <= this.maxHold) {
            if (fresh && row >= EMPTY_STATES) this.freshAt(idx, s, row);
            return;
          }
        }
      } else if ((t & T_MATCH) == 0) return;
      // a match ends here, or a thread could outgrow maxHold: wake the VM
      this.wake(idx, row, next, sink);
    } else {
      this.keepHistory(idx, idx);
      this.keepByte(idx, b, s, e);
      this.pikeFeed(b, s, e, sink);
    }
    if (this.candCount == 0 && this.useDfa) this.sleep(s);
  }

  // @ts-ignore: decorator
  @inline private keepByte(idx: u32, b: u8, s: u32, e: u32): void {
    const hm = <usize>(idx & this.hmask);
    store<u8>(this.pHb + hm, b);
    store<u32>(this.pHs + (hm << 2), s);
    store<u32>(this.pHe + (hm << 2), e);
    this.hn = idx + 1;
  }

  /** Every thread died before byte idx (the DFA left state `row`): a replay may start there. */
  private freshAt(idx: u32, s: u32, row: u32): void {
    this.rIdx = idx;
    this.rPrev = kindByte(this.dKindOf(row));
    this.rPrevE = 0; // (read only as the end of a match ending at idx: there is none)
    this.rOff = s;
    this.snapN = 0;
  }

  /**
   * The VM has no candidate after byte n - 1 (start offset s): it sleeps. Its threads are
   * kept as the snapshot a replay starts from; the DFA's state, a superset of them, runs.
   */
  private sleep(s: u32): void {
    this.dfaMode = true;
    if (this.dState < this.dEmptyEnd) return; // no thread either
    const n = this.curN;
    this.snapN = n;
    this.rIdx = this.n;
    this.rPrev = this.prevByte;
    this.rPrevE = this.prevE;
    let m = s; // a thread spawned later starts at s or after
    const pThreads = this.pThreads + (<usize>this.cur << 2);
    for (let i = 0, o: u32 = 2; i < n; i++, o += 3) {
      const x = ld(pThreads, o);
      if (x < m) m = x;
    }
    this.rOff = m;
    memory.copy(changetype<usize>(this.snap), pThreads, <usize>n * 12);
  }

  /**
   * Wakes the VM: its threads from the snapshot, it replays rIdx..last (kept in the
   * ring). Only the patterns with a thread in DFA state a (before byte last) or b (after
   * it) take part in the replay: every other pattern's threads die before byte last
   * without a match (the DFA saw none), so they leave no trace, and patterns never
   * interact (each owns its pcs and its candidate).
   */
  private wake(last: u32, a: u32, b: u32, sink: FindingSink): void {
    this.dfaMode = false;
    this.wakes++;
    const pOn = changetype<usize>(this.patOn), P = this.patOn.length;
    memory.fill(pOn, 0, <usize>P);
    this.markPatterns(a);
    this.markPatterns(b);
    const pSnap = changetype<usize>(this.snap), pThreads = this.pThreads, pPcPattern = this.pPcPattern;
    let n: u32 = 0;
    for (let i: u32 = 0, o: u32 = 0; i < <u32>this.snapN; i++, o += 3) {
      const pc = ld(pSnap, o);
      if (load<u8>(pOn + ld(pPcPattern, pc)) == 0) continue;
      const d = this.cur + n * 3;
      st(pThreads, d, pc);
      st(pThreads, d + 1, ld(pSnap, o + 1));
      st(pThreads, d + 2, ld(pSnap, o + 2));
      n++;
    }
    this.curN = <i32>n;
    this.n = this.rIdx;
    this.prevByte = this.rPrev;
    this.prevE = this.rPrevE;
    this.replayBytes += last + 1 - this.rIdx;
    for (let i = this.rIdx; i <= last; i++) {
      const m = <usize>(i & this.hmask);
      this.pikeFeed(load<u8>(this.pHb + m), load<u32>(this.pHs + (m << 2)), load<u32>(this.pHe + (m << 2)), sink);
    }
    memory.fill(pOn, 1, <usize>P);
  }

  /** patOn[p] = 1 for each pattern with a pc in DFA state id. */
  private markPatterns(id: u32): void {
    const info = changetype<usize>(this.dInfo) + (<usize>id << 4);
    const off = load<u32>(info), len = load<u32>(info, 4);
    const pPool = changetype<usize>(this.dPool) + (<usize>off << 2), pPcPattern = this.pPcPattern;
    const pOn = changetype<usize>(this.patOn);
    for (let i: u32 = 0; i < len; i++) store<u8>(pOn + ld(pPcPattern, ld(pPool, i)), 1);
  }

  /** End of text: settles $ and \b at the end, emits every remaining match, and resets. */
  finish(sink: FindingSink): void {
    if (this.dfaMode) {
      if (this.dState < this.dEmptyEnd) { // nothing alive: nothing to settle
        this.reset();
        return;
      }
      const id = this.dState >>> this.dRowShift;
      this.wake(this.hn - 1, id, id, sink);
    }
    this.pikeFinish(sink);
  }

  /** Earliest original offset at which a match still tracked may start; NONE if none. */
  pending(): u32 {
    if (this.dfaMode) return this.dState >= this.dEmptyEnd ? this.rOff : NONE;
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

  // ── the DFA cache ─────────────────────────────────────────────────────────────────

  /** Builds the transition of state `row` on DFA class k; returns its entry. */
  private dBuild(row: u32, k: u32): u32 {
    let st = <i32>row;
    if (this.dCount >= this.dLimit || this.dPoolN + this.pcCount() > this.dPoolLimit) {
      st = this.dFlushKeeping(st);
      this.dfaFlushes++;
    }
    if (this.stamp > STAMP_LIMIT) this.clearMarks();
    const info = changetype<usize>(this.dInfo) + (<usize>st << 4);
    const off = load<u32>(info), len = load<u32>(info, 4), pk = load<u32>(info, 8);
    const nk = unchecked(this.dClsKind[k]);
    const cls = unchecked(this.dClsProg[k]);
    const mask = kindMask(pk, nk);
    this.stamp++;
    this.dTgtN = 0;
    this.dMatch = false;
    const pPool = changetype<usize>(this.dPool);
    for (let i: u32 = 0; i < len; i++) this.dClose(ld(pPool, off + i), cls, mask);
    const fresh = this.dTgtN == 0;
    const k0 = ld(this.pStartIndex, cls), k1 = ld(this.pStartIndex, cls + 1);
    for (let j = k0; j < k1; j++) this.dClose(ld(this.pPatStart, ld(this.pStartList, j)), cls, mask);
    let next: u32 = nk; // the empty state of this byte's kind
    if (this.dTgtN > 0) next = <u32>this.dIntern(nk, false);
    const t = (next << this.dRowShift) | (this.dMatch ? T_MATCH : 0) | (fresh && next >= EMPTY_STATES ? T_FRESH : 0);
    store<u32>(this.pTrans + (<usize>(<u32>st << this.dRowShift) + (<usize>k << 2)), t);
    this.stamp++;
    return t;
  }

  /** Builds the spawn list of key = DFA class + kind before × dK (program class cls). */
  private spawnBuild(key: u32, cls: u32): u32 {
    if (this.stamp > STAMP_LIMIT) this.clearMarks();
    const K = this.dK;
    const mask = kindMask(key / K, unchecked(this.dClsKind[key % K]));
    this.stamp++;
    this.dTgtN = 0;
    const k0 = ld(this.pStartIndex, cls), k1 = ld(this.pStartIndex, cls + 1);
    for (let j = k0; j < k1; j++) this.dClose(ld(this.pPatStart, ld(this.pStartList, j)), cls, mask);
    this.stamp++;
    const n = this.dTgtN;
    if (this.spN + n > this.spList.length) {
      let cap = this.spList.length << 1;
      while (cap < this.spN + n) cap <<= 1;
      const list = new StaticArray<u32>(cap);
      memory.copy(changetype<usize>(list), changetype<usize>(this.spList), <usize>this.spN << 2);
      this.spList = list;
    }
    const off = <u32>this.spN;
    memory.copy(changetype<usize>(this.spList) + (<usize>off << 2), changetype<usize>(this.dTgt), <usize>n << 2);
    this.spN += n;
    unchecked((this.spOff[key] = off));
    unchecked((this.spLen[key] = <u32>n));
    return off;
  }

  // @ts-ignore: decorator
  @inline private pcCount(): i32 { return this.stack.length; }

  /** The closure of pc at the current position: targets of the CONSUMEs taking class cls. */
  private dClose(pc0: u32, cls: u32, mask: u32): void {
    const stamp = this.stamp;
    const pMarkC = this.pMarkC;
    if (ld(pMarkC, pc0) == stamp) return;
    st(pMarkC, pc0, stamp);
    const pStack = this.pStack, pInsts = this.pInsts, pSets = this.pSets, pMarkN = this.pMarkN;
    const pTgt = changetype<usize>(this.dTgt);
    let n = this.dTgtN;
    let sp: u32 = 0;
    st(pStack, sp++, pc0);
    while (sp > 0) {
      const pc = ld(pStack, --sp);
      const at = pInsts + (<usize>pc << 3);
      const w0 = load<u32>(at);
      const w1 = load<u32>(at, 4);
      const op = w0 & 0xf;
      if (op == Op.CONSUME) {
        if (((ld(pSets, (w0 >>> 4) + (cls >>> 5)) >>> (cls & 31)) & 1) == 0) continue;
        if (ld(pMarkN, w1) == stamp) continue;
        st(pMarkN, w1, stamp);
        st(pTgt, <u32>n, w1);
        n++;
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
        this.dMatch = true;
      }
    }
    this.dTgtN = n;
  }

  /** The state (kind, dTgt pcs): found or added; returns its id. */
  private dIntern(kind: u32, sorted: bool): i32 {
    const n = this.dTgtN;
    const pTgt = changetype<usize>(this.dTgt);
    // canonical order
    if (sorted) {
      // as it is
    } else if (n > SORT_SWEEP) {
      const N = <u32>this.pcCount(), stamp = this.stamp, pMarkN = this.pMarkN;
      let j: u32 = 0;
      for (let pc: u32 = 0; pc < N; pc++) if (ld(pMarkN, pc) == stamp) st(pTgt, j++, pc);
    } else {
      for (let i = 1; i < n; i++) {
        const v = ld(pTgt, <u32>i);
        let j = i - 1;
        while (j >= 0 && ld(pTgt, <u32>j) > v) {
          st(pTgt, <u32>(j + 1), ld(pTgt, <u32>j));
          j--;
        }
        st(pTgt, <u32>(j + 1), v);
      }
    }
    let h: u32 = 0x811c9dc5 ^ kind;
    for (let i = 0; i < n; i++) h = (h ^ ld(pTgt, <u32>i)) * 0x01000193;
    h ^= h >>> 15;
    const hmask = <u32>this.dHash.length - 1;
    const pHash = changetype<usize>(this.dHash);
    const pInfo = changetype<usize>(this.dInfo);
    const pPool = changetype<usize>(this.dPool);
    let slot = h & hmask;
    for (;;) {
      const v = ld(pHash, slot);
      if (v == 0) break;
      const id = v - 1;
      const info = pInfo + (<usize>id << 4);
      if (load<u32>(info, 12) == h && load<u32>(info, 4) == <u32>n && load<u32>(info, 8) == kind &&
          memory.compare(pPool + (<usize>load<u32>(info) << 2), pTgt, <usize>n << 2) == 0) return <i32>id;
      slot = (slot + 1) & hmask;
    }
    // a new state
    if (this.dCount >= this.dCap) this.dGrowStates(this.dCap << 1); // rehashes
    if (this.dPoolN + n > this.dPool.length) {
      let cap = this.dPool.length << 1;
      while (cap < this.dPoolN + n) cap <<= 1;
      const pool = new StaticArray<u32>(cap);
      memory.copy(changetype<usize>(pool), changetype<usize>(this.dPool), <usize>this.dPoolN << 2);
      this.dPool = pool;
    }
    const id = this.dCount++;
    memory.copy(changetype<usize>(this.dPool) + (<usize>this.dPoolN << 2), pTgt, <usize>n << 2);
    this.dSetInfo(id, <u32>this.dPoolN, <u32>n, kind, h);
    this.dPoolN += n;
    this.dfaBuilt++;
    return id;
  }

  private dSetInfo(id: i32, off: u32, len: u32, kind: u32, h: u32): void {
    const info = changetype<usize>(this.dInfo) + (<usize>id << 4);
    store<u32>(info, off);
    store<u32>(info, len, 4);
    store<u32>(info, kind, 8);
    store<u32>(info, h, 12);
    this.dSetKind(<u32>id, kind);
    this.dHashInsert(id, h);
  }

  private dHashInsert(id: i32, h: u32): void {
    const hmask = <u32>this.dHash.length - 1;
    const pHash = changetype<usize>(this.dHash);
    let slot = h & hmask;
    while (ld(pHash, slot) != 0) slot = (slot + 1) & hmask;
    st(pHash, slot, <u32>id + 1);
  }

  /** Room for cap states (at most dLimit): transition rows, info, hash table. */
  private dGrowStates(cap: i32): void {
    if (cap > this.dLimit) cap = this.dLimit;
    const K = 1 << this.dShift;
    const trans = new StaticArray<u32>(cap * K);
    const old = this.dCap;
    memory.copy(changetype<usize>(trans), changetype<usize>(this.dTrans), <usize>(old * K) << 2);
    memory.fill(changetype<usize>(trans) + (<usize>(old * K) << 2), 0xff, <usize>((cap - old) * K) << 2);
    this.dTrans = trans;
    this.pTrans = changetype<usize>(trans);
    const info = new StaticArray<u32>(cap << 2);
    memory.copy(changetype<usize>(info), changetype<usize>(this.dInfo), <usize>old << 4);
    this.dInfo = info;
    this.dHash = new StaticArray<u32>(cap << 1);
    for (let id = 0; id < this.dCount; id++) this.dHashInsert(id, load<u32>(changetype<usize>(info) + (<usize>id << 4), 12));
    this.dCap = cap;
  }

  /** The kind of the byte before, of state id (the last entry of its row). */
  // @ts-ignore: decorator
  @inline private dKindOf(id: u32): u32 {
    return load<u32>(this.pTrans + (<usize>((id + 1) << this.dRowShift) - 4));
  }

  // @ts-ignore: decorator
  @inline private dSetKind(id: u32, kind: u32): void {
    store<u32>(this.pTrans + (<usize>((id + 1) << this.dRowShift) - 4), kind);
  }

  /** Empties the cache: only the empty states remain. */
  private dFlush(): void {
    memory.fill(this.pTrans, 0xff, <usize>this.dCap << this.dRowShift);
    this.dHash.fill(0);
    this.dCount = <i32>EMPTY_STATES;
    this.dPoolN = 0;
    for (let kd: u32 = 0; kd < EMPTY_STATES; kd++) {
      const info = changetype<usize>(this.dInfo) + (<usize>kd << 4);
      store<u32>(info, 0);
      store<u32>(info, 0, 4);
      store<u32>(info, kd, 8);
      store<u32>(info, 0, 12); // never looked up: empty states are not interned
      this.dSetKind(kd, kd);
    }
  }

  /** Flushes the cache but keeps state st (whose transition is being built); its new id. */
  private dFlushKeeping(st: i32): i32 {
    if (st < <i32>EMPTY_STATES) {
      this.dFlush();
      return st;
    }
    const info = changetype<usize>(this.dInfo) + (<usize>st << 4);
    const off = load<u32>(info), len = load<u32>(info, 4), kind = load<u32>(info, 8);
    memory.copy(changetype<usize>(this.dTgt), changetype<usize>(this.dPool) + (<usize>off << 2), <usize>len << 2);
    this.dFlush();
    this.dTgtN = <i32>len;
    const id = this.dIntern(kind, true);
    if (this.dState >= this.dEmptyEnd) this.dState = <u32>id << this.dRowShift;
    return id;
  }

  // ── the VM ────────────────────────────────────────────────────────────────────────

  /** The VM's step for byte n (kept in the history ring by the caller). */
  private pikeFeed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const idx = this.n;
    const cls = <u32>load<u8>(this.pClassMap + b);
    const pStartIndex = this.pStartIndex;
    const k0 = ld(pStartIndex, cls), k1 = ld(pStartIndex, cls + 1);
    if (this.curN == 0 && this.candCount == 0 && k0 == k1) {
      // nothing alive, nothing can start at this byte
      this.prevByte = b;
      this.prevE = e;
      this.n = idx + 1;
      return;
    }
    // (built before this position's marks are set: building uses them too)
    const key = <u32>load<u8>(this.pDClass + b) + (this.prevByte < 0 ? <u32>Kind.START : kindOf(this.prevByte)) * this.dK;
    if (ld(changetype<usize>(this.spOff), key) == UNKNOWN) this.spawnBuild(key, cls);
    if (this.stamp > STAMP_LIMIT) this.clearMarks();
    this.ctxCls = <i32>cls;
    this.ctxMask = assertMask(this.prevByte, b);
    this.ctxIdx = idx;
    this.ctxE = e;
    this.ctxPrevE = this.prevE;
    this.stamp++;
    this.tgt = this.nxt;
    this.tgtN = 0;
    this.stepList(this.cur, this.curN);
    const pCandActive = this.pCandActive;
    if (this.overflowMin == NONE && e - s <= this.maxHold) {
      // the spawns' targets from the cache, minus those that older threads hold (the
      // pcs an older thread's closure visited lead only to targets it holds, or that
      // this byte's class fails — unless it was dropped for maxHold: then no cache)
      const off = ld(changetype<usize>(this.spOff), key);
      const len = ld(changetype<usize>(this.spLen), key);
      const pSp = changetype<usize>(this.spList) + (<usize>off << 2);
      const pMarkN = this.pMarkN, pThreads = this.pThreads, pPcPattern = this.pPcPattern, pSeenN = this.pSeenN;
      const pOn = changetype<usize>(this.patOn);
      const stamp = this.stamp, tgt = this.tgt;
      let n = this.tgtN;
      for (let i: u32 = 0; i < len; i++) {
        const pc = ld(pSp, i);
        if (ld(pMarkN, pc) == stamp) continue;
        const p = ld(pPcPattern, pc);
        if (load<u8>(pCandActive + p) != 0 || load<u8>(pOn + p) == 0) continue;
        st(pMarkN, pc, stamp);
        const o = tgt + <u32>n * 3;
        st(pThreads, o, pc);
        st(pThreads, o + 1, idx);
        st(pThreads, o + 2, s);
        n++;
        st(pSeenN, p, stamp);
      }
      this.tgtN = n;
      this.steps += len;
    } else {
      const pStartList = this.pStartList, pPatStart = this.pPatStart;
      for (let k = k0; k < k1; k++) {
        const p = ld(pStartList, k);
        if (load<u8>(pCandActive + p) == 0 && unchecked(this.patOn[p]) != 0) this.addThread(ld(pPatStart, p), p, idx, s);
      }
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

  private pikeFinish(sink: FindingSink): void {
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
  private keepHistory(idx: u32, oldest: u32): void {
    // a re-run of p starts at candEIdx[p] and reads the byte before it
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
