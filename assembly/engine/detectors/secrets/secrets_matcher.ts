// The secrets detector on the pattern view: provider tokens, PEM private keys, JWTs,
// passwords in URLs and `key = "value"` assignments, fed one byte at a time.
//
//   byte ─▶ ring (last ≥ maxHold bytes and their original spans)
//        ├▶ live candidates: each runs its format's body program (runs, literals, "until")
//        ├▶ anchor automaton (every prefix of every format at once) ─▶ new candidates
//        ├▶ first-char formats (Telegram: a digit at a word start) ─▶ new candidates
//        └▶ assignment reader ─▶ value ─▶ keyword formats, else GENERIC_SECRET (entropy)
//   complete candidates ─▶ validators (CRC32, JWT header, entropy, …) ─▶ queue
//   queue ─▶ sink, once nothing still running could overlap an entry: overlapping
//            findings keep the best (token > keyword format > generic; then leftmost, longest)
//
// pending() is the earliest original offset any of these may still report: the start
// of a live candidate's span, of an anchor prefix read so far (only where an anchor may
// start: "sk" after "a" is not held), of an assignment value being read, or of a queued
// finding. Ordinary words hold nothing.
//
// Work per byte is bounded: one ring store, one automaton step, the live candidates
// (at most MAX_CANDIDATES, usually none), a few assignment-state branches. Validators
// run once per complete candidate over its own bytes. Nothing allocates after reset().
//
// The common byte (a letter of an ordinary word, nothing live) costs: the ring store,
// one load of its classes (`info`: anchor class, key class, may-start-a-first-char-
// format), one anchor transition and one keyword transition, each followed by a
// compare of the new row against the first row where something ends. A live candidate
// inside a character run costs a charset bit and a compare against the byte where it
// must next be looked at (`cUntil`: its run is full or it outgrows maxHold); its count
// is brought up to date only then (`cSync`).
import { NONE } from "../../constants";
import { FindingSink } from "../../sink";
import { shannonEntropy } from "../../validators/entropy";
import { SecretsTable, FormatFlag, OpKind, Validator, NO_U8 } from "./section";
import { Automaton, NO_NODE } from "./automaton";
import { Assignment, MAX_VALUE } from "./assignment";
import { githubChecksumOk } from "./github_checksum";
import { jwtHeaderOk } from "./jwt";
import { isPlaceholder, isCodeReference, looksGenerated } from "./placeholder";

const MAX_CANDIDATES: i32 = 64;
/** candidate slot used to match a whole assignment value against a keyword format */
const SCRATCH_SLOT: i32 = MAX_CANDIDATES;
const MAX_QUEUE: i32 = 32;
const INF: u32 = 0xffffffff;
const MIN_RING: i32 = 8192;
/** Ring bytes copied out for a validator, read within the same call: one buffer for every
 *  matcher (single-threaded engine), as large as the largest ring. */
let scratch = new StaticArray<u8>(MIN_RING);
/** ring bytes kept beyond maxHold (anchor look-behind, the byte before a span) */
const RING_SLACK: u32 = 64;
/** shortest value a generic or keyword rule judges */
const MIN_VALUE: i32 = 8;
/** shortest PEM body (between the BEGIN and END lines) that counts as a key */
const MIN_PEM_BODY: u32 = 16;
/** automaton pattern flag: the anchor may start mid-word */
const ANCHOR_ANYWHERE: u8 = 1;
/** anchor patterns all have rank 1: an anchor ends at rows ≥ rankRow[1] */
const ANCHOR_RANK: u8 = 1;

// `info[b]`: byte offsets (column × 4) of b in the anchor automaton's rows (bits 0..10)
// and in the keyword automaton's (bits 11..21), and whether b may start a first-char
// format.
const CLASS_BITS: u32 = 11;
const CLASS_MASK: u32 = (1 << CLASS_BITS) - 1;
const INFO_FIRST_CHAR: u32 = 1 << (2 * CLASS_BITS);

const enum Step {
  RUN = 0,
  FAIL = 1,
  DONE_BEFORE = 2, // complete; the token ended before this byte
  DONE_AFTER = 3,  // complete; this byte was its last
}

/** Overlap preference between findings. */
const enum Rank {
  GENERIC = 0,
  KEYWORD = 1,
  TOKEN = 2,
}

const enum Char {
  SPACE = 0x20,
  DOT = 0x2e,
  UPPER_A = 0x41,
  TILDE = 0x7e,
  UNDERSCORE = 0x5f,
}

// @ts-ignore: decorator
@inline function isAlnum(c: u32): bool {
  return c - 0x30 < 10 || (c | 0x20) - 0x61 < 26;
}

// T3BlbkFJ: base64 of "openai", embedded in OpenAI project/service keys.
const OPENAI_MARKER = memory.data<u8>([0x54, 0x33, 0x42, 0x6c, 0x62, 0x6b, 0x46, 0x4a]);
const OPENAI_MARKER_LENGTH: i32 = 8;
const AZURE_LOOKBACK: u32 = 4;
const TFC_LOOKBACK: u32 = 14;

