// `npm run train`: trains the learned classifiers from ../shared/datasets (or
// $WARDLINE_DATASETS) and writes models/NAME.wlm, then prints held-out measurements.
// Seeded and deterministic: running it twice writes the same bytes.
//
// Splits are by source: each model is measured on whole data sets it never saw (plus a
// hash-split slice of the benign prompts of every style), after dropping training rows
// that duplicate a held-out row. The shipped threshold (score 0.5) is set on a
// validation slice of the *training* negatives, never on held-out rows.
import { writeFileSync, mkdirSync } from "node:fs";
import { FeatureExtractor } from "./features.ts";
import { windowsOf } from "./windows.ts";
import { readSet, bucketOf, dedupe, type Row } from "./data.ts";
import { train, quantise, scoreWindow, type Sample } from "./logreg.ts";
import { encodeWlm, type ModelWeights } from "./wlm.ts";
import { report, type Scored } from "./metrics.ts";
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
  const samples: Sample[] = [];
  for (const r of fit) {
    const ws = windows(r.text);
    const classWeight = r.label ? fit.length / (2 * pos) : fit.length / (2 * neg);
    for (const f of ws) samples.push({ feats: f, label: r.label, weight: (classWeight * (r.weight ?? 1)) / ws.length });
  }
  const t0 = performance.now();
  const { w, b } = train(samples, { bits: Number(process.env.TRAIN_BITS ?? spec.bits), epochs: Number(process.env.TRAIN_EPOCHS ?? spec.epochs), rate: Number(process.env.TRAIN_RATE ?? spec.rate), l2: Number(process.env.TRAIN_L2 ?? spec.l2), seed: 0x5eed });
  const { q, scale } = quantise(w);
  const model: ModelWeights = { bits: Number(process.env.TRAIN_BITS ?? spec.bits), scale, bias: Math.fround(b), weights: q };
  // place the operating point: the validation negatives' (1 - OPERATING_FPR) quantile maps to 0.5
  const valNeg = val.filter((r) => r.label === 0).map((r) => maxScore(r.text, model)).sort((x, y) => y - x);
  const t = valNeg[Math.floor(valNeg.length * OPERATING_FPR)] ?? 0.5;
  const tc = Math.min(Math.max(t, 1e-6), 1 - 1e-6);
  model.bias = Math.fround(model.bias - Math.log(tc / (1 - tc)));
  log(`${spec.name}: ${fit.length} training rows (${pos} positive), ${samples.length} windows, ${val.length} validation rows, ${dropped} dropped as duplicates of held-out rows; trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const scored = rows.heldOut.map((r) => ({ score: maxScore(r.text, model), label: r.label, group: spec.group(r) }));
  return { model, scored };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  const t0 = performance.now();
  const out: string[] = [];
  const outDir = process.env.WARDLINE_MODELS_OUT ?? "models"; // experiments write elsewhere
  mkdirSync(outDir, { recursive: true });
  for (const spec of MODEL_SPECS) {
    if (only.length && !only.includes(spec.name)) continue;
    const { model, scored } = trainModel(spec, spec.rows(readSet));
    const bytes = encodeWlm(model);
    writeFileSync(`${outDir}/${spec.name}.wlm`, bytes);
    out.push(report(`${spec.name} (${(bytes.length / 1024).toFixed(0)} KiB, threshold 0.5)`, scored, 0.5));
  }
  console.log(out.join("\n"));
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
