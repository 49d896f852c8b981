// Hashed features of one word of the word view, for the learned classifiers: the word
// (unigram), the previous word and this one (bigram), and the character 3-, 4- and
// 5-grams of the word framed by boundary marks ("<hello>" → "<he", "hel", …, "lo>").
// The word bytes are the word view's: folded, leetspeak undone, spaced letters joined,
// so "1gn0re" and "i g n o r e" give the features of "ignore".
//
// Each feature is a 32-bit hash; a model keeps its top `bits` bits as a bucket index
// (models.ts). The training pipeline reads these very hashes through the test entry
// assembly/entry/test/features.ts — one implementation, so training and inference
// cannot drift. Changing anything here changes every model: retrain (`npm run train`).

/** Most features one word can give: 2 + 3 n-grams per byte of a 64-byte word, rounded up. */
export const MAX_WORD_FEATURES: i32 = 256;

const MIN_N: i32 = 3;
const MAX_N: i32 = 5;
const WORD_MARK_START: u32 = 0x02; // bytes no folded word contains
const WORD_MARK_END: u32 = 0x03;
const SEED_UNIGRAM: u32 = 0x9e3779b1;
const SEED_BIGRAM: u32 = 0x85ebca77;
const FNV32_OFFSET: u32 = 0x811c9dc5;
const FNV32_PRIME: u32 = 0x01000193;

/** murmur3's 32-bit finaliser: every input bit reaches the top bits models index by. */
// @ts-ignore: decorator
@inline export function mix32(x: u32): u32 {
  x ^= x >> 16; x *= 0x85ebca6b;
  x ^= x >> 13; x *= 0xc2b2ae35;
  x ^= x >> 16;
  return x;
}

// @ts-ignore: decorator
@inline function fold64(h: u64): u32 { return <u32>(h ^ (h >> 32)); }

/** Byte i of the framed word "<" + word + ">" (m = n + 2 bytes). */
// @ts-ignore: decorator
@inline function framed(ptr: usize, m: i32, i: i32): u32 {
  if (i == 0) return WORD_MARK_START;
  if (i == m - 1) return WORD_MARK_END;
  return <u32>load<u8>(ptr + <usize>(i - 1));
}

/**
 * Writes the feature hashes of one word (n bytes at ptr, word-view hash `hash`; `prev`
 * is the previous word's hash, 0 at the start of the text) to out; returns how many.
 */
export function wordFeatures(ptr: usize, n: i32, hash: u64, prev: u64, out: usize): i32 {
  const h = fold64(hash);
  store<u32>(out, mix32(h ^ SEED_UNIGRAM));
  let k = 1;
  if (prev != 0) {
    store<u32>(out + 4, mix32((fold64(prev) * FNV32_PRIME) ^ h ^ SEED_BIGRAM));
    k = 2;
  }
  const m = n + 2;
  for (let end = MIN_N - 1; end < m; end++) {
    // n-grams ending at `end`, grown backwards one byte at a time (FNV-1a over the reversed gram)
    let g = FNV32_OFFSET;
    for (let len = 1; len <= MAX_N && len <= end + 1; len++) {
      g = (g ^ framed(ptr, m, end - len + 1)) * FNV32_PRIME;
      if (len >= MIN_N) { store<u32>(out + (<usize>k << 2), mix32(g + <u32>len)); k++; }
    }
  }
  return k;
}
