// The evasion table (test/cases/evasion.json): attacks and entities written plainly, then with
// homoglyphs, zero-width characters, leetspeak, spacing, mixed case, full-width forms, base64,
// hex and URL encoding, and combinations. Each row is found — or is a known miss with a reason
// ("expect": "miss"), so this fails when a found case regresses and when a miss starts being
// found (then flip the row). `npm run evasion` prints the recall drop per technique.
import { describe, it, expect } from "vitest";
import { guardFor } from "./helpers/guards.ts";
import { loadEvasionCases, isFound } from "../scripts/evasion-report.ts";

const cases = loadEvasionCases();

describe("evasion table (default policy, ingress)", () => {
  it("is well-formed: unique ids, a plain form per item, a reason for every known miss", () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) if (c.expect === "miss") expect(c.note, c.id).toBeTruthy();
    const items = new Set(cases.map((c) => c.id.split("/")[0]));
    for (const i of items) expect(cases.some((c) => c.id === `${i}/plain` && c.expect === "found"), i).toBe(true);
  });

  for (const build of ["release", "debug"] as const) {
    it(`every row is found or a known miss (${build} build)`, async () => {
      const guard = await guardFor("policies/default.yaml", build);
      const wrong = cases.filter((c) => isFound(guard, c) !== (c.expect === "found")).map((c) => `${c.id} (expected ${c.expect})`);
      expect(wrong).toEqual([]);
    });
  }
});
