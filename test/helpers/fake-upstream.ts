// A fake OpenAI / Anthropic API on 127.0.0.1 port 0 that streams the way the real ones do:
// tiny deltas, each SSE frame split across several TCP writes, keep-alive comments, tool
// calls, a usage chunk. Tests choose the answer per request with `upstream.reply`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { createGuard, type Guard } from "../../bindings/index.ts";
import { defaultConfig, type ProxyConfig } from "../../host-proxy/config.ts";
import { startProxy, type RunningProxy } from "../../host-proxy/server.ts";

export type Reply =
  | { kind: "sse"; frames: string[]; status?: number }
  | { kind: "json"; body: unknown; status?: number }
  /** accepts the request and never sends a byte (first-byte timeout) */
  | { kind: "silent" }
  /** sends these frames, then goes quiet forever (idle timeout) */
  | { kind: "stall"; frames: string[] }
  /** sends these frames, then destroys the connection (dropped mid-stream) */
  | { kind: "drop"; frames: string[] }
  /** headers, then a keep-alive comment every few ms until the client goes away */
  | { kind: "endless" };

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** resolves when the connection to the proxy closes (the request or response was closed) */
  closed: Promise<void>;
}

export interface FakeUpstream {
  url: string;
  requests: SeenRequest[];
  reply: (req: SeenRequest) => Reply;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `s` in pieces of 1..maxPiece bytes (default 7), one TCP write each (Nagle is off on Node's sockets). */
async function writeSplit(res: ServerResponse, s: string, maxPiece = 7): Promise<void> {
  const b = Buffer.from(s, "utf8");
  for (let i = 0; i < b.length;) {
    const n = 1 + ((i * 7 + 3) % maxPiece);
    if (res.destroyed) return;
    res.write(b.subarray(i, i + n));
    i += n;
    await new Promise((r) => setImmediate(r));
  }
}

async function serve(res: ServerResponse, reply: Reply, maxPiece?: number): Promise<void> {
  switch (reply.kind) {
    case "json": {
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case "silent":
      return;
    case "sse": case "stall": case "drop": case "endless": {
      res.writeHead(reply.kind === "sse" ? reply.status ?? 200 : 200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.flushHeaders();
      if (reply.kind === "endless") {
        while (!res.destroyed) { res.write(": keep-alive\n\n"); await sleep(5); }
        return;
      }
      let n = 0;
      for (const f of reply.frames) {
        if (res.destroyed) return;
        if (n++ % 5 === 2) await writeSplit(res, ": keep-alive\n\n", maxPiece);
        await writeSplit(res, f, maxPiece);
      }
      if (reply.kind === "sse") res.end();
      else if (reply.kind === "drop") res.socket?.destroy();
      return;
    }
  }
}

/**
 * `maxPiece`: the largest TCP write of a split frame (default 7; the soak uses larger pieces to
 * spend its CPU in the proxy). `keepAliveMs`: how long an idle connection is kept (Node's 5 s
 * default races with a busy client reusing it: ECONNRESET).
 */
export async function startFakeUpstream(reply: FakeUpstream["reply"] = () => ({ kind: "json", body: {} }), options: { maxPiece?: number; keepAliveMs?: number } = {}): Promise<FakeUpstream> {
  const requests: SeenRequest[] = [];
  const up: FakeUpstream = { url: "", requests, reply, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const closed = new Promise<void>((resolve) => res.on("close", () => resolve()));
      const seen: SeenRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), closed };
      requests.push(seen);
      serve(res, up.reply(seen), options.maxPiece).catch(() => res.destroy());
    });
  });
  if (options.keepAliveMs) server.keepAliveTimeout = options.keepAliveMs;
  await new Promise<void>((r) => server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => r()));
  up.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  up.close = () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  return up;
}

// ---- answers in the providers' formats ----

/** Cuts text into deltas of 1..3 characters, as models stream. */
export function deltas(text: string): string[] {
  const out: string[] = [];
  for (let i = 0, k = 0; i < text.length; k++) { const n = 1 + (k % 3); out.push(text.slice(i, i + n)); i += n; }
  return out;
}

