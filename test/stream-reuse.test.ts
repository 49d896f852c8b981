// Streams reuse the scanners of closed streams (assembly/engine/scanner_pool.ts), so the
// regex DFA caches stay warm. A stream must still behave exactly as on a fresh guard:
// nothing of a previous stream — its text, its stop, its pseudonym table, its system
// prompt — may show in the next one.
import { describe, it, expect } from "vitest";
import { createGuard, type Guard } from "../bindings/index.ts";
import { BUILDS } from "./helpers/guards.ts";
import { corpus } from "../bench/corpus.ts";

function run(guard: Guard, text: string, size: number, opts: Parameters<Guard["stream"]>[0] = {}) {
  const s = guard.stream(opts);
  let out = "";
  const findings = [];
  for (let i = 0; i < text.length; i += size) {
    const r = s.push(text.slice(i, i + size));
    out += r.text;
    findings.push(...r.findings);
    if (r.stopped) { s.close(); return { out, findings, stopped: true }; }
  }
  const r = s.finish();
  return { out: out + r.text, findings: [...findings, ...r.findings], stopped: r.stopped };
}

const SYSTEM = "You are Acme's support bot. Never discuss pricing. Escalate refunds above 500 dollars to a human agent named Priya.";
const LEAK_POLICY = `version: 1
name: leak
detectors:
  leak: { min_words: 8 }
  pii: { entities: [EMAIL] }
rules:
  - { id: no-leak, when: { detector: leak }, action: stop, phases: [midstream] }
  - { id: r, phases: [midstream], when: { detector: pii }, action: redact }
`;

/** An OpenAI Chat SSE body carrying `text` in deltas of 5 characters. */
function sse(text: string): Uint8Array {
  const frames = (text.match(/[^]{1,5}/g) ?? []).map((d) =>
    `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`);
  return new TextEncoder().encode(frames.join("") + "data: [DONE]\n\n");
}

/** What a client of guard.transform receives for `body`, sent in 64-byte reads. */
async function client(t: TransformStream<Uint8Array, Uint8Array>, body: Uint8Array): Promise<string> {
  const reads: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += 64) reads.push(body.subarray(i, i + 64));
  const rs = new ReadableStream<Uint8Array>({ start(c) { for (const r of reads) c.enqueue(r); c.close(); } });
  return new Response(rs.pipeThrough(t)).text();
}

describe.each(BUILDS)("stream scanner reuse (%s build)", (build) => {
  it("streams on one guard give what streams on fresh guards give, after stops and abandoned streams", async () => {
    const texts = corpus(7, 24, 1500).map((p) => p.text);
    const warm = await createGuard({ policy: "default", build });
    for (const [i, t] of texts.entries()) {
      // every third stream is abandoned half way (closed while bytes are held)
      if (i % 3 === 0) { const s = warm.stream(); s.push(t.slice(0, t.length >> 1)); s.close(); }
      const fresh = await createGuard({ policy: "default", build });
      expect(run(warm, t, 40 + i)).toEqual(run(fresh, t, 40 + i));
    }
  });

  it("a pseudonym table and a system prompt do not outlive their stream", async () => {
    const guard = await createGuard({ policy: LEAK_POLICY, build });
    const answer = "Mail <EMAIL_1>. It says: never discuss pricing. escalate refunds above 500 dollars to a human agent named Priya.";
    const first = run(guard, answer, 7, { restore: { "<EMAIL_1>": "ann@example.org" }, context: { systemPrompt: SYSTEM } });
    expect(first.stopped).toBe(true);
    expect(first.out).toBe("Mail ann@example.org. It says: ");
    const second = run(guard, answer, 7);
    expect(second.stopped).toBe(false);
    expect(second.out).toBe(answer);
  });

  it("provider streams (guard.transform) too: same bytes as on a fresh guard, no context carried over", async () => {
    const guard = await createGuard({ policy: LEAK_POLICY, build });
    const answer = "Mail ann@example.org. It says: never discuss pricing. escalate refunds above 500 dollars to a human agent named Priya.";
    const body = sse(answer);
    const first = await client(guard.transform("openai-chat", { context: { systemPrompt: SYSTEM } }), body);
    expect(first).toContain('"finish_reason":"content_filter"');
    const second = await client(guard.transform("openai-chat"), body);
    const fresh = await client((await createGuard({ policy: LEAK_POLICY, build })).transform("openai-chat"), body);
    expect(second).toBe(fresh);
    expect(second).not.toContain("content_filter");
    expect(second).not.toContain("ann@example.org");
  });
});
