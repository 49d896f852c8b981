// `npm run train:loso`: leave-one-source-out for the injection model — for each of the
// six injection / jailbreak sources, train on the other five (their attacks and their
// benign rows) plus the training benign prompts, and measure on the one left out (its
// attacks and benign rows) plus the held-out benign prompts. Same hyper-parameters and
// threshold placement as `npm run train`; nothing is written. The honest picture of how
// the model does on a kind of attack it has never seen.
import { readSet } from "./data.ts";
import { trainModel } from "./main.ts";
import { report, recallAtFpr, prf } from "./metrics.ts";
import { MODEL_SPECS, INJECTION_SOURCES, benignSplit, triggerWordBenign } from "./specs.ts";

const spec = MODEL_SPECS.find((s) => s.name === "injection")!;
const only = process.argv.slice(2);
const summary: string[] = ["\nleave-one-source-out (injection): left-out source, R@0.1%FPR, R@1%FPR, P/R/F1 at 0.5, FPR at 0.5"];
const t0 = performance.now();
for (const left of INJECTION_SOURCES) {
  if (only.length && !only.includes(left)) continue;
  const b = benignSplit(readSet, "injection");
  const rows = {
    train: [...INJECTION_SOURCES.filter((s) => s !== left).flatMap((s) => readSet(s)), ...b.train, ...triggerWordBenign()],
    heldOut: [...readSet(left), ...b.heldOut],
  };
  const { scored } = trainModel(spec, rows);
  console.log(report(`injection without ${left} (threshold 0.5)`, scored, 0.5));
  const m = prf(scored, 0.5);
  const pct = (x: number) => (100 * x).toFixed(1).padStart(5) + " %";
  summary.push(`  ${left.padEnd(38)} ${pct(recallAtFpr(scored, 0.001).recall)} ${pct(recallAtFpr(scored, 0.01).recall)}   ${pct(m.precision)} ${pct(m.recall)} ${m.f1.toFixed(3)}  ${pct(m.fpr)}`);
}
console.log(summary.join("\n"));
console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
