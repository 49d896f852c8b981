// Tenants: identified by the SHA-256 of their API key or by a configured header; each may
// name its own policy (compiled once), and every decision, log line and metric carries the
// tenant id and the hash of the policy applied.
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPair, openaiChatBody, anthropicBody, guardForTests, type Pair } from "./helpers/fake-upstream.ts";
import { loadConfig, ConfigError, type ProxyConfig } from "../host-proxy/config.ts";
import { createGuard } from "../bindings/index.ts";

const dir = mkdtempSync(join(tmpdir(), "wl-tenants-"));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** A policy that blocks requests mentioning "pineapple" (what tenant A must not send). */
const STRICT = `version: 1
name: tenant-a
detectors:
  custom:
    - id: fruit
      type: FRUIT
      keywords: [pineapple]
rules:
  - id: block-fruit
    phases: [ingress]
    when: { detector: custom, types: [FRUIT] }
    action: block
    message: "Tenant A may not talk about pineapples."
`;
const strictFile = file("tenant-a.yaml", STRICT);

let pair: Pair | undefined;
afterEach(async () => { if (pair) { await pair.proxy.handler.close(); await pair.close(); } pair = undefined; });

const start = (overrides: (c: ProxyConfig) => void) => startPair((c) => { c.watch = false; overrides(c); });
const lines = (p: Pair) => p.logs.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.msg === "request");
const fruit = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "tell me about pineapple pizza" }] };

