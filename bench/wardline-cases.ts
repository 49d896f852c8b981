// Wardline's cases: scan with the shipped policies, a stream of 40-byte deltas, and the SSE
// transform per provider. Runtime-neutral (no node:* imports): bench/runtime-entry.ts runs the
// same cases under Deno against the built dist/index.js.
import type { Guard } from "../bindings/guard.ts";
import { PLANTS, type Prompt } from "./corpus.ts";
import { score, type Span } from "./quality.ts";
import { sseEvents, sseText, tokenDeltas, type Provider } from "./sse.ts";
import type { Case, Data } from "./case.ts";

export type MakeGuard = (policy: string) => Promise<Guard>;

const ALL = Object.keys(PLANTS);
/** the planted kinds each shipped policy detects (recall reported and checked for these) */
export const POLICY_KINDS: Record<string, string[]> = {
  default: ALL,
  strict: ALL,
  "pii-only": ["EMAIL", "CREDIT_CARD", "PHONE", "US_SSN", "IBAN", "IP_ADDRESS"],
};
/** kinds left out of the self-check, with the reason (they are still reported) */
export const UNCHECKED: Record<string, Record<string, string>> = {
  default: { PROFANITY: "toxicity min_severity strong: the planted \"shit\" is mild by design" },
};
/** below this recall on a kind the policy covers, the run fails: a broken engine must not look fast */
export const MIN_RECALL = 0.9;

function wardlineSpans(guard: Guard, p: Prompt): Span[] {
  return guard.scan(p.text, { phase: "ingress" }).findings.map((f) => [f.start, f.end] as Span);
}

function qualityOf(guard: Guard, policy: string, data: Data) {
  const q = score(data.quality, data.quality.map((p) => wardlineSpans(guard, p)), POLICY_KINDS[policy]);
  const low = Object.entries(q.recall).filter(([k, r]) => r.recall < MIN_RECALL && !UNCHECKED[policy]?.[k]).map(([k, r]) => `${k} ${r.caught}/${r.planted}`);
  return { q, error: low.length ? `recall below ${MIN_RECALL}: ${low.join(", ")}` : undefined };
}

export async function scanCases(makeGuard: MakeGuard, data: Data): Promise<Case[]> {
  const cases: Case[] = [];
  for (const policy of Object.keys(POLICY_KINDS)) {
    const guard = await makeGuard(policy);
    const { q, error } = qualityOf(guard, policy, data);
    let i = 0, j = 0;
    cases.push({
      id: `wardline_scan_${policy.replace("-", "_")}`,
      name: `Wardline scan, ${policy}`,
      group: "wardline",
      bytes: data.totalBytes,
      // answer-side phase: default and pii-only redact without cutting; strict stops at its first secret or toxic word
      run: () => { for (const b of data.bytes) guard.scan(b, { phase: "midstream" }); },
      prompt4k: () => guard.scan(data.texts[i++ % data.texts.length], { phase: "midstream" }),
      delta40: () => guard.scan(data.deltas[j++ % data.deltas.length], { phase: "midstream" }),
      quality: q,
      error,
    });
  }
  return cases;
}

/** Pushes `deltas` through a fresh stream; returns the released text. */
function streamAll(guard: Guard, deltas: string[]): string {
  const s = guard.stream({ phase: "midstream" });
  let out = "";
  for (const d of deltas) out += s.push(d).text;
  return out + s.finish().text;
}

export async function streamCase(makeGuard: MakeGuard, data: Data): Promise<Case> {
  const guard = await makeGuard("default");
  const whole = data.deltas.join("");
  const expected = guard.scan(whole, { phase: "midstream" }).text;
  const got = streamAll(guard, data.deltas);
  // a long-lived stream for the push latency, reopened when the text runs out
  let s = guard.stream({ phase: "midstream" }), k = 0;
  return {
    id: "wardline_stream_40b",
    name: "Wardline stream, default, 40-byte deltas",
    group: "wardline",
    bytes: data.deltaBytes,
    run: () => streamAll(guard, data.deltas),
    open: () => guard.stream({ phase: "midstream" }).finish(),
    delta40: () => {
      if (k === data.deltas.length) { s.finish(); s = guard.stream({ phase: "midstream" }); k = 0; }
      return s.push(data.deltas[k++]);
    },
    error: got === expected ? undefined : `stream output differs from scan output (${got.length} vs ${expected.length} chars)`,
  };
}

/** Splits bytes into network-sized reads (deterministic sizes between 200 and 3,000 bytes). */
function reads(body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 1; i < body.length; k = (k * 48271) % 2147483647) { const n = 200 + (k % 2800); out.push(body.subarray(i, i + n)); i += n; }
  return out;
}

async function pipe(chunks: Uint8Array[], t: TransformStream<Uint8Array, Uint8Array>): Promise<Uint8Array[]> {
  const rs = new ReadableStream<Uint8Array>({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
  const reader = rs.pipeThrough(t).getReader();
  const out: Uint8Array[] = [];
  for (;;) { const { done, value } = await reader.read(); if (done) break; out.push(value); }
  return out;
}

const copy = () => new TransformStream<Uint8Array, Uint8Array>({ transform(c, ctl) { ctl.enqueue(c); } });

export async function sseCases(makeGuard: MakeGuard, data: Data): Promise<Case[]> {
  const guard = await makeGuard("default");
  const text = data.texts.slice(0, 4).join("\n");
  const expected = guard.scan(text, { phase: "midstream" }).text;
  const deltas = tokenDeltas(text);
  const cases: Case[] = [];
  const dec = new TextDecoder();
  for (const provider of ["openai-chat", "openai-responses", "anthropic"] as Provider[]) {
    const body = new TextEncoder().encode(sseEvents(provider, deltas).join(""));
    const chunks = reads(body);
    const tiny = [new TextEncoder().encode(sseEvents(provider, ["Hi"]).join(""))];
    const out = await pipe(chunks, guard.transform(provider));
    const got = sseText(provider, out.map((c) => dec.decode(c, { stream: true })).join("") + dec.decode());
    const error = got.text !== expected ? `${provider}: released text differs from scan output` : !got.done ? `${provider}: end of stream missing` : undefined;
    cases.push({
      id: `wardline_sse_${provider.replace("-", "_")}`,
      name: `Wardline SSE transform, ${provider}`,
      group: "sse",
      bytes: body.length,
      run: () => pipe(chunks, guard.transform(provider)),
      // a whole one-delta stream: open, one text event, end — what a request costs beyond its bytes
      open: () => pipe(tiny, guard.transform(provider)),
      error,
    });
    if (provider === "openai-chat") {
      cases.push({ id: "floor_sse_copy", name: "TransformStream that only copies (same SSE reads)", group: "sse", bytes: body.length, run: () => pipe(chunks, copy()) });
    }
  }
  return cases;
}
