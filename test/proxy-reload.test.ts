// Hot reload of the proxy's policy file: a change is compiled and swapped in for the next
// request; a broken file is rejected (file:line:col logged) and the old policy stays; a stream
// that started before the swap finishes under the policy it started with.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import OpenAI from "openai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { defaultConfig } from "../host-proxy/config.ts";
import { startProxy, type RunningProxy } from "../host-proxy/server.ts";
import { openaiChatFrames } from "./helpers/fake-upstream.ts";

const policy = (word: string) => `version: 1
name: reload-${word}
detectors:
  custom:
    - id: codeword
      type: CODEWORD
      keywords: [${word}]
rules:
  - id: block-codeword
    phases: [ingress]
    when: { detector: custom, types: [CODEWORD] }
    action: block
    message: "blocked: codeword"
  - id: redact-codeword
    phases: [midstream]
    when: { detector: custom, types: [CODEWORD] }
    action: redact
    replacement: type
`;

// an upstream whose answer pauses after `head` frames until the test opens the gate
let gate: { wait: Promise<void>; open: () => void } | undefined;
let answer = "";
let upstream: Server;
let upstreamUrl = "";
let dir: string;
let file: string;
let proxy: RunningProxy;
const logs: string[] = [];
const reloads: { ok: boolean; policy: string; error?: string }[] = [];
let client: OpenAI;

/** Resolves when the reload count passes n (bounded by the test timeout). */
async function reloadsPast(n: number) {
  while (reloads.length <= n) await new Promise((r) => setTimeout(r, 10));
  return reloads[reloads.length - 1];
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on("end", async () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const frames = openaiChatFrames(answer);
      const g = gate;
      for (let i = 0; i < frames.length; i++) {
        if (g && i === 4) { res.flushHeaders(); await g.wait; }
        res.write(frames[i]);
      }
      res.end();
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "wardline-reload-"));
  file = join(dir, "policy.yaml");
  writeFileSync(file, policy("bluebird"));
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.upstreams = { openai: upstreamUrl, anthropic: upstreamUrl };
  config.policy = file;
  const sink = new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } });
  proxy = await startProxy({ config, logger: pino({ level: "info" }, sink), defaultMetrics: false, onReload: (r) => reloads.push(r) });
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${proxy.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  gate?.open();
  await proxy?.close();
  await new Promise<void>((r) => { upstream.close(() => r()); upstream.closeAllConnections(); });
  rmSync(dir, { recursive: true, force: true });
});

const ask = (content: string) => ({ model: "gpt-4o-mini", messages: [{ role: "user" as const, content }], stream: true as const });
async function text(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let t = "";
  for await (const c of stream) for (const ch of c.choices) t += ch.delta.content ?? "";
  return t;
}
const readyPolicy = async () => (await (await fetch(`${proxy.url}/readyz`)).json()) as { status: string; policy: string };

describe("proxy hot reload", () => {
  it("a changed policy file gives the next request the new verdict", async () => {
    answer = "the bird is a bluebird, not a redwing.";
    expect(await text(await client.chat.completions.create(ask("tell me about redwing")))).toBe("the bird is a [CODEWORD], not a redwing.");
    const before = (await readyPolicy()).policy;
    const n = reloads.length;
    writeFileSync(file, policy("redwing"));
    const r = await reloadsPast(n);
    expect(r.ok).toBe(true);
    expect(r.policy).not.toBe(before);
    expect((await readyPolicy()).policy).toBe(r.policy);
    const err = await client.chat.completions.create(ask("tell me about redwing")).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain("blocked: codeword");
    expect(await text(await client.chat.completions.create(ask("and bluebird?")))).toBe("the bird is a bluebird, not a [CODEWORD].");
  });

  it("a broken policy file is rejected with file:line:col logged; the old verdict stays and /readyz is OK", async () => {
    const good = await readyPolicy();
    const n = reloads.length;
    writeFileSync(file, policy("redwing").replace("action: block", "action: explode"));
    const r = await reloadsPast(n);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+`));
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === "policy reload rejected; the old policy stays");
    expect(line.err.message).toContain(`${file}:`);
    const ready = await fetch(`${proxy.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual(good);
    const err = await client.chat.completions.create(ask("redwing again")).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("a stream started before the swap finishes under the policy it started with", async () => {
    writeFileSync(file, policy("redwing"));
    await reloadsPast(reloads.length);
    answer = "first part, then redwing and bluebird at the end.";
    let open!: () => void;
    gate = { wait: new Promise<void>((r) => { open = r; }), open: () => open() };
    const reading = text(await client.chat.completions.create(ask("go")));
    // the stream is open under the redwing policy; now swap to bluebird
    const n = reloads.length;
    writeFileSync(file, policy("bluebird"));
    expect((await reloadsPast(n)).ok).toBe(true);
    gate.open();
    expect(await reading).toBe("first part, then [CODEWORD] and bluebird at the end.");
    gate = undefined;
    // a new stream gets the new policy
    expect(await text(await client.chat.completions.create(ask("go")))).toBe("first part, then redwing and [CODEWORD] at the end.");
  });
});
