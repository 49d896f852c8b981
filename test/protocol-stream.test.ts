// Guarded provider streams (assembly/protocol/guarded_stream.ts through bindings/transform.ts):
// OpenAI Chat Completions, OpenAI Responses and Anthropic Messages SSE in, guarded SSE out,
// whatever the chunking.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { createGuard, type Guard } from "../bindings/index.ts";
import { ProtocolEngine, guardTransform, type ProtoResult } from "../bindings/transform.ts";
import { Stream } from "openai/core/streaming";
import { MessageStream } from "@anthropic-ai/sdk/lib/MessageStream";
import { Stream as AnthropicStream } from "@anthropic-ai/sdk/core/streaming";
import { ResponseStream } from "openai/lib/responses/ResponseStream";

const enc = new TextEncoder();
const dec = new TextDecoder();
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/providers/${name}`, import.meta.url)));
const module = new WebAssembly.Module(readFileSync(new URL("../build/test/proto_stream.wasm", import.meta.url)));
const OPENAI = 1, RESPONSES = 2, ANTHROPIC = 3;

const STOP_POLICY = `version: 1
name: stop-keyword
detectors:
  custom:
    - id: codeword
      type: CODEWORD
      keywords: [bluebird]
rules:
  - id: stop-codeword
    phases: [midstream]
    when: { detector: custom, types: [CODEWORD] }
    action: stop
    message: stopped
