// Guards for tests, cached per (policy, build): compiling a policy takes milliseconds,
// and every test file runs against both engine builds.
import { createGuard, type Guard } from "../../bindings/index.ts";

export const BUILDS = ["release", "debug"] as const;
const cache = new Map<string, Promise<Guard>>();

export function guardFor(policy: string, build: (typeof BUILDS)[number] = "release"): Promise<Guard> {
  const key = `${build}\u0000${policy}`;
  let g = cache.get(key);
  if (!g) { g = createGuard({ policy, build }); cache.set(key, g); }
  return g;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
export const utf8 = (s: string) => enc.encode(s);
export const str = (b: Uint8Array) => dec.decode(b);

/** Streams bytes through a guard in the given chunk sizes; returns released bytes and the held maximum. */
export function streamChunks(guard: Guard, bytes: Uint8Array, cuts: number[], phase: "ingress" | "midstream" | "egress" = "midstream") {
  const s = guard.stream({ phase });
  const parts: Uint8Array[] = [];
  let maxHeld = 0;
  let stopped = false;
  let prev = 0;
  const findings = [];
  for (const cut of [...cuts, bytes.length]) {
    if (cut < prev) continue;
    const r = s.pushBytes(bytes.subarray(prev, cut));
    parts.push(r.bytes);
    findings.push(...r.findings);
    maxHeld = Math.max(maxHeld, r.held);
    prev = cut;
    if (r.stopped) { stopped = true; break; }
  }
  if (!stopped) {
    const r = s.finishBytes();
    parts.push(r.bytes);
    findings.push(...r.findings);
    stopped = r.stopped;
  } else s.close();
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return { out, maxHeld, stopped, findings };
}
