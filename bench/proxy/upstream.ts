// A fake OpenAI Chat Completions upstream: every POST streams 200 SSE events of tiny deltas
// (then the finish chunk and [DONE]) like the real API. A request whose model is "slow"
// paces its events UPSTREAM_PACE_MS apart, to hold streams open for the RSS measurement.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serveChild } from "./child.ts";
import { FRAMES } from "./stream-body.ts";

const PACE = Number(process.env.UPSTREAM_PACE_MS ?? 30);

const server = createServer((req, res) => {
  const body: Buffer[] = [];
  req.on("data", (c: Buffer) => body.push(c));
  req.on("end", () => {
    const slow = Buffer.concat(body).includes('"model":"slow"');
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-request-id": "req_bench" });
    if (!slow) {
      // one write per event, as a server flushing each token does
      for (const f of FRAMES) res.write(f);
      res.end();
      return;
    }
    let i = 0;
    const tick = setInterval(() => {
      if (res.destroyed) { clearInterval(tick); return; }
      res.write(FRAMES[i++]);
      if (i === FRAMES.length) { clearInterval(tick); res.end(); }
    }, PACE);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => serveChild((server.address() as AddressInfo).port));
