// Shannon entropy of a byte string, in bits per byte (0 for constant input, at most 8).
// Secret detectors use it to tell random-looking tokens from words.

// Byte counts for one call: 256 u32 (1 KiB), zeroed at the start of each call. A static
// table keeps the function allocation-free; the engine is single-threaded.
const COUNTS = memory.data(256 * 4);

/**
 * Shannon entropy H = -sum p(b) log2 p(b) over the n bytes at p; 0 when n <= 0.
 *
 * @example shannonEntropy(ptr("abcd"), 4) == 2.0
 */
export function shannonEntropy(p: usize, n: i32): f64 {
  if (n <= 0) return 0;
  memory.fill(COUNTS, 0, 256 * 4);
  for (let i = 0; i < n; i++) {
    let at = COUNTS + (<usize>load<u8>(p + <usize>i) << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  let inv = 1.0 / <f64>n;
  let h = 0.0;
  for (let b = 0; b < 256; b++) {
    let c = load<u32>(COUNTS + (<usize>b << 2));
    if (c != 0) {
      let q = <f64>c * inv;
      h -= q * Math.log2(q);
    }
  }
  return h;
}
