// Per-tenant rate limits and quotas: in memory, and in a real redis-server shared by two proxy
// replicas (with the fallback to local counting while Redis is away). Clients see 429 in the
// provider's own shape with `retry-after`, which the SDKs raise as RateLimitError.
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startPair, startFakeUpstream, openaiChatBody, openaiChatFrames, anthropicFrames, guardForTests, type Pair, type FakeUpstream } from "./helpers/fake-upstream.ts";
import { startRedis, type TestRedis } from "./helpers/redis-server.ts";
import { defaultConfig, type ProxyConfig } from "../host-proxy/config.ts";
import { startProxy, type RunningProxy } from "../host-proxy/server.ts";
import { createClient } from "redis";
import pino from "pino";
import { Writable } from "node:stream";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => {}); });

async function pair(overrides: (c: ProxyConfig) => void): Promise<Pair> {
  const p = await startPair((c) => { c.watch = false; overrides(c); });
  cleanups.push(async () => { await p.proxy.handler.close(); await p.close(); });
  return p;
}

const chat = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hello" }] };
const msg = { model: "claude-opus-4-1", max_tokens: 64, messages: [{ role: "user" as const, content: "hello" }] };
const openai = (url: string, apiKey = "sk-test-alpha") => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });
const anthropic = (url: string, apiKey = "sk-ant-test") => new Anthropic({ apiKey, baseURL: url, maxRetries: 0 });
const lines = (logs: string[]) => logs.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const reqLines = (logs: string[]) => lines(logs).filter((l) => l.msg === "request");

