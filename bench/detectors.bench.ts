// npm run bench:detectors — throughput of each detector alone on the seeded corpus
// (release build), to see where the time goes. With --profile NAME it writes a V8 CPU
// profile of that one policy to build/profile/ (build with `npm run build:profile`
// first so that wasm function names are kept) and prints the hottest functions.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createGuard } from "../bindings/index.ts";
import { corpus } from "./corpus.ts";

const P = (d: string, r: string) => `version: 1\nname: p\ndetectors:\n${d}\nrules:\n${r}\n`;
export const DETECTOR_POLICIES: Record<string, string> = {
  baseline: P("  custom:\n    - { id: k, type: K, keywords: [zzqqxx] }", "  - { id: r, when: { detector: custom }, action: flag }"),
  pii: P("  pii: {}", "  - { id: r, when: { detector: pii }, action: redact }"),
  secrets: P("  secrets: {}", "  - { id: r, when: { detector: secrets }, action: redact }"),
  injection: P("  injection: {}", "  - { id: r, when: { detector: injection }, action: flag }"),
  toxicity: P("  toxicity: {}", "  - { id: r, when: { detector: toxicity }, action: flag }"),
  default: "default",
};

const main = process.argv[1]?.endsWith("detectors.bench.ts");
const texts = corpus(42, 128, 4096).map((p) => new TextEncoder().encode(p.text));
const total = texts.reduce((n, t) => n + t.length, 0);
const profileName = process.argv.includes("--profile") ? process.argv[process.argv.indexOf("--profile") + 1] : undefined;
const out: Record<string, number> = {};

for (const [name, policy] of main ? Object.entries(DETECTOR_POLICIES) : []) {
  if (profileName && name !== profileName) continue;
  const g = await createGuard({ policy });
  for (const t of texts) g.scan(t);
  let session: Session | undefined;
  if (profileName) { session = new Session(); session.connect(); await session.post("Profiler.enable"); await session.post("Profiler.start"); }
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < (profileName ? 4000 : 1000)) { for (const t of texts) g.scan(t); n++; }
  out[name] = +((total * n) / 1e6 / ((performance.now() - t0) / 1e3)).toFixed(1);
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    mkdirSync("build/profile", { recursive: true });
    writeFileSync(`build/profile/${name}.cpuprofile`, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((x) => [x.id, x]));
    const self = new Map<string, number>();
    for (const s of profile.samples ?? []) { const f = byId.get(s)!.callFrame.functionName || "(anonymous)"; self.set(f, (self.get(f) ?? 0) + 1); }
    const totalSamples = profile.samples?.length ?? 1;
    for (const [f, c] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.error(`${((100 * c) / totalSamples).toFixed(1).padStart(5)}%  ${f}`);
  }
}
if (main) console.log(JSON.stringify({ mb_per_s: out, corpus_bytes: total }, null, 2));
