// Memory with many open streams: N requests held open at once (the upstream paces its events),
// the proxy's RSS sampled while they stream; every response is then checked in full.
import { request, Agent } from "node:http";
import { HEADERS, PATH, requestBody } from "./stream-body.ts";
import { checkBody } from "./check-body.ts";
import type { Child } from "./child.ts";

export interface StreamsResult { streams: number; rss_idle_mb: number; rss_peak_mb: number; all_open_ms: number; completed: number; error?: string }

export async function openStreams(url: string, proxy: Child, n: number, exact: boolean): Promise<StreamsResult> {
  const idle = (await proxy.stats()).rss;
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const u = new URL(url + PATH);
  const payload = requestBody("slow");
  let started = 0;
  const t0 = performance.now();
  let allOpen = 0;
  const done = Array.from({ length: n }, () => new Promise<string>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { ...HEADERS, "content-length": Buffer.byteLength(payload) } }, (res) => {
      const parts: Buffer[] = [];
      let first = true;
      res.on("data", (c: Buffer) => { if (first) { first = false; if (++started === n) allOpen = performance.now() - t0; } parts.push(c); });
      res.on("end", () => resolve(Buffer.concat(parts).toString()));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  }));
  let peak = idle;
  let finished = false;
  const all = Promise.allSettled(done).finally(() => { finished = true; });
  while (!finished) {
    peak = Math.max(peak, (await proxy.stats()).rss);
    await new Promise((r) => setTimeout(r, 100));
  }
  const settled = await all;
  agent.destroy();
  let completed = 0;
  let error: string | undefined;
  for (const s of settled) {
    if (s.status === "rejected") { error ??= String(s.reason); continue; }
    const bad = checkBody(s.value, exact);
    if (bad) error ??= bad; else completed++;
  }
  if (!error && started < n) error = `only ${started} of ${n} streams started`;
  const mb = (b: number) => Math.round(b / 1e5) / 10;
  return { streams: n, rss_idle_mb: mb(idle), rss_peak_mb: mb(peak), all_open_ms: Math.round(allOpen), completed, error };
}
