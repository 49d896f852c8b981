// npm run soak [-- --streams 1000 --seconds 60 --seed 1]: the real proxy under sustained load,
// loopback only. The proxy runs in a child process (scripts/soak-proxy.ts). A fake upstream streams OpenAI and Anthropic answers the way the real APIs
// do (tiny deltas, frames split across TCP writes, keep-alive comments); `streams` clients
// each run one streamed request after another for `seconds`. Every answer a client receives
// is checked against an expectation computed without the proxy: the one-shot `guard.scan`
// of the whole answer text, laid into the upstream's frames (same bytes around each text
// delta, the text pieces concatenating to the scanned text, the provider's own terminal
// frames after a stop). Prints a JSON summary; exits 1 on any corrupted or lost stream,
// 3 when RSS grew more than 5 % after warm-up (full-length runs, and only when the engine's wasm
// memory — a high-water mark of open streams — did not grow in that window).
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createGuard, type Guard } from "../bindings/index.ts";
import type { ProxyStats } from "./soak-proxy.ts";
import { startFakeUpstream, openaiChatFrames, anthropicFrames } from "../test/helpers/fake-upstream.ts";

/** The shipped default policy plus one midstream stop, so that the mix has stopped answers. */
export const SOAK_POLICY = `version: 1
name: soak
extends: default
detectors:
  custom:
    - { id: codeword, type: CODEWORD, keywords: [bluebird] }
rules:
  - { id: stop-codeword, phases: [midstream], when: { detector: custom, types: [CODEWORD] }, action: stop, message: stopped }
`;

export interface SoakOptions { streams: number; seconds: number; seed: number }
export interface SoakSummary {
  streams: number; seconds: number; completed: number; mismatches: number; lost: number;
  kinds: Record<"clean" | "redacted" | "stopped", number>; providers: Record<string, number>;
  first_mismatch?: string; bytes_received: number;
  /** seconds into the run of the first lost streams */
  lost_at: number[];
  /** mismatches by kind of reason (the message up to its first colon) */
  reasons: Record<string, number>;
  /** the proxy process's RSS */
  rss_mb: { start: number; after_warmup: number; end: number; max: number; drift_pct: number };
  /** the proxy's JS heap in use (medians of the same windows) */
  heap_mb: { after_warmup: number; end: number; drift_pct: number };
  /** the proxy engine's wasm memory: a high-water mark of concurrently open streams (≈ 1.7 MiB each
   *  with the default policy); it never shrinks. When it grew after warm-up, the RSS drift measures
   *  that peak, not a leak (`drift_comparable` false). */
  wasm_mb: { after_warmup: number; end: number };
  drift_comparable: boolean;
  /** the proxy's event loop, after warm-up */
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  wall_s: number;
}

// ---- answers (seeded) ----

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
}
const WORDS = "the river runs past old mills and quiet farms while a light rain falls on the town square near noon".split(" ");
const PII = ["ann.lee@example.org", "+1 415 555 2671", "4111 1111 1111 1111", "bob@example.net", "078-05-1120", "ghp_" + "Ab3".repeat(12)];

function answer(rand: () => number): { kind: SoakSummary["kinds"] extends Record<infer K, number> ? K : never; text: string } {
  const r = rand();
  const kind = r < 0.4 ? "clean" : r < 0.8 ? "redacted" : "stopped";
  const parts: string[] = [];
  const n = 20 + Math.floor(rand() * 60);
  for (let i = 0; i < n; i++) {
    parts.push(WORDS[Math.floor(rand() * WORDS.length)]);
    if (kind === "redacted" && rand() < 0.06) parts.push(PII[Math.floor(rand() * PII.length)]);
    if (kind === "stopped" && i === Math.floor(n / 2)) parts.push("bluebird");
    if (rand() < 0.1) parts[parts.length - 1] += ".";
  }
  if (kind === "redacted" && !parts.some((p) => PII.includes(p))) parts.splice(3, 0, PII[0]);
  return { kind, text: parts.join(" ") + "." };
}

