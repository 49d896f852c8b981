// npm run fuzz [-- --seconds 60 --seed 1 --target all|engine|protocol|body|policy]: the byte-level
// fuzzer. A seeded PRNG mutates real inputs (planted text, provider frames, request and
// response bodies, the shipped policies) or draws random bytes, and runs each through its
// target (scripts/fuzz-targets.ts) with random chunking. Stops at the first failure and prints
// it with the seed, the case number and the input (base64) so it can be replayed; otherwise
// prints a JSON summary: cases per target, the slowest case, the largest wasm memory seen.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Engine } from "../bindings/engine.ts";
import { engineModule } from "../bindings/index.ts";
import {
  Targets, FuzzFailure, PROVIDERS, prng, mutate, cuts, policyCase, policySeeds, streamSeed, requestSeed, responseSeed, textSeed, hostileBodies, hostileStreams,
} from "./fuzz-targets.ts";

export type TargetName = "engine" | "protocol" | "body" | "policy";
export interface FuzzSummary {
  seed: number; seconds: number; hostile_cases: number; cases: Record<TargetName, number>; slowest_ms: number; slowest: string;
  max_wasm_memory_mb: number; failure?: { target: string; message: string; case: number; input_base64: string };
}

/** Cases slower than this count as a hang (the engine is linear and no input is > 5 MiB; the 4 MiB
 *  hostile bodies take ~1 s alone, 4 s on a box shared 6 ways). */
export const HANG_MS = 30_000;

export function runFuzz(opts: { seconds?: number; cases?: number; seed: number; targets?: TargetName[]; hostile?: boolean }): FuzzSummary {
  const r = prng(opts.seed);
  const t = new Targets();
  const policyEngine = new Engine(engineModule());
  const targets = opts.targets ?? ["engine", "protocol", "body", "policy"];
  const seeds = {
    text: textSeed(),
    streams: PROVIDERS.map(streamSeed), requests: PROVIDERS.map(requestSeed), responses: PROVIDERS.map(responseSeed),
    policies: policySeeds().map((s) => new TextEncoder().encode(s)),
  };
  const summary: FuzzSummary = { seed: opts.seed, seconds: 0, hostile_cases: 0, cases: { engine: 0, protocol: 0, body: 0, policy: 0 }, slowest_ms: 0, slowest: "", max_wasm_memory_mb: 0 };
  let t0 = performance.now();
  const random = (n: number) => { const b = new Uint8Array(Math.floor(r() * n)); for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256); return b; };
  /** a seed mutated 1..8 times, or random bytes (1 case in 8) */
  const input = (seed: Uint8Array) => { if (r() < 0.125) return random(512); let b = seed; for (let k = Math.floor(r() * 8); k >= 0; k--) b = mutate(r, b); return b; };

  const timed = (name: string, n: number, fn: () => void) => {
    const s = performance.now();
    try {
      fn();
    } catch (e) {
      const f = e instanceof FuzzFailure ? e : new FuzzFailure(name, String((e as Error)?.stack ?? e), new Uint8Array());
      const bytes = typeof f.input === "string" ? new TextEncoder().encode(f.input) : f.input;
      summary.failure = { target: f.target, message: f.message, case: n, input_base64: Buffer.from(bytes).toString("base64") };
    }
    const ms = performance.now() - s;
    if (ms > summary.slowest_ms) { summary.slowest_ms = +ms.toFixed(1); summary.slowest = `${name} #${n}`; }
    if (ms > HANG_MS && !summary.failure) summary.failure = { target: name, message: `case took ${ms.toFixed(0)} ms (> ${HANG_MS} ms: a hang)`, case: n, input_base64: "" };
  };

  if (opts.hostile !== false) {
    for (const h of hostileBodies()) for (const p of PROVIDERS) timed(`body/${p}: ${h.name}`, 0, () => t.bodyCase(p, h.bytes));
    for (const p of PROVIDERS) for (const h of hostileStreams(p)) timed(`protocol/${p}: ${h.name}`, 0, () => t.protocolCase(p, h.bytes, cuts(r, h.bytes.length).slice(0, 64)));
    summary.hostile_cases = hostileBodies().length * PROVIDERS.length + PROVIDERS.reduce((n, p) => n + hostileStreams(p).length, 0);
    t0 = performance.now(); // the time budget is for the random cases
  }

  for (let n = 0; !summary.failure; n++) {
    if (opts.cases !== undefined ? n >= opts.cases : performance.now() - t0 > (opts.seconds ?? 10) * 1000) break;
    const target = targets[n % targets.length];
    const p = PROVIDERS[Math.floor(r() * PROVIDERS.length)];
    summary.cases[target]++;
    switch (target) {
      case "engine": { const b = input(seeds.text); const phase = (["ingress", "midstream", "egress"] as const)[n % 3]; timed("engine", n, () => t.engineCase(b, cuts(r, b.length), phase)); break; }
      case "protocol": { const b = input(seeds.streams[PROVIDERS.indexOf(p)]); timed(`protocol/${p}`, n, () => t.protocolCase(p, b, cuts(r, b.length))); break; }
      case "body": { const b = input(r() < 0.5 ? seeds.requests[PROVIDERS.indexOf(p)] : seeds.responses[PROVIDERS.indexOf(p)]); timed(`body/${p}`, n, () => t.bodyCase(p, b)); break; }
      case "policy": { const b = input(seeds.policies[Math.floor(r() * seeds.policies.length)]); timed("policy", n, () => policyCase(policyEngine, new TextDecoder().decode(b))); break; }
    }
  }
  summary.seconds = +((performance.now() - t0) / 1000).toFixed(1);
  summary.max_wasm_memory_mb = +(t.maxMemory / 2 ** 20).toFixed(1);
  return summary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : undefined; };
  const target = arg("target") ?? "all";
  const s = runFuzz({
    seconds: Number(arg("seconds") ?? 60), seed: Number(arg("seed") ?? Date.now() % 2 ** 31),
    targets: target === "all" ? undefined : (target.split(",") as TargetName[]),
  });
  console.log(JSON.stringify(s, null, 2));
  if (s.failure) process.exit(1);
}
