// The conformance case table (test/cases/*.json) through the binding, against the
// release and the debug engine builds. Every case is also streamed 1 byte at a time
// and must give the same bytes (the chunk-invariance promise, on real entities).
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { guardFor, BUILDS, utf8, str, streamChunks } from "./helpers/guards.ts";

interface Expected { type: string; start?: number; end?: number; text?: string }
interface Case {
  name: string;
  text: string;
  policy?: string;
  phase?: "ingress" | "midstream" | "egress";
  /** entities that must be found (exact byte spans, or the first occurrence of `text`) */
  expect?: Expected[];
  /** true: nothing but `expect` may be found (default for cases with expect: []) */
  exact?: boolean;
  /** types that must not be found */
  absent?: string[];
  action?: string;
  output?: string;
}

const dir = new URL("./cases/", import.meta.url);
// evasion.json is another table (found / known miss per technique): test/evasion.test.ts runs it.
const files = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "evasion.json").sort();

function spanOf(text: string, e: Expected): [number, number] {
  if (e.start !== undefined && e.end !== undefined) return [e.start, e.end];
  const i = text.indexOf(e.text!);
  if (i < 0) throw new Error(`case text does not contain ${JSON.stringify(e.text)}`);
  const start = utf8(text.slice(0, i)).length;
  return [start, start + utf8(e.text!).length];
}

for (const build of BUILDS) {
  describe(`conformance cases (${build} build)`, () => {
    for (const file of files) {
      const cases: Case[] = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
      describe(file, () => {
        for (const c of cases) {
          it(c.name, async () => {
            const guard = await guardFor(c.policy ?? "policies/default.yaml", build);
            const bytes = utf8(c.text);
            const r = guard.scan(bytes, { phase: c.phase ?? "ingress" });
            const found = r.findings.map((f) => ({ type: f.type, start: f.start, end: f.end }));
            for (const e of c.expect ?? []) {
              const [start, end] = spanOf(c.text, e);
              expect(found, `${e.type} at ${start}-${end}`).toContainEqual({ type: e.type, start, end });
            }
            if (c.expect && (c.exact ?? c.expect.length === 0)) {
              const want = c.expect.map((e) => e.type).sort();
              const got = r.findings.filter((f) => f.detector === "pii" || f.detector === "secrets").map((f) => f.type).sort();
              expect(got).toEqual(want);
            }
            for (const t of c.absent ?? []) expect(found.map((f) => f.type)).not.toContain(t);
            if (c.action) expect(r.action).toBe(c.action);
            if (c.output !== undefined) expect(str(r.text)).toBe(c.output);
            // one byte at a time gives the same bytes
            const cuts = Array.from({ length: bytes.length }, (_, i) => i + 1);
            const streamed = streamChunks(guard, bytes, cuts, c.phase ?? "ingress");
            expect(str(streamed.out)).toBe(str(r.text));
          });
        }
      });
    }
  });
}
