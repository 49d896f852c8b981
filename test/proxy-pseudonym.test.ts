// The pseudonym round trip through the proxy: ingress replaces the user's e-mail with a
// placeholder before the model sees it; the model answers with the placeholder, split
// across tiny deltas; the client reads its own address again, while a new address the
// model invents is still redacted.
import { describe, it, expect, afterAll } from "vitest";
import OpenAI from "openai";
import pino from "pino";
import { Writable } from "node:stream";
import { createGuard } from "../bindings/index.ts";
import { startProxy } from "../host-proxy/server.ts";
import { defaultConfig } from "../host-proxy/config.ts";
import { startFakeUpstream, openaiChatFrames } from "./helpers/fake-upstream.ts";

const POLICY = `version: 1
name: pseudo
detectors:
  pii: { entities: [EMAIL] }
rules:
  - { id: pseudonymize-in, phases: [ingress], when: { detector: pii }, action: pseudonymize }
  - { id: redact-out, phases: [midstream, egress], when: { detector: pii }, action: redact }
`;

describe("pseudonym round trip through the proxy", async () => {
  const upstream = await startFakeUpstream();
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.upstreams = { openai: upstream.url, anthropic: upstream.url };
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  const proxy = await startProxy({ config, guard: await createGuard({ policy: POLICY }), logger: pino({ level: "info" }, sink), defaultMetrics: false });
  afterAll(async () => { await proxy.close(); await upstream.close(); });

  it("the model sees <EMAIL_1>, the user reads the address again", async () => {
    upstream.reply = () => ({ kind: "sse", frames: openaiChatFrames("I will write to <EMAIL_1> today, and cc <EMAIL_2>; not eve@example.com.") });
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${proxy.url}/v1` });
    const stream = await client.chat.completions.create({
      model: "gpt-4.1-mini", stream: true,
      messages: [{ role: "user", content: "Mail ann@example.org and bob@example.net about the invoice." }],
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    const sent = JSON.parse(upstream.requests.at(-1)!.body);
    expect(sent.messages[0].content).toBe("Mail <EMAIL_1> and <EMAIL_2> about the invoice.");
    expect(text).toBe("I will write to ann@example.org today, and cc bob@example.net; not [EMAIL].");
  });
});
