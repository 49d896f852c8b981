// The goals of issues 7 and 10, each checked against this run's numbers. A missed goal is
// reported (and explained by the profiles in RESULTS.md); only a wrong result fails the run.
import type { CaseResult } from "./run-cases.ts";
import type { ProxyResults } from "./proxy/index.ts";

export interface Goal {
  goal: string; target: string; measured: string; met: boolean | undefined;
  /** which profile explains it (a key prefix in RunResults.profiles), or "memory" */
  explainedBy?: string;
}

export function goals(engine: CaseResult[], ratios: Record<string, number | undefined>, proxy?: ProxyResults): Goal[] {
  const by = (id: string) => engine.find((r) => r.id === id);
  const f = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d));
  const g: Goal[] = [];
  const push = (goal: string, target: string, value: number | undefined, ok: (v: number) => boolean, unit = "", d = 2, explainedBy?: string) =>
    g.push({ goal, target, measured: `${f(value, d)}${unit}`, met: value === undefined || !Number.isFinite(value) ? undefined : ok(value), explainedBy });
  push("engine (default policy) vs RegExp union", "≥ 3×", ratios.scan_default_vs_regexp_union, (v) => v >= 3, "×", 2, "Wardline scan");
  push("engine (default policy) vs @openai/guardrails local", "≥ 100×", ratios.scan_default_vs_openai_guardrails, (v) => v >= 100, "×", 1, "Wardline scan");
  const w = by("wardline_scan_default")?.quality, u = by("peer_regexp_union_v8")?.quality, o = by("peer_openai_guardrails_local")?.quality;
  const meanRecall = (q: typeof w, kinds: string[]) => q ? kinds.reduce((s, k) => s + (q.recall[k]?.recall ?? 0), 0) / kinds.length : NaN;
  for (const [peer, q] of [["RegExp union", u], ["@openai/guardrails", o]] as const) {
    if (!w || !q) continue;
    const kinds = Object.keys(q.recall);
    const wr = meanRecall(w, kinds), pr = meanRecall(q, kinds);
    g.push({ goal: `recall and false positives vs ${peer} (default policy, same kinds)`, target: "recall ≥ peer, FP ≤ peer",
      measured: `recall ${wr.toFixed(3)} vs ${pr.toFixed(3)}; FP ${w.false_positives} vs ${q.false_positives}`, met: wr >= pr && w.false_positives <= q.false_positives });
  }
  push("4 KB prompt p99 (scan, default)", "≤ 25 µs", by("wardline_scan_default")?.prompt4k?.p99_us, (v) => v <= 25, " µs", 1, "Wardline scan");
  push("40-byte delta p99 (stream push, default)", "≤ 3 µs", by("wardline_stream_40b")?.delta40?.p99_us, (v) => v <= 3, " µs", 2, "Wardline stream");
  if (proxy) {
    push("proxy req/s vs bare node:http pipe", "≥ 70 %", proxy.ratio_wardline_vs_pipe * 100, (v) => v >= 70, " %", 1, "Wardline proxy");
    push("added time to first byte over the pipe (1 connection, median)", "≤ 300 µs", proxy.ttfb_added_over_pipe_us, (v) => v <= 300, " µs", 0, "Wardline proxy");
    push(`proxy RSS with ${proxy.streams.wardline.streams} open streams`, "≤ 150 MB", proxy.streams.wardline.rss_peak_mb, (v) => v <= 150, " MB", 1, "memory");
  }
  return g;
}
