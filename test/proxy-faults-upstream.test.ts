// Upstream faults: dropped connections, malformed SSE and JSON, compressed answers. Each is
// answered in the provider's own shape, as the official SDKs surface it; nothing the guard
// could not check reaches the client.
import { describe, it, expect, afterEach } from "vitest";
import { gzipSync, brotliCompressSync, deflateSync, createGzip, constants as zc } from "node:zlib";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startRawPair, sseHead, type RawPair } from "./helpers/raw-upstream.ts";
import { openaiChatFrames, anthropicFrames, openaiChatBody, anthropicBody } from "./helpers/fake-upstream.ts";

let pair: RawPair | undefined;
afterEach(async () => { await pair?.close(); pair = undefined; });

const chat = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hello" }] };
const msg = { model: "claude-opus-4-1", max_tokens: 64, messages: [{ role: "user" as const, content: "hello" }] };
const openai = (p: RawPair) => new OpenAI({ apiKey: "sk-test", baseURL: `${p.proxy.url}/v1`, maxRetries: 0 });
const anthropic = (p: RawPair) => new Anthropic({ apiKey: "sk-ant-test", baseURL: p.proxy.url, maxRetries: 0 });

async function openaiText(p: RawPair) {
  let text = "";
  const finish: string[] = [];
  for await (const c of await openai(p).chat.completions.create({ ...chat, stream: true })) {
    for (const ch of c.choices) { text += ch.delta.content ?? ""; if (ch.finish_reason) finish.push(ch.finish_reason); }
  }
  return { text, finish };
}

async function anthropicText(p: RawPair) {
  let text = "";
  for await (const e of await anthropic(p).messages.create({ ...msg, stream: true })) {
    if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
  }
  return text;
}

/** Writes frames then destroys the socket without a proper end. */
const dropAfter = (frames: string[]) => async (_s: unknown, res: import("node:http").ServerResponse) => {
  sseHead(res);
  for (const f of frames) { res.write(f); await new Promise((r) => setImmediate(r)); }
  res.socket?.destroy();
};

