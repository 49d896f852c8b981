// The compiled program of one regex section, shared by every RegexSet (stream) of a
// policy: the decoded instructions and tables, the scratch arrays a pass uses (closure
// stack, visited marks: a pass never outlives one call into a set, and the engine is
// single-threaded), the thread lists of the VM that runs now, and the lazily built DFA
// with its spawn cache. None of these depends on one stream's text: a DFA state is a
// set of pcs and the kind of the byte before, a transition a function of the state and
// a byte class. Sharing them is what keeps an open stream small (RATIONALE.md, "Memory
// per stream"): before, each stream's set held a private copy, ~90 bytes per pc.
//
// What a stream keeps across calls lives in RegexSet: its DFA state (a row offset), its
// candidates, history ring and sleeping snapshot. Two things can move under it between
// calls, and RegexSet.sync() catches both: the transition table is reallocated when it
// grows (`version`), and a full cache is flushed (`epoch`), which renumbers states.
import { Assert, Header, Op, REGEX_MAGIC, REGEX_VERSION } from "./program";
import { RegexSet } from "./regex_set";

export const STAMP_LIMIT: u32 = 0xf0000000;

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
@inline export function isWordByte(b: i32): bool {
  return b >= 0x80 || <u32>((b | 0x20) - Byte.LOWER_A) < 26 || <u32>(b - Byte.ZERO) < 10 || b == Byte.UNDERSCORE;
}

// @ts-ignore: decorator
@inline export function isLineEnd(b: i32): bool {
  return b == Byte.LF || b == Byte.CR;
}

