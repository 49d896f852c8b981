// Word and phrase keys for the lexicon. The TypeScript policy compiler does not
// re-implement these: it asks the engine (export `lexicon_keys`), so the keys the
// compiler stores and the keys the scanner looks up come from the same code.

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

// @ts-ignore: decorator
@inline export function fnvStart(): u64 { return FNV_OFFSET; }
// @ts-ignore: decorator
@inline export function fnvByte(h: u64, b: u8): u64 { return (h ^ <u64>b) * FNV_PRIME; }

/** splitmix64 finaliser: spreads FNV's weak low bits before they index the table. */
// @ts-ignore: decorator
@inline export function mix64(x: u64): u64 {
  x ^= x >> 30; x *= 0xbf58476d1ce4e5b9;
  x ^= x >> 27; x *= 0x94d049bb133111eb;
  x ^= x >> 31;
  return x == 0 ? 1 : x; // 0 marks an empty slot
}

/** Key of a one-word phrase. */
// @ts-ignore: decorator
@inline export function phraseStart(word: u64): u64 { return mix64(word); }
/** Key of `phrase` extended by one more word. */
// @ts-ignore: decorator
@inline export function phraseExtend(phrase: u64, word: u64): u64 {
  return mix64(phrase ^ (word * 0x9e3779b97f4a7c15));
}
