// Whole-word lexicon matching (toxicity terms, custom keyword lists, context words)
// over the word stream, by hashing: each word is looked up once, and each live phrase
// prefix is extended by one word. Whole-word by construction: "skill" is one word and
// never matches "kill"; "Scunthorpe" never matches its substrings.
//
// LEXICON section layout (little-endian), written by bindings/policy/encode/lexicon.ts:
//   u32 capacity (power of two) | u32 entryCount | u32 maxPhraseWords | u32 reserved
//   capacity × slot  (16 bytes): u64 key (0 = empty) | u32 info | u32 count
//       info bit 31: key is a proper prefix of a longer phrase; bits 0..23: first entry
//   entryCount × entry (12 bytes): u8 kind | u8 reserved | u16 typeId | f32 score | u16 classId | u16 reserved
// Lookup: slot = key & (capacity - 1), linear probing until an empty slot.
import { NONE } from "./constants";
import { FindingSink } from "./sink";
import { phraseStart, phraseExtend } from "./hash";
import { LeakGuard } from "./leak_guard";

export const enum EntryKind {
  TERM = 1,        // a finding: toxicity term or custom keyword (typeId, score)
  CONTEXT = 2,     // raises the score of entity classId found shortly after
  NEG_CONTEXT = 3, // lowers it
}

const MAX_LIVE: i32 = 16;
const SLOT_SIZE: usize = 16;
const ENTRY_SIZE: usize = 12;
const PREFIX_BIT: u32 = 0x80000000;

export class Lexicon {
  /**
   * One bit per (high bits of a) key in the table: most words of a text are in no
   * lexicon, and a miss here costs one load from a table of capacity bytes (8 bits per
   * slot: under 1/8 false hits) instead of a probe into capacity × 16 bytes of slots,
   * which for the shipped lists is larger than the L1 cache. Keys are mix64 outputs, so
   * their high bits are independent of the low bits that pick the slot.
   */
  private filter: StaticArray<u32> = new StaticArray<u32>(0);
  private filterMask: u32 = 0;
  private slots: usize = 0;
  private mask: u64 = 0;
  private entries: usize = 0;
  private maxWords: i32 = 0;
  /** live phrase prefixes: key, start offset, word count */
  private liveKey: StaticArray<u64> = new StaticArray<u64>(MAX_LIVE);
  private liveStart: StaticArray<u32> = new StaticArray<u32>(MAX_LIVE);
  private liveWords: StaticArray<i32> = new StaticArray<i32>(MAX_LIVE);
  private liveCount: i32 = 0;
  private nextKey: StaticArray<u64> = new StaticArray<u64>(MAX_LIVE);
  private nextStart: StaticArray<u32> = new StaticArray<u32>(MAX_LIVE);
  private nextWords: StaticArray<i32> = new StaticArray<i32>(MAX_LIVE);
  /** last original end offset of a context word, per entity class (type id) */
  contextEnd: StaticArray<u32>;
  negContextEnd: StaticArray<u32>;
  enabled: bool = false;
  /** false when the section is inconsistent (the policy is refused at load time) */
  valid: bool = true;
  /** prompt-leak guard of a stream with per-request context (sees every word) */
  leak: LeakGuard | null = null;
  /** Recording mode (policy compiler): words are collected instead of looked up. */
  recording: bool = false;
  recorded: Array<u64> = new Array<u64>();
  recordedJoined: Array<bool> = new Array<bool>();

  /** `like`: a lexicon of the same section whose checked table and filter this one shares. */
  constructor(section: usize, len: i32, typeCount: i32, like: Lexicon | null = null) {
    this.contextEnd = new StaticArray<u32>(typeCount + 1);
    this.negContextEnd = new StaticArray<u32>(typeCount + 1);
    if (like) {
      this.filter = like.filter;
      this.filterMask = like.filterMask;
      this.slots = like.slots;
      this.mask = like.mask;
      this.entries = like.entries;
      this.maxWords = like.maxWords;
      this.enabled = like.enabled;
      this.valid = like.valid;
    } else if (section != 0 && len >= 16) {
      const capacity = load<u32>(section);
      const entryCount = load<u32>(section, 4);
      // refuse a damaged table: capacity a power of two, room for every slot and entry,
      // and at least one empty slot so that a probe always ends
      const need = <u64>16 + <u64>capacity * SLOT_SIZE + <u64>entryCount * ENTRY_SIZE;
      if (capacity == 0 || (capacity & (capacity - 1)) != 0 || need > <u64>len) { this.valid = false; }
      else {
        this.mask = <u64>(capacity - 1);
        this.maxWords = <i32>load<u32>(section + 8);
        this.slots = section + 16;
        this.entries = this.slots + <usize>capacity * SLOT_SIZE;
        let empty = false;
        for (let i: u32 = 0; i < capacity; i++) {
          const slot = this.slots + <usize>i * SLOT_SIZE;
          if (load<u64>(slot) == 0) empty = true;
          else if (<u64>(load<u32>(slot, 8) & 0xffffff) + <u64>load<u32>(slot, 12) > <u64>entryCount) this.valid = false;
        }
        if (!empty) this.valid = false;
        const bits = capacity < 4 ? <u32>32 : capacity << 3;
        const filter = new StaticArray<u32>(<i32>(bits >> 5));
        for (let i: u32 = 0; i < capacity; i++) {
          const k = load<u64>(this.slots + <usize>i * SLOT_SIZE);
          if (k == 0) continue;
          const b = <u32>(k >> 32) & (bits - 1);
          unchecked((filter[b >> 5] |= 1 << (b & 31)));
        }
        this.filter = filter;
        this.filterMask = bits - 1;
        this.enabled = this.valid;
        if (this.maxWords > MAX_LIVE) this.maxWords = MAX_LIVE;
      }
    }
    this.reset();
  }

