// Threshold curves over the rows' scores (policy with report floors lowered). One point
// per distinct score: rows with equal scores enter together, so ties never depend on row
// order (sklearn's convention). Rows without any finding score 0 and enter last.
import { fixed, ratio } from "./numbers.ts";

export interface Point {
  /** rows scoring >= threshold are called positive */
  threshold: number;
  tp: number;
  fp: number;
}

export interface Curves {
  positives: number;
  negatives: number;
  /** from the strictest threshold to the loosest; starts at (0 tp, 0 fp) for "nothing caught" */
  points: Point[];
  /** Σ (R_k − R_{k−1}) · P_k over the points: the step-wise area under the PR curve */
  averagePrecision: number | null;
  /** trapezoidal area under the ROC curve (ties count one half) */
  rocAuc: number | null;
  /** the highest recall among thresholds whose FPR stays at or below 0.1 % and 1 % */
  recallAtFpr: { "0.001": number | null; "0.01": number | null };
}

/** Fixed-FPR budgets the report quotes recall at. */
export const FPR_BUDGETS = [0.001, 0.01] as const;

/**
 * Builds the curves.
 * @example
 * curves([{ score: 0.9, positive: true }, { score: 0.2, positive: false }]).rocAuc; // 1
 */
export function curves(items: readonly { score: number; positive: boolean }[]): Curves {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const P = sorted.filter((i) => i.positive).length;
  const N = sorted.length - P;
  const points: Point[] = [{ threshold: Infinity, tp: 0, fp: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; ) {
    const s = sorted[i].score;
    for (; i < sorted.length && sorted[i].score === s; i++) sorted[i].positive ? tp++ : fp++;
    points.push({ threshold: s, tp, fp });
  }
  let ap = 0;
  let auc = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1];
    const b = points[k];
    if (b.tp > a.tp) ap += ((b.tp - a.tp) / P) * (b.tp / (b.tp + b.fp));
    auc += ((b.fp - a.fp) / N) * ((a.tp + b.tp) / 2 / P);
  }
  const recallAt = (budget: number): number | null => {
    if (P === 0 || N === 0) return null;
    let best = 0;
    for (const p of points) if (p.fp / N <= budget && p.tp > best) best = p.tp;
    return fixed(best / P);
  };
  return {
    positives: P,
    negatives: N,
    points,
    averagePrecision: P === 0 ? null : fixed(ap),
    rocAuc: P === 0 || N === 0 ? null : fixed(auc),
    recallAtFpr: { "0.001": recallAt(0.001), "0.01": recallAt(0.01) },
  };
}

/** The PR curve as [recall, precision] pairs (the empty first point has no precision and is left out). */
export function prPairs(c: Curves): [number, number][] {
  return c.points.slice(1).map((p) => [ratio(p.tp, c.positives) ?? 0, ratio(p.tp, p.tp + p.fp) ?? 0]);
}

/** The ROC curve as [fpr, tpr] pairs, from (0, 0). */
export function rocPairs(c: Curves): [number, number][] {
  return c.points.map((p) => [ratio(p.fp, c.negatives) ?? 0, ratio(p.tp, c.positives) ?? 0]);
}
