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
import { Op } from "./program";
import { RegexProgram, STAMP_LIMIT, Kind, EMPTY_STATES, UNKNOWN, T_UNKNOWN, T_FRESH, T_MATCH, ld, st, assertMask, kindByte, kindOf } from "./regex_program";

/** Initial history ring size (bytes); it doubles when a candidate waits longer. */
const HISTORY_MIN: i32 = 256;

/** Capacity for n words, rounded up to a power of two (at least 48: 16 threads). */
function roundUp(n: i32): i32 {
  let c = 48;
  while (c < n) c <<= 1;
  return c;
}

export class RegexSet {
  /** Longest span (original offsets) a thread may cover before it is dropped. */
  maxHold: u32 = 4096;
  /** Closure steps taken since construction: a work counter for tests and benchmarks. */
  steps: u32 = 0;
  /** False when the section bytes were malformed (the set then matches nothing). */
  valid: bool = true;
  /** the compiled program, its DFA cache and scratch: shared by every set of the section */
  readonly prog: RegexProgram;

  // Read-only program arrays (raw pointers into prog's arrays, which never move).
  private patStart: StaticArray<u32>;
  private patFirst: StaticArray<u32>;
  private patType: StaticArray<u32>;
  private patScore: StaticArray<f32>;
  private classMap: StaticArray<u8>;
  private sets: StaticArray<u32>;

  // Thread lists, 3 words per thread (pc, start index, start offset), in four regions
  // of prog.threads: cur and nxt swap after every byte, A and B serve re-runs. Regions are
  // word offsets, so swapping them stores no reference (no GC write barrier per byte).
  // Only the set that prog.owner names has its cur list there; the others keep theirs in
  // `own` (claim() swaps them), sized by need: most streams have few threads or none.
  private cur: u32 = 0;
  private curN: i32 = 0;
  private nxt: u32 = 0;
  private scrA: u32 = 0;
  private scrB: u32 = 0;
  private scrOut: u32 = 0;
  private scrOutN: i32 = 0;
  private own: StaticArray<u32> = new StaticArray<u32>(0);

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

  // This stream's place in the shared DFA (see the top of this file and regex_program.ts).
  /** False: run the Pike VM on every byte (tests compare both ways). */
  useDfa: bool = true;
  private dfaMode: bool = true; // the VM sleeps, the DFA runs
  private dState: u32 = 0; //      byte offset of the current state's row
  private dEmptyEnd: u32 = 0; //   rows below it are the empty states
  private dRowShift: u32 = 3; //   log2 of a row's bytes
  private version: u32 = 0; //     prog.version that pTrans belongs to
  private epoch: u32 = 0; //       prog.epoch that dState belongs to
  private hn: u32 = 0; //        index of the next byte fed (the VM's n lags while it sleeps)
  // While the VM sleeps and the DFA state is not empty: where a replay starts (the VM's
  // state there is the snapshot, often empty) and the earliest start it may find.
  private rIdx: u32 = 0; //      first byte to replay
  private rPrev: i32 = -1; //    the byte before it (or a byte of the same kind)
  private rPrevE: u32 = 0; //    its end offset
  private rOff: u32 = 0; //      no thread of the VM starts before this offset
  private snapN: i32 = 0; //     threads in the snapshot
  private snap: StaticArray<u32> = new StaticArray<u32>(0); // the VM's threads at rIdx, sized by need
  /** Times the VM was woken, and bytes it replayed then. */
  wakes: u32 = 0;
  replayBytes: u32 = 0;
  private pDClass: usize = 0;
  private pTrans: usize = 0;

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
  // so that the minimal runtime has nothing to spill per byte.
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

  /** A set of its own over a section (tests); streams share one program: fromProgram(). */
  constructor(section: usize, len: i32, shared: RegexProgram | null = null) {
    const prog = shared ? shared : new RegexProgram(section, len);
    this.prog = prog;
    const P = prog.P;
    const region = <u32>prog.N * 3;
    this.nxt = region;
    this.scrA = region * 2;
    this.scrB = region * 3;
    this.patStart = prog.patStart;
    this.patFirst = prog.patFirst;
    this.patType = prog.patType;
    this.patScore = prog.patScore;
    this.classMap = prog.classMap;
    this.sets = prog.sets;
    this.candActive = new StaticArray<u8>(P);
    this.candSIdx = new StaticArray<u32>(P);
    this.candSOff = new StaticArray<u32>(P);
    this.candEIdx = new StaticArray<u32>(P);
    this.candEOff = new StaticArray<u32>(P);
    this.candList = new StaticArray<u32>(P);
    this.valid = prog.valid;
    this.pInsts = prog.pInsts;
    this.pSets = prog.pSets;
    this.pClassMap = prog.pClassMap;
    this.pStartIndex = prog.pStartIndex;
    this.pStartList = prog.pStartList;
    this.pPatStart = prog.pPatStart;
    this.pPcPattern = prog.pPcPattern;
    this.pThreads = prog.pThreads;
    this.pStack = prog.pStack;
    this.pMarkC = prog.pMarkC;
    this.pMarkN = prog.pMarkN;
    this.pSeenN = prog.pSeenN;
    this.pCandActive = changetype<usize>(this.candActive);
    this.pCandSIdx = changetype<usize>(this.candSIdx);
    this.pCandEIdx = changetype<usize>(this.candEIdx);
    this.pCandList = changetype<usize>(this.candList);
    this.pHb = changetype<usize>(this.hb);
    this.pHs = changetype<usize>(this.hs);
    this.pHe = changetype<usize>(this.he);
    this.pDClass = prog.pDClass;
    this.pTrans = prog.pTrans;
    this.version = prog.version;
    this.epoch = prog.epoch;
    this.dRowShift = prog.dRowShift;
    this.dEmptyEnd = prog.dEmptyEnd;
    this.dState = <u32>Kind.START << prog.dRowShift;
  }

