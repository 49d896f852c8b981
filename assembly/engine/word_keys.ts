// Lexicon keys of a term, for the policy compiler: the term goes through the very word
// view the scanner uses (same folding, leetspeak, spaced letters), and the keys of its
// word prefixes are computed with the scanner's hash. One implementation, so a term
// in a policy and the same words in a prompt can never disagree.
import { Lexicon } from "./lexicon";
import { WordView } from "./word_view";
import { FindingSink } from "./sink";
import { phraseStart, phraseExtend } from "./hash";

export class WordKeys {
  keys: Array<u64> = new Array<u64>();
  count: i32 = 0;
  broken: bool = false;

  /** The word view's word hashes of a text (not phrase keys): what the leak guard needs. */
  static words(ptr: usize, len: i32): Array<u64> {
    const k = new WordKeys();
    return k.record(ptr, len);
  }

  run(ptr: usize, len: i32): void {
    const words = this.record(ptr, len);
    let key: u64 = 0;
    for (let i = 0; i < words.length; i++) {
      key = i == 0 ? phraseStart(words[i]) : phraseExtend(key, words[i]);
      if (i > 0 && !this.joined[i]) this.broken = true;
      this.keys.push(key);
    }
    this.count = this.keys.length;
  }

  private joined: Array<bool> = new Array<bool>();

  private record(ptr: usize, len: i32): Array<u64> {
    const lexicon = new Lexicon(0, 0, 0);
    lexicon.recording = true;
    const view = new WordView(lexicon, null, new FindingSink());
    const text = String.UTF8.decodeUnsafe(ptr, <usize>len);
    let offset: u32 = 0;
    for (let i = 0; i < text.length; ) {
      const cp = <u32>text.codePointAt(i);
      const units = cp >= 0x10000 ? 2 : 1;
      const bytes: u32 = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      view.feedCodePoint(cp, offset, offset + bytes);
      offset += bytes;
      i += units;
    }
    view.finish();
    this.joined = lexicon.recordedJoined;
    return lexicon.recorded;
  }
}
