// Upstream retries only where safe: a flaky upstream (a real server that fails its first N
// attempts) — refused/reset connections and 429/502/503/504 before any body are retried and the
// SDK gets the good answer; a stream that drops after bytes went out, a long retry-after and a
// body that streams through are not retried. Retries are counted.
import { describe, it, expect, afterEach } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { defaultConfig, type ProxyConfig } from "../host-proxy/config.ts";
import { startProxy, type RunningProxy } from "../host-proxy/server.ts";
import { guardForTests, openaiChatFrames, openaiChatBody, anthropicFrames } from "./helpers/fake-upstream.ts";
import pino from "pino";
import { Writable } from "node:stream";

type Failure = { status: number; retryAfter?: string } | "reset" | "drop";

interface Flaky { url: string; attempts: number; bodies: string[]; server: Server }

/** Fails its first attempts as `failures` says, then answers with `ok` (SSE frames or a JSON body). */
async function flakyUpstream(failures: Failure[], ok: { sse?: string[]; json?: unknown }): Promise<Flaky> {
  const f: Flaky = { url: "", attempts: 0, bodies: [], server: undefined as unknown as Server };
  f.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      f.bodies.push(Buffer.concat(chunks).toString("utf8"));
      const failure = failures[f.attempts++];
      if (failure === "reset") { req.socket.destroy(); return; }
      if (failure === "drop") {
        // headers and two events, then the connection dies
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(ok.sse!.slice(0, 2).join(""));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (failure) {
        const body = JSON.stringify({ error: { message: `upstream says ${failure.status}`, type: "server_error", param: null, code: null } });
        res.writeHead(failure.status, { "content-type": "application/json", ...(failure.retryAfter ? { "retry-after": failure.retryAfter } : {}) });
        res.end(body);
        return;
      }
      if (ok.sse) { res.writeHead(200, { "content-type": "text/event-stream" }); res.end(ok.sse.join("")); return; }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(ok.json));
    });
  });
  await new Promise<void>((r) => f.server.listen(0, "127.0.0.1", () => r()));
  f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
  return f;
}

let proxy: RunningProxy | undefined;
let up: Flaky | undefined;
afterEach(async () => {
  await proxy?.close();
  if (up) await new Promise<void>((r) => { up!.server.close(() => r()); up!.server.closeAllConnections(); });
  proxy = undefined; up = undefined;
});

async function start(upstreamUrl: string, patch: (c: ProxyConfig) => void = () => {}) {
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.upstreams = { openai: upstreamUrl, anthropic: upstreamUrl };
  config.retries = { attempts: 2, backoff_ms: 5, max_retry_after_ms: 1000 };
  patch(config);
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  proxy = await startProxy({ config, guard: await guardForTests(), logger: pino({ level: "info" }, sink), defaultMetrics: false });
  return proxy;
}
const metrics = async () => (await fetch(`${proxy!.url}/metrics`)).text();
const openai = () => new OpenAI({ apiKey: "sk-test", baseURL: `${proxy!.url}/v1`, maxRetries: 0 });

describe("upstream retries", () => {
  it("503 then 502 before any body: retried, the SDK gets the answer (and the redaction still applies)", async () => {
    up = await flakyUpstream([{ status: 503 }, { status: 502 }], { json: openaiChatBody("hello") });
    await start(up.url);
    const r = await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "mail ann.lee@example.org" }] });
    expect(r.choices[0].message.content).toBe("hello");
    expect(up.attempts).toBe(3);
    // every attempt carried the same (redacted) body
    expect(new Set(up.bodies).size).toBe(1);
    expect(up.bodies[0]).toContain("[EMAIL]");
    const m = await metrics();
    expect(m).toContain('wardline_upstream_retries_total{route="/v1/chat/completions",reason="503"} 1');
    expect(m).toContain('wardline_upstream_retries_total{route="/v1/chat/completions",reason="502"} 1');
  });

  it("a connection reset before response headers is retried; the Anthropic SDK's stream is whole", async () => {
    up = await flakyUpstream(["reset"], { sse: anthropicFrames("all good") });
    await start(up.url);
    const client = new Anthropic({ apiKey: "sk-ant-test", baseURL: proxy!.url, maxRetries: 0 });
    const msg = await client.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }).finalMessage();
    expect(msg.content).toEqual([{ type: "text", text: "all good" }]);
    expect(up.attempts).toBe(2);
    expect(await metrics()).toMatch(/wardline_upstream_retries_total\{route="\/v1\/messages",reason="(ECONNRESET|UND_ERR_SOCKET)"\} 1/);
  });

  it("429 with a short retry-after is waited for and retried", async () => {
    up = await flakyUpstream([{ status: 429, retryAfter: "0" }], { sse: openaiChatFrames("fine") });
    await start(up.url);
    let text = "";
    for await (const c of await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true })) text += c.choices[0]?.delta?.content ?? "";
    expect(text).toBe("fine");
    expect(up.attempts).toBe(2);
  });

  it("429 with a retry-after beyond the cap goes to the client as it came (the SDK raises RateLimitError)", async () => {
    up = await flakyUpstream([{ status: 429, retryAfter: "30" }], { json: openaiChatBody("late") });
    await start(up.url);
    const err = await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get("retry-after")).toBe("30");
    expect(up.attempts).toBe(1);
    expect(await metrics()).not.toContain("wardline_upstream_retries_total{");
  });

  it("the attempts are bounded: after 1 + attempts tries the upstream's own error reaches the SDK", async () => {
    up = await flakyUpstream([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }], { json: openaiChatBody("never") });
    await start(up.url);
    const err = await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(503);
    expect(err.message).toContain("upstream says 503");
    expect(up.attempts).toBe(3);
  });

  it("a stream that drops after bytes reached the client is NOT retried: the SDK raises the error frame", async () => {
    up = await flakyUpstream(["drop"], { sse: openaiChatFrames("partial answer here") });
    await start(up.url);
    let text = "";
    const stream = await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
    const err = await (async () => { for await (const c of stream) text += c.choices[0]?.delta?.content ?? ""; })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String(err.message)).toContain("ended before the answer was complete");
    expect(up.attempts).toBe(1);
    expect(await metrics()).not.toContain("wardline_upstream_retries_total{");
  });

  it("a passthrough body streams through and cannot be replayed: not retried", async () => {
    up = await flakyUpstream([{ status: 503 }], { json: { ok: true } });
    await start(up.url);
    const res = await fetch(`${proxy!.url}/v1/embeddings`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-test" }, body: JSON.stringify({ input: "x" }) });
    expect(res.status).toBe(503);
    expect(up.attempts).toBe(1);
  });

  it("connection refused: retried, then 502 in the provider's shape; retries: 0 turns it off", async () => {
    const dead = await flakyUpstream([], { json: {} });
    const url = dead.url;
    await new Promise<void>((r) => dead.server.close(() => r()));
    await start(url);
    const err = await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(await metrics()).toContain('wardline_upstream_retries_total{route="/v1/chat/completions",reason="ECONNREFUSED"} 2');
    await proxy!.close();
    await start(url, (c) => { c.retries.attempts = 0; });
    expect((await openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e)).status).toBe(502);
    expect(await metrics()).not.toContain("wardline_upstream_retries_total{");
  });
});
