// Test-only entry for the training pipeline (scripts/train/): the classifier features of
// a text exactly as the scanner computes them — the word view feeds the very
// ClassifierWindow.word() the engine scores with, here in recording mode.
//
//   features(len): reads len UTF-8 bytes from buf(); result at out(), u32 count at outLen():
//   per word: u32 start | u32 end | u32 k | k × u32 feature hash
import { Lexicon } from "../../engine/lexicon";
import { WordView } from "../../engine/word_view";
import { FindingSink } from "../../engine/sink";
import { Models } from "../../engine/classifier/models";
import { ClassifierWindow } from "../../engine/classifier/window";

let input = new StaticArray<u8>(4096);
let output: Array<u32> = new Array<u32>();

/** A reusable input buffer of at least len bytes. */
export function buf(len: i32): usize {
  if (input.length < len) input = new StaticArray<u8>(len);
  return changetype<usize>(input);
}

export function out(): usize { return output.dataStart; }
export function outLen(): i32 { return output.length; }

export function features(len: i32): i32 {
  const sink = new FindingSink();
  const cw = new ClassifierWindow(new Models(null, 0, 0), 1024, 256, 0, sink);
  output = new Array<u32>();
  cw.recorded = output;
  const lexicon = new Lexicon(0, 0, 0);
  const view = new WordView(lexicon, null, sink);
  view.classifier = cw;
  // decode as the scanner does for valid UTF-8 (the training data is valid UTF-8)
  const ptr = changetype<usize>(input);
  let i = 0;
  while (i < len) {
    const b = <u32>load<u8>(ptr + <usize>i);
    let cp = b, n = 1;
    if (b >= 0xf0) { n = 4; cp = b & 0x07; } else if (b >= 0xe0) { n = 3; cp = b & 0x0f; } else if (b >= 0xc0) { n = 2; cp = b & 0x1f; }
    if (i + n > len) { n = 1; cp = 0xfffd; }
    for (let j = 1; j < n; j++) cp = (cp << 6) | (<u32>load<u8>(ptr + <usize>(i + j)) & 0x3f);
    view.feedCodePoint(cp, <u32>i, <u32>(i + n));
    i += n;
  }
  view.finish();
  return output.length;
}
