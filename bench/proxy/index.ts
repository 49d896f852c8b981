// bench/proxy: the fake upstream, the bare node:http pipe and the Wardline proxy, each in its
// own process; autocannon, TTFB and the 1,000-stream RSS run from this one. One run, so the
// ratios (Wardline ÷ pipe) compare the same machine state.
import { startChild, type Child } from "./child.ts";
import { load, type LoadResult } from "./load.ts";
import { ttfb } from "./ttfb.ts";
import { openStreams, type StreamsResult } from "./streams.ts";
import { median, quantile, round } from "../measure.ts";

export interface ProxySettings { seconds: number; rounds: number; connections: number; ttfbSamples: number; streams: number; profile: boolean; namedEngine?: string }

export interface ProxyResults {
  load: Record<"direct" | "pipe" | "wardline", LoadResult & { rounds_req_per_s: number[] }>;
  ratio_wardline_vs_pipe: number;
  ttfb_us: Record<string, { p50: number; p99: number }>;
  ttfb_added_over_pipe_us: number;
  streams: { wardline: StreamsResult; pipe: StreamsResult };
  profile?: unknown;
  errors: string[];
}

export async function runProxyBench(s: ProxySettings, log: (m: string) => void): Promise<ProxyResults> {
  const children: Child[] = [];
  try {
    const upstream = await startChild("./upstream.ts");
    children.push(upstream);
    const pipe = await startChild("./pipe-proxy.ts", { PIPE_UPSTREAM: upstream.url });
    const wardline = await startChild("./wardline-proxy.ts", { WARDLINE_UPSTREAM_OPENAI: upstream.url, WARDLINE_LOG_LEVEL: process.env.WARDLINE_LOG_LEVEL ?? "info" });
    children.push(pipe, wardline);
    const targets = { direct: { url: upstream.url, proc: undefined }, pipe: { url: pipe.url, proc: pipe }, wardline: { url: wardline.url, proc: wardline } } as const;
    const errors: string[] = [];
    const rounds: Record<string, (LoadResult & { error?: string })[]> = { direct: [], pipe: [], wardline: [] };
    for (let r = 0; r < s.rounds; r++) {
      for (const [name, t] of Object.entries(targets)) {
        const res = await load(t.url, t.proc, s.connections, s.seconds, name !== "wardline");
        if (res.error) errors.push(res.error);
        rounds[name].push(res);
      }
      log(`proxy load round ${r + 1}/${s.rounds}`);
    }
    const summary = (name: string) => {
      const xs = rounds[name];
      const med = (f: (x: LoadResult) => number | undefined) => round(median(xs.map((x) => f(x) ?? NaN)), 1);
      return {
        req_per_s: med((x) => x.req_per_s), latency_p50_ms: med((x) => x.latency_p50_ms), latency_p99_ms: med((x) => x.latency_p99_ms),
        requests: xs.reduce((n, x) => n + x.requests, 0), errors: xs.reduce((n, x) => n + x.errors, 0),
        non2xx: xs.reduce((n, x) => n + x.non2xx, 0), mismatches: xs.reduce((n, x) => n + x.mismatches, 0),
        cpu_us_per_req: targets[name as keyof typeof targets].proc ? med((x) => x.cpu_us_per_req) : undefined,
        rounds_req_per_s: xs.map((x) => x.req_per_s),
      };
    };
    const loadRes = { direct: summary("direct"), pipe: summary("pipe"), wardline: summary("wardline") };
    const ratio = round(median(rounds.wardline.map((w, i) => w.req_per_s / rounds.pipe[i].req_per_s)), 3);

    log("proxy ttfb");
    const t = await ttfb({ direct: upstream.url, pipe: pipe.url, wardline: wardline.url }, s.ttfbSamples);
    if (t.error) errors.push(`ttfb: ${t.error}`);
    const ttfbUs = Object.fromEntries(Object.entries(t.results).map(([k, v]) => [k, { p50: round(quantile(v, 0.5), 1), p99: round(quantile(v, 0.99), 1) }]));
    // added TTFB: the median of paired differences (sample i of each target ran back to back)
    const added = round(median(t.results.wardline.map((w, i) => w - t.results.pipe[i])), 1);

    log(`proxy ${s.streams} open streams`);
    const sw = await openStreams(wardline.url, wardline, s.streams, false);
    const sp = await openStreams(pipe.url, pipe, s.streams, true);
    for (const x of [sw, sp]) if (x.error) errors.push(`streams: ${x.error}`);

    let profile: unknown;
    if (s.profile) {
      log("proxy profile");
      // a second Wardline proxy over the engine build with function names, when there is one
      const named = s.namedEngine ? await startChild("./wardline-proxy.ts", { WARDLINE_UPSTREAM_OPENAI: upstream.url, BENCH_ENGINE_WASM: s.namedEngine }) : wardline;
      if (named !== wardline) children.push(named);
      await load(named.url, named, s.connections, 1, false); // warm-up
      await named.profileStart();
      await load(named.url, named, s.connections, Math.min(5, s.seconds), false);
      profile = await named.profileStop();
    }
    return { load: loadRes, ratio_wardline_vs_pipe: ratio, ttfb_us: ttfbUs, ttfb_added_over_pipe_us: added, streams: { wardline: sw, pipe: sp }, profile, errors };
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}
