// Non-streamed answers: scanned whole (Guard.inspectResponse) before a byte is sent. Until
// that scanner exists, fail_mode decides: open passes the body through, closed refuses (500).
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { Guard } from "../bindings/index.ts";
import { startPair, openaiChatBody, anthropicBody, type Pair } from "./helpers/fake-upstream.ts";

let pair: Pair | undefined;
afterEach(async () => { await pair?.close(); pair = undefined; });
const hasResponseScanner = typeof (Guard.prototype as unknown as { inspectResponse?: unknown }).inspectResponse === "function";
const chat = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hello" }] };
const msg = { model: "claude-opus-4-1", max_tokens: 64, messages: [{ role: "user" as const, content: "hello" }] };

describe("proxy: non-streamed answers", () => {
  it("a clean answer reaches both SDKs exactly as the upstream sent it (fail_mode open)", async () => {
    pair = await startPair((c) => { c.fail_mode = "open"; });
    const text = "Paris is the capital of France.";
    pair.upstream.reply = (r) => ({ kind: "json", body: r.path === "/v1/messages" ? anthropicBody(text) : openaiChatBody(text) });
    const a = await new OpenAI({ apiKey: "sk-test", baseURL: `${pair.proxy.url}/v1`, maxRetries: 0 }).chat.completions.create(chat);
    expect(a).toEqual(openaiChatBody(text));
    const b = await new Anthropic({ apiKey: "sk-ant-test", baseURL: pair.proxy.url, maxRetries: 0 }).messages.create(msg);
    expect(b).toEqual(anthropicBody(text));
  });

  it(hasResponseScanner ? "PII in a whole answer is redacted (fail_mode closed)" : "without a response scanner, fail_mode closed refuses with 500 in the provider's shape", async () => {
    pair = await startPair((c) => { c.fail_mode = "closed"; });
    pair.upstream.reply = () => ({ kind: "json", body: openaiChatBody("Write to ann.lee@example.org.") });
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${pair.proxy.url}/v1`, maxRetries: 0 });
    if (hasResponseScanner) {
      const a = await client.chat.completions.create(chat);
      expect(a.choices[0].message.content).toBe("Write to [EMAIL].");
    } else {
      const err = await client.chat.completions.create(chat).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.InternalServerError);
      expect(err.status).toBe(500);
      expect(err.error).toEqual({ message: "Wardline: response scanning unavailable", type: "server_error", param: null, code: null });
    }
  });
});
