// Where the time goes: a V8 CPU profile (node:inspector, the same data as `node --cpu-prof`)
// reduced to the functions with the most self time. Wasm functions show their names when the
// engine was built with `npm run build:profile` (a release build that keeps the name section);
// otherwise they appear as wasm-function[N].
import { Session } from "node:inspector/promises";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
export interface Profile { nodes: Node[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number }
export interface Hot { fn: string; where: string; self_pct: number }

export async function profileInProcess(work: () => Promise<unknown> | unknown, ms: number): Promise<Profile> {
  const s = new Session();
  s.connect();
  await s.post("Profiler.enable");
  await s.post("Profiler.setSamplingInterval", { interval: 100 });
  await s.post("Profiler.start");
  const t0 = performance.now();
  while (performance.now() - t0 < ms) await work();
  const { profile } = await s.post("Profiler.stop");
  s.disconnect();
  return profile as unknown as Profile;
}

/** The `top` functions by self time, as a percentage of all samples. */
export function hottest(p: Profile, top = 12): Hot[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    total += hits;
    const f = n.callFrame;
    const wasm = f.url.startsWith("wasm://");
    const file = wasm ? "wasm" : f.url ? f.url.replace(/^.*\/(node_modules\/)?/, "") + `:${f.lineNumber + 1}` : "";
    const key = `${f.functionName || "(anonymous)"}\u0000${file}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => {
    const [fn, where] = k.split("\u0000");
    return { fn, where, self_pct: Math.round((v / Math.max(1, total)) * 1000) / 10 };
  });
}

/** build/bench-profile.wasm: the release engine with its name section (like `npm run build:profile`,
 *  but beside build/wardline.wasm rather than over it), rebuilt when older than assembly/. */
export const NAMED_ENGINE = "build/bench-profile.wasm";

export async function namedEngine(root: string, newestSource: number, mayBuild: boolean): Promise<string | undefined> {
  const { existsSync, statSync } = await import("node:fs");
  const { spawnSync } = await import("node:child_process");
  const path = `${root}${NAMED_ENGINE}`;
  if (existsSync(path) && statSync(path).mtimeMs >= newestSource) return path;
  if (!mayBuild) return undefined;
  const r = spawnSync(`${root}node_modules/.bin/asc`, ["assembly/entry/js.ts", "--target", "release", "--debug", "-o", NAMED_ENGINE, "-t", "build/bench-profile.wat"], { cwd: root, encoding: "utf8" });
  return r.status === 0 ? path : undefined;
}
