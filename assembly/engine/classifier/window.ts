// The classifiers' view of a text: a sliding window of `window` bytes over the word
// view's words, scored at deterministic checkpoints — every `checkpoint` bytes counted
// from the start of the stream, and once at the end — never at chunk boundaries.
//
// Checkpoint C scores the words that end at or before C and start at or after
// C - window. Words reach us in order, when the word view completes them, so C is
// scored (a) just before the first word that ends after C is added, or (b) when the
// scanner reports that nothing still pending can end at or before C (advance()). Either
// way the window holds the same words: a score depends on the text, not on the chunks.
//
// Per word we keep its span, feature count and per-model weight sums in a ring, so a
// checkpoint costs O(models) plus the words that leave the window: linear work overall.
// A finding covers the interval that fired, [previous checkpoint, C): a stream that
// holds bytes past the last scored checkpoint (hold) has released none of it.
import { NONE } from "../constants";
import { FindingSink } from "../sink";
import { Models } from "./models";
import { wordFeatures, MAX_WORD_FEATURES } from "./features";

/** Bytes a word view word may take beyond a checkpoint before it is emitted (MAX_WORD, spaced letters). */
export const WORD_SLACK: u32 = 128;

export class ClassifierWindow {
  private models: Models;
  private m: i32;
  private window: u32;
  private checkpoint: u32;
  private sink: FindingSink;
  /** a rule on some model may stop / block / redact in this phase: hold unscored bytes */
  hold: bool = false;
  /** some model is used by a rule in this phase: otherwise its words are not even featurised
   *  (a model whose rules are ingress-only costs nothing in a streamed answer) */
  active: bool = true;

  private cap: i32;
  /** the ring never needs more: words are ≥ 1 byte and disjoint (see constructor) */
  private maxCap: i32;
  private head: i32 = 0;
  private size: i32 = 0;
  private rStart: StaticArray<u32>;
  private rCount: StaticArray<u32>;
  private rSum: StaticArray<i32>;
  private totCount: u32 = 0;
  private totSum: StaticArray<i32>;
  private feats: StaticArray<u32> = new StaticArray<u32>(MAX_WORD_FEATURES);
  private wsum: StaticArray<i32>;
  private prev: u64 = 0;
  /** next checkpoint to score, and the last one scored (the held boundary) */
  private next: u32;
  private scored: u32 = 0;
  /** words entered or left since `scored`: an unchanged window is not scored again */
  private dirty: bool = false;

  constructor(models: Models, window: u32, checkpoint: u32, phase: u32, sink: FindingSink) {
    const m = models.count;
    // every word is at least one byte and words do not overlap: at most this many fit
    // between the oldest kept word and the newest one. The ring starts small and grows
    // (scanners are created per stream and per channel: most texts are short).
    const maxCap = <i32>(window + checkpoint + WORD_SLACK) + 1;
    const cap = maxCap < 64 ? maxCap : 64;
    this.models = models;
    this.m = m;
    this.window = window;
    this.checkpoint = checkpoint < 1 ? 1 : checkpoint;
    this.sink = sink;
    this.cap = cap;
    this.maxCap = maxCap;
    this.rStart = new StaticArray<u32>(cap);
    this.rCount = new StaticArray<u32>(cap);
    this.rSum = new StaticArray<i32>(cap * m);
    this.totSum = new StaticArray<i32>(m);
    this.wsum = new StaticArray<i32>(m);
    this.next = this.checkpoint;
    this.setPhase(phase);
  }

  private setPhase(phase: u32): void {
    let hold = false, active = false;
    for (let i = 0; i < this.m; i++) {
      if ((this.models.holdPhases(i) & phase) != 0) hold = true;
      if ((this.models.idlePhases(i) & phase) == 0) active = true;
    }
    this.hold = hold;
    this.active = active;
  }

  reset(phase: u32): void {
    this.head = 0; this.size = 0; this.totCount = 0; this.prev = 0;
    this.next = this.checkpoint; this.scored = 0; this.dirty = false;
    for (let i = 0; i < this.m; i++) unchecked((this.totSum[i] = 0));
    this.setPhase(phase);
  }

  /** Earliest byte a classifier verdict may still concern (NONE when no rule needs holding). */
  pending(): u32 { return this.hold ? this.scored : NONE; }

  /**
   * Recording mode (training pipeline, assembly/entry/test/features.ts): each word is
   * appended as start, end, featureCount, feature hashes… instead of being scored.
   */
  recorded: Array<u32> | null = null;

