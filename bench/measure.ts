// Timing primitives shared by every case: time-sliced throughput (so cases can be
// interleaved round by round), latency percentiles, medians. Runtime-neutral (Node and Deno).

export type Work = () => unknown;

/** Runs `fn` (sync or async) repeatedly for about `ms`; returns calls and elapsed ms. */
export async function slice(fn: Work, ms: number): Promise<{ calls: number; elapsedMs: number }> {
  const t0 = performance.now();
  let calls = 0;
  let el = 0;
  do {
    const r = fn();
    if (r instanceof Promise) await r;
    calls++;
  } while ((el = performance.now() - t0) < ms);
  return { calls, elapsedMs: el };
}

/** Per-call latencies in µs, after `warm` warm-up calls. */
export async function latencies(fn: Work, count: number, warm = 100): Promise<number[]> {
  for (let i = 0; i < warm; i++) { const r = fn(); if (r instanceof Promise) await r; }
  const t: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = performance.now();
    const r = fn();
    if (r instanceof Promise) await r;
    t.push((performance.now() - a) * 1000);
  }
  return t;
}

export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const median = (xs: number[]) => quantile(xs, 0.5);

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function percentiles(us: number[]) {
  return { p50_us: round(quantile(us, 0.5)), p99_us: round(quantile(us, 0.99)), samples: us.length };
}
