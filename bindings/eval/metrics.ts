// The operating point: confusion counts of "caught" against the label, and the ratios
// derived from them, overall, per category and per source.
import { ratio, fixed } from "./numbers.ts";
import type { Outcome } from "./score-rows.ts";

export interface Counts { tp: number; fp: number; fn: number; tn: number }

export interface Ratios extends Counts {
  /** tp / (tp + fp) */ precision: number | null;
  /** tp / (tp + fn) */ recall: number | null;
  /** harmonic mean of precision and recall */ f1: number | null;
  /** fp / (fp + tn) */ fpr: number | null;
}

/** Counts the outcomes. */
export function confusion(outcomes: readonly Outcome[]): Counts {
  const c: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const o of outcomes) {
    if (o.positive) o.caught ? c.tp++ : c.fn++;
    else o.caught ? c.fp++ : c.tn++;
  }
  return c;
}

/**
 * Precision, recall, F1 and FPR; null where the denominator is 0.
 * @example
 * ratios({ tp: 3, fp: 1, fn: 1, tn: 5 }); // precision 0.75, recall 0.75, f1 0.75, fpr 0.166667
 */
export function ratios(c: Counts): Ratios {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : fixed((2 * c.tp) / (2 * c.tp + c.fp + c.fn));
  return { ...c, precision, recall, f1, fpr: ratio(c.fp, c.fp + c.tn) };
}

export interface CategoryLine {
  /** 1 for a category of positives, 0 for negatives */
  label: 0 | 1;
  rows: number;
  caught: number;
  /** caught / rows: the recall of a positive category, the false-positive rate of a negative one */
  rate: number | null;
}

/** Groups by a key, sorted by key, so that output order never depends on input order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Per category (positives and negatives apart: a category may hold both labels). */
export function byCategory(outcomes: readonly Outcome[]): Record<string, CategoryLine> {
  const labels = new Map<string, Set<boolean>>();
  for (const o of outcomes) labels.set(o.row.category, (labels.get(o.row.category) ?? new Set()).add(o.positive));
  const out: Record<string, CategoryLine> = {};
  for (const [k, list] of groupBy(outcomes, (o) => `${o.row.category}\u0000${o.positive ? 1 : 0}`)) {
    const [category, label] = k.split("\u0000");
    const caught = list.filter((o) => o.caught).length;
    const name = labels.get(category)!.size > 1 ? `${category} (label ${label})` : category;
    out[name] = { label: label === "1" ? 1 : 0, rows: list.length, caught, rate: ratio(caught, list.length) };
  }
  return out;
}

/** Per source: the full operating point. */
export function bySource(outcomes: readonly Outcome[]): Record<string, Ratios> {
  const out: Record<string, Ratios> = {};
  for (const [source, list] of groupBy(outcomes, (o) => o.row.source)) out[source] = ratios(confusion(list));
  return out;
}

/** How often each rule:action did the catching. */
export function caughtBy(outcomes: readonly Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, list] of groupBy(outcomes.filter((o) => o.caughtBy), (o) => o.caughtBy!)) out[k] = list.length;
  return out;
}