/** For each anchor state s, the depth of the longest proper suffix state (failure chain)
 *  that may begin a match inside s's text: a mid-word anchor prefix, or one whose
 *  preceding byte in that text is not a letter or digit. */
function innerHolds(ac: Automaton): StaticArray<i32> {
  const n = ac.nodes;
  const out = new StaticArray<i32>(n);
  const text = new StaticArray<u8>(256);
  for (let s = 1; s < n; s++) {
    const d = unchecked(ac.depth[s]);
    if (d > text.length) continue; // (anchors are at most 255 bytes)
    for (let v = s, i = d - 1; v > 0 && i >= 0; v = unchecked(ac.parent[v]), i--) unchecked((text[i] = unchecked(ac.label[v])));
    for (let v = unchecked(ac.fail[s]); v > 0; v = unchecked(ac.fail[v])) {
      const e = unchecked(ac.depth[v]);
      if ((unchecked(ac.nodeFlags[v]) & ANCHOR_ANYWHERE) || !isAlnum(<u32>unchecked(text[d - e - 1]))) {
        unchecked((out[s] = e));
        break;
      }
    }
  }
  return out;
}

export class SecretsMatcher {
  private hold: u32 = 4096;

  private t!: SecretsTable;
  private minEntropy: f64;
  private anchors!: Automaton;
  /** the anchor automaton's transitions as addresses: [row + column] → address of the
   *  next row (so a step is one load from the current row's address) */
  private acTab!: StaticArray<u32>;
  private acBase: usize;
  /** rows from this address on end an anchor */
  private acHot: usize;
  /** address of the current state's row */
  private acRow: usize;
  /** per anchor state: depth of its longest proper suffix state that may begin a match
   *  where it stands inside the state's own text (see anchorHold), 0 if none */
  private acInnerHold: StaticArray<i32> = new StaticArray<i32>(0);
  private info: StaticArray<u32> = new StaticArray<u32>(256);
  private anchorFormat!: StaticArray<i32>;
  private anchorLength!: StaticArray<i32>;
  private firstChar!: StaticArray<i32>;
  private keywordFormat!: StaticArray<i32>;
  private assign!: Assignment;

  // ring of the last bytes: value and original span
  private ringB: StaticArray<u8> = new StaticArray<u8>(MIN_RING);
  /** original span of each ring byte: its start offset, */
  private ringS: StaticArray<u32> = new StaticArray<u32>(MIN_RING);
  /** its length: a pattern-view byte spans one code point of the input (1 to 4 bytes), so
   *  a byte holds it (this ring is the largest part of an open stream: 5 bytes per slot) */
  private ringL: StaticArray<u8> = new StaticArray<u8>(MIN_RING);
  private mask: u32 = <u32>MIN_RING - 1;
  private pos: u32 = 0;

  // live candidates (struct of arrays; slot SCRATCH_SLOT is for whole-value matching)
  private cFormat: StaticArray<i32> = new StaticArray<i32>(MAX_CANDIDATES + 1);
  private cToken: StaticArray<u32> = new StaticArray<u32>(MAX_CANDIDATES + 1);
  private cBody: StaticArray<u32> = new StaticArray<u32>(MAX_CANDIDATES + 1);
  private cOp: StaticArray<i32> = new StaticArray<i32>(MAX_CANDIDATES + 1);
  private cCount: StaticArray<i32> = new StaticArray<i32>(MAX_CANDIDATES + 1);
  private cSpanStart: StaticArray<u32> = new StaticArray<u32>(MAX_CANDIDATES + 1);
  private cSpanEnd: StaticArray<u32> = new StaticArray<u32>(MAX_CANDIDATES + 1);
  /** in a run: its charset's offset in t.charsets, else -1 */
  private cFast: StaticArray<i32> = new StaticArray<i32>(MAX_CANDIDATES + 1);
  /** in a run: bytes before this one only extend the run (cCount lags behind) */
  private cUntil: StaticArray<u32> = new StaticArray<u32>(MAX_CANDIDATES + 1);
  /** in a run: first byte not yet counted in cCount */
  private cSync: StaticArray<u32> = new StaticArray<u32>(MAX_CANDIDATES + 1);
  private live: i32 = 0;

  // complete findings awaiting overlap resolution (ring positions and original offsets)
  private qType: StaticArray<u32> = new StaticArray<u32>(MAX_QUEUE);
  private qStart: StaticArray<u32> = new StaticArray<u32>(MAX_QUEUE);
  private qEnd: StaticArray<u32> = new StaticArray<u32>(MAX_QUEUE);
  private qS: StaticArray<u32> = new StaticArray<u32>(MAX_QUEUE);
  private qE: StaticArray<u32> = new StaticArray<u32>(MAX_QUEUE);
  private qScore: StaticArray<f32> = new StaticArray<f32>(MAX_QUEUE);
  private qRank: StaticArray<i32> = new StaticArray<i32>(MAX_QUEUE);
  private queued: i32 = 0;
  private sink: FindingSink | null = null;