describe("upstream drops the connection mid-stream", () => {
  it("OpenAI: the SDK iterator raises APIError with our message after the text that did arrive", async () => {
    pair = await startRawPair();
    pair.upstream.handler = dropAfter(openaiChatFrames("Hello there, this is the start").slice(0, 6));
    let text = "";
    const err = await (async () => {
      for await (const c of await openai(pair!).chat.completions.create({ ...chat, stream: true })) text += c.choices[0]?.delta.content ?? "";
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain("Wardline: the upstream connection ended before the answer was complete");
    expect("Hello there, this is the start".startsWith(text)).toBe(true);
  });

  it("Anthropic: the SDK iterator raises APIError (event: error, api_error) rather than ending short", async () => {
    pair = await startRawPair();
    pair.upstream.handler = dropAfter(anthropicFrames("Hello there, this is the start").slice(0, 7));
    const err = await anthropicText(pair).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.error).toEqual({ type: "error", error: { type: "api_error", message: "Wardline: the upstream connection ended before the answer was complete" } });
  });
});

describe("upstream sends malformed SSE or JSON", () => {
  it("OpenAI stream: a data frame that is not JSON ends the stream with an error; its text is not released", async () => {
    pair = await startRawPair();
    const frames = openaiChatFrames("Hi there.");
    pair.upstream.handler = async (_s, res) => {
      sseHead(res);
      res.write(frames.slice(0, 3).join(""));
      res.write('data: {"choices":[{"index":0,"delta":{"content":"mail ann.lee@example.org"\n\n');
      res.end(frames.slice(3).join(""));
    };
    let text = "";
    const err = await (async () => {
      for await (const c of await openai(pair!).chat.completions.create({ ...chat, stream: true })) text += c.choices[0]?.delta.content ?? "";
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain("Wardline: the upstream sent a malformed event");
    expect(text).not.toContain("ann.lee");
  });

  it("Anthropic stream: a malformed event ends the stream with event: error the SDK raises", async () => {
    pair = await startRawPair();
    const frames = anthropicFrames("Hi there.");
    pair.upstream.handler = async (_s, res) => {
      sseHead(res);
      res.write(frames.slice(0, 4).join(""));
      res.write('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ann.lee@example.org\n\n');
      res.end(frames.slice(4).join(""));
    };
    const err = await anthropicText(pair).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.error).toEqual({ type: "error", error: { type: "api_error", message: expect.stringContaining("Wardline: the upstream sent a malformed event") } });
  });

  it("non-streamed: a body that is not JSON is refused with 502 in the provider's shape, its bytes not forwarded", async () => {
    pair = await startRawPair();
    const broken = '{"id":"chatcmpl-x","choices":[{"message":{"role":"assistant","content":"mail ann.lee@example.org';
    pair.upstream.handler = (_s, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end(broken); };
    const e1 = await openai(pair).chat.completions.create(chat).catch((e) => e);
    expect(e1).toBeInstanceOf(OpenAI.APIError);
    expect(e1.status).toBe(502);
    expect(e1.error).toMatchObject({ type: "server_error", code: "upstream_invalid_response" });
    expect(JSON.stringify(e1.error)).not.toContain("ann.lee");
    const e2 = await anthropic(pair).messages.create(msg).catch((e) => e);
    expect(e2.status).toBe(502);
    expect(e2.error).toEqual({ type: "error", error: { type: "api_error", message: expect.stringContaining("not valid JSON") } });
  });
});

describe("upstream answers compressed although we asked for identity", () => {
  it("asks the upstream for accept-encoding: identity", async () => {
    pair = await startRawPair();
    pair.upstream.handler = (_s, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(openaiChatBody("ok"))); };
    await openai(pair).chat.completions.create(chat);
    expect(pair.upstream.requests[0].headers["accept-encoding"]).toBe("identity");
  });

  for (const [coding, compress] of [["gzip", gzipSync], ["br", brotliCompressSync], ["deflate", deflateSync]] as const) {
    it(`non-streamed, content-encoding ${coding}: decoded before the guard, PII redacted (both SDKs)`, async () => {
      pair = await startRawPair();
      pair.upstream.handler = (s, res) => {
        const body = s.url.startsWith("/v1/messages") ? anthropicBody("Write to ann.lee@example.org today.") : openaiChatBody("Write to ann.lee@example.org today.");
        res.writeHead(200, { "content-type": "application/json", "content-encoding": coding });
        res.end(compress(Buffer.from(JSON.stringify(body))));
      };
      const r1 = await openai(pair).chat.completions.create(chat);
      expect(r1.choices[0].message.content).toBe("Write to [EMAIL] today.");
      const r2 = await anthropic(pair).messages.create(msg);
      expect(r2.content[0]).toMatchObject({ type: "text", text: "Write to [EMAIL] today." });
    });
  }

  it("streamed gzip (flushed per frame): decoded as it streams, PII redacted as the SDK iterator sees it", async () => {
    pair = await startRawPair();
    pair.upstream.handler = async (_s, res) => {
      sseHead(res, { "content-encoding": "gzip" });
      const gz = createGzip();
      gz.pipe(res);
      for (const f of openaiChatFrames("Sure: write to ann.lee@example.org and say hi.")) {
        gz.write(f);
        await new Promise<void>((r) => gz.flush(zc.Z_SYNC_FLUSH, () => r()));
      }
      gz.end();
    };
    const r = await openaiText(pair);
    expect(r.text).toBe("Sure: write to [EMAIL] and say hi.");
    expect(r.finish).toEqual(["stop"]);
  });

  it("a coding we cannot decode (zstd, compress, gzip stacked on one) is refused with 502, never scanned as text", async () => {
    pair = await startRawPair();
    for (const coding of ["zstd", "compress", "gzip, zstd"]) {
      pair.upstream.handler = (_s, res) => { res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": coding }); res.end(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x61, 0x6e, 0x6e])); };
      const e1 = await openai(pair).chat.completions.create({ ...chat, stream: true }).catch((e) => e);
      expect(e1.status).toBe(502);
      expect(e1.error).toMatchObject({ type: "server_error", code: "upstream_invalid_response", message: `Wardline: the upstream answered with content-encoding ${coding.replace("gzip, ", "")}, which Wardline cannot decode` });
      const e2 = await anthropic(pair).messages.create(msg).catch((e) => e);
      expect(e2.status).toBe(502);
      expect(e2.error).toMatchObject({ type: "error", error: { type: "api_error" } });
    }
  });
});

describe("a stream that ends inside an event (no closing blank line)", () => {
  it("ends as it would against the API: the SDK discards the unfinished event and raises nothing", async () => {
    pair = await startRawPair();
    const frames = openaiChatFrames("Hi there.");
    pair.upstream.handler = (_s, res) => { sseHead(res); res.end(frames.join("").slice(0, -1)); }; // "data: [DONE]\n"
    const r = await openaiText(pair);
    expect(r.text).toBe("Hi there.");
    expect(r.finish).toEqual(["stop"]);
  });
});
