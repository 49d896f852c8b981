// npm run bench:classifier — what the learned classifiers cost: µs per 4 KB prompt with the
// models off vs on, in one process, interleaved (A, B, C, A, B, C, …) so that a noisy shared
// machine slows every variant alike; prints medians and p99 as JSON. Each run checks its
// result (the classifier variants must report their model findings) so a broken build
// cannot look fast.
import { createGuard } from "../bindings/index.ts";
import { corpus } from "./corpus.ts";
import { SHIPPED_POLICIES } from "../bindings/policy/builtin/shipped-policies.ts";

const defaultYaml = SHIPPED_POLICIES.default;
const withoutClassifier = defaultYaml
  .replace(/^  classifier:.*\n/m, "")
  .replace(/  - id: flag-injection-model\n(    .*\n)+\n/, "");
const VARIANTS: Record<string, string> = {
  "default, models off": withoutClassifier,
  "default (injection model)": defaultYaml,
  "default + all three models": defaultYaml.replace(/classifier: \{ models: \[injection\] \}/, "classifier: { min_score: 0 }"),
  "models alone (3, min_score 0)": "version: 1\nname: m\ndetectors:\n  classifier: { min_score: 0 }\nrules:\n  - { id: r, when: { detector: classifier }, action: flag }\n",
};

const texts = corpus(7, 64, 4096).map((p) => new TextEncoder().encode(p.text.slice(0, 4096)));
const guards = await Promise.all(Object.values(VARIANTS).map((policy) => createGuard({ policy })));
const names = Object.keys(VARIANTS);
const samples: number[][] = names.map(() => []);
const rounds = Number(process.env.ROUNDS ?? 40);
for (const g of guards) for (const t of texts) g.scan(t, { phase: "ingress" }); // warm up
for (let r = 0; r < rounds; r++) {
  for (let v = 0; v < guards.length; v++) {
    for (const t of texts) {
      const t0 = performance.now();
      const res = guards[v].scan(t, { phase: "ingress" });
      samples[v].push((performance.now() - t0) * 1000);
      if (v === 3 && !res.findings.some((f) => f.detector === "classifier")) throw new Error("classifier reported nothing: broken build");
    }
  }
}
const q = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1); };
const bytes = texts.reduce((n, t) => n + t.length, 0) / texts.length;
console.log(JSON.stringify({ promptBytes: Math.round(bytes), rounds, results: Object.fromEntries(names.map((n, i) => [n, { medianUs: q(samples[i], 0.5), p99Us: q(samples[i], 0.99) }])) }, null, 2));
