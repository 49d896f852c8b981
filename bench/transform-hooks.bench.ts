// node --import tsx bench/transform-hooks.bench.ts: what Guard.transform's onTiming hook costs
// (the proxy sets it for wardline_engine_seconds{phase="midstream"}). A = no hook, B = the hook
// as the proxy uses it, interleaved in one process, on an OpenAI stream of 200 words in 1..3-char
// deltas (~830 events, 166 kB) cut into 64-byte chunks; medians over many rounds. Each run checks its output (the planted email redacted).
import { performance } from "node:perf_hooks";
import { createGuard } from "../bindings/index.ts";
import { openaiChatFrames, TEST_POLICY } from "../test/helpers/fake-upstream.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 60);
const guard = await createGuard({ policy: TEST_POLICY });
const words = Array.from({ length: 200 }, (_, i) => (i === 120 ? "ann.lee@example.org " : `word${i} `)).join("");
const input = new TextEncoder().encode(openaiChatFrames(words).join(""));
const chunks: Uint8Array[] = [];
for (let i = 0; i < input.length; i += 64) chunks.push(input.slice(i, i + 64));

async function once(hook: boolean): Promise<number> {
  let engineMs = 0, held = 0;
  const t = guard.transform("openai-chat", hook ? { onTiming: (x) => { engineMs += x.ms; held = Math.max(held, x.bytesIn - x.bytesOut); } } : {});
  const src = new ReadableStream<Uint8Array>({ start(c) { for (const ch of chunks) c.enqueue(ch); c.close(); } });
  const t0 = performance.now();
  const out = await new Response(src.pipeThrough(t)).text();
  const ms = performance.now() - t0;
  if (!out.includes("[EMAIL]") || out.includes("ann.lee")) throw new Error("wrong output");
  return ms;
}

const a: number[] = [], b: number[] = [];
for (let i = 0; i < 5; i++) { await once(false); await once(true); }
for (let i = 0; i < ROUNDS; i++) {
  if (i % 2) { a.push(await once(false)); b.push(await once(true)); } else { b.push(await once(true)); a.push(await once(false)); }
}
const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
console.log(JSON.stringify({ bytes: input.length, chunks: chunks.length, rounds: ROUNDS,
  no_hook_ms: +median(a).toFixed(3), on_timing_ms: +median(b).toFixed(3),
  overhead_pct: +((median(b) / median(a) - 1) * 100).toFixed(1) }));