`;

let guard: Guard;
let pe: ProtocolEngine;
let h: number;
let hStop: number;
beforeAll(async () => {
  guard = await createGuard({ policy: "policies/default.yaml" });
  const stopGuard = await createGuard({ policy: STOP_POLICY });
  pe = new ProtocolEngine(module);
  h = pe.loadPolicy(guard.policyBytes);
  hStop = pe.loadPolicy(stopGuard.policyBytes);
});

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Pushes bytes cut at `cuts` (sorted offsets), then finishes. */
function run(handle: number, provider: number, bytes: Uint8Array, cuts: number[] = [], failOpen = false) {
  const id = pe.open(handle, provider, failOpen);
  const results: ProtoResult[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c < prev) continue;
    results.push(pe.push(id, bytes.subarray(prev, c)));
    prev = c;
  }
  results.push(pe.finish(id));
  pe.close(id);
  const findings = results.flatMap((r) => r.findings.map((f) => ({ ...f, channel: f.channel.key })));
  return { out: concat(results.map((r) => r.bytes)), results, findings, stopped: results.some((r) => r.stopped) };
}

const every = (n: number, len: number) => Array.from({ length: Math.ceil(len / n) - 1 }, (_, i) => (i + 1) * n);

/** SSE blocks of an LF stream: { raw, event, data } (comments have data undefined). */
function blocks(text: string) {
  return text.split(/(?<=\n\n)/).filter((b) => b.length > 0).map((raw) => {
    const lines = raw.split("\n").filter((l) => l && !l.startsWith(":"));
    const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
    const dataLines = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, ""));
    return { raw, event, data: dataLines.length ? dataLines.join("\n") : undefined };
  });
}

/** Text per channel, and the payload with its text values emptied (to compare the rest). */
function texts(provider: number, data: string): { blank: string; parts: [string, string][] } {
  if (data.startsWith("[DONE]")) return { blank: data, parts: [] };
  const j = JSON.parse(data);
  const parts: [string, string][] = [];
  if (provider === OPENAI) {
    for (const c of j.choices ?? []) {
      const d = c.delta ?? {};
      if (typeof d.content === "string") { parts.push([`${c.index}/content`, d.content]); d.content = ""; }
      if (typeof d.refusal === "string") { parts.push([`${c.index}/refusal`, d.refusal]); d.refusal = ""; }
      for (const t of d.tool_calls ?? []) {
        if (typeof t.function?.arguments === "string") { parts.push([`${c.index}/tool${t.index}`, t.function.arguments]); t.function.arguments = ""; }
      }
    }
  } else if (provider === RESPONSES) {
    if (typeof j.type === "string" && j.type.endsWith(".delta") && typeof j.delta === "string") {
      parts.push([`${j.output_index}/${j.content_index ?? j.summary_index ?? 0}/${j.type}`, j.delta]);
      j.delta = "";
    }
  } else if (j.type === "content_block_delta") {
    for (const k of ["text", "partial_json", "thinking"]) {
      if (typeof j.delta[k] === "string") { parts.push([`${j.index}`, j.delta[k]]); j.delta[k] = ""; }
    }
  }
  return { blank: JSON.stringify(j), parts };
}

function channelTexts(provider: number, bytes: Uint8Array): Map<string, string> {
  const m = new Map<string, string>();
  for (const b of blocks(dec.decode(bytes))) {
    if (b.data === undefined) continue;
    for (const [k, v] of texts(provider, b.data).parts) m.set(k, (m.get(k) ?? "") + v);
  }
  return m;
}

const FIXTURES = [
  ["openai-chat-text.sse", OPENAI],
  ["openai-chat-tools.sse", OPENAI],
  ["anthropic-messages.sse", ANTHROPIC],
  ["openai-responses.sse", RESPONSES],
] as const;

describe.each(FIXTURES)("%s", (name, provider) => {
  const bytes = fixture(name);

  it("gives the same bytes and findings whole, 1 byte at a time and at random splits", () => {
    const whole = run(h, provider, bytes);
    const single = run(h, provider, bytes, every(1, bytes.length));
    expect(single.out).toEqual(whole.out);
    expect(single.findings).toEqual(whole.findings);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const r = run(h, provider, bytes, cuts.sort((a, b) => a - b));
        expect(r.out).toEqual(whole.out);
        expect(r.findings).toEqual(whole.findings);
      }),
      // 300 random splittings per fixture in the suite (each re-runs the whole fixture);
      // WARDLINE_PROPERTY_RUNS raises it for a longer hunt
      { numRuns: Number(process.env.WARDLINE_PROPERTY_RUNS ?? 300) },
    );
  }, 120_000); // a guard against hangs on a loaded 2-core machine, not a speed claim

  it("passes a clean stream through: same frames in order, same text per channel, only text values moved", () => {
    // Holdback moves text between a channel's deltas (a word is held until it ends), so those
    // events differ in their text values only; before an ending event one tail delta may be
    // added (a copy of the channel's last delta with its last words). Every other byte is kept.
    const r = run(h, provider, bytes);
    expect(r.findings).toEqual([]);
    expect(channelTexts(provider, r.out)).toEqual(channelTexts(provider, bytes));
    const a = blocks(dec.decode(bytes));
    const b = blocks(dec.decode(r.out));
    let i = 0;
    let lastDelta = new Map<string, string>();
    for (const ob of b) {
      const ib = a[i];
      expect(ib, `output block ${ob.raw} has no input counterpart`).toBeDefined();
      if (ob.data === undefined || ib.data === undefined) { expect(ob.raw).toBe(ib.raw); i++; continue; }
      const o = texts(provider, ob.data), n = texts(provider, ib.data);
      if (o.blank === n.blank && ob.event === ib.event) {
        // the same frame; byte-identical when it carries the same text
        if (JSON.stringify(o.parts) === JSON.stringify(n.parts)) expect(ob.raw).toBe(ib.raw);
        for (const [k] of o.parts) lastDelta.set(k, o.blank);
        i++;
      } else {
        // a tail delta: a copy of its channel's last delta
        expect(o.parts.length).toBe(1);
        expect(o.blank).toBe(lastDelta.get(o.parts[0][0]));
      }
    }
    expect(i).toBe(a.length);
  });

  it("drops or passes an unparseable event as the caller chose, and says so", () => {
    const bad = enc.encode("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"leak\"}}\n\n");
    const input = concat([bad, bytes]);
    const closed = run(h, provider, input, [], false);
    expect(closed.results[0].notScanned).toBe(true);
    expect(closed.results[0].reason).toBe("bad-json");
    expect(closed.results[0].dropped).toBe(true);
    expect(dec.decode(closed.out)).not.toContain("leak");
    const open = run(h, provider, input, [], true);
    expect(open.results[0].notScanned).toBe(true);
    expect(dec.decode(open.out).startsWith(dec.decode(bad))).toBe(true);
  });
});

// ── OpenAI Chat ──────────────────────────────────────────────────────────────
function openAiChunk(delta: object, finish: string | null = null, index = 0): string {
  return `data: ${JSON.stringify({ id: "chatcmpl-T", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
}
function openAiStream(pieces: string[], tail = ""): Uint8Array {
  return enc.encode(openAiChunk({ role: "assistant", content: "" }) + pieces.map((p) => openAiChunk({ content: p })).join("") + tail + openAiChunk({}, "stop") + "data: [DONE]\n\n");
}

describe("OpenAI Chat", () => {
  it("redacts a card number spread over 7 deltas of 2-3 characters; its digits never reach the client", () => {
    const card = "4532015112830366"; // Luhn-valid test Visa
    const cuts = [3, 2, 2, 3, 2, 2, 2];
    const pieces: string[] = [];
    let o = 0;
    for (const c of cuts) { pieces.push(card.slice(o, o + c)); o += c; }
    expect(pieces.join("")).toBe(card);
    const bytes = openAiStream(["My card: ", ...pieces, " thanks"]);
    const expected = guard.scan(`My card: ${card} thanks`, { phase: "midstream" }).text;
    for (const cutsAt of [[], every(1, bytes.length), every(7, bytes.length)]) {
      const r = run(h, OPENAI, bytes, cutsAt);
      const text = dec.decode(r.out);
      expect(channelTexts(OPENAI, r.out).get("0/content")).toBe(expected);
      expect(expected).not.toContain("45320151");
      for (const d of ["4532", "0151", "1283", "453", "015", "112", "83"]) expect(text).not.toContain(d);
      expect(r.findings.map((f) => [f.detector, f.action])).toEqual([["pii", "redact"]]);
    }
  });

  it("catches a secret inside parallel tool-call arguments split over many deltas", () => {
    const secret = "AKIAQWERTYUIOPASDFGH";
    const args0 = JSON.stringify({ key: secret, region: "eu" });
    const args1 = JSON.stringify({ q: "weather" });
    let s = openAiChunk({ role: "assistant", content: null });
    s += openAiChunk({ tool_calls: [{ index: 0, id: "call_0", type: "function", function: { name: "store", arguments: "" } }] });
    s += openAiChunk({ tool_calls: [{ index: 1, id: "call_1", type: "function", function: { name: "search", arguments: "" } }] });
    for (let i = 0; i < Math.max(args0.length, args1.length); i += 3) {
      if (i < args0.length) s += openAiChunk({ tool_calls: [{ index: 0, function: { arguments: args0.slice(i, i + 3) } }] });
      if (i < args1.length) s += openAiChunk({ tool_calls: [{ index: 1, function: { arguments: args1.slice(i, i + 3) } }] });
    }
    s += openAiChunk({}, "tool_calls") + "data: [DONE]\n\n";
    const r = run(h, OPENAI, enc.encode(s), every(5, s.length));
    expect(dec.decode(r.out)).not.toContain("QWERTY");
    const t = channelTexts(OPENAI, r.out);
    expect(t.get("0/tool0")).toBe(JSON.stringify({ key: "[AWS_ACCESS_KEY_ID]", region: "eu" }));
    expect(t.get("0/tool1")).toBe(args1);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ detector: "secrets", action: "redact", channel: (0 << 16) | (2 << 12) | 0 });
  });

  it("on stop ends the stream the provider's way, and the openai SDK reads it to the end", async () => {
    const bytes = openAiStream(["The ", "pass", "word ", "is ", "blue", "bird", " and ", "more ", "text"]);
    for (const cutsAt of [[], every(1, bytes.length)]) {
      const r = run(hStop, OPENAI, bytes, cutsAt);
      expect(r.stopped).toBe(true);
      const text = dec.decode(r.out);
      expect(text).not.toContain("bluebird");
      expect(text).not.toContain("more");
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      const chunks: any[] = [];
      const stream = Stream.fromSSEResponse(new Response(r.out), new AbortController());
      for await (const c of stream) chunks.push(c);
      const last = chunks[chunks.length - 1];
      expect(last.choices[0].finish_reason).toBe("content_filter");
      expect(last.id).toBe("chatcmpl-T");
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("The password is ");
    }
  });

  it("guardTransform pipes a body, reports the stop and aborts the upstream", async () => {
    const bytes = openAiStream(["say ", "blue", "bird", " now"]);
    const upstream = new AbortController();
    let stops = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) { for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7)); c.close(); },
    });
    const out = body.pipeThrough(guardTransform(pe, hStop, "openai-chat", { upstream, onStop: () => stops++ }));
    const got = new Uint8Array(await new Response(out).arrayBuffer());
    expect(stops).toBe(1);
    expect(upstream.signal.aborted).toBe(true);
    expect(dec.decode(got).endsWith("data: [DONE]\n\n")).toBe(true);
    expect(got).toEqual(run(hStop, OPENAI, bytes).out);
  });
});