describe("tenant policy overlays", () => {
  it("tenant A's policy blocks what tenant B (the proxy's policy) allows; logs and metrics carry tenant and policy hash", async () => {
    pair = await start((c) => {
      c.tenants = [
        { id: "tenant-a", api_key_sha256: [sha("sk-a-secret")], policy: strictFile },
        { id: "tenant-b", api_key_sha256: [sha("sk-b-secret")] },
      ];
    });
    pair.upstream.reply = () => ({ kind: "json", body: openaiChatBody("Pineapple pizza is divisive.") });
    const a = new OpenAI({ apiKey: "sk-a-secret", baseURL: `${pair.proxy.url}/v1`, maxRetries: 0 });
    const b = new OpenAI({ apiKey: "sk-b-secret", baseURL: `${pair.proxy.url}/v1`, maxRetries: 0 });
    const err = await a.chat.completions.create(fruit).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toMatchObject({ type: "invalid_request_error", code: "content_policy_violation", message: "Tenant A may not talk about pineapples." });
    expect(pair.upstream.requests.length).toBe(0);
    const ok = await b.chat.completions.create(fruit);
    expect(ok.choices[0].message.content).toBe("Pineapple pizza is divisive.");
    expect(pair.upstream.requests.length).toBe(1);
    // the upstream still gets tenant B's own key (pass-through), never tenant A's
    expect(pair.upstream.requests[0].headers.authorization).toBe("Bearer sk-b-secret");

    const strictHash = (await createGuard({ policy: strictFile })).policyHash;
    const mainHash = (await guardForTests()).policyHash;
    expect(strictHash).not.toBe(mainHash);
    const [la, lb] = lines(pair);
    expect(la).toMatchObject({ tenant: "tenant-a", policy: strictHash, status: 400, action: "block", rules: ["block-fruit"] });
    expect(lb).toMatchObject({ tenant: "tenant-b", policy: mainHash, status: 200 });
    const logs = pair.logs.join("");
    expect(logs).not.toContain("sk-a-secret");
    expect(logs).not.toContain("sk-b-secret");
    const metrics = await (await fetch(`${pair.proxy.url}/metrics`)).text();
    expect(metrics).toContain(`wardline_tenant_decisions_total{tenant="tenant-a",policy="${strictHash}",phase="ingress",action="block",rule="block-fruit"} 1`);
    expect(metrics).toContain(`wardline_tenant_requests_total{tenant="tenant-a",policy="${strictHash}",route="/v1/chat/completions",status="400"} 1`);
    expect(metrics).toContain(`wardline_tenant_requests_total{tenant="tenant-b",policy="${mainHash}",route="/v1/chat/completions",status="200"} 1`);
  });

  it("a configured header selects the tenant (Anthropic SDK); unknown header values fall back to the key", async () => {
    pair = await start((c) => {
      c.tenant_header = "x-wardline-tenant";
      c.tenants = [{ id: "acme", header_value: "acme", policy: strictFile }];
    });
    pair.upstream.reply = () => ({ kind: "json", body: anthropicBody("sure") });
    const req = { model: "claude-opus-4-1", max_tokens: 64, messages: [{ role: "user" as const, content: "pineapple?" }] };
    const acme = new Anthropic({ apiKey: "sk-ant-x", baseURL: pair.proxy.url, maxRetries: 0, defaultHeaders: { "x-wardline-tenant": "acme" } });
    const err = await acme.messages.create(req).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err.error).toEqual({ type: "error", error: { type: "invalid_request_error", message: "Tenant A may not talk about pineapples." } });
    const other = new Anthropic({ apiKey: "sk-ant-x", baseURL: pair.proxy.url, maxRetries: 0, defaultHeaders: { "x-wardline-tenant": "someone-else" } });
    const r = await other.messages.create(req);
    expect(r.content[0]).toMatchObject({ type: "text", text: "sure" });
    const [l1, l2] = lines(pair);
    expect(l1.tenant).toBe("acme");
    expect(l2.tenant).toBe(`key-${sha("sk-ant-x").slice(0, 12)}`);
  });

  it("a request without any key is tenant `anonymous`", async () => {
    pair = await start(() => {});
    pair.upstream.reply = () => ({ kind: "json", body: openaiChatBody("hi") });
    const res = await fetch(`${pair.proxy.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...fruit, messages: [{ role: "user", content: "hi" }] }) });
    expect(res.status).toBe(200);
    expect(lines(pair)[0].tenant).toBe("anonymous");
  });

  it("a tenant policy that cannot be loaded refuses that proxy's requests with 500 and logs why", async () => {
    pair = await start((c) => { c.tenants = [{ id: "broken", api_key_sha256: [sha("k")], policy: join(dir, "missing.yaml") }]; });
    const err = await new OpenAI({ apiKey: "k", baseURL: `${pair.proxy.url}/v1`, maxRetries: 0 }).chat.completions.create(fruit).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.error.message).toBe("Wardline: a tenant policy failed to load");
    expect(pair.logs.join("")).toMatch(/tenant \\"broken\\": policy .*missing\.yaml/);
  });
});

describe("tenant configuration", () => {
  it("reads tenants, tenant_header, rate_limits and redis.url from YAML; policy files relative to the config file", () => {
    const key = sha("sk-live-1");
    const f = file("tenants.yaml", `tenant_header: X-Tenant
tenants:
  - id: acme
    api_key_sha256: [${key.toUpperCase()}]
    policy: tenant-a.yaml
    rate_limits: { requests_per_minute: 100, tokens_per_day: 50000 }
  - id: beta
    header_value: beta
    policy: strict
rate_limits:
  requests_per_second: 2.5
  burst: 5
redis:
  url: redis://127.0.0.1:6399/0
`);
    const c = loadConfig({ file: f });
    expect(c.tenant_header).toBe("x-tenant");
    expect(c.tenants).toEqual([
      { id: "acme", api_key_sha256: [key], policy: strictFile, rate_limits: { requests_per_minute: 100, tokens_per_day: 50000 } },
      { id: "beta", header_value: "beta", policy: "strict" },
    ]);
    expect(c.rate_limits).toEqual({ requests_per_second: 2.5, burst: 5, requests_per_minute: 0, requests_per_day: 0, tokens_per_minute: 0, tokens_per_day: 0 });
    expect(c.redis.url).toBe("redis://127.0.0.1:6399/0");
  });

  it("environment and flags: WARDLINE_TENANTS (inline JSON or a file), --redis-url, --quota-requests-per-minute", () => {
    const c = loadConfig({
      env: { WARDLINE_TENANTS: JSON.stringify([{ id: "x", header_value: "x" }]), WARDLINE_REDIS_URL: "redis://127.0.0.1:1" },
      flags: { "redis-url": "redis://127.0.0.1:2", "quota-requests-per-minute": "7" },
    });
    expect(c.tenants).toEqual([{ id: "x", header_value: "x" }]);
    expect(c.redis.url).toBe("redis://127.0.0.1:2");
    expect(c.rate_limits.requests_per_minute).toBe(7);
    const tf = file("tenants-only.yaml", `- id: y\n  header_value: y\n  policy: tenant-a.yaml\n`);
    expect(loadConfig({ flags: { tenants: tf } }).tenants).toEqual([{ id: "y", header_value: "y", policy: strictFile }]);
  });

  it.each([
    ["t-key.yaml", "tenants:\n  - id: a\n    api_key_sha256: sk-plain-key\n", /t-key\.yaml:3:21: tenants\[0\]\.api_key_sha256: expected the SHA-256 of a key in hex/],
    ["t-unknown.yaml", "tenants:\n  - id: a\n    header_value: a\n    limits: {}\n", /t-unknown\.yaml:4:5: tenants\[0\]: unknown setting "limits" \(known: id, api_key_sha256, header_value, policy, rate_limits\)/],
    ["t-dup.yaml", "tenants:\n  - { id: a, header_value: a }\n  - { id: a, header_value: b }\n", /t-dup\.yaml:3:11: tenants\[1\]\.id: "a" is used twice/],
    ["t-nomatch.yaml", "tenants:\n  - id: a\n", /t-nomatch\.yaml:2:5: tenants\[0\]: give api_key_sha256 or header_value/],
    ["t-limit.yaml", "tenants:\n  - id: a\n    header_value: a\n    rate_limits: { requests_per_minute: -1 }\n", /t-limit\.yaml:4:41: tenants\[0\]\.rate_limits\.requests_per_minute: expected a whole number ≥ 0/],
    ["t-redis.yaml", "redis:\n  url: http://127.0.0.1:6379\n", /t-redis\.yaml:2:8: redis\.url: expected a redis:\/\/ or rediss:\/\/ URL/],
  ])("a broken tenants/limits setting names file:line:col (%s)", (name, text, re) => {
    let e: unknown;
    try { loadConfig({ file: file(name, text) }); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message.slice(join(dir, "").length)).toMatch(re);
  });

  it("a bad WARDLINE_RATE_LIMIT_RPS names the variable", () => {
    let e: unknown;
    try { loadConfig({ env: { WARDLINE_RATE_LIMIT_RPS: "fast" } }); } catch (x) { e = x; }
    expect((e as Error).message).toBe('WARDLINE_RATE_LIMIT_RPS: expected a number ≥ 0 (0: off), got "fast"');
  });
});
