// Patterns famous for catastrophic backtracking (bench/redos-cases.ts), compiled as custom
// rules: 1 MB of adversarial text is scanned (and streamed) to exactly the right finding, and the
// regex VM's deterministic step counter grows linearly with the input. Timings, and V8's RegExp
// blowing up on the same shapes, are in `node --import tsx bench/redos.ts`.
import { describe, it, expect } from "vitest";
import { createGuard } from "../bindings/index.ts";
import { encodeRegexSection } from "../bindings/policy/regex/index.ts";
import { REDOS_CASES, adversarial, redosPolicy, typeOf } from "../bench/redos-cases.ts";
import { loadTestWasm } from "./helpers/test-wasm.ts";
import { streamChunks, utf8, str } from "./helpers/guards.ts";

const wasm = loadTestWasm("regex");
const x = wasm.exports;

/** VM steps (thread visits) to feed `text` to this one pattern with the policy's 4096-byte hold. */
function steps(source: string, flags: string, text: string): number {
  const sec = encodeRegexSection([{ source, flags, typeId: 1, score: 1 }]);
  wasm.write(x.buf(sec.length), sec);
  x.setMaxHold(4096);
  expect(x.loadSection(sec.length)).toBe(1);
  const bytes = utf8(text);
  wasm.write(x.buf(bytes.length), bytes);
  x.run(bytes.length);
  return x.steps() >>> 0;
}

describe("ReDoS patterns run in linear time", () => {
  for (const c of REDOS_CASES) {
    it(`${c.source} (${c.origin})`, async () => {
      const guard = await createGuard({ policy: redosPolicy(c) });
      const large = adversarial(c, 1024 * 1024);
      // the right findings: exactly the witness at the end, one-shot and streamed in 64 KiB pieces
      const r = guard.scan(large, { phase: "midstream" });
      expect(r.findings.filter((f) => f.type === typeOf(c)).map((f) => [f.start, f.end])).toEqual([[large.length - c.witness.length, large.length]]);
      const bytes = utf8(large);
      const s = streamChunks(guard, bytes, Array.from({ length: 16 }, (_, i) => (i + 1) * 65536));
      expect(str(s.out)).toBe(large);
      expect(s.findings.filter((f) => f.type === typeOf(c)).length).toBe(1);
      // linear work: 1024× the input costs about 1024× the VM steps (never a power of it)
      const small = steps(c.source, c.flags, adversarial(c, 1024));
      const big = steps(c.source, c.flags, large);
      expect(small).toBeGreaterThan(0);
      expect(big / small).toBeLessThan(1024 * 1.5);
    }, 60_000);
  }

  it("V8's backtracking agrees on a small input (the witness is the only match)", () => {
    for (const c of REDOS_CASES) {
      const text = adversarial(c, 200, 6); // units of 6: small enough for a backtracker
      const re = new RegExp(c.source, c.flags + "g");
      const found = [...text.matchAll(re)].map((m) => [m.index!, m.index! + m[0].length]);
      expect(found, c.id).toEqual([[text.length - c.witness.length, text.length]]);
    }
  });
});
