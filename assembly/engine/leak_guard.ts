// Prompt-leak guard: an answer that starts reproducing the request's system prompt (a
// run of at least minWords consecutive words whose every 4-word shingle occurs in the
// prompt) or one of the operator's canary tokens is a finding before those bytes leave.
// Words are the word view's (folded, so case, homoglyphs and spacing do not hide a copy).
// Per stream: the prompt's shingles are hashed once when the context is set.
//
// Holdback: the last (span - 1) words could still begin a match, and a run in progress is
// held from its first word; both are bounded (RING words, and runs by max_holdback via
// the stop/overflow rules like any finding).
import { NONE } from "./constants";
import { FindingSink } from "./sink";
import { phraseStart, phraseExtend } from "./hash";

const K: i32 = 4;      // shingle size in words
const RING: i32 = 16;  // words remembered; canaries longer than this are cut to it

export class LeakGuard {
  private set: StaticArray<u64>;
  private mask: i32;
  private canaryKey: StaticArray<u64>;
  private canaryWords: StaticArray<i32>;
  private canaries: i32;
  private span: i32 = K; // longest match that can begin in the remembered words
  private hashes: StaticArray<u64> = new StaticArray<u64>(RING);
  private starts: StaticArray<u32> = new StaticArray<u32>(RING);
  private count: i32 = 0;
  private runStart: u32 = NONE;
  private runWords: i32 = 0;
  private minWords: i32;
  private leakType: u32;
  private canaryType: u32;

  /** words: the system prompt's word hashes; canaries: each canary's word hashes */
  constructor(words: Array<u64>, canaries: Array<Array<u64>>, minWords: i32, leakType: u32, canaryType: u32) {
    this.minWords = minWords < K ? K : minWords;
    this.leakType = leakType;
    this.canaryType = canaryType;
    let cap = 16;
    while (cap < words.length * 2) cap <<= 1;
    const set = new StaticArray<u64>(cap);
    this.set = set;
    this.mask = cap - 1;
    for (let i = 0; i + K <= words.length; i++) {
      let key = phraseStart(words[i]);
      for (let k = 1; k < K; k++) key = phraseExtend(key, words[i + k]);
      let j = <i32>(key & <u64>(cap - 1));
      while (unchecked(set[j]) != 0 && unchecked(set[j]) != key) j = (j + 1) & (cap - 1);
      unchecked((set[j] = key));
    }
    const n = canaries.length;
    this.canaryKey = new StaticArray<u64>(n);
    this.canaryWords = new StaticArray<i32>(n);
    let kept = 0;
    for (let c = 0; c < n; c++) {
      const w = canaries[c];
      if (w.length == 0) continue;
      const len = w.length < RING ? w.length : RING;
      let key = phraseStart(w[0]);
      for (let k = 1; k < len; k++) key = phraseExtend(key, w[k]);
      unchecked((this.canaryKey[kept] = key));
      unchecked((this.canaryWords[kept] = len));
      if (len > this.span) this.span = len;
      kept++;
    }
    this.canaries = kept;
  }

  reset(): void { this.count = 0; this.runStart = NONE; this.runWords = 0; }

  private has(key: u64): bool {
    let j = <i32>(key & <u64>this.mask);
    while (true) {
      const k = unchecked(this.set[j]);
      if (k == key) return true;
      if (k == 0) return false;
      j = (j + 1) & this.mask;
    }
    return false;
  }

  /** Key of the last `n` words (n <= count, n <= RING). */
  private keyOfLast(n: i32): u64 {
    let i = (this.count - n) & (RING - 1);
    let key = phraseStart(unchecked(this.hashes[i]));
    for (let k = 1; k < n; k++) key = phraseExtend(key, unchecked(this.hashes[(i + k) & (RING - 1)]));
    return key;
  }

  // @ts-ignore: decorator
  @inline private startOfLast(n: i32): u32 { return unchecked(this.starts[(this.count - n) & (RING - 1)]); }

  word(hash: u64, start: u32, end: u32, sink: FindingSink): void {
    unchecked((this.hashes[this.count & (RING - 1)] = hash));
    unchecked((this.starts[this.count & (RING - 1)] = start));
    this.count++;
    if (this.count >= K && this.has(this.keyOfLast(K))) {
      if (this.runStart == NONE) { this.runStart = this.startOfLast(K); this.runWords = K; }
      else this.runWords++;
      if (this.runWords >= this.minWords) sink.emit(this.leakType, this.runStart, end, 1);
    } else {
      this.runStart = NONE;
      this.runWords = 0;
    }
    for (let c = 0; c < this.canaries; c++) {
      const n = unchecked(this.canaryWords[c]);
      if (this.count >= n && this.keyOfLast(n) == unchecked(this.canaryKey[c])) sink.emit(this.canaryType, this.startOfLast(n), end, 1);
    }
  }

  /** The oldest remembered word that could still begin a match, or a run in progress. */
  pending(): u32 {
    if (this.runStart != NONE) return this.runStart;
    const back = this.span - 1;
    if (this.count == 0 || back == 0) return NONE;
    return this.startOfLast(this.count < back ? this.count : back);
  }
}