  /** Byte classes of the DFA (for tests and benchmarks). */
  dfaClasses(): u32 { return this.prog.dK; }
  /** DFA states built and cache flushes of the shared cache (for tests and benchmarks). */
  get dfaBuilt(): u32 { return this.prog.dfaBuilt; }
  get dfaFlushes(): u32 { return this.prog.dfaFlushes; }

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
    if (t == T_UNKNOWN) t = this.build(k); // (a flush renumbers states, never empty ones)
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
      this.claim();
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
    this.rPrev = kindByte(this.prog.dKindOf(row));
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
    if (n * 3 > this.snap.length) this.snap = new StaticArray<u32>(roundUp(n * 3));
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
    this.claim(); // (asleep: nothing of this set's to restore)
    this.dfaMode = false;
    this.wakes++;
    const pOn = changetype<usize>(this.prog.patOn), P = this.prog.patOn.length;
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
    const info = changetype<usize>(this.prog.dInfo) + (<usize>id << 4);
    const off = load<u32>(info), len = load<u32>(info, 4);
    const pPool = changetype<usize>(this.prog.dPool) + (<usize>off << 2), pPcPattern = this.pPcPattern;
    const pOn = changetype<usize>(this.prog.patOn);
    for (let i: u32 = 0; i < len; i++) store<u8>(pOn + ld(pPcPattern, ld(pPool, i)), 1);
  }

  /** End of text: settles $ and \b at the end, emits every remaining match, and resets. */
  finish(sink: FindingSink): void {
    this.sync(sink);
    if (this.dfaMode) {
      if (this.dState < this.dEmptyEnd) { // nothing alive: nothing to settle
        this.reset();
        return;
      }
      const id = this.dState >>> this.dRowShift;
      this.wake(this.hn - 1, id, id, sink);
    }
    this.claim();
    this.pikeFinish(sink);
  }

  /**
   * Catches up with the shared DFA cache before this set is fed again (the scanner calls
   * it when it starts a push or a finish, and after a nested scan): meanwhile another set
   * may have grown the transition table (new address) or flushed it (this set's state
   * is gone). Nothing else of the program moves.
   */
  sync(sink: FindingSink): void {
    if (this.version != this.prog.version) this.resync(sink);
  }

  private resync(sink: FindingSink): void {
    const prog = this.prog;
    this.pTrans = prog.pTrans;
    this.version = prog.version;
    if (this.epoch == prog.epoch) return;
    this.epoch = prog.epoch;
    if (this.dState >= this.dEmptyEnd) this.relocate(sink);
  }

  /**
   * The cache was flushed while this set's DFA state was not empty: its pc list is gone.
   * The DFA state only has to contain the VM's threads (see the top of this file), and
   * those are exact: they become the state. Asleep, the VM first replays the bytes since
   * its snapshot, as wake() does with every pattern on; that replay ends no match (the
   * DFA saw none there) and drops no thread (all within maxHold), so it emits nothing.
   */
  private relocate(sink: FindingSink): void {
    const prog = this.prog;
    this.claim();
    const asleep = this.dfaMode;
    if (asleep) {
      this.dfaMode = false;
      memory.copy(this.pThreads + (<usize>this.cur << 2), changetype<usize>(this.snap), <usize>this.snapN * 12);
      this.curN = this.snapN;
      this.n = this.rIdx;
      this.prevByte = this.rPrev;
      this.prevE = this.rPrevE;
      for (let i = this.rIdx; i < this.hn; i++) {
        const m = <usize>(i & this.hmask);
        this.pikeFeed(load<u8>(this.pHb + m), load<u32>(this.pHs + (m << 2)), load<u32>(this.pHe + (m << 2)), sink);
      }
    }
    const kind = this.prevByte < 0 ? <u32>Kind.START : kindOf(this.prevByte);
    const id = prog.internThreads(this.pThreads + (<usize>this.cur << 2), this.curN, kind);
    this.dState = <u32>id << this.dRowShift;
    this.epoch = prog.epoch;
    this.pTrans = prog.pTrans;
    this.version = prog.version;
    if (asleep) this.sleep(this.prevE);
  }

  /** Builds a transition in the shared cache; a flush there keeps this set's state (new id). */
  private build(k: u32): u32 {
    const prog = this.prog;
    const t = prog.dBuild(this.dState >>> this.dRowShift, k);
    if (prog.epoch != this.epoch) {
      if (this.dState >= this.dEmptyEnd) this.dState = <u32>prog.keptId << this.dRowShift;
      this.epoch = prog.epoch;
    }
    this.pTrans = prog.pTrans;
    this.version = prog.version;
    return t;
  }

  /** Puts this set's threads into the shared lists (another set's go to its `own`). */
  private claim(): void {
    if (this.prog.owner !== this) this.takeOver();
  }

  private takeOver(): void {
    const prog = this.prog;
    const o = prog.owner;
    if (o) o.putAway();
    prog.owner = this;
    const n = this.curN;
    if (!this.dfaMode && n > 0) memory.copy(this.pThreads + (<usize>this.cur << 2), changetype<usize>(this.own), <usize>n * 12);
  }

  /** Copies this set's current threads out of the shared lists (an asleep VM has none that count). */
  putAway(): void {
    const n = this.curN;
    if (this.dfaMode || n == 0) return;
    if (n * 3 > this.own.length) this.own = new StaticArray<u32>(roundUp(n * 3));
    memory.copy(changetype<usize>(this.own), this.pThreads + (<usize>this.cur << 2), <usize>n * 12);
  }

  /** Earliest original offset at which a match still tracked may start; NONE if none. */
  pending(): u32 {
    if (this.dfaMode) return this.dState >= this.dEmptyEnd ? this.rOff : NONE;
    let m = NONE;
    // (another set may hold the shared lists: then this set's threads are in `own`)
    const pThreads = this.prog.owner === this ? this.pThreads + (<usize>this.cur << 2) : changetype<usize>(this.own);
    for (let i = 0, o: u32 = 2; i < this.curN; i++, o += 3) {
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
    const key = <u32>load<u8>(this.pDClass + b) + (this.prevByte < 0 ? <u32>Kind.START : kindOf(this.prevByte)) * this.prog.dK;
    if (ld(changetype<usize>(this.prog.spOff), key) == UNKNOWN) this.prog.spawnBuild(key, cls);
    if (this.prog.stamp > STAMP_LIMIT) this.prog.clearMarks();
    this.ctxCls = <i32>cls;
    this.ctxMask = assertMask(this.prevByte, b);
    this.ctxIdx = idx;
    this.ctxE = e;
    this.ctxPrevE = this.prevE;
    this.prog.stamp++;
    this.tgt = this.nxt;
    this.tgtN = 0;
    this.stepList(this.cur, this.curN);
    const pCandActive = this.pCandActive;
    if (this.overflowMin == NONE && e - s <= this.maxHold) {
      // the spawns' targets from the cache, minus those that older threads hold (the
      // pcs an older thread's closure visited lead only to targets it holds, or that
      // this byte's class fails — unless it was dropped for maxHold: then no cache)
      const off = ld(changetype<usize>(this.prog.spOff), key);
      const len = ld(changetype<usize>(this.prog.spLen), key);
      const pSp = changetype<usize>(this.prog.spList) + (<usize>off << 2);
      const pMarkN = this.pMarkN, pThreads = this.pThreads, pPcPattern = this.pPcPattern, pSeenN = this.pSeenN;
      const pOn = changetype<usize>(this.prog.patOn);
      const stamp = this.prog.stamp, tgt = this.tgt;
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
        if (load<u8>(pCandActive + p) == 0 && unchecked(this.prog.patOn[p]) != 0) this.addThread(ld(pPatStart, p), p, idx, s);
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
    if (this.prog.stamp > STAMP_LIMIT) this.prog.clearMarks();
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
    this.prog.stamp++;
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
    const stamp = this.prog.stamp;
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
    const mainStamp = this.prog.stamp;
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
    this.prog.stamp++; // the re-runs used the marks; the caller's pass is over
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
      this.prog.stamp++;
      this.tgt = b;
      this.tgtN = 0;
      this.stepList(a, aN);
      if (load<u8>(this.pCandActive + p) == 0 && ((unchecked(this.sets[first + (<u32>cls >>> 5)]) >>> (<u32>cls & 31)) & 1) != 0) {
        this.addThread(start, p, i, unchecked(this.hs[m]));
      }
      if (load<u8>(this.pCandActive + p) != 0 && ld(this.pSeenN, p) != this.prog.stamp) {
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

}
