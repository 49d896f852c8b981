// An upstream on 127.0.0.1 port 0 whose every answer the test writes itself, byte for byte
// (malformed SSE, gzip, dropped sockets), with the proxy under test in front of it. The
// well-behaved provider fakes are in fake-upstream.ts; this one exists to misbehave.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import type { Guard } from "../../bindings/index.ts";
import { defaultConfig, type ProxyConfig } from "../../host-proxy/config.ts";
import { startProxy, type RunningProxy } from "../../host-proxy/server.ts";
import { guardForTests } from "./fake-upstream.ts";

export interface RawSeen { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer; closedAt?: number; closed: Promise<number> }
export type RawHandler = (seen: RawSeen, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface RawUpstream { url: string; server: Server; requests: RawSeen[]; handler: RawHandler; close(): Promise<void> }

export async function startRawUpstream(handler: RawHandler = (_s, res) => { res.end(); }): Promise<RawUpstream> {
  const up: RawUpstream = { url: "", server: undefined as unknown as Server, requests: [], handler, close: async () => {} };
  up.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) } as RawSeen;
      // performance.now() when the proxy closed this exchange (the request was cancelled or answered)
      seen.closed = new Promise<number>((resolve) => res.on("close", () => { seen.closedAt = performance.now(); resolve(seen.closedAt); }));
      up.requests.push(seen);
      Promise.resolve(up.handler(seen, res, req)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => up.server.listen(0, "127.0.0.1", () => r()));
  up.url = `http://127.0.0.1:${(up.server.address() as AddressInfo).port}`;
  up.close = () => new Promise<void>((r) => { up.server.close(() => r()); up.server.closeAllConnections(); });
  return up;
}

export interface RawPair { upstream: RawUpstream; proxy: RunningProxy; logs: string[]; close(): Promise<void> }

/** A raw upstream (both providers) and a proxy in front of it; `overrides` patch the config. */
export async function startRawPair(overrides: (c: ProxyConfig) => void = () => {}, options: { guard?: Guard; logLevel?: string } = {}): Promise<RawPair> {
  const upstream = await startRawUpstream();
  const config = defaultConfig();
  config.listen = "127.0.0.1:0";
  config.upstreams = { openai: upstream.url, anthropic: upstream.url };
  overrides(config);
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const proxy = await startProxy({ config, guard: options.guard ?? await guardForTests(), logger: pino({ level: options.logLevel ?? "info" }, sink), defaultMetrics: false });
  return { upstream, proxy, logs, close: async () => { await proxy.close(); await upstream.close(); } };
}

/** Writes an SSE answer's head; the caller writes the frames. */
export function sseHead(res: ServerResponse, extra: Record<string, string> = {}): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...extra });
  res.flushHeaders();
}
