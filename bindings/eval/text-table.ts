// The report as plain text for a terminal: one headline table of tasks, then per task its
// categories and sources, then span-level scores and latency. Fixed-width columns.
import type { EvalReport } from "./evaluate.ts";
import { show, percent } from "./numbers.ts";

/** Columns padded to their widest cell; the first column left-aligned, the rest right. */
export function columns(rows: string[][], indent = "  "): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  const pad = (s: string, w: number, left: boolean) => (left ? s + " ".repeat(w - [...s].length) : " ".repeat(w - [...s].length) + s);
  return rows.map((r) => indent + r.map((c, i) => pad(c, widths[i], i === 0)).join("  ").trimEnd()).join("\n");
}

const n = (x: number) => String(x);

/** "A ×3, B ×2, …" — the most frequent first, then how many more (also used by the HTML report, escaped). */
export function top(counts: Record<string, number>, limit = 12): string {
  const e = Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const shown = e.slice(0, limit).map(([k, v]) => `${k} ×${v}`).join(", ");
  return e.length > limit ? `${shown}, … ${e.length - limit} more types` : shown;
}

/**
 * Renders the report.
 * @example
 * process.stdout.write(textTable(report));
 */
export function textTable(r: EvalReport, options: { latency?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`wardline eval — policy ${r.policy.name} (${r.policy.hash.slice(0, 19)}), phase ${r.policy.phase}`);
  out.push(`data: ${r.data.rows} rows in ${r.data.files.length} file(s)`);
  const unknown = Object.entries(r.data.unknownCategories);
  if (unknown.length) out.push(`not scored (unknown category): ${unknown.map(([c, k]) => `${c} ×${k}`).join(", ")}`);
  for (const [task, s] of Object.entries(r.data.outOfScope)) {
    out.push(`${task}: ${s.rows} positive rows out of scope (types Wardline does not detect), not scored: ${top(s.types)}`);
  }
  out.push(`caught = ${r.caught}`, "");

  const head = ["task", "detectors", "pos", "neg", "tp", "fp", "fn", "tn", "precision", "recall", "F1", "FPR", "AP", "ROC AUC", "R@0.1%FPR", "R@1%FPR"];
  const lines = [head];
  for (const [task, t] of Object.entries(r.tasks)) {
    const o = t.operatingPoint;
    lines.push([task, t.detectors.join(",") || "(none)", n(t.positives), n(t.negatives), n(o.tp), n(o.fp), n(o.fn), n(o.tn),
      show(o.precision), show(o.recall), show(o.f1), show(o.fpr), show(t.curves.averagePrecision), show(t.curves.rocAuc),
      show(t.curves.recallAtFpr["0.001"]), show(t.curves.recallAtFpr["0.01"])]);
  }
  out.push("operating point (policy as written) and curves (report floors lowered):", columns(lines), "");

  for (const [task, t] of Object.entries(r.tasks)) {
    out.push(`${task} — by category (rate = recall for label 1, false-positive rate for label 0)`);
    out.push(columns([["category", "label", "rows", "caught", "rate"],
      ...Object.entries(t.byCategory).map(([c, l]) => [c, n(l.label), n(l.rows), n(l.caught), percent(l.rate)])]));
    out.push(`${task} — by source`);
    out.push(columns([["source", "tp", "fp", "fn", "tn", "precision", "recall", "F1", "FPR"],
      ...Object.entries(t.bySource).map(([s, o]) => [s, n(o.tp), n(o.fp), n(o.fn), n(o.tn), show(o.precision), show(o.recall), show(o.f1), show(o.fpr)])]));
    const by = Object.entries(t.operatingPoint.caughtBy);
    if (by.length) out.push(`  caught by: ${by.map(([k, v]) => `${k} ×${v}`).join(", ")}`);
    out.push("");
  }

  for (const [task, s] of Object.entries(r.spans)) {
    out.push(`${task} — span level over ${s.rows} rows (match = same type and overlapping; exact = same start and end)`);
    out.push(columns([["type", "gold", "found", "precision", "recall", "exact P", "exact R"],
      ...[...Object.entries(s.byType), ["all", s.total] as const].map(([k, c]) => [k, n(c.gold), n(c.found), show(c.precision), show(c.recall), show(c.exactPrecision), show(c.exactRecall)])]));
    const nd = Object.entries(s.notDetected);
    if (nd.length) out.push(`  gold types Wardline does not detect (not counted): ${nd.map(([k, v]) => `${k} ×${v}`).join(", ")}`);
    out.push("");
  }

  if (options.latency !== false) {
    const l = r.latency;
    out.push(`latency over ${l.rows} scans: p50 ${l.p50Us.toFixed(1)} µs, p90 ${l.p90Us.toFixed(1)} µs, p99 ${l.p99Us.toFixed(1)} µs per row; ` +
      `per KiB p50 ${l.perKb.p50Us.toFixed(1)} µs, p90 ${l.perKb.p90Us.toFixed(1)} µs, p99 ${l.perKb.p99Us.toFixed(1)} µs; ${l.throughputMBps.toFixed(1)} MB/s overall`);
  }
  return out.join("\n") + "\n";
}
