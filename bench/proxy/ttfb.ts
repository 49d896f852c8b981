// Time to first byte at one connection: from the request's last byte written to the first
// response body byte, alternating between the targets sample by sample (so drift hits all alike).
import { request, Agent } from "node:http";
import { HEADERS, PATH, requestBody } from "./stream-body.ts";
import { checkBody } from "./check-body.ts";

function once(url: string, agent: Agent): Promise<{ ttfbUs: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url + PATH);
    const payload = requestBody();
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { ...HEADERS, "content-length": Buffer.byteLength(payload) } }, (res) => {
      let first = 0;
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => { if (!first) first = performance.now(); parts.push(c); });
      res.on("end", () => resolve({ ttfbUs: (first - sent) * 1000, body: Buffer.concat(parts).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    let sent = 0;
    req.end(payload, () => { sent = performance.now(); });
  });
}

export async function ttfb(targets: Record<string, string>, samples: number): Promise<{ results: Record<string, number[]>; error?: string }> {
  const agents = Object.fromEntries(Object.keys(targets).map((k) => [k, new Agent({ keepAlive: true, maxSockets: 1 })]));
  const results: Record<string, number[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  let error: string | undefined;
  for (let i = 0; i < samples + 20; i++) {
    for (const [name, url] of Object.entries(targets)) {
      const r = await once(url, agents[name]);
      const bad = checkBody(r.body, name !== "wardline");
      if (bad) error ??= `${name}: ${bad}`;
      if (i >= 20) results[name].push(r.ttfbUs); // the first 20 warm up connections and JIT
    }
  }
  for (const a of Object.values(agents)) a.destroy();
  return { results, error };
}
