// What a client can do to the proxy: go away mid-stream (the upstream request is cancelled at
// once), send a 100 MB body (413 without reading it whole), or try to point the proxy at
// another host (the upstream is chosen by configuration only).
import { describe, it, expect, afterEach } from "vitest";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { startRawPair, startRawUpstream, sseHead, type RawPair, type RawUpstream } from "./helpers/raw-upstream.ts";
import { anthropicFrames } from "./helpers/fake-upstream.ts";
import { defaultConfig } from "../host-proxy/config.ts";

let pair: RawPair | undefined;
let evil: RawUpstream | undefined;
afterEach(async () => { await pair?.close(); pair = undefined; await evil?.close(); evil = undefined; });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** An upstream that streams keep-alives (OpenAI) or pings (Anthropic) until the proxy hangs up. */
const endless = (pair: RawPair) => {
  pair.upstream.handler = async (s, res) => {
    sseHead(res);
    let closed = false;
    res.on("close", () => { closed = true; });
    if (s.url.startsWith("/v1/messages")) res.write(anthropicFrames("")[0]);
    while (!closed) { res.write(s.url.startsWith("/v1/messages") ? "event: ping\ndata: {\"type\":\"ping\"}\n\n" : ": keep-alive\n\n"); await new Promise((r) => setTimeout(r, 5)); }
  };
};

describe("client disconnects", () => {
  for (const [route, headers] of [["/v1/chat/completions", { authorization: "Bearer sk-test" }], ["/v1/messages", { "x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01" }]] as const) {
    it(`mid-stream on ${route}: the upstream request is cancelled well within a second (median printed)`, async () => {
      pair = await startRawPair();
      endless(pair);
      const delays: number[] = [];
      for (let i = 0; i < 7; i++) {
        const ac = new AbortController();
        const res = await fetch(`${pair.proxy.url}${route}`, {
          method: "POST", signal: ac.signal, headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ model: "m", max_tokens: 8, stream: true, messages: [{ role: "user", content: "go on forever" }] }),
        });
        const reader = res.body!.getReader();
        await reader.read(); // streaming has begun
        const seen = pair.upstream.requests[i];
        const t0 = performance.now();
        ac.abort();
        const closedAt = await seen.closed;
        delays.push(closedAt - t0);
      }
      console.log(`client abort → upstream closed on ${route}: median ${median(delays).toFixed(2)} ms, max ${Math.max(...delays).toFixed(2)} ms (7 runs)`);
      expect(Math.max(...delays)).toBeLessThan(1000);
    });
  }

  it("before the upstream answered: the pending upstream request is cancelled too", async () => {
    pair = await startRawPair();
    pair.upstream.handler = () => {}; // never answers
    const ac = new AbortController();
    const pending = fetch(`${pair.proxy.url}/v1/chat/completions`, { method: "POST", signal: ac.signal, headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }) }).catch((e) => e);
    while (pair.upstream.requests.length === 0) await new Promise((r) => setTimeout(r, 2));
    const t0 = performance.now();
    ac.abort();
    await pending;
    const closedAt = await pair.upstream.requests[0].closed;
    console.log(`client abort before the first upstream byte → upstream closed: ${(closedAt - t0).toFixed(2)} ms`);
    expect(closedAt - t0).toBeLessThan(1000);
  });
});

/** Sends up to `total` bytes of body as fast as the proxy reads them; stops when it answers or hangs up. */
function hugeUpload(url: string, path: string, total: number, declareLength: boolean): Promise<{ status: number; body: string; written: number }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    let written = 0;
    let answered = false;
    const headers: Record<string, string | number> = { "content-type": "application/json", "anthropic-version": "2023-06-01" };
    if (declareLength) headers["content-length"] = total;
    const req = httpRequest({ host: u.hostname, port: u.port, path, method: "POST", headers }, (res) => {
      answered = true;
      let body = "";
      res.on("data", (c) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode!, body, written }));
    });
    req.on("error", (e) => { if (!answered) reject(e); });
    const piece = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!answered && !req.destroyed && written < total) {
        const n = Math.min(piece.length, total - written);
        written += n;
        if (!req.write(n === piece.length ? piece : piece.subarray(0, n))) { req.once("drain", pump); return; }
      }
      if (written >= total) req.end();
    };
    pump();
  });
}