describe("rate limits in memory", () => {
  it("requests_per_minute: the third request of a key gets 429 with retry-after; another key is served (OpenAI SDK)", async () => {
    const p = await pair((c) => { c.rate_limits.requests_per_minute = 2; });
    p.upstream.reply = () => ({ kind: "json", body: openaiChatBody("ok") });
    const a = openai(p.proxy.url, "sk-alpha");
    expect((await a.chat.completions.create(chat)).choices[0].message.content).toBe("ok");
    expect((await a.chat.completions.create(chat)).choices[0].message.content).toBe("ok");
    const err = await a.chat.completions.create(chat).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded", param: null });
    expect(err.error.message).toMatch(/^Wardline: rate limit reached for tenant key-[0-9a-f]{12} on requests_per_minute \(limit 2\); retry after \d+ s$/);
    const retry = Number(err.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(p.upstream.requests.length).toBe(2);
    // another key is another tenant with its own budget
    expect((await openai(p.proxy.url, "sk-beta").chat.completions.create(chat)).choices[0].message.content).toBe("ok");
    const logged = reqLines(p.logs);
    expect(logged.at(-2)).toMatchObject({ status: 429, error: "rate_limited", tenant: err.error.message.match(/key-[0-9a-f]{12}/)[0] });
    expect(logged.at(-1).tenant).not.toBe(logged.at(-2).tenant);
    expect(p.logs.join("")).not.toContain("sk-alpha");
    const metrics = await (await fetch(`${p.proxy.url}/metrics`)).text();
    expect(metrics).toMatch(/wardline_rate_limited_total\{tenant="key-[0-9a-f]{12}",policy="sha256:[0-9a-f]+",limit="requests_per_minute"\} 1/);
  });

  it("token bucket: burst requests pass, the next gets 429 requests_per_second (Anthropic SDK, rate_limit_error)", async () => {
    // refill of one request per 1000 s: nothing refills during the test
    const p = await pair((c) => { c.rate_limits.requests_per_second = 0.001; c.rate_limits.burst = 3; });
    p.upstream.reply = () => ({ kind: "sse", frames: anthropicFrames("fine") });
    const client = anthropic(p.proxy.url);
    for (let i = 0; i < 3; i++) {
      let text = "";
      for await (const ev of await client.messages.create({ ...msg, stream: true })) if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") text += ev.delta.text;
      expect(text).toBe("fine");
    }
    const err = await client.messages.create(msg).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.error).toEqual({ type: "error", error: { type: "rate_limit_error", message: expect.stringMatching(/on requests_per_second \(limit 0\.001\/s, burst 3\); retry after \d+ s$/) } });
    expect(Number(err.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(p.upstream.requests.length).toBe(3);
  });

  it("tokens_per_minute from the provider's usage fields; refused once the window's tokens reach the quota", async () => {
    const p = await pair((c) => { c.rate_limits.tokens_per_minute = 40; });
    p.upstream.reply = () => ({ kind: "json", body: openaiChatBody("ok") }); // usage.total_tokens 21
    const a = openai(p.proxy.url);
    await a.chat.completions.create(chat);          // 21 used
    await a.chat.completions.create(chat);          // 42 used (the request crossing the quota is served)
    const err = await a.chat.completions.create(chat).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.error).toMatchObject({ type: "tokens", code: "rate_limit_exceeded" });
    expect(err.error.message).toContain("on tokens_per_minute (limit 40)");
    const logged = reqLines(p.logs).filter((l) => l.status === 200);
    expect(logged.map((l) => [l.tokens, l.tokensSource])).toEqual([[21, "usage"], [21, "usage"]]);
  });

  it("tokens from streamed usage chunks; estimated as bytes / 4 when the answer has no usage", async () => {
    const p = await pair((c) => { c.rate_limits.tokens_per_day = 1_000_000; });
    p.upstream.reply = () => ({ kind: "sse", frames: openaiChatFrames("streamed answer") }); // ends with a usage chunk (21)
    let text = "";
    for await (const c of await openai(p.proxy.url).chat.completions.create({ ...chat, stream: true })) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe("streamed answer");
    const noUsage = { ...openaiChatBody("no usage here") } as Record<string, unknown>;
    delete noUsage.usage;
    p.upstream.reply = () => ({ kind: "json", body: noUsage });
    await openai(p.proxy.url).chat.completions.create(chat);
    // Anthropic: input_tokens of message_start (25) + the cumulative output_tokens of message_delta (15)
    p.upstream.reply = () => ({ kind: "sse", frames: anthropicFrames("streamed answer") });
    for await (const ev of await anthropic(p.proxy.url).messages.create({ ...msg, stream: true })) void ev;
    const [s, w, an] = reqLines(p.logs);
    expect([s.tokens, s.tokensSource]).toEqual([21, "usage"]);
    expect([an.tokens, an.tokensSource]).toEqual([40, "usage"]);
    expect(w.tokensSource).toBe("estimate");
    const expected = Math.ceil((Buffer.byteLength(JSON.stringify(chat)) + Buffer.byteLength(JSON.stringify(noUsage))) / 4);
    expect(w.tokens).toBe(expected);
    const metrics = await (await fetch(`${p.proxy.url}/metrics`)).text();
    expect(metrics).toMatch(/wardline_tenant_tokens_total\{tenant="key-[0-9a-f]{12}",policy="sha256:[0-9a-f]+",source="estimate"\} \d+/);
  });
});

// ---- Redis shared by two replicas ----

interface Replica { proxy: RunningProxy; logs: string[] }

async function replica(upstream: FakeUpstream, redisUrl: string, overrides: (c: ProxyConfig) => void = () => {}): Promise<Replica> {
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.watch = false;
  config.upstreams = { openai: upstream.url, anthropic: upstream.url };
  config.redis.url = redisUrl;
  config.rate_limits.requests_per_minute = 3;
  overrides(config);
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const proxy = await startProxy({ config, guard: await guardForTests(), logger: pino({ level: "info" }, sink), defaultMetrics: false });
  cleanups.push(async () => { await proxy.handler.close(); await proxy.close(); });
  return { proxy, logs };
}

async function limitsMode(r: Replica): Promise<string> {
  return (await (await fetch(`${r.proxy.url}/readyz`)).json()).limits;
}

/** Polls /readyz (bounded) until the replica reports `mode`. */
async function waitMode(r: Replica, mode: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await limitsMode(r) === mode) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`limits never became ${mode} (now ${await limitsMode(r)})`);
}

