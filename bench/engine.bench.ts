// npm run bench [-- --quick]: engine throughput and latency, with the RegExp-union
// baseline measured in the same run. Prints one JSON document. Every benchmark checks
// its own result (planted items found), so a broken engine cannot look fast.
import { statSync } from "node:fs";
import { performance } from "node:perf_hooks";
import os from "node:os";
import { createGuard, type Guard } from "../bindings/index.ts";
import { corpus, PLANTS } from "./corpus.ts";
import { countUnion } from "./regexp-union.ts";

const quick = process.argv.includes("--quick");
const MIN_MS = quick ? 300 : 1500;
const enc = new TextEncoder();

function throughput(name: string, bytes: number, fn: () => void) {
  fn(); // warm-up
  const t0 = performance.now();
  let n = 0;
  let el = 0;
  while ((el = performance.now() - t0) < MIN_MS) { fn(); n++; }
  return { name, mb_per_s: +((bytes * n) / 1e6 / (el / 1e3)).toFixed(1), iterations: n };
}

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => +(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 1000).toFixed(2);
  return { p50_us: at(0.5), p99_us: at(0.99), samples: s.length };
}

function latency(fn: () => void, count: number) {
  for (let i = 0; i < 200; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < count; i++) { const a = performance.now(); fn(); t.push(performance.now() - a); }
  return percentiles(t);
}

/** Fraction of planted items (of the kinds the policy redacts) missing from the output. */
function check(guard: Guard, prompts: ReturnType<typeof corpus>, skip: string[]) {
  let planted = 0, caught = 0;
  for (const p of prompts) {
    const out = guard.scan(p.text, { phase: "midstream" }).text;
    for (const x of p.planted) {
      if (skip.includes(x.kind)) continue;
      planted++;
      if (!out.includes(x.value)) caught++;
    }
  }
  return { planted, redacted: caught, recall: +(caught / Math.max(1, planted)).toFixed(3) };
}

const prompts = corpus(42, 256, 4096);
const texts = prompts.map((p) => p.text);
const bytes = texts.map((t) => enc.encode(t));
const total = bytes.reduce((n, b) => n + b.length, 0);
const results: Record<string, unknown> = {};

for (const policy of ["default", "pii-only"]) {
  const guard = await createGuard({ policy });
  // flagged (not redacted) kinds are not in the text check; pii-only has no secrets detector
  const c = check(guard, prompts, policy === "default" ? ["INJECTION", "PROFANITY"] : ["INJECTION", "PROFANITY", "AWS_ACCESS_KEY_ID"]);
  if (c.recall < 0.9) throw new Error(`${policy}: only ${c.redacted}/${c.planted} planted items redacted — refusing to report speed`);
  results[`scan_${policy}`] = {
    ...throughput(`scan ${policy}`, total, () => { for (const b of bytes) guard.scan(b, { phase: "ingress" }); }),
    scan_4kb_string: latency(() => guard.scan(texts[7], { phase: "ingress" }), quick ? 2000 : 10000),
    scan_4kb_bytes: latency(() => guard.scan(bytes[7], { phase: "ingress" }), quick ? 2000 : 10000),
    planted: c,
  };
}

// 40-byte deltas through a stream
{
  const guard = await createGuard({ policy: "default" });
  const text = texts.slice(0, 16).join("\n");
  const deltas: string[] = [];
  for (let i = 0; i < text.length; i += 40) deltas.push(text.slice(i, i + 40));
  const times: number[] = [];
  for (let rep = 0; rep < (quick ? 2 : 8); rep++) {
    const s = guard.stream({ phase: "midstream" });
    for (const d of deltas) { const a = performance.now(); s.push(d); times.push(performance.now() - a); }
    s.finish();
  }
  results.stream_push_40b = percentiles(times.slice(deltas.length)); // first pass is warm-up
}

// SSE transform per provider vs a TransformStream that only copies, same bytes, same chunking
{
  const guard = await createGuard({ policy: "default" });
  const text = texts.slice(0, 8).join("\n");
  const deltas: string[] = [];
  for (let i = 0; i < text.length; i += 4) deltas.push(text.slice(i, i + 4));
  const openai = deltas.map((d, i) => `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`).join("") +
    `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\ndata: [DONE]\n\n`;
  const anthropic = `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\nevent: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n` +
    deltas.map((d) => `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: d } })}\n\n`).join("") +
    `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`;
  const pipe = async (body: Uint8Array, t: () => TransformStream<Uint8Array, Uint8Array>) => {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < body.length; i += 512) chunks.push(body.subarray(i, i + 512)); // network-sized reads
    const rs = new ReadableStream<Uint8Array>({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
    const reader = rs.pipeThrough(t()).getReader();
    let n = 0;
    for (;;) { const { done, value } = await reader.read(); if (done) break; n += value.length; }
    return n;
  };
  const measure = async (name: string, body: Uint8Array, t: () => TransformStream<Uint8Array, Uint8Array>) => {
    await pipe(body, t);
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < MIN_MS) { await pipe(body, t); n++; }
    return { name, mb_per_s: +((body.length * n) / 1e6 / ((performance.now() - t0) / 1e3)).toFixed(1) };
  };
  const copy = () => new TransformStream<Uint8Array, Uint8Array>({ transform(c, ctl) { ctl.enqueue(c); } });
  for (const [provider, body] of [["openai-chat", enc.encode(openai)], ["anthropic", enc.encode(anthropic)]] as const) {
    const guarded = await measure(`transform ${provider}`, body, () => guard.transform(provider));
    const plain = await measure("copy", body, copy);
    results[`transform_${provider}`] = { ...guarded, copy_mb_per_s: plain.mb_per_s, ratio_vs_copy: +(guarded.mb_per_s / plain.mb_per_s).toFixed(3), bytes: body.length, deltas: deltas.length };
  }
}

// Baseline: a single V8 RegExp union of equivalent patterns (no validation)
let unionMatches = 0;
for (const t of texts) unionMatches += countUnion(t);
results.regexp_union = { ...throughput("RegExp union", total, () => { for (const t of texts) countUnion(t); }), matches: unionMatches };
results.floor_encode_into = throughput("TextEncoder.encodeInto", total, () => {
  const buf = new Uint8Array(8192);
  for (const t of texts) enc.encodeInto(t, buf);
});

const d = results.scan_default as { mb_per_s: number };
const u = results.regexp_union as { mb_per_s: number };
results.ratio_default_vs_regexp_union = +(d.mb_per_s / u.mb_per_s).toFixed(2);
results.wasm_bytes = { release: statSync("build/wardline.wasm").size, debug: statSync("build/wardline.debug.wasm").size };
results.machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
results.corpus = { prompts: prompts.length, bytes: total, seed: 42, planted_kinds: Object.keys(PLANTS) };
console.log(JSON.stringify(results, null, 2));
