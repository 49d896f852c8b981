// A/B of two engine builds in one process, interleaved, medians of rounds — the machine
// is shared and noisy, so only a comparison inside one run means anything.
//   node --import tsx bench/ab.bench.ts OLD.wasm [NEW.wasm=build/wardline.wasm] [--rounds N]
// Every round checks that both builds produce the same bytes and findings, so a change
// that alters behaviour cannot pass as a speed-up.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createGuardWith, type Guard } from "../bindings/guard.ts";
import { SHIPPED_POLICIES } from "../bindings/policy/builtin/shipped-policies.ts";
import { corpus } from "./corpus.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const rounds = process.argv.includes("--rounds") ? +process.argv[process.argv.indexOf("--rounds") + 1] : 7;
const files = [args[0], args[1] ?? "build/wardline.wasm"];
const modules = files.map((f) => new WebAssembly.Module(readFileSync(f)));
const enc = new TextEncoder();
const prompts = corpus(42, 256, 4096);
const texts = prompts.map((p) => p.text);
const bytes = texts.map((t) => enc.encode(t));
const total = bytes.reduce((n, b) => n + b.length, 0);
const policyText = (name: string) => (SHIPPED_POLICIES as Record<string, string>)[name] ?? name;

const guards: Record<string, Guard[]> = {};
for (const p of ["default", "pii-only"]) guards[p] = await Promise.all(modules.map((module) => createGuardWith({ module, policy: policyText(p) })));

// same behaviour first
for (const p of Object.keys(guards)) {
  for (const b of bytes) {
    const [a, c] = guards[p].map((g) => g.scan(b, { phase: "ingress" }));
    if (Buffer.compare(Buffer.from(a.text), Buffer.from(c.text)) !== 0 || JSON.stringify(a.findings) !== JSON.stringify(c.findings)) {
      throw new Error(`${p}: the builds disagree on a prompt`);
    }
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

type Row = Record<string, number[]>;
const rows: Row[] = [{}, {}];
const add = (i: number, k: string, v: number) => { (rows[i][k] ??= []).push(v); };

const deltas: string[] = [];
{
  const text = texts.slice(0, 16).join("\n");
  for (let i = 0; i < text.length; i += 40) deltas.push(text.slice(i, i + 40));
}

// an OpenAI Chat SSE body (one prompt in 4-character deltas) through guard.transform
const sse = enc.encode(texts.slice(0, 2).join("\n").match(/[^]{1,4}/g)!.map((d) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`).join("") + "data: [DONE]\n\n");
async function transform(g: Guard): Promise<Uint8Array> {
  const reader = new Blob([sse]).stream().pipeThrough(g.transform("openai-chat")).getReader();
  const parts: Uint8Array[] = [];
  for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value); }
  return Buffer.concat(parts);
}
{
  const [a, c] = await Promise.all(guards.default.map(transform));
  if (Buffer.compare(Buffer.from(a), Buffer.from(c)) !== 0) throw new Error("transform: the builds disagree");
}

for (let r = 0; r < rounds; r++) {
  for (const i of r % 2 ? [1, 0] : [0, 1]) {
    for (const p of Object.keys(guards)) {
      const g = guards[p][i];
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 250) { for (const b of bytes) g.scan(b, { phase: "ingress" }); n++; }
      add(i, `${p} MB/s`, (total * n) / 1e3 / (performance.now() - t0));
    }
    const g = guards.default[i];
    for (const [k, input] of [["4KB bytes", bytes[7]], ["4KB string", texts[7]]] as const) {
      const t: number[] = [];
      for (let j = 0; j < 1200; j++) { const a = performance.now(); g.scan(input as Uint8Array, { phase: "ingress" }); t.push(performance.now() - a); }
      t.splice(0, 200);
      add(i, `${k} p50 µs`, pct(t, 0.5) * 1000);
      add(i, `${k} p99 µs`, pct(t, 0.99) * 1000);
    }
    {
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 250) { await transform(g); n++; }
      add(i, "sse MB/s", (sse.length * n) / 1e3 / (performance.now() - t0));
    }
    const t: number[] = [];
    for (let rep = 0; rep < 2; rep++) {
      const s = g.stream({ phase: "midstream" });
      for (const d of deltas) { const a = performance.now(); s.push(d); t.push(performance.now() - a); }
      s.finish();
    }
    add(i, "push40 p50 µs", pct(t, 0.5) * 1000);
    add(i, "push40 p99 µs", pct(t, 0.99) * 1000);
  }
}

console.log(`A = ${files[0]}\nB = ${files[1]}\nmedians of ${rounds} interleaved rounds`);
for (const k of Object.keys(rows[0])) {
  const a = median(rows[0][k]), b = median(rows[1][k]);
  console.log(`${k.padEnd(18)} A ${a.toFixed(1).padStart(8)}   B ${b.toFixed(1).padStart(8)}   B/A ${(b / a).toFixed(3)}`);
}