async function ok(url: string, key: string): Promise<string> {
  return (await openai(url, key).chat.completions.create(chat)).choices[0].message.content ?? "";
}
async function limited(url: string, key: string): Promise<InstanceType<typeof OpenAI.RateLimitError>> {
  const e = await openai(url, key).chat.completions.create(chat).catch((x) => x);
  expect(e).toBeInstanceOf(OpenAI.RateLimitError);
  return e;
}

describe("rate limits shared in Redis", () => {
  let redis: TestRedis;
  let upstream: FakeUpstream;
  const setup = async () => {
    redis = await startRedis();
    cleanups.push(() => redis.stop());
    upstream = await startFakeUpstream(() => ({ kind: "json", body: openaiChatBody("ok") }));
    cleanups.push(() => upstream.close());
  };

  it("two proxies enforce one quota: the second refuses (RateLimitError) once the first used the budget", async () => {
    await setup();
    const a = await replica(upstream, redis.url);
    const b = await replica(upstream, redis.url);
    await waitMode(a, "redis");
    await waitMode(b, "redis");
    for (let i = 0; i < 3; i++) expect(await ok(a.proxy.url, "sk-shared")).toBe("ok");
    const e = await limited(b.proxy.url, "sk-shared");
    expect(e.status).toBe(429);
    expect(e.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    expect(Number(e.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await ok(b.proxy.url, "sk-other")).toBe("ok");
    expect(upstream.requests.length).toBe(4);
    // the counters are in Redis, under the tenant id (never the key)
    const c = createClient({ url: redis.url });
    await c.connect();
    try {
      const keys = await c.keys("wardline:*");
      expect(keys.some((k) => /^wardline:\{key-[0-9a-f]{12}\}:rm:\d+$/.test(k))).toBe(true);
      expect(keys.join(" ")).not.toContain("sk-shared");
    } finally { await c.close(); }
  });

  it("the token bucket is shared too (one Lua script, Redis's clock)", async () => {
    await setup();
    const cfg = (c: ProxyConfig) => { c.rate_limits.requests_per_minute = 0; c.rate_limits.requests_per_second = 0.001; c.rate_limits.burst = 2; };
    const a = await replica(upstream, redis.url, cfg);
    const b = await replica(upstream, redis.url, cfg);
    await waitMode(a, "redis");
    await waitMode(b, "redis");
    expect(await ok(a.proxy.url, "sk-bucket")).toBe("ok");
    expect(await ok(b.proxy.url, "sk-bucket")).toBe("ok");
    const e = await limited(a.proxy.url, "sk-bucket");
    expect((e.error as { message?: string }).message).toContain("on requests_per_second");
    await limited(b.proxy.url, "sk-bucket");
  });

  it("Redis killed: each replica limits locally (logged once); restarted: shared again", async () => {
    await setup();
    const a = await replica(upstream, redis.url);
    const b = await replica(upstream, redis.url);
    await waitMode(a, "redis");
    await waitMode(b, "redis");
    await redis.stop();
    await waitMode(a, "local-fallback");
    await waitMode(b, "local-fallback");
    // local counting: still limited, but each replica has its own budget of 3
    for (let i = 0; i < 3; i++) expect(await ok(a.proxy.url, "sk-outage")).toBe("ok");
    await limited(a.proxy.url, "sk-outage");
    await limited(a.proxy.url, "sk-outage");
    for (let i = 0; i < 3; i++) expect(await ok(b.proxy.url, "sk-outage")).toBe("ok");
    await limited(b.proxy.url, "sk-outage");
    const warned = lines(a.logs).filter((l) => l.level === 40 && /Redis unavailable/.test(l.msg));
    expect(warned.length).toBe(1);
    // Redis is back (empty, as after a restart without persistence): one shared budget again
    await redis.restart();
    await waitMode(a, "redis");
    await waitMode(b, "redis");
    for (let i = 0; i < 3; i++) expect(await ok(b.proxy.url, "sk-after")).toBe("ok");
    await limited(a.proxy.url, "sk-after");
    expect(lines(a.logs).filter((l) => /Redis is back/.test(l.msg)).length).toBe(1);
  });
});
