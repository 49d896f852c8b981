// fail_mode per phase, with the engine failing for real (bindings/test-faults.ts makes the next
// engine call of a kind throw, through the same path as an engine error): closed refuses in
// the provider's shape, open forwards unscanned — and each application is counted.
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startPair, openaiChatFrames, openaiChatBody, anthropicBody, type Pair } from "./helpers/fake-upstream.ts";
import { injectEngineFaults, clearEngineFaults } from "../bindings/test-faults.ts";

let pair: Pair | undefined;
afterEach(async () => { clearEngineFaults(); await pair?.close(); pair = undefined; });

const openai = (p: Pair) => new OpenAI({ apiKey: "sk-test", baseURL: `${p.proxy.url}/v1`, maxRetries: 0 });
const metrics = async (p: Pair) => (await fetch(`${p.proxy.url}/metrics`)).text();
const PROMPT = [{ role: "user" as const, content: "write to ann.lee@example.org" }];

describe("fail_mode per phase (engine failures)", () => {
  it("ingress closed: the SDK gets a 500 in the provider's shape, nothing goes upstream", async () => {
    pair = await startPair((c) => { c.fail_mode = { ingress: "closed", midstream: "open", egress: "open" }; });
    injectEngineFaults("request", 1);
    const err = await openai(pair).chat.completions.create({ model: "m", messages: PROMPT }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(500);
    expect(err.message).toContain("Wardline: request scanning failed");
    expect(pair.upstream.requests.length).toBe(0);
    expect(await metrics(pair)).toContain('wardline_fail_mode_total{phase="ingress",mode="closed"} 1');
  });

  it("ingress open: the request goes upstream unscanned (the email is not redacted) and the SDK gets its answer", async () => {
    pair = await startPair((c) => { c.fail_mode = { ingress: "open", midstream: "closed", egress: "closed" }; });
    pair.upstream.reply = () => ({ kind: "json", body: openaiChatBody("done") });
    injectEngineFaults("request", 1);
    const r = await openai(pair).chat.completions.create({ model: "m", messages: PROMPT });
    expect(r.choices[0].message.content).toBe("done");
    expect(JSON.parse(pair.upstream.requests[0].body).messages[0].content).toBe("write to ann.lee@example.org");
    const m = await metrics(pair);
    expect(m).toContain('wardline_fail_mode_total{phase="ingress",mode="open"} 1');
    expect(pair.logs.join("")).toContain('"error":"ingress_unscanned"');
  });

  it("midstream closed: the stream ends with an error frame the SDK raises; nothing unscanned is released", async () => {
    pair = await startPair((c) => { c.fail_mode = { ingress: "open", midstream: "closed", egress: "open" }; });
    pair.upstream.reply = () => ({ kind: "sse", frames: openaiChatFrames("the mail is ann.lee@example.org") });
    injectEngineFaults("stream", 1); // the first push of the answer (ingress is another kind of call)
    const stream = await openai(pair).chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
    let text = "";
    const err = await (async () => { for await (const c of stream) text += c.choices[0]?.delta?.content ?? ""; })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String(err.message)).toContain("Wardline: response scanning failed");
    expect(text).not.toContain("ann.lee");
    expect(await metrics(pair)).toContain('wardline_fail_mode_total{phase="midstream",mode="closed"} 1');
  });

  it("midstream open: from the next event on the answer passes unscanned, the SDK's stream ends cleanly", async () => {
    pair = await startPair((c) => { c.fail_mode = { ingress: "closed", midstream: "open", egress: "closed" }; });
    pair.upstream.reply = () => ({ kind: "sse", frames: openaiChatFrames("the mail is ann.lee@example.org") });
    injectEngineFaults("stream", 1); // the first push of the answer (ingress is another kind of call)
    const stream = await openai(pair).chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
    let text = "";
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? "";
    // the failing push's event may be lost; the rest is as the upstream sent it (not redacted)
    expect(text).toContain("ann.lee@example.org");
    expect("the mail is ann.lee@example.org".endsWith(text)).toBe(true);
    expect(await metrics(pair)).toContain('wardline_fail_mode_total{phase="midstream",mode="open"} 1');
  });

  it("egress closed: a whole answer that cannot be scanned is refused with 500 (Anthropic shape)", async () => {
    pair = await startPair((c) => { c.fail_mode = { ingress: "open", midstream: "open", egress: "closed" }; });
    pair.upstream.reply = () => ({ kind: "json", body: anthropicBody("call ann.lee@example.org") });
    const client = new Anthropic({ apiKey: "sk-ant-test", baseURL: pair.proxy.url, maxRetries: 0 });
    injectEngineFaults("response", 1);
    const err = await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect(err.error).toEqual({ type: "error", error: { type: "api_error", message: "Wardline: response scanning failed" } });
    expect(await metrics(pair)).toContain('wardline_fail_mode_total{phase="egress",mode="closed"} 1');
  });

  it("egress open: the whole answer goes to the SDK unscanned", async () => {
    pair = await startPair((c) => { c.fail_mode = { ingress: "closed", midstream: "closed", egress: "open" }; });
    pair.upstream.reply = () => ({ kind: "json", body: anthropicBody("call ann.lee@example.org") });
    const client = new Anthropic({ apiKey: "sk-ant-test", baseURL: pair.proxy.url, maxRetries: 0 });
    injectEngineFaults("response", 1);
    const msg = await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    expect(msg.content).toEqual([{ type: "text", text: "call ann.lee@example.org" }]);
    const m = await metrics(pair);
    expect(m).toContain('wardline_fail_mode_total{phase="egress",mode="open"} 1');
    expect(m).not.toContain('mode="closed"} 1');
  });
});
