// Turns scored rows into the eval report: one plain object, the same bytes for the same
// inputs (keys in fixed order, numbers rounded by numbers.ts) apart from `latency`.
import type { Row } from "./read-data.ts";
import type { Scored, Outcome } from "./score-rows.ts";
import { confusion, ratios, byCategory, bySource, caughtBy, type Ratios, type CategoryLine } from "./metrics.ts";
import { curves, prPairs, rocPairs } from "./curves.ts";
import { spanReport, type SpanReport } from "./spans.ts";
import { latency, type Latency } from "./latency.ts";
import { TASK_NAMES, type TaskName } from "./tasks.ts";

/** A row shown as an example (worst false positives, worst misses). */
export interface Example { file: string; line: number; source: string; category: string; score: number; caughtBy?: string; excerpt: string }

export interface TaskReport {
  /** detectors in the policy whose findings count for this task */
  detectors: string[];
  positives: number;
  negatives: number;
  operatingPoint: Ratios & { caughtBy: Record<string, number> };
  byCategory: Record<string, CategoryLine>;
  bySource: Record<string, Ratios>;
  curves: {
    averagePrecision: number | null;
    rocAuc: number | null;
    recallAtFpr: { "0.001": number | null; "0.01": number | null };
    thresholds: number;
    /** [recall, precision] */
    pr: [number, number][];
    /** [fpr, tpr] */
    roc: [number, number][];
  };
  worstFalsePositives: Example[];
  worstMisses: Example[];
}

export interface EvalReport {
  policy: { name: string; hash: string; phase: string };
  caught: string;
  data: {
    files: { file: string; rows: number }[];
    rows: number;
    unknownCategories: Record<string, number>;
    /** positive rows whose data types Wardline has no detector for (scope.ts), per task */
    outOfScope: Partial<Record<TaskName, { rows: number; types: Record<string, number> }>>;
  };
  tasks: Partial<Record<TaskName, TaskReport>>;
  spans: Partial<Record<"pii" | "secrets", SpanReport>>;
  latency: Latency;
}

export const CAUGHT_RULE = "a rule fired on a finding of the task's detectors with an action other than allow (flag, redact, pseudonymize, block, stop, disclaimer)";
const EXAMPLES = 10;
const EXCERPT = 240;

/** At most EXCERPT characters, whitespace runs folded, never cut inside a surrogate pair. */
export function excerpt(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= EXCERPT) return t;
  let end = EXCERPT;
  const c = t.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return t.slice(0, end) + "…";
}

const byPlace = (a: Outcome, b: Outcome) => (a.row.file < b.row.file ? -1 : a.row.file > b.row.file ? 1 : a.row.line - b.row.line);

function example(o: Outcome): Example {
  const e: Example = { file: o.row.file, line: o.row.line, source: o.row.source, category: o.row.category, score: o.score, excerpt: excerpt(o.row.text) };
  if (o.caughtBy) e.caughtBy = o.caughtBy;
  return e;
}

function taskReport(list: Outcome[], detectors: string[]): TaskReport {
  const c = curves(list.map((o) => ({ score: o.score, positive: o.positive })));
  // Worst false positives: caught negatives, highest score first; worst misses: positives
  // not caught, lowest score first (the detector saw nothing). Ties by file and line.
  const fps = list.filter((o) => !o.positive && o.caught).sort((a, b) => b.score - a.score || byPlace(a, b));
  const misses = list.filter((o) => o.positive && !o.caught).sort((a, b) => a.score - b.score || byPlace(a, b));
  return {
    detectors,
    positives: c.positives,
    negatives: c.negatives,
    operatingPoint: { ...ratios(confusion(list)), caughtBy: caughtBy(list) },
    byCategory: byCategory(list),
    bySource: bySource(list),
    curves: {
      averagePrecision: c.averagePrecision, rocAuc: c.rocAuc, recallAtFpr: c.recallAtFpr,
      thresholds: c.points.length - 1, pr: prPairs(c), roc: rocPairs(c),
    },
    worstFalsePositives: fps.slice(0, EXAMPLES).map(example),
    worstMisses: misses.slice(0, EXAMPLES).map(example),
  };
}

/**
 * Builds the report.
 * @example
 * const report = evaluate(scoreRows(rows, guards), { files, policy: { name, hash, phase }, detectors });
 */
export function evaluate(
  scored: Scored,
  meta: { files: { file: string; rows: Row[] }[]; policy: EvalReport["policy"]; detectors: (task: TaskName) => string[] },
): EvalReport {
  const tasks: EvalReport["tasks"] = {};
  const spans: EvalReport["spans"] = {};
  for (const task of TASK_NAMES) {
    const list = scored.outcomes.filter((o) => o.task === task);
    if (list.length === 0) continue;
    tasks[task] = taskReport(list, meta.detectors(task));
    if ((task === "pii" || task === "secrets") && list.some((o) => o.row.spans)) spans[task] = spanReport(list, task);
  }
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const unknownCategories = sorted(scored.unknown);
  const outOfScope: EvalReport["data"]["outOfScope"] = {};
  for (const task of TASK_NAMES) {
    const s = scored.outOfScope.get(task);
    if (s) outOfScope[task] = { rows: s.rows, types: sorted(s.types) };
  }
  return {
    policy: meta.policy,
    caught: CAUGHT_RULE,
    data: { files: meta.files.map((f) => ({ file: f.file, rows: f.rows.length })), rows: meta.files.reduce((n, f) => n + f.rows.length, 0), unknownCategories, outOfScope },
    tasks,
    spans,
    latency: latency(scored.timings),
  };
}
