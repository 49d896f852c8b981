// Scan-time percentiles of the policy as written, one scan per row (process.hrtime.bigint
// in scoreRows). Nearest-rank percentiles; noisy by nature, so eval's determinism promise
// covers everything except this section.
import type { Timing } from "./score-rows.ts";
import { fixed } from "./numbers.ts";

export interface Latency {
  rows: number;
  /** microseconds per row */
  p50Us: number; p90Us: number; p99Us: number;
  /** microseconds per KiB of UTF-8 input (rows with text only) */
  perKb: { p50Us: number; p90Us: number; p99Us: number };
  /** all bytes over all scan time, MB/s (10^6 bytes): the figure short rows do not distort */
  throughputMBps: number;
}

const rank = (sorted: readonly number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : 0);
const pct = (values: number[]) => {
  const s = values.sort((a, b) => a - b);
  return { p50Us: fixed(rank(s, 0.5)), p90Us: fixed(rank(s, 0.9)), p99Us: fixed(rank(s, 0.99)) };
};

/** p50/p90/p99 per row and per KiB. */
export function latency(timings: readonly Timing[]): Latency {
  const us = timings.map((t) => Number(t.ns) / 1000);
  const perKb = timings.filter((t) => t.bytes > 0).map((t) => (Number(t.ns) / 1000) * (1024 / t.bytes));
  let bytes = 0;
  let ns = 0;
  for (const t of timings) { bytes += t.bytes; ns += Number(t.ns); }
  return { rows: timings.length, ...pct(us), perKb: pct(perKb), throughputMBps: ns ? fixed((bytes / ns) * 1000) : 0 };
}
