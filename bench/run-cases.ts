// Runs cases interleaved: every round gives each case the same time slice, in turn, and the
// per-round ratios (Wardline ÷ peer, Wardline ÷ floor) are taken before the medians, so a
// machine whose speed drifts during the run still compares like with like. Runtime-neutral.
import type { Case } from "./case.ts";
import { latencies, median, percentiles, round, slice } from "./measure.ts";

export interface Settings { rounds: number; sliceMs: number; latencySamples: number }

export interface CaseResult {
  id: string; name: string; group: Case["group"];
  mb_per_s: number;
  /** MB/s of each round (the median is mb_per_s) */
  rounds_mb_per_s: number[];
  prompt4k?: ReturnType<typeof percentiles>;
  delta40?: ReturnType<typeof percentiles>;
  open?: ReturnType<typeof percentiles>;
  quality?: Case["quality"];
  error?: string;
}

/** One round: each case gets `sliceMs`, in an order rotated by `r`; returns MB/s per case. */
export async function measureRound(cases: Case[], sliceMs: number, r: number): Promise<number[]> {
  const mbps: number[] = new Array(cases.length);
  // rotate the order each round so no case always runs right after the same neighbour
  for (let k = 0; k < cases.length; k++) {
    const i = (k + r) % cases.length;
    const { calls, elapsedMs } = await slice(cases[i].run, sliceMs);
    mbps[i] = (cases[i].bytes * calls) / 1e6 / (elapsedMs / 1e3);
  }
  return mbps;
}

/** Latencies and the summary of each case, given its MB/s per round. */
export async function summarise(cases: Case[], perRound: number[][], latencySamples: number): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    // slow peers get fewer latency samples so the run stays bounded
    const n = Math.max(50, Math.min(latencySamples, Math.floor(latencySamples * Math.min(1, median(perRound[i]) / 50))));
    out.push({
      id: c.id, name: c.name, group: c.group,
      mb_per_s: round(median(perRound[i]), 1),
      rounds_mb_per_s: perRound[i].map((x) => round(x, 3)),
      prompt4k: c.prompt4k ? percentiles(await latencies(c.prompt4k, n)) : undefined,
      delta40: c.delta40 ? percentiles(await latencies(c.delta40, n * 4)) : undefined,
      open: c.open ? percentiles(await latencies(c.open, Math.max(50, Math.floor(latencySamples / 10)), 20)) : undefined,
      quality: c.quality, error: c.error,
    });
  }
  return out;
}

export async function warm(cases: Case[]): Promise<void> {
  for (const c of cases) await c.run(); // JIT, wasm tier-up
}

export async function runCases(cases: Case[], s: Settings, log: (m: string) => void = () => {}): Promise<CaseResult[]> {
  await warm(cases);
  const perRound: number[][] = cases.map(() => []);
  for (let r = 0; r < s.rounds; r++) {
    (await measureRound(cases, s.sliceMs, r)).forEach((x, i) => perRound[i].push(x));
    log(`round ${r + 1}/${s.rounds}`);
  }
  return summarise(cases, perRound, s.latencySamples);
}

/** Per-round ratio a ÷ b, then the median of the rounds. */
export function ratio(results: CaseResult[], a: string, b: string): number | undefined {
  const x = results.find((r) => r.id === a), y = results.find((r) => r.id === b);
  if (!x || !y) return undefined;
  return round(median(x.rounds_mb_per_s.map((v, i) => v / y.rounds_mb_per_s[i])), 3);
}