  reset(): void {
    this.liveCount = 0;
    for (let i = 0, n = this.contextEnd.length; i < n; i++) {
      unchecked((this.contextEnd[i] = NONE));
      unchecked((this.negContextEnd[i] = NONE));
    }
  }

  /** Slot address for key, or 0. */
  private find(key: u64): usize {
    const b = <u32>(key >> 32) & this.filterMask;
    if ((load<u32>(changetype<usize>(this.filter) + (<usize>(b >> 5) << 2)) & (1 << (b & 31))) == 0) return 0;
    let i = key & this.mask;
    while (true) {
      const slot = this.slots + <usize>i * SLOT_SIZE;
      const k = load<u64>(slot);
      if (k == key) return slot;
      if (k == 0) return 0;
      i = (i + 1) & this.mask;
    }
    return 0;
  }

  /**
   * One word of the word view. `joined` is false when punctuation separated it from
   * the previous word: phrases never span such a break.
   */
  word(hash: u64, start: u32, end: u32, joined: bool, sink: FindingSink): void {
    const leak = this.leak;
    if (leak) leak.word(hash, start, end, sink);
    if (this.recording) { this.recorded.push(hash); this.recordedJoined.push(joined); return; }
    if (!this.enabled) return;
    let n = 0;
    if (joined) {
      for (let i = 0; i < this.liveCount; i++) {
        const words = unchecked(this.liveWords[i]) + 1;
        const key = phraseExtend(unchecked(this.liveKey[i]), hash);
        const st = unchecked(this.liveStart[i]);
        const slot = this.find(key);
        if (slot == 0) continue;
        this.hit(slot, st, end, sink);
        if ((load<u32>(slot, 8) & PREFIX_BIT) != 0 && words < this.maxWords && n < MAX_LIVE) {
          unchecked((this.nextKey[n] = key));
          unchecked((this.nextStart[n] = st));
          unchecked((this.nextWords[n] = words));
          n++;
        }
      }
    }
    const key = phraseStart(hash);
    const slot = this.find(key);
    if (slot != 0) {
      this.hit(slot, start, end, sink);
      if ((load<u32>(slot, 8) & PREFIX_BIT) != 0 && n < MAX_LIVE) {
        unchecked((this.nextKey[n] = key));
        unchecked((this.nextStart[n] = start));
        unchecked((this.nextWords[n] = 1));
        n++;
      }
    }
    // swap live <- next
    for (let i = 0; i < n; i++) {
      unchecked((this.liveKey[i] = this.nextKey[i]));
      unchecked((this.liveStart[i] = this.nextStart[i]));
      unchecked((this.liveWords[i] = this.nextWords[i]));
    }
    this.liveCount = n;
  }

  /** A break that no phrase spans (punctuation, end of text). */
  // @ts-ignore: decorator
  @inline breakPhrases(): void { this.liveCount = 0; }

  private hit(slot: usize, start: u32, end: u32, sink: FindingSink): void {
    const count = load<u32>(slot, 12);
    if (count == 0) return;
    let e = this.entries + <usize>(load<u32>(slot, 8) & 0xffffff) * ENTRY_SIZE;
    for (let i: u32 = 0; i < count; i++, e += ENTRY_SIZE) {
      const kind = load<u8>(e);
      const typeId = <u32>load<u16>(e, 2);
      if (kind == EntryKind.TERM) {
        sink.emit(typeId, start, end, load<f32>(e, 4));
      } else {
        const cls = <i32>load<u16>(e, 8);
        if (cls < this.contextEnd.length) {
          if (kind == EntryKind.CONTEXT) unchecked((this.contextEnd[cls] = end));
          else unchecked((this.negContextEnd[cls] = end));
        }
      }
    }
  }

  /** Earliest start of a phrase that may still complete. */
  pending(): u32 {
    let p = NONE;
    for (let i = 0; i < this.liveCount; i++) {
      const s = unchecked(this.liveStart[i]);
      if (s < p) p = s;
    }
    return p;
  }
}
