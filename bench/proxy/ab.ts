// A/B of the proxy hot path in one run: the bare pipe, the Wardline proxy of this checkout, and
// optionally another Wardline proxy bundle (BASELINE=build/bench-baseline.mjs, e.g. one bundled
// from main) — interleaved round by round, so machine noise hits all alike. Prints req/s, the
// ratio to the pipe (median of per-round ratios), proxy CPU µs per request, added TTFB over the
// pipe, and with PROFILE=1 the hottest functions of this checkout's proxy under load.
//   node --import tsx bench/proxy/ab.ts [seconds=3] [rounds=3] [ttfbSamples=200]
import { fork } from "node:child_process";
import { startChild, type Child } from "./child.ts";
import { load } from "./load.ts";
import { ttfb } from "./ttfb.ts";
import { median, round } from "../measure.ts";
import { hottest, type Profile } from "../profile.ts";

const [seconds = 3, rounds = 3, samples = 200] = process.argv.slice(2).map(Number);
const connections = 50;

/** A prebuilt bundle as a child (the same IPC protocol as startChild's). */
async function startBundle(file: string, env: Record<string, string>): Promise<Child> {
  const cp = fork(file, [], { execArgv: [], env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  let seq = 0;
  const pending = new Map<number, (m: any) => void>();
  const port = await new Promise<number>((resolve) => cp.on("message", (m: any) => {
    if (m.port !== undefined && m.id === undefined) resolve(m.port);
    else if (m.id !== undefined) { pending.get(m.id)?.(m); pending.delete(m.id); }
  }));
  const ask = (cmd: string) => new Promise<any>((resolve) => { const id = ++seq; pending.set(id, resolve); cp.send({ cmd, id }); });
  return {
    port, url: `http://127.0.0.1:${port}`, stats: async () => (await ask("stats")).stats,
    profileStart: async () => { await ask("profile-start"); }, profileStop: async () => (await ask("profile-stop")).profile,
    stop: () => new Promise<void>((r) => { if (cp.exitCode !== null) return r(); cp.once("exit", () => r()); cp.kill("SIGTERM"); }),
  };
}

const children: Child[] = [];
try {
  const upstream = await startChild("./upstream.ts");
  const env = { WARDLINE_UPSTREAM_OPENAI: upstream.url, WARDLINE_LOG_LEVEL: process.env.WARDLINE_LOG_LEVEL ?? "info" };
  const pipe = await startChild("./pipe-proxy.ts", { PIPE_UPSTREAM: upstream.url });
  const wardline = await startChild("./wardline-proxy.ts", env);
  children.push(upstream, pipe, wardline);
  const targets: Record<string, Child> = { pipe, wardline };
  if (process.env.BASELINE) { targets.base = await startBundle(process.env.BASELINE, env); children.push(targets.base); }
  const rows: Record<string, { rps: number; cpu?: number }[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  for (const [name, c] of Object.entries(targets)) if (name !== "pipe") await load(c.url, c, connections, 1, false); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [name, c] of Object.entries(targets)) {
      const x = await load(c.url, c, connections, seconds, name === "pipe");
      if (x.error) console.error(`${name}: ${x.error}`);
      rows[name].push({ rps: x.req_per_s, cpu: x.cpu_us_per_req });
    }
    console.error(`round ${r + 1}/${rounds}`);
  }
  const t = await ttfb(Object.fromEntries(Object.entries(targets).map(([k, c]) => [k, c.url])), samples);
  if (t.error) console.error(`ttfb: ${t.error}`);
  for (const name of Object.keys(targets)) {
    const xs = rows[name];
    const ratio = median(xs.map((x, i) => x.rps / rows.pipe[i].rps));
    const added = median(t.results[name].map((v, i) => v - t.results.pipe[i]));
    console.log(`${name.padEnd(8)} req/s ${round(median(xs.map((x) => x.rps)), 1)}  vs pipe ${(ratio * 100).toFixed(1)} %  cpu µs/req ${round(median(xs.map((x) => x.cpu ?? NaN)), 0)}  ttfb p50 ${round(median(t.results[name]), 0)} µs  added ${round(added, 0)} µs`);
  }
  if (process.env.PROFILE) {
    await wardline.profileStart();
    await load(wardline.url, wardline, connections, seconds, false);
    const p = (await wardline.profileStop()) as Profile;
    for (const h of hottest(p, Number(process.env.PROFILE) > 1 ? Number(process.env.PROFILE) : 25)) console.log(`${String(h.self_pct).padStart(5)} %  ${h.fn}  ${h.where}`);
    // self time by where it is spent: engine, Web streams, undici, this proxy's own code, the rest
    const by = new Map<string, number>();
    let total = 0;
    for (const n of p.nodes) {
      const hits = n.hitCount ?? 0;
      const u = n.callFrame.url;
      const k = u.startsWith("wasm://") ? "wasm engine" : /webstreams|js_transferable/.test(u) ? "Web streams" : /undici/.test(u) ? "undici" : /bench-wardline/.test(u) ? "proxy + bindings (bundle)" : /prom-client|pino/.test(u) ? "prom-client + pino" : u ? "node (js)" : n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : "node (native)";
      by.set(k, (by.get(k) ?? 0) + hits); total += hits;
    }
    for (const [k, v] of [...by].sort((a, b) => b[1] - a[1])) console.log(`${(100 * v / total).toFixed(1).padStart(5)} %  [${k}]`);
  }
} finally {
  for (const c of children.reverse()) await c.stop();
}
