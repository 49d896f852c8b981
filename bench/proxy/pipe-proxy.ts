// The floor for a proxy: node:http in, node:http out, bytes forwarded untouched (keep-alive
// to the upstream, as the Wardline proxy's fetch does). Upstream from PIPE_UPSTREAM.
import { createServer, request, Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { serveChild } from "./child.ts";

const upstream = new URL(process.env.PIPE_UPSTREAM!);
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

const server = createServer((req, res) => {
  const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent }, (ur) => {
    res.writeHead(ur.statusCode ?? 502, ur.headers);
    ur.pipe(res);
  });
  up.on("error", () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  res.on("close", () => { if (!res.writableFinished) up.destroy(); });
  req.pipe(up);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => serveChild((server.address() as AddressInfo).port));