// ---- the expected SSE, from the one-shot scan ----

type Provider = "openai-chat" | "anthropic";
const TEXT_KEY: Record<Provider, string> = { "openai-chat": '"content":', anthropic: '"text_delta","text":' };

/** The provider's terminal frames after a stop (docs/proxy.md; what the SDKs read as a filtered end). */
function stopFrames(p: Provider): string[] {
  if (p === "openai-chat") return [
    'data: {"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1720000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}',
    "data: [DONE]"];
  return [
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null},"usage":{"output_tokens":0}}',
    'event: message_stop\ndata: {"type":"message_stop"}'];
}

/**
 * Checks the received body against the upstream frames and the one-shot scan. Returns why it
 * differs, or "" when it is exactly what the client should have received.
 */
export function checkStream(p: Provider, frames: string[], received: string, expected: { text: string; stopped: boolean }): string {
  const events = received.split("\n\n");
  if (events.pop() !== "") return "body does not end with a complete event";
  const got = events.filter((e) => !/^:[^\n]*$/.test(e)); // keep-alive comments may pass through
  const key = TEXT_KEY[p];
  /** the bytes around a frame's text delta, or undefined when the frame carries no text */
  const template = (f: string): [string, string] | undefined => {
    const at = f.indexOf(key);
    if (at < 0 || (p === "anthropic" && !f.startsWith("event: content_block_delta"))) return undefined;
    let close = at + key.length + 1;
    while (f[close] !== '"') close += f[close] === "\\" ? 2 : 1;
    return [f.slice(0, at + key.length), f.slice(close + 1)];
  };
  const piece = (g: string, t: [string, string]): string | undefined => {
    if (!g.startsWith(t[0]) || !g.endsWith(t[1]) || g.length < t[0].length + t[1].length + 2) return undefined;
    try { const v = JSON.parse(g.slice(t[0].length, g.length - t[1].length)); return typeof v === "string" ? v : undefined; } catch { return undefined; }
  };
  let text = "";
  let i = 0, j = 0;
  let last: [string, string] | undefined;
  // Each upstream frame comes through with only its text delta rewritten; held text released at
  // the end of a block comes as extra delta frames shaped like the previous one.
  while (i < got.length && j < frames.length) {
    const want = frames[j].slice(0, -2);
    const t = template(want);
    const v = t ? piece(got[i], t) : got[i] === want ? "" : undefined;
    if (v !== undefined) { text += v; last = t ?? last; i++; j++; continue; }
    const extra = last ? piece(got[i], last) : undefined;
    if (extra === undefined) break;
    text += extra; i++;
  }
  const rest = got.slice(i);
  if (expected.stopped) {
    const want = stopFrames(p);
    if (rest.join("\n\n") !== want.join("\n\n")) return `after frame ${i}: expected the stop frames, got ${JSON.stringify(rest.join("\n\n").slice(0, 300))}`;
  } else if (rest.length || j !== frames.length) return `frame ${i}: ${JSON.stringify((rest[0] ?? "<missing>").slice(0, 300))} differs from ${JSON.stringify((frames[j] ?? "").slice(0, 300))}`;
  if (text !== expected.text) return `text ${JSON.stringify(text.slice(0, 200))} != one-shot ${JSON.stringify(expected.text.slice(0, 200))}`;
  return "";
}

// ---- the run ----

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => +(b / 2 ** 20).toFixed(1);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : 0; };

