// npm run bench [-- --quick] [-- --json]: the whole benchmark suite in one command — the
// floor, the peers and Wardline's engine cases on one seeded corpus (interleaved rounds,
// per-round ratios), the same engine cases under Deno, the proxy on loopback, sizes and CPU
// profiles — written to bench/RESULTS.md (--quick: build/RESULTS.quick.md). Every case checks
// its own result; a wrong one makes the run exit non-zero. Progress goes to stderr.
import { execSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { createGuard } from "../bindings/index.ts";
import { benchData, SEED } from "./data.ts";
import { floorCases, peerCases } from "./peer-cases.ts";
import { scanCases, sseCases, streamCase, UNCHECKED, type MakeGuard } from "./wardline-cases.ts";
import { runCases, ratio } from "./run-cases.ts";
import { runtimesSideBySide } from "./deno-runner.ts";
import { runProxyBench } from "./proxy/index.ts";
import { sizes } from "./sizes.ts";
import { hottest, namedEngine, profileInProcess, type Profile } from "./profile.ts";
import { compilePolicyInput } from "../bindings/index.ts";
import { createGuardWith } from "../bindings/guard.ts";
import { Engine } from "../bindings/engine.ts";
import { goals } from "./goals.ts";
import { memoryPerStream } from "./stream-memory.ts";
import { markdown, type RunResults } from "./report.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const json = argv.includes("--json");
const skip = (what: string) => argv.includes(`--no-${what}`);
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const root = fileURLToPath(new URL("..", import.meta.url));

const S = quick
  ? { rounds: 3, sliceMs: 100, latencySamples: 1000, runtimeRounds: 2, runtimeSliceMs: 100, proxy: { seconds: 2, rounds: 1, connections: 50, ttfbSamples: 100, streams: 300, profile: true } }
  : { rounds: 7, sliceMs: 400, latencySamples: 5000, runtimeRounds: 5, runtimeSliceMs: 300, proxy: { seconds: 8, rounds: 3, connections: 50, ttfbSamples: 500, streams: 1000, profile: true } };

const newest = (dir: string): number => readdirSync(`${root}${dir}`, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts")).reduce((t, e) => Math.max(t, statSync(`${e.parentPath}/${e.name}`).mtimeMs), 0);

/** The bench measures what is built: refuse to measure a build older than its sources. */
function checkBuild() {
  const built = (f: string) => { try { return statSync(`${root}${f}`).mtimeMs; } catch { return 0; } };
  if (built("build/wardline.wasm") < newest("assembly")) throw new Error("build/wardline.wasm is older than assembly/: run `npm run build` first");
  if (built("dist/index.js") < Math.max(newest("assembly"), newest("bindings"))) throw new Error("dist/index.js is older than its sources: run `npm run build` first");
}

function machine(denoRuntime?: string) {
  const git = (c: string) => { try { return execSync(`git ${c}`, { cwd: root, encoding: "utf8" }).trim(); } catch { return "?"; } };
  return {
    cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, memory_gb: Math.round(os.totalmem() / 2 ** 30),
    load_average_at_start: os.loadavg().map((x) => x.toFixed(2)).join(" "),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: `${process.version} (V8 ${process.versions.v8})`, deno: denoRuntime ?? "not run",
    date: new Date().toISOString(), commit: `${git("rev-parse --short HEAD")}${git("status --porcelain -- assembly bindings host-proxy bench policies") ? " (with uncommitted changes)" : ""}`,
  };
}

checkBuild();
const load0 = machine();
const data = benchData();
const make: MakeGuard = (policy) => createGuard({ policy });
log("building cases (quality corpus, self-checks)");
const cases = [...floorCases(data), ...await peerCases(data), ...await scanCases(make, data), await streamCase(make, data), ...await sseCases(make, data)];
log(`engine: ${cases.length} cases × ${S.rounds} rounds × ${S.sliceMs} ms`);
const engine = await runCases(cases, { rounds: S.rounds, sliceMs: S.sliceMs, latencySamples: S.latencySamples }, log);

const ratios: Record<string, number | undefined> = {
  scan_default_vs_regexp_union: ratio(engine, "wardline_scan_default", "peer_regexp_union_v8"),
  scan_pii_only_vs_regexp_union: ratio(engine, "wardline_scan_pii_only", "peer_regexp_union_v8"),
  scan_default_vs_openai_guardrails: ratio(engine, "wardline_scan_default", "peer_openai_guardrails_local"),
  scan_pii_only_vs_redact_pii: ratio(engine, "wardline_scan_pii_only", "peer_redact_pii_sync"),
  scan_default_vs_obscenity: ratio(engine, "wardline_scan_default", "peer_obscenity_english"),
  scan_default_vs_byte_loop: ratio(engine, "wardline_scan_default", "floor_byte_loop"),
  scan_default_vs_encode_into: ratio(engine, "wardline_scan_default", "floor_encode_into"),
  stream_40b_vs_scan_default: ratio(engine, "wardline_stream_40b", "wardline_scan_default"),
  sse_openai_chat_vs_copy_transform: ratio(engine, "wardline_sse_openai_chat", "floor_sse_copy"),
  sse_anthropic_vs_copy_transform: ratio(engine, "wardline_sse_anthropic", "floor_sse_copy"),
};

const profiles: Record<string, ReturnType<typeof hottest>> = {};
const notes: string[] = [];
// profiles run on the engine build with function names (built here in a full run, ~30 s)
const named = await namedEngine(root, newest("assembly"), !quick && !skip("named-build"));
{
  log(`profiling Wardline scan (default policy${named ? ", named engine build" : ""})`);
  let guard = await make("default");
  if (named) {
    const module = new WebAssembly.Module(readFileSync(named));
    guard = await createGuardWith({ policy: compilePolicyInput(new Engine(module), "default"), module });
  }
  const run = () => { for (const b of data.bytes) guard.scan(b, { phase: "midstream" }); };
  profiles["Wardline scan, default policy (in-process)"] = hottest(await profileInProcess(run, quick ? 800 : 2000));
  log("profiling Wardline stream (40-byte deltas)");
  const push = () => { const st = guard.stream({ phase: "midstream" }); for (const d of data.deltas) st.push(d); st.finish(); };
  profiles["Wardline stream, default policy, 40-byte deltas (in-process)"] = hottest(await profileInProcess(push, quick ? 800 : 2000));
}

log("engine memory per open stream");
const streamMemory = await memoryPerStream(() => make("default"), 200);

let runtimes: RunResults["runtimes"];
if (!skip("deno")) {
  log("engine cases under Node and Deno (built dist/index.js)");
  runtimes = await runtimesSideBySide(S.runtimeRounds, S.runtimeSliceMs, quick ? 500 : 2000);
}

let proxy: RunResults["proxy"];
if (!skip("proxy")) {
  log("proxy");
  const { profile, ...rest } = await runProxyBench({ ...S.proxy, namedEngine: named }, log);
  proxy = rest;
  if (profile) profiles["Wardline proxy under load (50 connections, child process)"] = hottest(profile as Profile, 15);
}

const errors = [
  ...engine.filter((c) => c.error).map((c) => `${c.name}: ${c.error}`),
  ...(runtimes ? [...runtimes.node.results, ...runtimes.deno.results].filter((c) => c.error).map((c) => `${c.name} (runtime run): ${c.error}`) : []),
  ...(proxy?.errors ?? []),
];

for (const [policy, kinds] of Object.entries(UNCHECKED)) for (const [k, why] of Object.entries(kinds)) notes.push(`${policy} policy, ${k}: reported but not self-checked — ${why}.`);
notes.push("Wardline scan cases run in the midstream phase over bytes; `strict` stops an answer at its first secret or toxic word, so its MB/s counts input bytes it did not all scan (compare default and pii-only).");
notes.push("Quality is scored with ingress scans of the short prompts (a block ends a prompt, which holds one item), the same prompts for every tool.");
notes.push("@openai/guardrails runs its PII check with the planted kinds' entities only (its full default list adds patterns that fire on ordinary words), the balanced secret-key check, and a keyword list with the RegExp union's vocabulary.");
notes.push("redact-pii runs with its defaults (all built-in patterns plus its well-known-names list), its synchronous redactor only (no Google DLP).");
notes.push("The Wardline proxy may merge deltas it held back into one event, so its responses are checked for the upstream's text and end frame rather than the event count (direct and pipe: exactly 200 events).");
notes.push(named ? "Profiles ran on build/bench-profile.wasm (the release build with its name section, so wasm functions are named); the measured cases on build/wardline.wasm."
  : "Wasm functions appear as wasm-function[N]: the full run builds build/bench-profile.wasm (release with names) for the profiles; quick runs use it when it is already fresh.");
{
  const load = Number(load0.load_average_at_start.split(" ")[0]);
  if (load > os.cpus().length) notes.push(`Load average ${load.toFixed(1)} on ${os.cpus().length} cores when the run started: p99 latencies include time slices lost to other processes; read the p50s and the per-round ratios.`);
}
if (quick) notes.push("Quick run: fewer rounds and shorter slices; numbers are rougher than the full run's.");

const results: RunResults = {
  // a busy machine (load average at start above ¾ of the cores) marks the report preliminary
  preliminary: os.loadavg()[0] > os.cpus().length * 0.75, mode: quick ? "quick" : "full",
  machine: machine(runtimes?.deno.runtime),
  settings: S, corpus: { prompts: data.prompts.length, bytes: data.totalBytes, seed: SEED, quality_prompts: data.quality.length, load_average_at_start: load0.load_average_at_start },
  engine, ratios, goals: goals(engine, ratios, proxy), stream_memory: streamMemory, runtimes, proxy, sizes: sizes(root), profiles, notes, errors,
};
results.machine.load_average_at_start = load0.load_average_at_start;

const file = quick ? `${root}build/RESULTS.quick.md` : `${root}bench/RESULTS.md`;
mkdirSync(`${root}build`, { recursive: true });
writeFileSync(file, markdown(results));
log(`wrote ${file.replace(root, "")}`);
if (json) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
else for (const g of results.goals) process.stdout.write(`${g.met === undefined ? "-" : g.met ? "✓" : "✗"} ${g.goal}: ${g.measured} (goal ${g.target})\n`);
if (errors.length) { for (const e of errors) log(`WRONG: ${e}`); process.exit(1); }
process.exit(0);
