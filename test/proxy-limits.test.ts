// Limits and upstream failures, each answered in the provider's own error shape.
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { createServer } from "node:net";
import { startPair, openaiChatFrames, type Pair } from "./helpers/fake-upstream.ts";

let pair: Pair | undefined;
afterEach(async () => { await pair?.close(); pair = undefined; });

const chat = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hello" }] };
const msg = { model: "claude-opus-4-1", max_tokens: 64, messages: [{ role: "user" as const, content: "hello" }] };
const openai = (p: Pair) => new OpenAI({ apiKey: "sk-test", baseURL: `${p.proxy.url}/v1`, maxRetries: 0 });
const anthropic = (p: Pair) => new Anthropic({ apiKey: "sk-ant-test", baseURL: p.proxy.url, maxRetries: 0 });

/** A port on 127.0.0.1 that nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("proxy limits", () => {
  it("413 for a declared body over max_body_bytes, without sending it upstream (OpenAI shape)", async () => {
    pair = await startPair((c) => { c.limits.max_body_bytes = 1000; });
    const res = await fetch(`${pair.proxy.url}/v1/chat/completions`, {
      method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
      body: JSON.stringify({ ...chat, messages: [{ role: "user", content: "x".repeat(5000) }] }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { message: "Wardline: the request body is larger than 1000 bytes", type: "invalid_request_error", param: null, code: "request_too_large" } });
    expect(pair.upstream.requests.length).toBe(0);
  });

  it("413 for a chunked body with no length, counted while it streams (Anthropic shape)", async () => {
    pair = await startPair((c) => { c.limits.max_body_bytes = 1000; });
    const piece = new TextEncoder().encode("x".repeat(300));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({ pull(c) { if (sent++ < 20) c.enqueue(piece); else c.close(); } });
    const res = await fetch(`${pair.proxy.url}/v1/messages`, {
      method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" }, body, duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ type: "error", error: { type: "request_too_large", message: "Wardline: the request body is larger than 1000 bytes" } });
    expect(pair.upstream.requests.length).toBe(0);
  });

  it("503 when max_concurrency requests are in flight; served again once one ends", async () => {
    pair = await startPair((c) => { c.limits.max_concurrency = 1; });
    pair.upstream.reply = () => ({ kind: "endless" });
    const ac = new AbortController();
    await openai(pair).chat.completions.create({ ...chat, stream: true }, { signal: ac.signal });
    const err = await openai(pair).chat.completions.create(chat).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(503);
    expect(err.error).toMatchObject({ type: "server_error", code: "overloaded" });
    ac.abort();
    await pair.upstream.requests[0].closed;
    pair.upstream.reply = () => ({ kind: "sse", frames: openaiChatFrames("back") });
    // the slot was released when the client went away (before the upstream saw the close)
    let text = "";
    for await (const c of await openai(pair).chat.completions.create({ ...chat, stream: true })) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe("back");
  });

  it("504 when the upstream never sends a byte (OpenAI and Anthropic shapes)", async () => {
    pair = await startPair((c) => { c.timeouts.first_byte_ms = 200; });
    pair.upstream.reply = () => ({ kind: "silent" });
    const e1 = await openai(pair).chat.completions.create(chat).catch((e) => e);
    expect(e1).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e1.status).toBe(504);
    expect(e1.error).toMatchObject({ type: "server_error", code: "upstream_timeout", message: "Wardline: the upstream did not answer within 200 ms" });
    const e2 = await anthropic(pair).messages.create(msg).catch((e) => e);
    expect(e2).toBeInstanceOf(Anthropic.InternalServerError);
    expect(e2.status).toBe(504);
    expect(e2.error).toEqual({ type: "error", error: { type: "timeout_error", message: "Wardline: the upstream did not answer within 200 ms" } });
  });

  it("502 when the upstream is unreachable (OpenAI and Anthropic shapes)", async () => {
    const port = await deadPort();
    pair = await startPair((c) => { c.upstreams = { openai: `http://127.0.0.1:${port}`, anthropic: `http://127.0.0.1:${port}` }; });
    const e1 = await openai(pair).chat.completions.create({ ...chat, stream: true }).catch((e) => e);
    expect(e1.status).toBe(502);
    expect(e1.error).toMatchObject({ type: "server_error", code: "upstream_unreachable", message: "Wardline: the upstream is unreachable (ECONNREFUSED)" });
    const e2 = await anthropic(pair).messages.create(msg).catch((e) => e);
    expect(e2.status).toBe(502);
    expect(e2.error).toEqual({ type: "error", error: { type: "api_error", message: "Wardline: the upstream is unreachable (ECONNREFUSED)" } });
  });
});
