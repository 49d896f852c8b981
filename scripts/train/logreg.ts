// Logistic regression over the √n-pooled sum of hashed features, trained by AdaGrad SGD, then
// quantised to int8 with one scale. Deterministic: a seeded shuffle and nothing else
// random; the same samples give the same weights, byte for byte.

export interface Sample { feats: Uint32Array; label: 0 | 1; weight: number }
export interface TrainOptions { bits: number; epochs: number; rate: number; l2: number; seed: number }

import { rng } from "../lib/rng.ts";
export { rng };

export function train(samples: Sample[], o: TrainOptions): { w: Float64Array; b: number } {
  const size = 1 << o.bits;
  const shift = 32 - o.bits;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  let b = 0, gb = 1e-8;
  const order = samples.map((_, i) => i);
  const rand = rng(o.seed);
  const x = new Map<number, number>();
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    for (const idx of order) {
      const s = samples[idx];
      x.clear();
      const inv = poolInv(s.feats.length);
      for (const f of s.feats) { const k = f >>> shift; x.set(k, (x.get(k) ?? 0) + inv); }
      let z = b;
      for (const [k, v] of x) z += w[k] * v;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - s.label) * s.weight;
      for (const [k, v] of x) {
        const gk = g * v + o.l2 * w[k];
        g2[k] += gk * gk;
        w[k] -= (o.rate * gk) / Math.sqrt(g2[k]);
      }
      gb += g * g;
      b -= (o.rate * g) / Math.sqrt(gb);
    }
  }
  return { w, b };
}

/** int8 weights and the scale that maps them back (max |w| → 127). */
export function quantise(w: Float64Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (const v of w) if (Math.abs(v) > max) max = Math.abs(v);
  const scale = Math.fround(max > 0 ? max / 127 : 1);
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
  return { q, scale };
}

/** The engine's score of one window (f32 arithmetic as in window.ts). */
export function scoreWindow(feats: Uint32Array, m: { bits: number; scale: number; bias: number; weights: Int8Array }): number {
  const shift = 32 - m.bits;
  let s = 0;
  for (const f of feats) s += m.weights[f >>> shift];
  const inv = Math.fround(poolInv(feats.length));
  const z = Math.fround(m.bias + Math.fround(Math.fround(m.scale * s) * inv));
  return Math.fround(1 / (1 + Math.exp(-z)));
}

/**
 * Pooling of a window's feature weights: Σ / √n (window.ts does the same in f32). The
 * mean (Σ / n) made every window look alike whatever its length; √n lets a long run of
 * attack text count for more than one phrase, and doubled held-out recall at 1 % FPR.
 */
export function poolInv(n: number): number {
  return 1 / Math.sqrt(n);
}
