// Span-level precision and recall for PII and secrets rows that carry gold spans.
// Matching rule: a found span and a gold span *match* when their types agree (after
// entity-types.ts) and they overlap by at least one character (found.start < gold.end
// and gold.start < found.end); an *exact* match also has the same start and end.
// Recall counts gold spans that some found span matches; precision counts found spans
// that match some gold span. A row about one entity (Presidio's `entity`) counts only
// found spans of that entity for precision; gold spans of types Wardline does not detect
// are listed apart and count neither way.
import { ratio } from "./numbers.ts";
import type { Outcome, FoundSpan } from "./score-rows.ts";
import { wardlineType, SECRET_SPAN_TYPE } from "./entity-types.ts";
import type { GoldSpan } from "./read-data.ts";

export interface SpanCounts {
  gold: number;
  found: number;
  /** gold spans matched (overlap) / found spans matched (overlap) */
  goldMatched: number;
  foundMatched: number;
  goldExact: number;
  foundExact: number;
}

export interface SpanScores extends SpanCounts {
  precision: number | null;
  recall: number | null;
  exactPrecision: number | null;
  exactRecall: number | null;
}

export interface SpanReport {
  rows: number;
  total: SpanScores;
  byType: Record<string, SpanScores>;
  /** gold span types Wardline has no detector for, with how many spans */
  notDetected: Record<string, number>;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
const exact = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start === b.start && a.end === b.end;
const zero = (): SpanCounts => ({ gold: 0, found: 0, goldMatched: 0, foundMatched: 0, goldExact: 0, foundExact: 0 });

function scores(c: SpanCounts): SpanScores {
  return {
    ...c,
    precision: ratio(c.foundMatched, c.found), recall: ratio(c.goldMatched, c.gold),
    exactPrecision: ratio(c.foundExact, c.found), exactRecall: ratio(c.goldExact, c.gold),
  };
}

/**
 * Span scores for one task's outcomes (rows without gold spans are skipped).
 * @example
 * spanReport(outcomes.filter((o) => o.task === "pii"), "pii").byType.EMAIL.recall;
 */
export function spanReport(outcomes: readonly Outcome[], task: "pii" | "secrets"): SpanReport {
  const byType = new Map<string, SpanCounts>();
  const notDetected = new Map<string, number>();
  const bucket = (t: string) => byType.get(t) ?? byType.set(t, zero()).get(t)!;
  let rows = 0;
  for (const o of outcomes) {
    if (!o.row.spans) continue;
    rows++;
    const gold: (GoldSpan & { ours: string })[] = [];
    for (const g of o.row.spans) {
      const ours = wardlineType(g.type, task);
      if (ours) gold.push({ ...g, ours });
      else notDetected.set(g.type, (notDetected.get(g.type) ?? 0) + 1);
    }
    const only = o.row.entity !== undefined ? wardlineType(o.row.entity, task) ?? "" : undefined;
    const typeOf = (f: FoundSpan) => (task === "secrets" ? SECRET_SPAN_TYPE : f.type);
    const found = o.found.filter((f) => only === undefined || typeOf(f) === only);
    for (const g of gold) {
      const c = bucket(g.ours);
      c.gold++;
      const same = found.filter((f) => typeOf(f) === g.ours);
      if (same.some((f) => overlaps(f, g))) c.goldMatched++;
      if (same.some((f) => exact(f, g))) c.goldExact++;
    }
    for (const f of found) {
      const c = bucket(typeOf(f));
      c.found++;
      const same = gold.filter((g) => g.ours === typeOf(f));
      if (same.some((g) => overlaps(f, g))) c.foundMatched++;
      if (same.some((g) => exact(f, g))) c.foundExact++;
    }
  }
  const total = zero();
  const out: Record<string, SpanScores> = {};
  for (const [t, c] of [...byType.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[t] = scores(c);
    for (const k of Object.keys(total) as (keyof SpanCounts)[]) total[k] += c[k];
  }
  const nd = Object.fromEntries([...notDetected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { rows, total: scores(total), byType: out, notDetected: nd };
}
