// The engine instance traps (here: runs out of memory for real, on a 32 MiB-capped build of
// the engine) while the proxy is serving: the Guard swaps in a fresh instance, the phase's
// fail mode is applied to the request that hit the trap and to streams that were using the
// dead instance, and both are counted in /metrics.
import { describe, it, expect, afterEach } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startRawPair, sseHead, type RawPair } from "./helpers/raw-upstream.ts";
import { openaiChatFrames, openaiChatBody, anthropicBody } from "./helpers/fake-upstream.ts";
import { cappedGuard, OOM_BYTES } from "./helpers/capped-engine.ts";

let pair: RawPair | undefined;
afterEach(async () => { await pair?.close(); pair = undefined; });

const openai = (p: RawPair) => new OpenAI({ apiKey: "sk-test", baseURL: `${p.proxy.url}/v1`, maxRetries: 0 });
const anthropic = (p: RawPair) => new Anthropic({ apiKey: "sk-ant-test", baseURL: p.proxy.url, maxRetries: 0 });
const huge = "a ".repeat(OOM_BYTES / 2);
const metric = async (p: RawPair, line: string) => {
  const text = await (await fetch(`${p.proxy.url}/metrics`)).text();
  const m = text.split("\n").find((l) => l.startsWith(line + " "));
  return m ? Number(m.slice(line.length + 1)) : 0;
};

async function start(mode: "open" | "closed") {
  pair = await startRawPair((c) => { c.fail_mode = mode; c.limits.max_body_bytes = 32_000_000; c.limits.max_response_bytes = 32_000_000; }, { guard: await cappedGuard() });
  pair.upstream.handler = (s, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(s.url.startsWith("/v1/messages") ? anthropicBody("fine") : openaiChatBody("fine")));
  };
  return pair;
}

describe("engine trap while proxying", () => {
  it("ingress, fail_mode closed: 500 in the provider's shape, a restart counted, the next request scanned by the fresh instance", async () => {
    const p = await start("closed");
    const err = await openai(p).chat.completions.create({ model: "m", messages: [{ role: "user", content: huge }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.error).toMatchObject({ type: "server_error", message: "Wardline: request scanning failed" });
    expect(p.upstream.requests.length).toBe(0);
    const e2 = await anthropic(p).messages.create({ model: "m", max_tokens: 8, messages: [{ role: "user", content: huge }] }).catch((e) => e);
    expect(e2.error).toEqual({ type: "error", error: { type: "api_error", message: "Wardline: request scanning failed" } });
    expect(await metric(p, "wardline_engine_restarts_total")).toBe(2);
    expect(await metric(p, 'wardline_fail_mode_total{phase="ingress",mode="closed"}')).toBe(2);
    await openai(p).chat.completions.create({ model: "m", messages: [{ role: "user", content: "mail ann.lee@example.org" }] });
    expect(JSON.parse(p.upstream.requests[0].body.toString()).messages[0].content).toBe("mail [EMAIL]");
  });

  it("ingress, fail_mode open: forwarded unscanned, counted as failed open", async () => {
    const p = await start("open");
    const r = await openai(p).chat.completions.create({ model: "m", messages: [{ role: "user", content: huge }] });
    expect(r.choices[0].message.content).toBe("fine");
    expect(JSON.parse(p.upstream.requests[0].body.toString()).messages[0].content.length).toBe(huge.length);
    expect(await metric(p, "wardline_engine_restarts_total")).toBe(1);
    expect(await metric(p, 'wardline_fail_mode_total{phase="ingress",mode="open"}')).toBe(1);
  });

  it("egress (whole answer), closed: 500; open: the answer as the upstream sent it; both counted", async () => {
    for (const mode of ["closed", "open"] as const) {
      const p = await start(mode);
      p.upstream.handler = (_s, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(openaiChatBody(huge))); };
      const r = await openai(p).chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
      if (mode === "closed") {
        expect(r).toBeInstanceOf(OpenAI.InternalServerError);
        expect(r.error).toMatchObject({ message: "Wardline: response scanning failed" });
      } else {
        expect(r.choices[0].message.content.length).toBe(huge.length);
      }
      expect(await metric(p, "wardline_engine_restarts_total")).toBe(1);
      expect(await metric(p, `wardline_fail_mode_total{phase="egress",mode="${mode}"}`)).toBe(1);
      await p.close();
      pair = undefined;
    }
  });

  for (const mode of ["closed", "open"] as const) {
    it(`a stream in flight on the instance that trapped, fail_mode ${mode}: ${mode === "closed" ? "cut with an error the SDK raises" : "the rest arrives unscanned"}`, async () => {
      const p = await start(mode);
      const answer = "The first part arrives. Then the instance dies and the rest follows later.";
      const frames = openaiChatFrames(answer);
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      p.upstream.handler = async (s, res) => {
        if (!s.url.startsWith("/v1/chat/completions") || !JSON.parse(s.body.toString()).stream) { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(openaiChatBody("fine"))); return; }
        sseHead(res);
        const half = 10;
        for (const f of frames.slice(0, half)) res.write(f);
        await gate;
        for (const f of frames.slice(half)) { res.write(f); await new Promise((r) => setImmediate(r)); }
        res.end();
      };
      const stream = await openai(p).chat.completions.create({ model: "m", stream: true, messages: [{ role: "user", content: "go" }] });
      const it = stream[Symbol.asyncIterator]();
      let text = "";
      const first = await it.next();
      text += first.value?.choices[0]?.delta.content ?? "";
      // another request traps the shared instance while the stream waits
      await openai(p).chat.completions.create({ model: "m", messages: [{ role: "user", content: huge }] }).catch(() => undefined);
      release();
      const err = await (async () => { for (let n = await it.next(); !n.done; n = await it.next()) text += n.value.choices[0]?.delta.content ?? ""; })().catch((e) => e);
      if (mode === "closed") {
        expect(err).toBeInstanceOf(OpenAI.APIError);
        expect(err.message).toContain("Wardline: response scanning failed; the answer was cut there");
        expect(answer.startsWith(text)).toBe(true);
        expect(text.length).toBeLessThan(answer.length);
        expect(await metric(p, 'wardline_fail_mode_total{phase="midstream",mode="closed"}')).toBe(1);
      } else {
        expect(err).toBeUndefined();
        // what the dead instance held back (at most a partial word or event) is lost; the rest came through
        expect(text.endsWith("the rest follows later.")).toBe(true);
        expect(await metric(p, 'wardline_fail_mode_total{phase="midstream",mode="open"}')).toBe(1);
      }
      expect(await metric(p, "wardline_engine_restarts_total")).toBe(1);
    });
  }
});