  /**
   * `like`: a matcher of the same section whose read-only tables (format table, anchor and
   * keyword automata) this one shares: they are a function of the policy, and building
   * them per stream cost ~1 MiB of wasm memory per open stream with the default policy.
   */
  constructor(section: usize, len: i32, minEntropy: f64, like: SecretsMatcher | null = null) {
    if (like) {
      this.t = like.t;
      this.minEntropy = like.minEntropy;
      this.anchors = like.anchors;
      this.acTab = like.acTab;
      this.acBase = like.acBase;
      this.acRow = like.acBase;
      this.acHot = like.acHot;
      this.acInnerHold = like.acInnerHold;
      this.info = like.info;
      this.anchorFormat = like.anchorFormat;
      this.anchorLength = like.anchorLength;
      this.firstChar = like.firstChar;
      this.keywordFormat = like.keywordFormat;
      this.assign = new Assignment(like.t, like.assign);
    } else {
      const t = new SecretsTable(section, len);
      const n = t.prefixOffset.length;
      const flags = new Array<u8>(n);
      const ranks = new Array<u8>(n);
      const anchorFormat = new StaticArray<i32>(max(n, 1));
      const anchorLength = new StaticArray<i32>(max(n, 1));
      for (let i = 0; i < n; i++) {
        ranks[i] = ANCHOR_RANK;
        const f = t.prefixFormat[i];
        unchecked((anchorFormat[i] = f));
        unchecked((anchorLength[i] = t.prefixLength[i]));
        flags[i] = (unchecked(t.fFlags[f]) & FormatFlag.LEFT_BOUNDARY) ? 0 : ANCHOR_ANYWHERE;
      }
      let firsts = 0, keywords = 0;
      for (let f = 0; f < t.formatCount; f++) {
        const fl = unchecked(t.fFlags[f]);
        if (fl & FormatFlag.FIRST_CHARS) firsts++;
        if (fl & FormatFlag.KEYWORD) keywords++;
      }
      const firstChar = new StaticArray<i32>(firsts);
      const keywordFormat = new StaticArray<i32>(keywords);
      firsts = 0; keywords = 0;
      for (let f = 0; f < t.formatCount; f++) {
        const fl = unchecked(t.fFlags[f]);
        if (fl & FormatFlag.FIRST_CHARS) unchecked((firstChar[firsts++] = f));
        if (fl & FormatFlag.KEYWORD) unchecked((keywordFormat[keywords++] = f));
      }
      this.t = t;
      this.minEntropy = minEntropy;
      const anchors = new Automaton(t.prefixBytes, t.prefixOffset, t.prefixLength, flags, ranks, ANCHOR_RANK);
      this.anchors = anchors;
      const next = anchors.next;
      const acTab = new StaticArray<u32>(next.length);
      const acBase = changetype<usize>(acTab);
      for (let i = 0, n = next.length; i < n; i++) unchecked((acTab[i] = <u32>(acBase + (<usize>unchecked(next[i]) << 2))));
      this.acTab = acTab;
      this.acBase = acBase;
      this.acRow = acBase;
      this.acHot = acBase + (<usize>unchecked(anchors.rankRow[ANCHOR_RANK]) << 2);
      this.acInnerHold = innerHolds(anchors);
      this.anchorFormat = anchorFormat;
      this.anchorLength = anchorLength;
      this.firstChar = firstChar;
      this.keywordFormat = keywordFormat;
      const assign = new Assignment(t);
      this.assign = assign;
      for (let b: u32 = 0; b < 256; b++) {
        let v = (<u32>unchecked(anchors.classOf[b]) << 2) | ((unchecked(assign.keyClass[b]) << 2) << CLASS_BITS);
        for (let i = 0; i < firsts; i++) {
          const f = unchecked(firstChar[i]);
          if (unchecked(t.fOpCount[f]) > 0 && t.inSet(unchecked(t.opCharset[unchecked(t.fOpStart[f])]), b)) v |= INFO_FIRST_CHAR;
        }
        unchecked((this.info[b] = v));
      }
    }
    for (let k = 0; k <= MAX_CANDIDATES; k++) unchecked((this.cFast[k] = -1));
  }

  reset(): void {
    this.growRing();
    this.pos = 0;
    this.acRow = this.acBase;
    this.live = 0;
    this.queued = 0;
    this.assign.reset();
  }

  /** Longest candidate (bytes) before it is abandoned with sink.overflow(start). */
  get maxHold(): u32 { return this.hold; }
  set maxHold(v: u32) {
    this.hold = v;
    if (this.pos == 0) this.growRing(); // (else from the next stream on: see reset)
  }

