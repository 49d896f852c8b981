// Flag decisions as response headers: x-wardline-flags / -policy / -request-id when a flag is
// known before the headers leave (ingress, a whole answer's scan), read through the SDKs' raw
// responses. A flag that fires mid-stream cannot be a header; it is in the log line and metrics.
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import pino from "pino";
import { Writable } from "node:stream";
import { createGuard, type Guard } from "../bindings/index.ts";
import { defaultConfig } from "../host-proxy/config.ts";
import { startProxy, type RunningProxy } from "../host-proxy/server.ts";
import { startFakeUpstream, openaiChatFrames, openaiChatBody, anthropicBody, type FakeUpstream } from "./helpers/fake-upstream.ts";

const POLICY = `version: 1
name: flags-test
detectors:
  pii: { min_score: 0.4 }
  custom:
    - id: codeword
      type: CODEWORD
      keywords: [bluebird]
rules:
  - id: watch-email
    phases: [ingress, egress]
    when: { detector: pii, types: [EMAIL] }
    action: redact
    mode: flag
  - id: note-codeword
    phases: [midstream]
    when: { detector: custom, types: [CODEWORD] }
    action: flag
`;

let guard: Guard;
let upstream: FakeUpstream | undefined;
let proxy: RunningProxy | undefined;
let logs: string[] = [];
afterEach(async () => { await proxy?.close(); await upstream?.close(); proxy = undefined; upstream = undefined; });

async function start() {
  guard ??= await createGuard({ policy: POLICY });
  upstream = await startFakeUpstream();
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.upstreams = { openai: upstream.url, anthropic: upstream.url };
  logs = [];
  const sink = new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } });
  proxy = await startProxy({ config, guard, logger: pino({ level: "info" }, sink), defaultMetrics: false });
  return { openai: new OpenAI({ apiKey: "sk-test", baseURL: `${proxy.url}/v1`, maxRetries: 0 }), anthropic: new Anthropic({ apiKey: "sk-ant-test", baseURL: proxy.url, maxRetries: 0 }) };
}

describe("flag decisions in response headers", () => {
  it("an ingress flag: headers on the streamed answer, the request itself unchanged (flag does not act)", async () => {
    const { openai } = await start();
    upstream!.reply = () => ({ kind: "sse", frames: openaiChatFrames("noted") });
    const { data: stream, response } = await openai.chat.completions.create(
      { model: "m", stream: true, messages: [{ role: "user", content: "my mail is ann.lee@example.org" }] },
      { headers: { "x-request-id": "req-flag-1" } }).withResponse();
    let text = "";
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? "";
    expect(text).toBe("noted");
    expect(response.headers.get("x-wardline-flags")).toBe("watch-email");
    expect(response.headers.get("x-wardline-policy")).toBe(guard.policyHash);
    expect(response.headers.get("x-wardline-request-id")).toBe("req-flag-1");
    expect(JSON.parse(upstream!.requests[0].body).messages[0].content).toBe("my mail is ann.lee@example.org");
  });

  it("an egress flag on a whole answer (Anthropic): headers, the answer unchanged", async () => {
    const { anthropic } = await start();
    upstream!.reply = () => ({ kind: "json", body: anthropicBody("write to ann.lee@example.org") });
    const { data: msg, response } = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "who?" }] }).withResponse();
    expect(msg.content).toEqual([{ type: "text", text: "write to ann.lee@example.org" }]);
    expect(response.headers.get("x-wardline-flags")).toBe("watch-email");
    expect(response.headers.get("x-wardline-policy")).toBe(guard.policyHash);
    expect(response.headers.get("x-wardline-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("no flag, no headers", async () => {
    const { openai } = await start();
    upstream!.reply = () => ({ kind: "json", body: openaiChatBody("plain") });
    const response = await openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hello" }] }).asResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-wardline-flags")).toBeNull();
    expect(response.headers.get("x-wardline-policy")).toBeNull();
  });

  it("a mid-stream flag is not a header (it came after them): it is in the log line and the metrics", async () => {
    const { openai } = await start();
    upstream!.reply = () => ({ kind: "sse", frames: openaiChatFrames("the word is bluebird, fine") });
    const { data: stream, response } = await openai.chat.completions.create({ model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }).withResponse();
    let text = "";
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? "";
    expect(text).toBe("the word is bluebird, fine");
    expect(response.headers.get("x-wardline-flags")).toBeNull();
    const m = await (await fetch(`${proxy!.url}/metrics`)).text();
    expect(m).toContain('wardline_decisions_total{phase="midstream",action="flag",rule="note-codeword"} 1');
    await expect.poll(() => logs.join("")).toContain('"flags":["note-codeword"]');
  });
});
