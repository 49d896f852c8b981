// Held-out measurement: recall at fixed false-positive rates and precision / recall /
// F1 at the shipped threshold, from one score per text (its highest window score).

export interface Scored { score: number; label: 0 | 1; group: string }

/** Recall of positives at the threshold that keeps the negatives' FPR ≤ fpr. */
export function recallAtFpr(s: Scored[], fpr: number): { recall: number; threshold: number } {
  const neg = s.filter((x) => x.label === 0).map((x) => x.score).sort((a, b) => b - a);
  const pos = s.filter((x) => x.label === 1);
  if (!neg.length || !pos.length) return { recall: NaN, threshold: NaN };
  const allowed = Math.floor(neg.length * fpr); // this many negatives may score at or above
  // the threshold sits just above the (allowed+1)-th highest negative
  const t = neg[allowed] ?? -Infinity;
  const recall = pos.filter((x) => x.score > t).length / pos.length;
  return { recall, threshold: t };
}

export function prf(s: Scored[], threshold: number) {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const x of s) {
    const p = x.score >= threshold;
    if (p && x.label) tp++; else if (p) fp++; else if (x.label) fn++; else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  const recall = tp + fn ? tp / (tp + fn) : NaN;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : NaN;
  const fpr = fp + tn ? fp / (fp + tn) : NaN;
  return { tp, fp, fn, tn, precision, recall, f1, fpr };
}

const pct = (x: number) => (Number.isNaN(x) ? "  –  " : (100 * x).toFixed(1).padStart(5) + "%");

/** One table: overall, then per held-out group (source) with the shared negatives. */
export function report(name: string, s: Scored[], threshold: number): string {
  const lines = [`\n${name}: held-out, ${s.filter((x) => x.label).length} positives / ${s.filter((x) => !x.label).length} negatives`];
  lines.push("  group                                    n+    n-  R@0.1%FPR  R@1%FPR   P@thr   R@thr  F1@thr  FPR@thr");
  const row = (g: string, xs: Scored[]) => {
    const m = prf(xs, threshold);
    lines.push(`  ${g.padEnd(38)} ${String(m.tp + m.fn).padStart(5)} ${String(m.fp + m.tn).padStart(5)}    ${pct(recallAtFpr(xs, 0.001).recall)}   ${pct(recallAtFpr(xs, 0.01).recall)}  ${pct(m.precision)}  ${pct(m.recall)}  ${m.f1.toFixed(3).padStart(6)}  ${pct(m.fpr)}`);
  };
  row("ALL", s);
  const negatives = s.filter((x) => x.label === 0);
  const groups = [...new Set(s.map((x) => x.group))].sort();
  for (const g of groups) {
    const pos = s.filter((x) => x.group === g && x.label === 1);
    const neg = s.filter((x) => x.group === g && x.label === 0);
    // a positives-only group is measured against every held-out negative
    row(g, pos.length && !neg.length ? [...pos, ...negatives] : [...pos, ...neg]);
  }
  return lines.join("\n");
}