  /** Reads one byte of the pattern view; [s, e) is its original span. Inlined into the
   *  scanner: the common byte (nothing live or queued, no anchor ends, no first-char
   *  byte, the assignment reader between keys) goes through here without a call. */
  // @ts-ignore: decorator
  @inline feed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const p = this.pos;
    const at = <i32>(p & this.mask);
    unchecked((this.ringB[at] = b));
    unchecked((this.ringS[at] = s));
    unchecked((this.ringL[at] = <u8>(e - s)));
    this.pos = p + 1;
    const c = <u32>b;
    const info = unchecked(this.info[c]);
    if ((this.live | this.queued) != 0) {
      this.feedBusy(c, info, p, sink);
    } else {
      // anchors ending at this byte start candidates whose body begins at the next byte;
      // first-char formats start at this byte
      const row = <usize>load<u32>(this.acRow + <usize>(info & CLASS_MASK));
      this.acRow = row;
      if ((row >= this.acHot) | ((info & INFO_FIRST_CHAR) != 0)) this.spawnAt(row, info, c, p);
      if (this.assign.feed((info >> CLASS_BITS) & CLASS_MASK, c, p)) this.valueEnded(sink);
    }
  }

  /** feed() with live candidates or queued findings. */
  private feedBusy(c: u32, info: u32, p: u32, sink: FindingSink): void {
    this.sink = sink;
    // live candidates
    if (this.live > 0) this.stepLive(c, p, sink);
    // anchors ending at this byte start candidates whose body begins at the next byte
    const row = <usize>load<u32>(this.acRow + <usize>(info & CLASS_MASK));
    this.acRow = row;
    if (row >= this.acHot) this.spawnAnchored(row, p);
    // first-char formats start at this byte
    if (info & INFO_FIRST_CHAR) this.spawnFirstChar(c, p);
    if (this.assign.feed((info >> CLASS_BITS) & CLASS_MASK, c, p)) this.evaluateValue();
    if (this.queued > 0) this.flush(false);
  }

  private spawnAt(row: usize, info: u32, c: u32, p: u32): void {
    if (row >= this.acHot) this.spawnAnchored(row, p);
    if (info & INFO_FIRST_CHAR) this.spawnFirstChar(c, p);
  }

  private valueEnded(sink: FindingSink): void {
    this.sink = sink;
    this.evaluateValue();
    if (this.queued > 0) this.flush(false);
  }

  /** Advances every live candidate over byte c at ring position p. */
  private stepLive(c: u32, p: u32, sink: FindingSink): void {
    this.sink = sink;
    const hold = this.effectiveHold();
    const charsets = changetype<usize>(this.t.charsets);
    let k = 0;
    while (k < this.live) {
      const cs = unchecked(this.cFast[k]);
      if (cs >= 0) {
        // inside a run that is neither full nor too long: c only extends it
        if (p < unchecked(this.cUntil[k]) && ((<u32>load<u8>(charsets + <usize>cs + <usize>(c >> 3)) >> (c & 7)) & 1)) { k++; continue; }
        unchecked((this.cCount[k] += <i32>(p - unchecked(this.cSync[k]))));
      }
      const r = this.step(k, c, p);
      if (r == Step.RUN) {
        const spanStart = unchecked(this.cSpanStart[k]);
        if (spanStart < p && p - spanStart >= hold) {
          sink.overflow(unchecked(this.ringS[<i32>(spanStart & this.mask)]));
          this.remove(k);
          continue;
        }
        this.sync(k, p + 1, hold);
        k++;
        continue;
      }
      if (r == Step.DONE_BEFORE) this.complete(k, p);
      else if (r == Step.DONE_AFTER) this.complete(k, p + 1);
      this.remove(k);
    }
  }

  /** Candidate k has read everything before ring position `next`: when it is in a run,
   *  note until which byte the fast path of stepLive may extend the run alone. */
  private sync(k: i32, next: u32, hold: u32): void {
    const t = this.t;
    const f = unchecked(this.cFormat[k]);
    const op = unchecked(this.cOp[k]);
    if (op >= unchecked(t.fOpCount[f])) { unchecked((this.cFast[k] = -1)); return; }
    const o = unchecked(t.fOpStart[f]) + op;
    if (unchecked(t.opKind[o]) != OpKind.SEG) { unchecked((this.cFast[k] = -1)); return; }
    // the run may take bytes while count + 1 < max (the byte that fills it moves on)
    let until = next + <u32>(unchecked(t.opMax[o]) - 1 - unchecked(this.cCount[k]));
    // … and until the candidate outgrows the hold (see stepLive)
    const spanStart = unchecked(this.cSpanStart[k]);
    if (spanStart != INF) {
      const over = spanStart + (hold > 0 ? hold : 1);
      if (over < until) until = over;
    }
    unchecked((this.cFast[k] = unchecked(t.opCharset[o]) << 5));
    unchecked((this.cUntil[k] = until));
    unchecked((this.cSync[k] = next));
  }

  /** Brings candidate k's count up to date before ring position `end`. */
  // @ts-ignore: decorator
  @inline private settle(k: i32, end: u32): void {
    if (unchecked(this.cFast[k]) >= 0) {
      unchecked((this.cCount[k] += <i32>(end - unchecked(this.cSync[k]))));
      unchecked((this.cSync[k] = end));
    }
  }

  /** First-char formats whose first run may start with c, at a word start. */
  private spawnFirstChar(c: u32, p: u32): void {
    const firsts = this.firstChar;
    const t = this.t;
    for (let i = 0, n = firsts.length; i < n; i++) {
      const f = unchecked(firsts[i]);
      if (!t.inSet(unchecked(t.opCharset[unchecked(t.fOpStart[f])]), c) || !this.boundaryBefore(p)) continue;
      const slot = this.spawn(f, p, p);
      if (slot >= 0 && this.step(slot, c, p) == Step.FAIL) this.remove(slot);
    }
  }

  /** End of input: complete what can be completed, report everything queued. */
  finish(sink: FindingSink): void {
    this.sink = sink;
    const t = this.t;
    const end = this.pos;
    for (let k = 0; k < this.live; k++) {
      this.settle(k, end);
      if (this.accepting(k)) { this.complete(k, end); continue; }
      // an unterminated PEM block is still a private key (a streamed answer cut short)
      const f = unchecked(this.cFormat[k]);
      if (unchecked(t.fValidator[f]) == Validator.PRIVATE_KEY && end - unchecked(this.cBody[k]) >= MIN_PEM_BODY) {
        this.enqueue(unchecked(t.fType[f]), unchecked(this.cToken[k]), end, unchecked(t.fScore[f]), Rank.TOKEN);
      }
    }
    this.live = 0;
    if (this.assign.finish(end)) this.evaluateValue();
    this.flush(true);
    this.acRow = this.acBase;
  }

  /** Earliest original offset a finding reported later may start at; NONE if none. */
  pending(): u32 {
    let m = this.floor();
    for (let i = 0; i < this.queued; i++) {
      const q = unchecked(this.qStart[i]);
      if (q < m) m = q;
    }
    if (m >= this.pos) return NONE;
    return unchecked(this.ringS[<i32>(m & this.mask)]);
  }

  // ── ring ───────────────────────────────────────────────────────────────────────

  private growRing(): void {
    let size = <u32>this.ringB.length;
    const need = this.hold + RING_SLACK + MAX_VALUE;
    if (need <= size) return;
    while (size < need) size <<= 1;
    this.ringB = new StaticArray<u8>(<i32>size);
    this.ringS = new StaticArray<u32>(<i32>size);
    this.ringL = new StaticArray<u8>(<i32>size);
    if (<i32>size > scratch.length) scratch = new StaticArray<u8>(<i32>size);
    this.mask = size - 1;
  }

  // @ts-ignore: decorator
  @inline private effectiveHold(): u32 {
    const cap = this.mask + 1 - RING_SLACK - MAX_VALUE;
    return this.hold < cap ? this.hold : cap;
  }

  // @ts-ignore: decorator
  @inline private byteAt(p: u32): u32 {
    return <u32>unchecked(this.ringB[<i32>(p & this.mask)]);
  }

  /** An anchor may start at p: first byte, or after a byte that is not a letter/digit. */
  private boundaryBefore(p: u32): bool {
    return p == 0 || !isAlnum(this.byteAt(p - 1));
  }

  /** Copies ring bytes [from, to) to the scratch buffer; returns its address. */
  private copyOut(from: u32, to: u32): usize {
    const dst = changetype<usize>(scratch);
    for (let p = from, i: usize = 0; p < to; p++, i++) store<u8>(dst + i, <u8>this.byteAt(p));
    return dst;
  }

  // ── candidates ─────────────────────────────────────────────────────────────────

  private spawnAnchored(row: usize, p: u32): void {
    const ac = this.anchors;
    const t = this.t;
    const state = ac.stateOf(<i32>((row - this.acBase) >> 2));
    let node = unchecked(ac.outFirst[state]) != NO_NODE ? state : unchecked(ac.dictLink[state]);
    while (node != NO_NODE) {
      for (let e = unchecked(ac.outFirst[node]); e != NO_NODE; e = unchecked(ac.outNext[e])) {
        const a = unchecked(ac.outPattern[e]);
        const f = unchecked(this.anchorFormat[a]);
        const token = p + 1 - <u32>unchecked(this.anchorLength[a]);
        if ((unchecked(t.fFlags[f]) & FormatFlag.LEFT_BOUNDARY) && !this.boundaryBefore(token)) continue;
        this.spawn(f, token, p + 1);
      }
      node = unchecked(ac.dictLink[node]);
    }
  }

  /** New candidate of format f; returns its slot, or -1 when none was started. */
  private spawn(f: i32, token: u32, body: u32): i32 {
    const t = this.t;
    if (this.live >= MAX_CANDIDATES) return -1;
    // an open block already covers a second BEGIN line inside it
    if (unchecked(t.opKind[unchecked(t.fOpStart[f])]) == OpKind.UNTIL) {
      for (let k = 0; k < this.live; k++) if (unchecked(this.cFormat[k]) == f) return -1;
    }
    const k = this.live++;
    unchecked((this.cFormat[k] = f));
    unchecked((this.cToken[k] = token));
    unchecked((this.cBody[k] = body));
    unchecked((this.cOp[k] = 0));
    unchecked((this.cCount[k] = 0));
    const from = unchecked(t.fSpanFrom[f]);
    unchecked((this.cSpanStart[k] = from == NO_U8 ? token : from == 0 ? body : INF));
    unchecked((this.cSpanEnd[k] = INF));
    unchecked((this.cFast[k] = -1));
    return k;
  }

  private remove(k: i32): void {
    const last = --this.live;
    if (k == last) return;
    unchecked((this.cFormat[k] = this.cFormat[last]));
    unchecked((this.cToken[k] = this.cToken[last]));
    unchecked((this.cBody[k] = this.cBody[last]));
    unchecked((this.cOp[k] = this.cOp[last]));
    unchecked((this.cCount[k] = this.cCount[last]));
    unchecked((this.cSpanStart[k] = this.cSpanStart[last]));
    unchecked((this.cSpanEnd[k] = this.cSpanEnd[last]));
    unchecked((this.cFast[k] = this.cFast[last]));
    unchecked((this.cUntil[k] = this.cUntil[last]));
    unchecked((this.cSync[k] = this.cSync[last]));
  }

  /** Moves candidate k to body op `op`, which begins at ring position `at`. */
  // @ts-ignore: decorator
  @inline private enter(k: i32, f: i32, op: i32, at: u32): i32 {
    const t = this.t;
    if (op - 1 == unchecked(t.fSpanTo[f])) unchecked((this.cSpanEnd[k] = at));
    if (op == unchecked(t.fSpanFrom[f])) unchecked((this.cSpanStart[k] = at));
    return op;
  }

  /** Advances candidate k over byte c at ring position p. */
  private step(k: i32, c: u32, p: u32): Step {
    const t = this.t;
    const f = unchecked(this.cFormat[k]);
    const first = unchecked(t.fOpStart[f]);
    const n = unchecked(t.fOpCount[f]);
    const rightBoundary = (unchecked(t.fFlags[f]) & FormatFlag.RIGHT_BOUNDARY) != 0;
    let op = unchecked(this.cOp[k]);
    let cnt = unchecked(this.cCount[k]);
    while (true) {
      if (op == n) {
        // the token is complete and c is the byte after it
        if (rightBoundary && t.inSet(unchecked(t.fTail[f]), c)) return Step.FAIL;
        return Step.DONE_BEFORE;
      }
      const o = first + op;
      const kind = unchecked(t.opKind[o]);
      if (kind == OpKind.SEG) {
        const maxLen = unchecked(t.opMax[o]);
        if (cnt < maxLen && t.inSet(unchecked(t.opCharset[o]), c)) {
          cnt++;
          if (cnt == maxLen) {
            op = this.enter(k, f, op + 1, p + 1);
            cnt = 0;
            if (op == n && !rightBoundary) return Step.DONE_AFTER;
          }
          break;
        }
        if (cnt < unchecked(t.opMin[o])) return Step.FAIL;
        op = this.enter(k, f, op + 1, p); // c belongs to what follows the run
        cnt = 0;
        continue;
      }
      const lit = unchecked(t.opLit[o]);
      if (kind == OpKind.LIT) {
        if (c != <u32>unchecked(t.lits[lit + cnt])) return Step.FAIL;
        cnt++;
      } else { // UNTIL: KMP over the terminating literal
        while (cnt > 0 && c != <u32>unchecked(t.lits[lit + cnt])) cnt = unchecked(t.kmp[lit + cnt - 1]);
        if (c == <u32>unchecked(t.lits[lit + cnt])) cnt++;
      }
      if (cnt == unchecked(t.opMin[o])) {
        op = this.enter(k, f, op + 1, p + 1);
        cnt = 0;
        if (op == n && !rightBoundary) return Step.DONE_AFTER;
      }
      break;
    }
    unchecked((this.cOp[k] = op));
    unchecked((this.cCount[k] = cnt));
    return Step.RUN;
  }

  /** Candidate k may end here (end of input): all ops done, or an optional tail remains. */
  private accepting(k: i32): bool {
    const t = this.t;
    const f = unchecked(this.cFormat[k]);
    const op = unchecked(this.cOp[k]);
    if (op == unchecked(t.fOpCount[f])) return true;
    const o = unchecked(t.fOpStart[f]) + op;
    return unchecked(t.opKind[o]) == OpKind.SEG && unchecked(this.cCount[k]) >= unchecked(t.opMin[o]) && unchecked(t.opRestOptional[o]);
  }

  /** Candidate k's token ends at ring position `end` (exclusive): validate and queue. */
  private complete(k: i32, end: u32): void {
    const t = this.t;
    const f = unchecked(this.cFormat[k]);
    const token = unchecked(this.cToken[k]);
    const body = unchecked(this.cBody[k]);
    let spanStart = unchecked(this.cSpanStart[k]);
    let spanEnd = unchecked(this.cSpanEnd[k]);
    if (spanStart == INF) spanStart = token;
    if (spanEnd == INF || spanEnd > end) spanEnd = end;
    if (!this.valid(f, token, body, end, spanStart, spanEnd)) return;
    this.enqueue(unchecked(t.fType[f]), spanStart, spanEnd, unchecked(t.fScore[f]), Rank.TOKEN);
  }

  private valid(f: i32, token: u32, body: u32, end: u32, spanStart: u32, spanEnd: u32): bool {
    const t = this.t;
    const minEntropy = unchecked(t.fEntropy[f]);
    if (minEntropy > 0) {
      // random bodies are neither low-entropy nor documentation ("AKIAIOSFODNN7EXAMPLE")
      const ptr = this.copyOut(body, end);
      const n = <i32>(end - body);
      if (shannonEntropy(ptr, n) < minEntropy) return false;
      if (unchecked(t.fValidator[f]) != Validator.JWT && isPlaceholder(ptr, n)) return false;
    }
    switch (<i32>unchecked(t.fValidator[f])) {
      case Validator.GITHUB_CRC32: return githubChecksumOk(this.copyOut(body, end), <i32>(end - body));
      case Validator.JWT: {
        let dot = token;
        while (dot < end && this.byteAt(dot) != Char.DOT) dot++;
        return jwtHeaderOk(this.copyOut(token, dot), <i32>(dot - token));
      }
      case Validator.OPENAI_MARKER: {
        const n = <i32>(end - body);
        const ptr = this.copyOut(body, end);
        for (let i = 0; i + OPENAI_MARKER_LENGTH <= n; i++) {
          if (memory.compare(ptr + <usize>i, OPENAI_MARKER, OPENAI_MARKER_LENGTH) == 0) return true;
        }
        return false;
      }
      case Validator.ENDS_AA: return end - body >= 2 && this.byteAt(end - 1) == Char.UPPER_A && this.byteAt(end - 2) == Char.UPPER_A;
      case Validator.PRIVATE_KEY: {
        const terminator = <u32>unchecked(t.opMin[unchecked(t.fOpStart[f])]);
        return end - body >= terminator + MIN_PEM_BODY;
      }
      case Validator.BASIC_AUTH: return !isPlaceholder(this.copyOut(spanStart, spanEnd), <i32>(spanEnd - spanStart));
      case Validator.AZURE_AD_LOOKBACK: {
        // [a-zA-Z0-9_~.]{3}\d before "Q~", itself not preceded by such a byte
        if (token < AZURE_LOOKBACK || this.pos - token + AZURE_LOOKBACK >= this.mask) return false;
        if (this.byteAt(token - 1) - 0x30 >= 10) return false;
        for (let i: u32 = 2; i <= AZURE_LOOKBACK; i++) if (!this.isAzureByte(this.byteAt(token - i))) return false;
        return token == AZURE_LOOKBACK || !this.isAzureByte(this.byteAt(token - AZURE_LOOKBACK - 1));
      }
      case Validator.TFC_LOOKBACK: {
        if (token < TFC_LOOKBACK || this.pos - token + TFC_LOOKBACK >= this.mask) return false;
        for (let i: u32 = 1; i <= TFC_LOOKBACK; i++) if (!isAlnum(this.byteAt(token - i))) return false;
        return token == TFC_LOOKBACK || !isAlnum(this.byteAt(token - TFC_LOOKBACK - 1));
      }
      default: return true;
    }
  }

  // @ts-ignore: decorator
  @inline private isAzureByte(c: u32): bool {
    return isAlnum(c) || c == Char.UNDERSCORE || c == Char.TILDE || c == Char.DOT;
  }

  // ── assignments ────────────────────────────────────────────────────────────────

  /** An assignment value ended: a keyword format if its key and shape say so, else a
   *  generic secret if its key is password-like and the value looks random. */
  private evaluateValue(): void {
    const a = this.assign;
    const t = this.t;
    const start = a.valueStart;
    const end = a.valueEnd;
    const n = <i32>(end - start);
    if (n < MIN_VALUE || <u32>n > MAX_VALUE) return;
    const ptr = this.copyOut(start, end);
    if (isPlaceholder(ptr, n)) return;
    if (!a.quoted && isCodeReference(ptr, n)) return;
    // a quoted value with spaces is prose or a command ("`etcdctl get /x`"), not a key
    for (let i = 0; i < n; i++) if (load<u8>(ptr + <usize>i) == Char.SPACE) return;
    const groups = a.keyGroups;
    const kf = this.keywordFormat;
    for (let i = 0, m = kf.length; i < m; i++) {
      const f = unchecked(kf[i]);
      if (((groups >> <u64>unchecked(t.fGroup[f])) & 1) == 0) continue;
      if (!this.matchesWhole(f, ptr, n)) continue;
      if (shannonEntropy(ptr, n) < unchecked(t.fEntropy[f])) continue;
      this.enqueue(unchecked(t.fType[f]), start, end, unchecked(t.fScore[f]), Rank.KEYWORD);
      return;
    }
    if (t.genericType == INF || (groups & t.genericGroups) == 0 || !looksGenerated(ptr, n)) return;
    const h = shannonEntropy(ptr, n);
    if (h < this.minEntropy) return;
    // more randomness, more confidence: +0.1 per bit above the threshold, at most +0.3
    let bonus = (h - this.minEntropy) * 0.1;
    if (bonus > 0.3) bonus = 0.3;
    this.enqueue(t.genericType, start, end, t.genericScore + <f32>bonus, Rank.GENERIC);
  }

  /** True when all n bytes at ptr form exactly one token of format f's body. */
  private matchesWhole(f: i32, ptr: usize, n: i32): bool {
    const k = SCRATCH_SLOT;
    unchecked((this.cFormat[k] = f));
    unchecked((this.cOp[k] = 0));
    unchecked((this.cCount[k] = 0));
    for (let i = 0; i < n; i++) {
      const r = this.step(k, <u32>load<u8>(ptr + <usize>i), 0);
      if (r == Step.DONE_AFTER) return i == n - 1;
      if (r != Step.RUN) return false;
    }
    return this.accepting(k);
  }

  // ── queue: overlap resolution before the sink ─────────────────────────────────

  private enqueue(type: u32, start: u32, end: u32, score: f32, rank: Rank): void {
    if (end <= start) return;
    if (this.queued == MAX_QUEUE) this.flush(true);
    const i = this.queued++;
    unchecked((this.qType[i] = type));
    unchecked((this.qStart[i] = start));
    unchecked((this.qEnd[i] = end));
    unchecked((this.qS[i] = unchecked(this.ringS[<i32>(start & this.mask)])));
    const last = <i32>((end - 1) & this.mask);
    unchecked((this.qE[i] = unchecked(this.ringS[last]) + <u32>unchecked(this.ringL[last])));
    unchecked((this.qScore[i] = score > 1 ? 1 : score));
    unchecked((this.qRank[i] = rank));
  }

  /** Ring position before which nothing new can start (pos when nothing is running). */
  private floor(): u32 {
    let m = this.pos;
    for (let k = 0; k < this.live; k++) {
      const s = unchecked(this.cSpanStart[k]);
      if (s < m) m = s;
    }
    const v = this.assign.holding();
    if (v < m) m = v;
    const a = this.anchorHold();
    if (a < m) m = a;
    return m;
  }

  /** Start of the longest anchor prefix just read that could still begin a match: the
   *  state's whole text when it may start where it stands (mid-word anchors, or after a
   *  boundary), else the longest shorter suffix that may (known from the state alone). */
  private anchorHold(): u32 {
    const row = this.acRow;
    if (row == this.acBase) return INF;
    const ac = this.anchors;
    const s = ac.stateOf(<i32>((row - this.acBase) >> 2));
    const start = this.pos - <u32>unchecked(ac.depth[s]);
    if ((unchecked(ac.nodeFlags[s]) & ANCHOR_ANYWHERE) || this.boundaryBefore(start)) return start;
    const inner = unchecked(this.acInnerHold[s]);
    return inner > 0 ? this.pos - <u32>inner : INF;
  }

  /** q is preferred to r when they overlap: higher rank, then leftmost, then longest. */
  private better(q: i32, r: i32): bool {
    const rq = unchecked(this.qRank[q]), rr = unchecked(this.qRank[r]);
    if (rq != rr) return rq > rr;
    const sq = unchecked(this.qStart[q]), sr = unchecked(this.qStart[r]);
    if (sq != sr) return sq < sr;
    const lq = unchecked(this.qEnd[q]) - sq, lr = unchecked(this.qEnd[r]) - sr;
    if (lq != lr) return lq > lr;
    return q < r;
  }

  // @ts-ignore: decorator
  @inline private overlaps(q: i32, r: i32): bool {
    return unchecked(this.qStart[q]) < unchecked(this.qEnd[r]) && unchecked(this.qStart[r]) < unchecked(this.qEnd[q]);
  }

  /** Reports queued findings that nothing running can overlap any more (all if force). */
  private flush(force: bool): void {
    const floor = force ? INF : this.floor();
    while (true) {
      // the best ready entry
      let best = -1;
      for (let i = 0; i < this.queued; i++) {
        if (unchecked(this.qEnd[i]) > floor) continue;
        if (best < 0 || this.better(i, best)) best = i;
      }
      if (best < 0) return;
      let dominated = false;
      for (let j = 0; j < this.queued && !dominated; j++) {
        dominated = j != best && this.overlaps(j, best) && this.better(j, best);
      }
      if (!dominated) {
        const sink = this.sink;
        if (sink) sink.emit(unchecked(this.qType[best]), unchecked(this.qS[best]), unchecked(this.qE[best]), unchecked(this.qScore[best]));
        // what it beat goes; what beats it was handled above
        for (let j = this.queued - 1; j >= 0; j--) {
          if (j != best && this.overlaps(j, best)) { this.dequeue(j); if (j < best) best--; }
        }
      }
      this.dequeue(best);
    }
  }

  private dequeue(i: i32): void {
    const last = --this.queued;
    for (let j = i; j < last; j++) {
      unchecked((this.qType[j] = this.qType[j + 1]));
      unchecked((this.qStart[j] = this.qStart[j + 1]));
      unchecked((this.qEnd[j] = this.qEnd[j + 1]));
      unchecked((this.qS[j] = this.qS[j + 1]));
      unchecked((this.qE[j] = this.qE[j + 1]));
      unchecked((this.qScore[j] = this.qScore[j + 1]));
      unchecked((this.qRank[j] = this.qRank[j + 1]));
    }
  }
}
