// Test-only entry: exposes foldPattern/foldWord and a whole-string fold so that
// test/fold.test.ts can check the views of real strings against the compiled tables.
import { foldPattern, foldWord, foldCount, foldByte, FOLD_DELETE, FOLD_ASCII } from "../../engine/normalize/fold";

export { foldPattern, foldWord };

let input = new StaticArray<u8>(256);
let output = new StaticArray<u8>(1024);

/** A reusable input buffer of at least len bytes. */
export function buf(len: i32): usize {
  if (input.length < len) input = new StaticArray<u8>(len);
  return changetype<usize>(input);
}

/** The output of the last fold(). */
export function out(): usize {
  return changetype<usize>(output);
}

function put(o: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(o, cp);
    return o + 1;
  }
  if (cp < 0x800) {
    store<u8>(o, 0xc0 | (cp >> 6));
    store<u8>(o, 0x80 | (cp & 0x3f), 1);
    return o + 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, 0xe0 | (cp >> 12));
    store<u8>(o, 0x80 | ((cp >> 6) & 0x3f), 1);
    store<u8>(o, 0x80 | (cp & 0x3f), 2);
    return o + 3;
  }
  store<u8>(o, 0xf0 | (cp >> 18));
  store<u8>(o, 0x80 | ((cp >> 12) & 0x3f), 1);
  store<u8>(o, 0x80 | ((cp >> 6) & 0x3f), 2);
  store<u8>(o, 0x80 | (cp & 0x3f), 3);
  return o + 4;
}

/**
 * Folds the UTF-8 text in buf[0..len) (valid UTF-8 assumed) into out(); returns the
 * output length. word != 0 selects the word view.
 */
export function fold(len: i32, word: i32): i32 {
  if (output.length < len * 3) output = new StaticArray<u8>(len * 3);
  let p = changetype<usize>(input);
  const end = p + <usize>len;
  const start = changetype<usize>(output);
  let o = start;
  while (p < end) {
    const b = <u32>load<u8>(p);
    let cp: u32;
    let n: usize;
    if (b < 0x80) { cp = b; n = 1; }
    else if (b < 0xe0) { cp = ((b & 0x1f) << 6) | (load<u8>(p, 1) & 0x3f); n = 2; }
    else if (b < 0xf0) { cp = ((b & 0x0f) << 12) | ((<u32>load<u8>(p, 1) & 0x3f) << 6) | (load<u8>(p, 2) & 0x3f); n = 3; }
    else {
      cp = ((b & 0x07) << 18) | ((<u32>load<u8>(p, 1) & 0x3f) << 12) | ((<u32>load<u8>(p, 2) & 0x3f) << 6) | (load<u8>(p, 3) & 0x3f);
      n = 4;
    }
    p += n;
    const r = word ? foldWord(cp) : foldPattern(cp);
    if (r == FOLD_DELETE) continue;
    if (r & FOLD_ASCII) {
      const c = foldCount(r);
      for (let i: u32 = 0; i < c; i++) store<u8>(o++, foldByte(r, i));
    } else {
      o = put(o, r);
    }
  }
  return <i32>(o - start);
}
