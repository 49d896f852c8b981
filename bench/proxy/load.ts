// Throughput and latency under load: autocannon (programmatic API) on loopback. Every
// response body must equal the first one, which checkBody verified (autocannon counts
// mismatches), so a proxy that drops or mangles events cannot look fast.
import autocannon from "autocannon";
import { checkBody } from "./check-body.ts";
import { HEADERS, PATH, requestBody } from "./stream-body.ts";
import type { Child } from "./child.ts";

export interface LoadResult {
  req_per_s: number; latency_p50_ms: number; latency_p99_ms: number; requests: number;
  errors: number; non2xx: number; mismatches: number;
  /** proxy CPU (user + system) per request, µs; undefined for the direct case */
  cpu_us_per_req?: number;
}

export async function fetchOnce(url: string): Promise<string> {
  const r = await fetch(url + PATH, { method: "POST", headers: HEADERS, body: requestBody() });
  if (r.status !== 200) throw new Error(`${url}: status ${r.status}: ${(await r.text()).slice(0, 200)}`);
  return r.text();
}

export async function load(url: string, proxy: Child | undefined, connections: number, seconds: number, exact = true): Promise<LoadResult & { error?: string }> {
  const body = await fetchOnce(url);
  const bad = checkBody(body, exact);
  const before = proxy ? await proxy.stats() : undefined;
  const r = await autocannon({ url: url + PATH, method: "POST", headers: HEADERS, body: requestBody(), connections, duration: seconds, expectBody: body });
  const after = proxy ? await proxy.stats() : undefined;
  const ok = r["2xx"];
  const out: LoadResult & { error?: string } = {
    req_per_s: Math.round((ok / r.duration) * 10) / 10,
    latency_p50_ms: r.latency.p50, latency_p99_ms: r.latency.p99, requests: ok,
    errors: r.errors + r.timeouts, non2xx: r.non2xx, mismatches: r.mismatches ?? 0,
    cpu_us_per_req: before && after ? Math.round((after.cpuUs - before.cpuUs) / Math.max(1, ok)) : undefined,
  };
  const wrong = bad ?? (out.errors || out.non2xx || out.mismatches ? `${out.errors} errors, ${out.non2xx} non-2xx, ${out.mismatches} body mismatches` : ok === 0 ? "no responses" : undefined);
  return wrong ? { ...out, error: `${url}: ${wrong}` } : out;
}
