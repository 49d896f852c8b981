// node --import tsx bench/redos.ts [-- --quick]: patterns famous for catastrophic backtracking
// (bench/redos-cases.ts) as Wardline custom rules. For each: the engine's scan time on 1 KB and
// 1 MB of adversarial text (ratio ≈ 1000 means linear), next to V8's RegExp on one almost-matching
// unit of growing size (stopped once a single run passes the cap: the blow-up, at tiny sizes).
// Every engine run checks its result (exactly the witness found), so a broken engine cannot
// look fast. Prints one JSON document.
import { performance } from "node:perf_hooks";
import { createGuard, type Guard } from "../bindings/index.ts";
import { REDOS_CASES, adversarial, redosPolicy, typeOf, type RedosCase } from "./redos-cases.ts";

const quick = process.argv.includes("--quick");
const V8_CAP_MS = quick ? 200 : 1000;
const REPS = quick ? 3 : 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function engineMs(guard: Guard, c: RedosCase, text: string): number {
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    const r = guard.scan(text, { phase: "midstream" });
    times.push(performance.now() - t0);
    const mine = r.findings.filter((f) => f.type === typeOf(c));
    const want = text.length - c.witness.length;
    if (mine.length !== 1 || mine[0].start !== want || mine[0].end !== text.length) {
      throw new Error(`${c.id}: expected the witness at ${want}..${text.length}, got ${JSON.stringify(mine.slice(0, 3))}`);
    }
  }
  return median(times);
}

/** V8 on one unit of n = 8, 10, 12… (or 8, 16, 32… for polynomial blow-ups): time per run until a run passes the cap. */
function v8Curve(c: RedosCase): { n: number; ms: number }[] {
  const re = new RegExp(c.source, c.flags);
  const out: { n: number; ms: number }[] = [];
  for (let n = 8; n <= (c.growth === "exponential" ? 64 : 2 ** 20); n = c.growth === "exponential" ? n + 2 : n * 2) {
    const s = c.unit(n);
    const t0 = performance.now();
    re.test(s);
    const ms = performance.now() - t0;
    out.push({ n, ms: +ms.toFixed(2) });
    if (ms > V8_CAP_MS) break;
  }
  return out;
}

const rows = [];
for (const c of REDOS_CASES) {
  const guard = await createGuard({ policy: redosPolicy(c) });
  const small = adversarial(c, 1024), mid = adversarial(c, 64 * 1024), large = adversarial(c, 1024 * 1024);
  engineMs(guard, c, small); // warm-up
  engineMs(guard, c, large);
  const a = engineMs(guard, c, small), m = engineMs(guard, c, mid), b = engineMs(guard, c, large);
  const curve = v8Curve(c);
  const last = curve[curve.length - 1];
  rows.push({
    id: c.id, pattern: c.source, flags: c.flags,
    engine_1kb_ms: +a.toFixed(3), engine_64kb_ms: +m.toFixed(2), engine_1mb_ms: +b.toFixed(1), ratio_1mb_1kb: +(b / a).toFixed(0), ratio_1mb_64kb: +(b / m).toFixed(1),
    engine_mb_per_s: +(large.length / 1e6 / (b / 1e3)).toFixed(1),
    v8_unit_ms: curve.filter((p, i) => i % 2 === 0 || p === last).map((p) => `${p.n}:${p.ms}`).join(" "),
    v8_blew_up_at_n: last.ms > V8_CAP_MS ? last.n : null,
  });
}
console.log(JSON.stringify({
  v8_cap_ms: V8_CAP_MS,
  note: "engine: median ms to scan the text. The work is linear (test/redos.test.ts counts VM steps); the time per byte is 2-3x higher past ~64 KB than at 1 KB, the same with the default policy and no custom rule (memory, not backtracking), so 1MB/1KB lands at 1,700-2,800 rather than 1,024. v8: ms for ONE unit of n characters",
  rows,
}, null, 2));