const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
  `data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1720000000, model: "gpt-4o-mini", system_fingerprint: "fp_1", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;

/** OpenAI Chat Completions SSE: role, tiny content deltas, tool calls, finish, usage chunk, [DONE]. */
export function openaiChatFrames(text: string, tools: { name: string; arguments: string }[] = []): string[] {
  const frames = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const d of deltas(text)) frames.push(chunk({ content: d }));
  tools.forEach((t, i) => {
    frames.push(chunk({ tool_calls: [{ index: i, id: `call_${i}`, type: "function", function: { name: t.name, arguments: "" } }] }));
    for (const d of deltas(t.arguments)) frames.push(chunk({ tool_calls: [{ index: i, function: { arguments: d } }] }));
  });
  frames.push(chunk({}, tools.length ? "tool_calls" : "stop"));
  frames.push(`data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1720000000, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 } })}\n\n`);
  frames.push("data: [DONE]\n\n");
  return frames;
}

export function openaiChatBody(text: string) {
  return {
    id: "chatcmpl-fake", object: "chat.completion", created: 1720000000, model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
  };
}

const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** Anthropic Messages SSE: message_start, a text block in tiny deltas, optional tool_use block, ping, message_delta, message_stop. */
export function anthropicFrames(text: string, tool?: { name: string; input: string }): string[] {
  const frames = [
    ev("message_start", { message: { id: "msg_fake", type: "message", role: "assistant", content: [], model: "claude-sonnet-4-5", stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("ping", {}),
  ];
  for (const d of deltas(text)) frames.push(ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: d } }));
  frames.push(ev("content_block_stop", { index: 0 }));
  if (tool) {
    frames.push(ev("content_block_start", { index: 1, content_block: { type: "tool_use", id: "toolu_fake", name: tool.name, input: {} } }));
    for (const d of deltas(tool.input)) frames.push(ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: d } }));
    frames.push(ev("content_block_stop", { index: 1 }));
  }
  frames.push(ev("message_delta", { delta: { stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: 15 } }));
  frames.push(ev("message_stop", {}));
  return frames;
}

export function anthropicBody(text: string) {
  return {
    id: "msg_fake", type: "message", role: "assistant", model: "claude-sonnet-4-5",
    content: [{ type: "text", text }], stop_reason: "end_turn", stop_sequence: null,
    usage: { input_tokens: 25, output_tokens: 15 },
  };
}

// ---- the proxy under test, in-process on port 0 ----

/** The default policy's rules plus a midstream stop on the keyword "bluebird". */
export const TEST_POLICY = `version: 1
name: proxy-test
settings: { fail_mode: closed }
detectors:
  pii: { min_score: 0.4 }
  injection: {}
  custom:
    - id: codeword
      type: CODEWORD
      keywords: [bluebird]
rules:
  - id: block-injection
    phases: [ingress]
    when: { detector: injection, min_score: 0.7 }
    action: block
    message: "Request blocked: it looks like a prompt injection."
  - id: redact-pii
    when: { detector: pii, types: [EMAIL, PHONE] }
    action: redact
    replacement: type
  - id: stop-codeword
    phases: [midstream]
    when: { detector: custom, types: [CODEWORD] }
    action: stop
    message: stopped
`;

let testGuard: Promise<Guard> | undefined;
export const guardForTests = () => (testGuard ??= createGuard({ policy: TEST_POLICY }));

export interface Pair { upstream: FakeUpstream; proxy: RunningProxy; logs: string[]; close(): Promise<void> }

/** A fake upstream (both providers) and a proxy in front of it; `overrides` patch the config. */
export async function startPair(overrides: (c: ProxyConfig) => void = () => {}): Promise<Pair> {
  const upstream = await startFakeUpstream();
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.upstreams = { openai: upstream.url, anthropic: upstream.url };
  overrides(config);
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const proxy = await startProxy({ config, guard: await guardForTests(), logger: pino({ level: "info" }, sink), defaultMetrics: false });
  return { upstream, proxy, logs, close: async () => { await proxy.close(); await upstream.close(); } };
}

/** OpenAI Responses SSE: created, one message item with output_text in tiny deltas, completed. */
export function openaiResponsesFrames(text: string): string[] {
  let seq = 0;
  const e = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const response = (status: string, output: object[]) => ({ id: "resp_fake", object: "response", created_at: 1755000000, status, error: null, incomplete_details: null, model: "gpt-4.1-mini", output, usage: null });
  const part = (t: string) => ({ type: "output_text", annotations: [], logprobs: [], text: t });
  const item = (status: string, content: object[]) => ({ id: "msg_fake", type: "message", status, role: "assistant", content });
  const frames = [
    e("response.created", { response: response("in_progress", []) }),
    e("response.output_item.added", { output_index: 0, item: item("in_progress", []) }),
    e("response.content_part.added", { item_id: "msg_fake", output_index: 0, content_index: 0, part: part("") }),
  ];
  for (const d of deltas(text)) frames.push(e("response.output_text.delta", { item_id: "msg_fake", output_index: 0, content_index: 0, delta: d, logprobs: [] }));
  frames.push(e("response.output_text.done", { item_id: "msg_fake", output_index: 0, content_index: 0, text, logprobs: [] }));
  frames.push(e("response.content_part.done", { item_id: "msg_fake", output_index: 0, content_index: 0, part: part(text) }));
  frames.push(e("response.output_item.done", { output_index: 0, item: item("completed", [part(text)]) }));
  frames.push(e("response.completed", { response: response("completed", [item("completed", [part(text)])]) }));
  return frames;
}