/** One streamed POST over a kept-alive connection; the status and the whole body. */
function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The proxy in a child process (scripts/soak-proxy.ts). */
async function forkProxy(policyFile: string, upstream: string, streams: number) {
  const child: ChildProcess = fork(fileURLToPath(new URL("./soak-proxy.ts", import.meta.url)), [policyFile, upstream, String(streams)], {
    execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let exited: Error | undefined;
  const waiting = new Set<(e: Error) => void>();
  child.once("exit", (code) => { exited = new Error(`the proxy process exited (${code})`); for (const w of waiting) w(exited); });
  const next = <T>(key: string) => new Promise<T>((resolve, reject) => {
    if (exited) return reject(exited);
    const on = (m: Record<string, unknown>) => { if (key in m) { child.off("message", on); waiting.delete(reject); resolve(m[key] as T); } };
    child.on("message", on);
    waiting.add(reject);
  });
  const url = await next<string>("url");
  return {
    url,
    stats: () => { const p = next<ProxyStats>("stats"); child.send("stats"); return p; },
    resetDelay: () => child.send("reset-delay"),
    stop: () => new Promise<void>((r) => { if (exited) return r(); child.once("exit", () => r()); child.send("stop"); }),
  };
}

export async function runSoak(opts: SoakOptions): Promise<SoakSummary> {
  const dir = mkdtempSync(join(tmpdir(), "wardline-soak-"));
  const policyFile = join(dir, "soak.yaml");
  writeFileSync(policyFile, SOAK_POLICY);
  // The expectation's guard, in this process: the proxy's own is in the child.
  const guard: Guard = await createGuard({ policy: policyFile });

  const plans = new Map<string, { p: Provider; frames: string[] }>();
  const upstream = await startFakeUpstream((req) => {
    const id = JSON.parse(req.body).messages?.[0]?.content?.slice(5);
    const plan = plans.get(id);
    if (!plan) return { kind: "json", body: { error: { message: "unknown soak id" } }, status: 500 };
    return { kind: "sse", frames: plan.frames };
  }, { maxPiece: 509, keepAliveMs: 120_000 }); // frames still cross 2-3 TCP writes (pieces of 4, 32, 256… bytes)
  const proxy = await forkProxy(policyFile, upstream.url, opts.streams);
  // Kept-alive connections, as the SDKs use. A new connection per stream overflows the proxy's
  // listen queue (Node's default backlog, 511) when 1,000 clients reconnect at once: the kernel
  // drops handshakes and some clients see ECONNRESET before the proxy ever reads their request.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

  const summary: SoakSummary = {
    streams: opts.streams, seconds: opts.seconds, completed: 0, mismatches: 0, lost: 0,
    kinds: { clean: 0, redacted: 0, stopped: 0 }, providers: { "openai-chat": 0, anthropic: 0 }, bytes_received: 0, reasons: {}, lost_at: [],
    rss_mb: { start: 0, after_warmup: 0, end: 0, max: 0, drift_pct: 0 }, heap_mb: { after_warmup: 0, end: 0, drift_pct: 0 }, wasm_mb: { after_warmup: 0, end: 0 }, drift_comparable: true,
    event_loop_delay_ms: { p50: 0, p99: 0, max: 0 }, wall_s: 0,
  };
  const samples: { t: number; rss: number; heap: number; wasm: number }[] = [];
  const t0 = Date.now();
  const deadline = t0 + opts.seconds * 1000;
  const warmup = opts.seconds * 250; // the first quarter: JIT, pools, connections, wasm memory growth
  summary.rss_mb.start = mb((await proxy.stats()).rss);
  let sampling = true;
  const sampler = (async () => {
    let reset = false;
    while (sampling) {
      await sleep(500);
      const st = await proxy.stats();
      const t = Date.now() - t0;
      if (t >= warmup && !reset) { proxy.resetDelay(); reset = true; }
      if (t <= opts.seconds * 1000) samples.push({ t, rss: st.rss, heap: st.heap, wasm: st.wasm });
    }
  })();
  let seq = 0;

  async function one(rand: () => number): Promise<void> {
    const id = `s${seq++}`;
    const a = answer(rand);
    const p: Provider = rand() < 0.5 ? "openai-chat" : "anthropic";
    const frames = p === "openai-chat" ? openaiChatFrames(a.text) : anthropicFrames(a.text);
    plans.set(id, { p, frames });
    const expected = guard.scan(a.text, { phase: "midstream" });
    const path = p === "openai-chat" ? "/v1/chat/completions" : "/v1/messages";
    const headers: Record<string, string> = p === "openai-chat"
      ? { authorization: "Bearer sk-soak", "content-type": "application/json" }
      : { "x-api-key": "sk-ant-soak", "anthropic-version": "2023-06-01", "content-type": "application/json" };
    let why: string;
    try {
      const res = await post(agent, proxy.url + path, headers, JSON.stringify({ model: "m", stream: true, max_tokens: 100, messages: [{ role: "user", content: `soak ${id}` }] }));
      summary.bytes_received += res.body.length;
      why = res.status !== 200 ? `status ${res.status}: ${res.body.slice(0, 200)}` : checkStream(p, frames, res.body, expected);
      if (res.status !== 200) summary.lost++;
    } catch (e) {
      why = `lost: ${(e as Error).message}`;
      summary.lost++;
    }
    plans.delete(id);
    summary.completed++;
    summary.kinds[a.kind]++;
    summary.providers[p]++;
    if (why) {
      summary.mismatches++;
      summary.first_mismatch ??= `${id} (${p}, ${a.kind}): ${why}`;
      if (summary.lost_at.length < 20 && why.startsWith("lost")) summary.lost_at.push(+((Date.now() - t0) / 1000).toFixed(1));
      const r = why.replace(/:.*$/s, "");
      summary.reasons[r] = (summary.reasons[r] ?? 0) + 1;
    }
  }

  const clients = Array.from({ length: opts.streams }, async (_, k) => {
    const rand = prng(opts.seed * 100_003 + k);
    await sleep(Math.floor(rand() * 1000)); // ramp up over a second, not all in one tick
    while (Date.now() < deadline) await one(rand);
  });
  await Promise.all(clients);
  sampling = false;
  await sampler;
  const last = await proxy.stats();

  summary.wall_s = +((Date.now() - t0) / 1000).toFixed(1);
  summary.event_loop_delay_ms = last.delay;
  // Drift: the median RSS of the first and of the last fifth of the samples after warm-up,
  // both while the load runs (the drain after the deadline is left out).
  const warm = samples.filter((s) => s.t >= warmup);
  const fifth = Math.max(1, Math.floor(warm.length / 5));
  const a = median(warm.slice(0, fifth).map((s) => s.rss)), b = median(warm.slice(-fifth).map((s) => s.rss));
  summary.rss_mb = { start: summary.rss_mb.start, after_warmup: mb(a), end: mb(b), max: mb(Math.max(...samples.map((s) => s.rss), last.rss)), drift_pct: a ? +(((b - a) / a) * 100).toFixed(1) : 0 };
  const h0 = median(warm.slice(0, fifth).map((s) => s.heap)), h1 = median(warm.slice(-fifth).map((s) => s.heap));
  summary.heap_mb = { after_warmup: mb(h0), end: mb(h1), drift_pct: h0 ? +(((h1 - h0) / h0) * 100).toFixed(1) : 0 };
  summary.wasm_mb = { after_warmup: mb(warm[0]?.wasm ?? 0), end: mb(last.wasm) };
  summary.drift_comparable = (warm[0]?.wasm ?? 0) === (warm.at(-1)?.wasm ?? 0);

  agent.destroy();
  await proxy.stop();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
  return summary;
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = { streams: arg("streams", 1000), seconds: arg("seconds", 60), seed: arg("seed", 1) };
  const s = await runSoak(opts);
  console.log(JSON.stringify(s, null, 2));
  if (s.mismatches > 0 || s.completed === 0) process.exit(1);
  if (opts.seconds >= 60 && s.drift_comparable && s.rss_mb.drift_pct > 5) process.exit(3);
}