// ── Anthropic Messages ───────────────────────────────────────────────────────
function anthropicEvent(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}
function anthropicStream(pieces: string[]): Uint8Array {
  let s = anthropicEvent("message_start", { message: { id: "msg_T", type: "message", role: "assistant", content: [], model: "claude-sonnet-4-5", stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } });
  s += anthropicEvent("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  s += anthropicEvent("ping", {});
  for (const p of pieces) s += anthropicEvent("content_block_delta", { index: 0, delta: { type: "text_delta", text: p } });
  s += anthropicEvent("content_block_stop", { index: 0 });
  s += anthropicEvent("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } });
  s += anthropicEvent("message_stop", {});
  return enc.encode(s);
}

describe("Anthropic Messages", () => {
  it("redacts a card spread over deltas", () => {
    const bytes = anthropicStream(["card ", "453", "20", "15", "112", "83", "03", "66", " ok"]);
    const r = run(h, ANTHROPIC, bytes, every(3, bytes.length));
    expect(channelTexts(ANTHROPIC, r.out).get("0")).toBe(guard.scan("card 4532015112830366 ok", { phase: "midstream" }).text);
    expect(dec.decode(r.out)).not.toContain("4532");
  });

  it("on stop sends content_block_stop, message_delta refusal, message_stop; the SDK's MessageStream accepts it", async () => {
    const bytes = anthropicStream(["The ", "word ", "is ", "blue", "bird", " and ", "more"]);
    for (const cutsAt of [[], every(1, bytes.length)]) {
      const r = run(hStop, ANTHROPIC, bytes, cutsAt);
      expect(r.stopped).toBe(true);
      const text = dec.decode(r.out);
      expect(text).not.toContain("bluebird");
      expect(text).not.toContain("more");
      // the SDK's own SSE decoder, then its message accumulator (which throws on frames out of order)
      const events = AnthropicStream.fromSSEResponse(new Response(r.out), new AbortController());
      const stream = MessageStream.fromReadableStream(events.toReadableStream());
      const msg = await stream.finalMessage();
      expect(msg.stop_reason).toBe("refusal");
      expect(msg.content).toEqual([expect.objectContaining({ type: "text", text: "The word is " })]);
    }
  });
});

// ── OpenAI Responses ─────────────────────────────────────────────────────────
/** A Responses stream: one message item (text split into `pieces`), optionally a function call. */
function responsesStream(pieces: string[], opts: { args?: string[]; terminal?: boolean } = {}): Uint8Array {
  let seq = 0;
  let s = "";
  const ev = (type: string, data: object) => { s += `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`; };
  const base = { id: "resp_T", object: "response", created_at: 1755000000, status: "in_progress", error: null, incomplete_details: null, model: "gpt-4.1-mini", output: [] as object[], usage: null };
  ev("response.created", { response: base });
  ev("response.in_progress", { response: base });
  ev("response.output_item.added", { output_index: 0, item: { id: "msg_T", type: "message", status: "in_progress", content: [], role: "assistant" } });
  ev("response.content_part.added", { item_id: "msg_T", output_index: 0, content_index: 0, part: { type: "output_text", annotations: [], text: "" } });
  for (const d of pieces) ev("response.output_text.delta", { item_id: "msg_T", output_index: 0, content_index: 0, delta: d, logprobs: [] });
  const text = pieces.join("");
  ev("response.output_text.done", { item_id: "msg_T", output_index: 0, content_index: 0, text, logprobs: [] });
  const part = { type: "output_text", annotations: [], text };
  ev("response.content_part.done", { item_id: "msg_T", output_index: 0, content_index: 0, part });
  const msg = { id: "msg_T", type: "message", status: "completed", content: [part], role: "assistant" };
  ev("response.output_item.done", { output_index: 0, item: msg });
  const output: object[] = [msg];
  if (opts.args) {
    const fc = { id: "fc_T", type: "function_call", status: "in_progress", arguments: "", call_id: "call_T", name: "store" };
    ev("response.output_item.added", { output_index: 1, item: fc });
    for (const d of opts.args) ev("response.function_call_arguments.delta", { item_id: "fc_T", output_index: 1, delta: d });
    const args = opts.args.join("");
    ev("response.function_call_arguments.done", { item_id: "fc_T", output_index: 1, arguments: args });
    const done = { ...fc, status: "completed", arguments: args };
    ev("response.output_item.done", { output_index: 1, item: done });
    output.push(done);
  }
  if (opts.terminal !== false) ev("response.completed", { response: { ...base, status: "completed", output } });
  return enc.encode(s);
}

/** Every event's data of a Responses stream, parsed. */
function responsesEvents(bytes: Uint8Array): any[] {
  return blocks(dec.decode(bytes)).filter((b) => b.data !== undefined).map((b) => JSON.parse(b.data!));
}

describe("OpenAI Responses", () => {
  it("redacts a card over many deltas; .done, part, item and response.completed carry the redacted text", () => {
    const card = "4532015112830366";
    const pieces = ["My card: ", "45", "320", "1", "51", "128", "3", "03", "66", " thanks"];
    const bytes = responsesStream(pieces);
    const expected = guard.scan(`My card: ${card} thanks`, { phase: "midstream" }).text;
    expect(expected).not.toContain("4532");
    let first: Uint8Array | undefined;
    for (const cutsAt of [[], every(1, bytes.length), every(7, bytes.length)]) {
      const r = run(h, RESPONSES, bytes, cutsAt);
      first ??= r.out;
      expect(r.out).toEqual(first);
      const text = dec.decode(r.out);
      for (const d of ["4532", "0151", "1283", "453", "015", "112", "83"]) expect(text).not.toContain(d);
      const evs = responsesEvents(r.out);
      const deltas = evs.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join("");
      expect(deltas).toBe(expected);
      expect(evs.find((e) => e.type === "response.output_text.done").text).toBe(expected);
      expect(evs.find((e) => e.type === "response.content_part.done").part.text).toBe(expected);
      expect(evs.find((e) => e.type === "response.output_item.done").item.content[0].text).toBe(expected);
      expect(evs.find((e) => e.type === "response.completed").response.output[0].content[0].text).toBe(expected);
      expect(r.findings.map((f) => [f.detector, f.action, f.channel])).toEqual([["pii", "redact", 0]]);
    }
  });

  it("redacts a secret in function-call argument deltas, and in the arguments of .done and response.completed", () => {
    const secret = "AKIAQWERTYUIOPASDFGH";
    const args = JSON.stringify({ key: secret, region: "eu" });
    const argPieces: string[] = [];
    for (let i = 0; i < args.length; i += 3) argPieces.push(args.slice(i, i + 3));
    const bytes = responsesStream(["Storing it."], { args: argPieces });
    const r = run(h, RESPONSES, bytes, every(5, bytes.length));
    expect(dec.decode(r.out)).not.toContain("QWERTY");
    const want = JSON.stringify({ key: "[AWS_ACCESS_KEY_ID]", region: "eu" });
    const evs = responsesEvents(r.out);
    expect(evs.filter((e) => e.type === "response.function_call_arguments.delta").map((e) => e.delta).join("")).toBe(want);
    expect(evs.find((e) => e.type === "response.function_call_arguments.done").arguments).toBe(want);
    expect(evs.filter((e) => e.type === "response.output_item.done")[1].item.arguments).toBe(want);
    expect(evs.find((e) => e.type === "response.completed").response.output[1].arguments).toBe(want);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ detector: "secrets", action: "redact", channel: (1 << 16) | (2 << 12) });
  });

  it("scans a text that arrives only in a snapshot (no deltas) and rewrites it there", () => {
    // A snapshot-only text must not pass unseen just because no delta announced its channel.
    const card = "4532015112830366";
    const completed = { type: "response.completed", sequence_number: 1, response: { id: "resp_T", object: "response", status: "completed", output: [{ id: "msg_T", type: "message", role: "assistant", content: [{ type: "output_text", text: `card ${card} ok`, annotations: [] }] }] } };
    const bytes = enc.encode(`event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_T","output":[]}}\n\nevent: response.completed\ndata: ${JSON.stringify(completed)}\n\n`);
    const whole = run(h, RESPONSES, bytes);
    expect(run(h, RESPONSES, bytes, every(1, bytes.length)).out).toEqual(whole.out);
    expect(dec.decode(whole.out)).not.toContain("4532");
    const got = responsesEvents(whole.out)[1];
    expect(got.response.output[0].content[0].text).toBe(guard.scan(`card ${card} ok`, { phase: "midstream" }).text);
    // every other field as it came
    got.response.output[0].content[0].text = completed.response.output[0].content[0].text;
    expect(got).toEqual(completed);
  });

  it("refuses an unknown delta event when failing closed", () => {
    const bad = enc.encode(`event: response.audio.transcript.delta\ndata: {"type":"response.audio.transcript.delta","sequence_number":9,"output_index":0,"delta":"leak"}\n\n`);
    const r = run(h, RESPONSES, bad);
    expect(r.results[0].notScanned).toBe(true);
    expect(r.results[0].reason).toBe("unknown-shape");
    expect(dec.decode(r.out)).not.toContain("leak");
  });

  it("on stop ends with response.incomplete (content_filter); the openai SDK's ResponseStream accepts it", async () => {
    const bytes = responsesStream(["The ", "pass", "word ", "is ", "blue", "bird", " and ", "more ", "text"]);
    for (const cutsAt of [[], every(1, bytes.length), every(9, bytes.length)]) {
      const r = run(hStop, RESPONSES, bytes, cutsAt);
      expect(r.stopped).toBe(true);
      const text = dec.decode(r.out);
      expect(text).not.toContain("bluebird");
      expect(text).not.toContain("more");
      expect(text).not.toContain("response.completed");
      const evs = responsesEvents(r.out);
      const last = evs[evs.length - 1];
      expect(last).toMatchObject({ type: "response.incomplete", response: { id: "resp_T", status: "incomplete", incomplete_details: { reason: "content_filter" } } });
      expect(last.sequence_number).toBe(evs[evs.length - 2].sequence_number + 1);
      // the SDK's SSE decoder, then its response accumulator (which throws on frames it cannot place)
      const events = Stream.fromSSEResponse(new Response(r.out), new AbortController());
      const stream = ResponseStream.fromReadableStream(events.toReadableStream());
      const deltas: string[] = [];
      stream.on("response.output_text.delta", (e) => deltas.push(e.delta));
      const final = await stream.finalResponse();
      expect(final.status).toBe("incomplete");
      expect(final.incomplete_details?.reason).toBe("content_filter");
      expect(deltas.join("")).toBe("The password is ");
      // the final response lists the message with what the client was shown
      expect(last.response.output).toEqual([{ id: "msg_T", type: "message", status: "incomplete", role: "assistant", content: [{ type: "output_text", annotations: [], text: "The password is " }] }]);
      expect(final.output_text).toBe("The password is ");
    }
  });

  it("on a stop in function-call arguments, response.incomplete lists the finished message and the cut call", async () => {
    const bytes = responsesStream(["Saving ", "it."], { args: ["{\"w\":", "\"blue", "bird\"}"] });
    for (const cutsAt of [[], every(1, bytes.length)]) {
      const r = run(hStop, RESPONSES, bytes, cutsAt);
      expect(r.stopped).toBe(true);
      expect(dec.decode(r.out)).not.toContain("bluebird");
      const evs = responsesEvents(r.out);
      const last = evs[evs.length - 1];
      expect(last.type).toBe("response.incomplete");
      // the arguments as the deltas released them, up to the cut
      const released = evs.filter((e) => e.type === "response.function_call_arguments.delta").map((e) => e.delta).join("");
      expect(released.startsWith("{\"w\":")).toBe(true);
      expect(last.response.output).toEqual([
        { id: "msg_T", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", annotations: [], text: "Saving it." }] },
        { id: "fc_T", type: "function_call", call_id: "call_T", name: "store", status: "incomplete", arguments: released },
      ]);
      const events = Stream.fromSSEResponse(new Response(r.out), new AbortController());
      const final = await ResponseStream.fromReadableStream(events.toReadableStream()).finalResponse();
      expect(final.status).toBe("incomplete");
      expect(final.output_text).toBe("Saving it.");
    }
  });

  it("Guard.transform pipes a Responses stream", async () => {
    const bytes = fixture("openai-responses.sse");
    const body = new ReadableStream<Uint8Array>({ start(c) { for (let i = 0; i < bytes.length; i += 11) c.enqueue(bytes.slice(i, i + 11)); c.close(); } });
    const got = new Uint8Array(await new Response(body.pipeThrough(guard.transform("openai-responses"))).arrayBuffer());
    expect(got).toEqual(run(h, RESPONSES, bytes).out);
  });
});

describe("Guard.transform", () => {
  it("pipes a provider stream through the guard's own engine instance", async () => {
    const { createGuard } = await import("../bindings/index.ts");
    const { readFileSync } = await import("node:fs");
    const guard = await createGuard({ policy: "policies/default.yaml" });
    const input = readFileSync("test/fixtures/providers/openai-chat-text.sse");
    // split the upstream body into 7-byte network chunks
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < input.length; i += 7) chunks.push(new Uint8Array(input.subarray(i, i + 7)));
    const body = new ReadableStream<Uint8Array>({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
    const out = Buffer.from(await new Response(body.pipeThrough(guard.transform("openai-chat"))).arrayBuffer()).toString("utf8");
    // same text per event as scanning the concatenated deltas
    const deltas = (s: string) => s.split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? "").join("");
    expect(deltas(out)).toBe(guard.scan(deltas(input.toString("utf8")), { phase: "midstream" }).text);
    expect(out.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });
});