describe("a 100 MB request body", () => {
  const HUNDRED_MB = 100 * 1024 * 1024;
  for (const [declared, path] of [[true, "/v1/messages"], [false, "/v1/messages"], [false, "/v1/files"]] as const) {
    it(`${declared ? "with Content-Length" : "chunked, no length"}${path === "/v1/files" ? ", passthrough route" : ""}: 413 in the provider's shape, the body not read whole, RSS far below 100 MB`, async () => {
      pair = await startRawPair(); // the default limit (10 MiB)
      const limit = defaultConfig().limits.max_body_bytes;
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
      const r = await hugeUpload(pair.proxy.url, path, HUNDRED_MB, declared);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      console.log(`100 MB body (${declared ? "declared" : "chunked"}, ${path}): ${r.status}, client wrote ${(r.written / 1048576).toFixed(1)} MB before the answer, RSS +${((peak - rss0) / 1048576).toFixed(1)} MB`);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toEqual({ type: "error", error: { type: "request_too_large", message: `Wardline: the request body is larger than ${limit} bytes` } });
      expect(r.written).toBeLessThan(HUNDRED_MB / 4);
      expect(peak - rss0).toBeLessThan(40 * 1024 * 1024);
      expect(pair.upstream.requests.length).toBe(0);
    });
  }
});

/** One raw HTTP/1.1 request (request target, Host header and all, as given); resolves the status line. */
function rawRequest(port: number, head: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => s.write(`${head}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`));
    let data = "";
    s.on("data", (c) => { data += c; });
    s.on("end", () => resolve(data.split("\r\n")[0]));
    s.on("error", reject);
  });
}

describe("the upstream is chosen by configuration only", () => {
  it("Host, X-Forwarded-Host, absolute-form targets, '..' and '//host' paths never reach another host", async () => {
    pair = await startRawPair();
    evil = await startRawUpstream((_s, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end("{}"); });
    pair.upstream.handler = (_s, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify({ id: "x", object: "chat.completion", choices: [] })); };
    const evilHost = new URL(evil.url).host;
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] });
    const port = pair.proxy.port;
    const attempts = [
      `POST /v1/chat/completions HTTP/1.1\r\nhost: ${evilHost}`,
      `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-forwarded-host: ${evilHost}\r\nx-forwarded-proto: http\r\nforwarded: host=${evilHost}`,
      `POST http://${evilHost}/v1/chat/completions HTTP/1.1\r\nhost: ${evilHost}`,
      `POST http://${evilHost}/v1/models HTTP/1.1\r\nhost: ${evilHost}`,
      `POST //${evilHost}/v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}`,
      `POST /v1/../../${evilHost}/v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}`,
      `POST /..//${evilHost}/v1/models HTTP/1.1\r\nhost: 127.0.0.1:${port}`,
      `POST /v1/%2e%2e/%2f%2f${evilHost}/x HTTP/1.1\r\nhost: 127.0.0.1:${port}`,
      `GET /\\\\${evilHost}/v1/models HTTP/1.1\r\nhost: 127.0.0.1:${port}`,
      `POST @${evilHost}/v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}`,
    ];
    const statuses: string[] = [];
    for (const head of attempts) statuses.push(await rawRequest(port, head, body));
    expect(evil.requests.length).toBe(0);
    // every request that went anywhere went to the configured upstream, with its own Host
    for (const seen of pair.upstream.requests) expect(seen.headers.host).toBe(new URL(pair.upstream.url).host);
    expect(pair.upstream.requests.length).toBeGreaterThanOrEqual(3);
    expect(statuses.every((s) => /^HTTP\/1\.1 \d{3}/.test(s))).toBe(true);
  });
});