// u32 array element access through a raw data pointer.
// @ts-ignore: decorator
@inline export function ld(p: usize, i: u32): u32 { return load<u32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function st(p: usize, i: u32, v: u32): void { store<u32>(p + (<usize>i << 2), v); }

/** Which assertions hold between prev and next (-1 = start / end of text). */
// @ts-ignore: decorator
@inline export function assertMask(prev: i32, next: i32): u32 {
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
export const enum Kind {
  OTHER = 0,
  WORD = 1,
  LINE_END = 2,
  START = 3, // before the first byte (as "previous"); end of text (as "next")
}
/** States 0..3 are the empty states, one per kind of the byte before. */
export const EMPTY_STATES: u32 = 4;
/** A transition not built yet. */
export const UNKNOWN: u32 = 0xffffffff;
/** Transition entry: MATCH | byte offset of the next state's row | FRESH (FRESH only
 *  towards a state that is not empty); below the empty rows' end exactly when the next
 *  state is empty and nothing matched. A transition not built yet: T_UNKNOWN. */
export const T_UNKNOWN: u32 = 0xffffffff;
export const T_FRESH: u32 = 1; // every thread of the old state died: only this byte's spawns live
export const T_MATCH: u32 = 0x80000000; // a MATCH was reached: a match ends before this byte
/** A representative byte of each kind, as the VM's "byte before" a replayed window. */
// @ts-ignore: decorator
@inline export function kindByte(kind: u32): i32 {
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
@inline export function kindOf(b: i32): u32 {
  return isWordByte(b) ? Kind.WORD : isLineEnd(b) ? Kind.LINE_END : Kind.OTHER;
}

/** assertMask() from the kinds of the byte before and after. */
export function kindMask(prev: u32, next: u32): u32 {
  let m: u32 = 0;
  if (prev == Kind.START) m |= (1 << Assert.SOT) | (1 << Assert.BOL);
  else if (prev == Kind.LINE_END) m |= 1 << Assert.BOL;
  if (next == Kind.START) m |= (1 << Assert.EOT) | (1 << Assert.EOL);
  else if (next == Kind.LINE_END) m |= 1 << Assert.EOL;
  m |= (prev == Kind.WORD) != (next == Kind.WORD) ? 1 << Assert.WB : 1 << Assert.NWB;
  return m;
}


export class RegexProgram {
  /** False when the section bytes were malformed (the program then matches nothing). */
  valid: bool = true;
  /** patterns, and pcs (at least 1) */
  P: i32 = 0;
  N: i32 = 1;

  insts: StaticArray<u32>;
  sets: StaticArray<u32>;
  classMap: StaticArray<u8> = new StaticArray<u8>(256);
  startIndex: StaticArray<u32>;
  startList: StaticArray<u32>;
  patStart: StaticArray<u32>;
  patFirst: StaticArray<u32>;
  patType: StaticArray<u32>;
  patScore: StaticArray<f32>;
  pcPattern: StaticArray<u32>;

  // Scratch of one pass (see regex_set.ts): thread lists in four regions of N threads
  // (cur and nxt of the set that `owner` names, and the re-run lists A and B), closure
  // stack, visited marks (equal to `stamp` when set in the current pass).
  threads: StaticArray<u32>;
  /** the set whose current threads are in `threads` (others keep theirs in a private copy) */
  owner: RegexSet | null = null;
  stack: StaticArray<u32>;
  markC: StaticArray<u32>;
  markN: StaticArray<u32>;
  seenN: StaticArray<u32>;
  stamp: u32 = 0;
  /** Patterns that spawn (all but during a replay, see RegexSet.wake()). */
  patOn: StaticArray<u8>;

  // The DFA cache. A state is a row of the transition table of 1 << dShift u32 entries:
  // dK transitions, then the state's kind (of the byte before) in the last one.
  dK: u32 = 1; //        byte classes of the DFA (program class × kind)
  dShift: u32 = 1; //     log2 of the row length (> dK)
  dRowShift: u32 = 3; //  log2 of its bytes
  dEmptyEnd: u32 = 0; //  rows below it are the empty states
  dClass: StaticArray<u8> = new StaticArray<u8>(256);
  dClsProg: StaticArray<u32>; // DFA class → program class
  dClsKind: StaticArray<u32>; // DFA class → kind of its bytes
  dTrans: StaticArray<u32>; //   state × class → entry (T_UNKNOWN until built)
  dInfo: StaticArray<u32>; //    per state: pool offset, pc count, kind, hash
  dPool: StaticArray<u32>; //    the states' sorted pc lists
  dHash: StaticArray<u32>; //    open addressing: state id + 1
  dTgt: StaticArray<u32>; //     pcs of the state being built
  dCount: i32 = 0; //   states
  dCap: i32 = 0; //     states the arrays hold
  dLimit: i32 = 0; //   states before a flush
  dPoolN: i32 = 0;
  dPoolLimit: i32 = 0;
  dTgtN: i32 = 0;
  dMatch: bool = false;
  /** bumped when dTrans is reallocated or flushed: sets refresh their table pointer */
  version: u32 = 0;
  /** bumped when the cache is flushed: states of older epochs are gone */
  epoch: u32 = 0;
  /** after a flush in dBuild: the new id of the state whose transition was being built */
  keptId: i32 = 0;
  /** DFA states built and cache flushes since construction (for tests and benchmarks). */
  dfaBuilt: u32 = 0;
  dfaFlushes: u32 = 0;
  pDClass: usize = 0;
  pTrans: usize = 0;
  // The VM's spawns, cached per (kind of the byte before, DFA class): the targets that
  // the closures of the patterns' start pcs claim, in the order addThread claims them.
  spOff: StaticArray<u32>; //  UNKNOWN until built
  spLen: StaticArray<u32>;
  spList: StaticArray<u32> = new StaticArray<u32>(256);
  spN: i32 = 0;

  pInsts: usize = 0;
  pSets: usize = 0;
  pClassMap: usize = 0;
  pStartIndex: usize = 0;
  pStartList: usize = 0;
  pPatStart: usize = 0;
  pPcPattern: usize = 0;
  pThreads: usize = 0;
  pStack: usize = 0;
  pMarkC: usize = 0;
  pMarkN: usize = 0;
  pSeenN: usize = 0;

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
    this.P = P;
    this.N = cap;
    this.insts = new StaticArray<u32>(N << 1);
    this.sets = new StaticArray<u32>(T);
    this.startIndex = new StaticArray<u32>(C + 1);
    this.startList = new StaticArray<u32>(L);
    this.patStart = new StaticArray<u32>(P);
    this.patFirst = new StaticArray<u32>(P);
    this.patType = new StaticArray<u32>(P);
    this.patScore = new StaticArray<f32>(P);
    this.pcPattern = new StaticArray<u32>(cap);
    this.threads = new StaticArray<u32>(cap * 12);
    this.stack = new StaticArray<u32>(cap);
    this.markC = new StaticArray<u32>(cap);
    this.markN = new StaticArray<u32>(cap);
    this.seenN = new StaticArray<u32>(P);
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
    this.initDfa(C, cap);
  }

  /** Byte classes of the DFA (for tests and benchmarks). */
  dfaClasses(): u32 { return this.dK; }

  /** The DFA's byte classes (program class × kind) and an empty cache. */
  initDfa(C: i32, N: i32): void {
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
  decode(section: usize, P: i32, N: i32, C: i32, W: i32, T: i32, L: i32): bool {
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


  // ── the DFA cache ─────────────────────────────────────────────────────────────────

  /** Builds the transition of state `row` on DFA class k; returns its entry. */
  dBuild(row: u32, k: u32): u32 {
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

  /**
   * The state whose pcs are those of n threads at p (3 words each, distinct pcs) after a
   * byte of `kind`: found or added (RegexSet.relocate() after a flush). May flush.
   */
  internThreads(p: usize, n: i32, kind: u32): i32 {
    if (n == 0) return <i32>kind; // the empty state of that kind
    if (this.dCount >= this.dLimit || this.dPoolN + n > this.dPoolLimit) {
      this.dFlush();
      this.dfaFlushes++;
    }
    if (this.stamp > STAMP_LIMIT) this.clearMarks();
    this.stamp++;
    const pTgt = changetype<usize>(this.dTgt), pMarkN = this.pMarkN, stamp = this.stamp;
    for (let i = 0; i < n; i++) {
      const pc = ld(p, <u32>i * 3);
      st(pTgt, <u32>i, pc);
      st(pMarkN, pc, stamp); // (dIntern sorts a long list by a sweep over the marks)
    }
    this.dTgtN = n;
    const id = this.dIntern(kind, false);
    this.stamp++;
    return id;
  }

  /** Builds the spawn list of key = DFA class + kind before × dK (program class cls). */
  spawnBuild(key: u32, cls: u32): u32 {
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
  @inline pcCount(): i32 { return this.stack.length; }

  /** The closure of pc at the current position: targets of the CONSUMEs taking class cls. */
  dClose(pc0: u32, cls: u32, mask: u32): void {
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
  dIntern(kind: u32, sorted: bool): i32 {
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

  dSetInfo(id: i32, off: u32, len: u32, kind: u32, h: u32): void {
    const info = changetype<usize>(this.dInfo) + (<usize>id << 4);
    store<u32>(info, off);
    store<u32>(info, len, 4);
    store<u32>(info, kind, 8);
    store<u32>(info, h, 12);
    this.dSetKind(<u32>id, kind);
    this.dHashInsert(id, h);
  }

  dHashInsert(id: i32, h: u32): void {
    const hmask = <u32>this.dHash.length - 1;
    const pHash = changetype<usize>(this.dHash);
    let slot = h & hmask;
    while (ld(pHash, slot) != 0) slot = (slot + 1) & hmask;
    st(pHash, slot, <u32>id + 1);
  }

  /** Room for cap states (at most dLimit): transition rows, info, hash table. */
  dGrowStates(cap: i32): void {
    if (cap > this.dLimit) cap = this.dLimit;
    const K = 1 << this.dShift;
    const trans = new StaticArray<u32>(cap * K);
    const old = this.dCap;
    memory.copy(changetype<usize>(trans), changetype<usize>(this.dTrans), <usize>(old * K) << 2);
    memory.fill(changetype<usize>(trans) + (<usize>(old * K) << 2), 0xff, <usize>((cap - old) * K) << 2);
    this.dTrans = trans;
    this.pTrans = changetype<usize>(trans);
    this.version++;
    const info = new StaticArray<u32>(cap << 2);
    memory.copy(changetype<usize>(info), changetype<usize>(this.dInfo), <usize>old << 4);
    this.dInfo = info;
    this.dHash = new StaticArray<u32>(cap << 1);
    for (let id = 0; id < this.dCount; id++) this.dHashInsert(id, load<u32>(changetype<usize>(info) + (<usize>id << 4), 12));
    this.dCap = cap;
  }

  /** The kind of the byte before, of state id (the last entry of its row). */
  // @ts-ignore: decorator
  @inline dKindOf(id: u32): u32 {
    return load<u32>(this.pTrans + (<usize>((id + 1) << this.dRowShift) - 4));
  }

  // @ts-ignore: decorator
  @inline dSetKind(id: u32, kind: u32): void {
    store<u32>(this.pTrans + (<usize>((id + 1) << this.dRowShift) - 4), kind);
  }

  /** Empties the cache: only the empty states remain. */
  dFlush(): void {
    memory.fill(this.pTrans, 0xff, <usize>this.dCap << this.dRowShift);
    this.dHash.fill(0);
    this.dCount = <i32>EMPTY_STATES;
    this.dPoolN = 0;
    this.epoch++;
    this.version++;
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
  dFlushKeeping(st: i32): i32 {
    if (st < <i32>EMPTY_STATES) {
      this.dFlush();
      this.keptId = st;
      return st;
    }
    const info = changetype<usize>(this.dInfo) + (<usize>st << 4);
    const off = load<u32>(info), len = load<u32>(info, 4), kind = load<u32>(info, 8);
    memory.copy(changetype<usize>(this.dTgt), changetype<usize>(this.dPool) + (<usize>off << 2), <usize>len << 2);
    this.dFlush();
    this.dTgtN = <i32>len;
    const id = this.dIntern(kind, true);
    this.keptId = id;
    return id;
  }


  clearMarks(): void {
    this.markC.fill(0);
    this.markN.fill(0);
    this.seenN.fill(0);
    this.stamp = 0;
  }
}