  /** One word of the word view: n view bytes at ptr, its hash and original span. */
  word(ptr: usize, n: i32, hash: u64, start: u32, end: u32): void {
    const rec = this.recorded;
    if (rec) {
      const k = wordFeatures(ptr, n, hash, this.prev, changetype<usize>(this.feats));
      this.prev = hash;
      rec.push(start); rec.push(end); rec.push(<u32>k);
      for (let j = 0; j < k; j++) rec.push(unchecked(this.feats[j]));
      return;
    }
    if (!this.active) return;
    while (end > this.next) this.score(this.next, this.next - this.checkpoint);
    const fp = changetype<usize>(this.feats);
    const k = wordFeatures(ptr, n, hash, this.prev, fp);
    this.prev = hash;
    const m = this.m;
    const wsum = changetype<usize>(this.wsum);
    for (let i = 0; i < m; i++) {
      const w = this.models.weights(i);
      const shift = 32 - this.models.bits(i);
      let s: i32 = 0;
      for (let j = 0; j < k; j++) s += <i32>load<i8>(w + <usize>(load<u32>(fp + (<usize>j << 2)) >> shift));
      store<i32>(wsum + (<usize>i << 2), s);
    }
    if (this.size == this.cap) {
      if (this.cap < this.maxCap) this.grow();
      else this.evictOne(); // cannot happen (maxCap bounds the words), but never overrun
    }
    const r = (this.head + this.size) % this.cap;
    this.size++;
    unchecked((this.rStart[r] = start));
    unchecked((this.rCount[r] = <u32>k));
    this.totCount += <u32>k;
    for (let i = 0; i < m; i++) {
      const s = unchecked(this.wsum[i]);
      unchecked((this.rSum[r * m + i] = s));
      unchecked((this.totSum[i] += s));
    }
    this.dirty = true;
  }

  /**
   * Scores every checkpoint up to pos that no pending input can still reach: `pending`
   * is the earliest offset of anything not yet turned into words (word view, UTF-8).
   */
  advance(pos: u32, pending: u32): void {
    while (this.next <= pos && pending >= this.next) this.score(this.next, this.next - this.checkpoint);
  }

  /** End of text: remaining checkpoints, then the tail after the last one. */
  finish(pos: u32): void {
    while (this.next <= pos) this.score(this.next, this.next - this.checkpoint);
    if (pos > this.scored) this.score(pos, this.scored);
  }

  /** Doubles the ring (up to maxCap), oldest word first. */
  private grow(): void {
    let cap = this.cap << 1;
    if (cap > this.maxCap) cap = this.maxCap;
    const m = this.m;
    const st = new StaticArray<u32>(cap), ct = new StaticArray<u32>(cap), sm = new StaticArray<i32>(cap * m);
    for (let i = 0; i < this.size; i++) {
      const r = (this.head + i) % this.cap;
      unchecked((st[i] = this.rStart[r]));
      unchecked((ct[i] = this.rCount[r]));
      for (let j = 0; j < m; j++) unchecked((sm[i * m + j] = this.rSum[r * m + j]));
    }
    this.rStart = st; this.rCount = ct; this.rSum = sm;
    this.head = 0;
    this.cap = cap;
  }

  private evictOne(): void {
    const h = this.head;
    this.totCount -= unchecked(this.rCount[h]);
    for (let i = 0; i < this.m; i++) unchecked((this.totSum[i] -= this.rSum[h * this.m + i]));
    this.head = (h + 1) % this.cap;
    this.size--;
    this.dirty = true;
  }

  /** Scores the window ending at c; findings cover [from, c). */
  private score(c: u32, from: u32): void {
    if (c > this.window) {
      const keep = c - this.window;
      while (this.size > 0 && unchecked(this.rStart[this.head]) < keep) this.evictOne();
    }
    if (this.dirty && this.totCount > 0) {
      // 1/√n, not the mean: a long window of attack text is more evidence than a short
      // one, and held-out recall at 1 % FPR doubled with it (scripts/train/logreg.ts poolInv)
      const inv = <f32>(1.0 / Math.sqrt(<f64>this.totCount));
      for (let i = 0; i < this.m; i++) {
        const models = this.models;
        const z = models.bias(i) + models.scale(i) * <f32>unchecked(this.totSum[i]) * inv;
        const p = <f32>(1.0 / (1.0 + Math.exp(-<f64>z)));
        if (p >= models.minScore(i)) this.sink.emit(models.typeId(i), from, c, p);
      }
    }
    this.dirty = false;
    this.scored = c;
    if (c >= this.next) this.next = c + this.checkpoint - (c % this.checkpoint);
  }
}
