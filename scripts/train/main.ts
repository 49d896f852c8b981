// `npm run train`: trains the learned classifiers from ../shared/datasets (or
// $WARDLINE_DATASETS), prints held-out measurements and writes models/NAME.wlm.
// Seeded and deterministic: running it twice writes the same bytes.
//
// Two fits per model. The *split* fit is measured: splits are by source, each model is
// measured on whole data sets it never saw (plus a hash-split slice of the benign prompts
// of every style), after dropping training rows that duplicate a held-out row. The
// *final* fit, with the same hyper-parameters, learns from every labelled row (training
// and held-out sets alike) and is the one shipped: the numbers printed are the split
// fit's, the honest estimate for data neither has seen. Both place the threshold (score
// 0.5) on a validation slice of their own training negatives, never on measured rows.
// benign-trigger-words-heldout.txt is never trained on: it measures over-defense.
import { writeFileSync, mkdirSync } from "node:fs";
import { FeatureExtractor } from "./features.ts";
import { windowsOf } from "./windows.ts";
import { readSet, bucketOf, dedupe, type Row } from "./data.ts";
import { readFileSync } from "node:fs";
import { train, quantise, scoreWindow, type Sample } from "./logreg.ts";
import { encodeWlm, type ModelWeights } from "./wlm.ts";
import { report, prf, type Scored } from "./metrics.ts";
import { MODEL_SPECS, type ModelSpec } from "./specs.ts";

/** FPR on validation negatives at which a score of 0.5 is placed. */
const OPERATING_FPR = 0.005;

const fx = new FeatureExtractor();
const enc = new TextEncoder();
const windowCache = new Map<string, Uint32Array[]>();
function windows(text: string): Uint32Array[] {
  let w = windowCache.get(text);
  if (!w) { w = windowsOf(fx.words(text), enc.encode(text).length); windowCache.set(text, w); }
  return w;
}

function maxScore(text: string, m: ModelWeights): number {
  let best = 0;
  for (const w of windows(text)) best = Math.max(best, scoreWindow(w, m));
  return best;
}

export function trainModel(spec: ModelSpec, rows: { train: Row[]; heldOut: Row[] }, log = console.log): { model: ModelWeights; scored: Scored[] } {
  const { train: deduped, dropped } = dedupe(rows.train, rows.heldOut);
  // validation: a hash slice of the training rows, used only to place the threshold
  const isVal = (r: Row) => bucketOf(r, spec.name + ":val") < 0.1;
  const fit = deduped.filter((r) => !isVal(r));
  const val = deduped.filter(isVal);
  const pos = fit.filter((r) => r.label === 1).length, neg = fit.length - pos;
  const opts = { bits: Number(process.env.TRAIN_BITS ?? spec.bits), epochs: Number(process.env.TRAIN_EPOCHS ?? spec.epochs), rate: Number(process.env.TRAIN_RATE ?? spec.rate), l2: Number(process.env.TRAIN_L2 ?? spec.l2), seed: 0x5eed };
  // classes weigh alike; a text's windows share its weight. (Tried and dropped, no held-out
  // gain: weighting each data set alike, and re-weighting the negatives a first fit got wrong.)
  const samples: Sample[] = [];
  for (const r of fit) {
    const ws = windows(r.text);
    const classWeight = r.label ? fit.length / (2 * pos) : fit.length / (2 * neg);
    for (const f of ws) samples.push({ feats: f, label: r.label, weight: (classWeight * (r.weight ?? 1)) / ws.length });
  }
  const t0 = performance.now();
  const { w, b } = train(samples, opts);
  const { q, scale } = quantise(w);
  const model: ModelWeights = { bits: opts.bits, scale, bias: Math.fround(b), weights: q };
  // place the operating point: the validation negatives' (1 - OPERATING_FPR) quantile maps to 0.5
  const valNeg = val.filter((r) => r.label === 0).map((r) => maxScore(r.text, model)).sort((x, y) => y - x);
  const t = valNeg[Math.floor(valNeg.length * OPERATING_FPR)] ?? 0.5;
  const tc = Math.min(Math.max(t, 1e-6), 1 - 1e-6);
  model.bias = Math.fround(model.bias - Math.log(tc / (1 - tc)));
  log(`${spec.name}: ${fit.length} training rows (${pos} positive), ${samples.length} windows, ${val.length} validation rows, ${dropped} dropped as duplicates (of a held-out row or of each other); trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const scored = rows.heldOut.map((r) => ({ score: maxScore(r.text, model), label: r.label, group: spec.group(r) }));
  return { model, scored };
}

/** Benign prompts with injection vocabulary that no fit learns from (over-defense). */
export function triggerHeldOut(): string[] {
  return readFileSync(new URL("./benign-trigger-words-heldout.txt", import.meta.url), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
}

/** FPR at score 0.5 on the held-out trigger-word prompts, and the worst of them. */
export function overDefense(m: ModelWeights): string {
  const s = triggerHeldOut().map((t) => ({ t, score: maxScore(t, m) })).sort((a, b) => b.score - a.score);
  const fp = s.filter((x) => x.score >= 0.5);
  const worst = fp.slice(0, 3).map((x) => `    ${x.score.toFixed(3)}  ${x.t}`).join("\n");
  return `  over-defense: ${fp.length}/${s.length} held-out trigger-word benign prompts score ≥ 0.5 (FPR ${(100 * fp.length / s.length).toFixed(1)} %)${worst ? "\n" + worst : ""}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  const t0 = performance.now();
  const out: string[] = [];
  const outDir = process.env.WARDLINE_MODELS_OUT ?? "models"; // experiments write elsewhere
  mkdirSync(outDir, { recursive: true });
  for (const spec of MODEL_SPECS) {
    if (only.length && !only.includes(spec.name)) continue;
    const rows = spec.rows(readSet);
    const split = trainModel(spec, rows);
    out.push(report(`${spec.name} split fit (threshold 0.5)`, split.scored, 0.5));
    out.push(overDefense(split.model));
    // the shipped policies' rule thresholds (default flags INJECTION ≥ 0.9, strict blocks ≥ 0.7)
    for (const t of [0.7, 0.9]) {
      const m = prf(split.scored, t);
      out.push(`  at ${t}: precision ${(100 * m.precision).toFixed(1)} %, recall ${(100 * m.recall).toFixed(1)} %, held-out benign FPR ${(100 * m.fpr).toFixed(2)} %`);
    }
    if (process.env.TRAIN_SPLIT_ONLY) continue; // experiments: measure, write nothing
    // the shipped fit: every labelled row, nothing held out (measured rows are the split fit's)
    const final = trainModel(spec, { train: [...rows.train, ...rows.heldOut], heldOut: [] }, (l) => console.log(l.replace(":", " (final fit):")));
    const bytes = encodeWlm(final.model);
    writeFileSync(`${outDir}/${spec.name}.wlm`, bytes);
    out.push(`  final fit written: ${outDir}/${spec.name}.wlm (${(bytes.length / 1024).toFixed(0)} KiB), trained on every labelled row`);
    out.push(overDefense(final.model));
  }
  console.log(out.join("\n"));
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
