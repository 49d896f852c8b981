// The generated data modules the bindings embed must match their sources
// (policies/*.yaml, policies/lexicons/toxicity.tsv, models/*.wlm): `npm run build` regenerates them.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
// @ts-expect-error: plain ESM script without types
import { toxicityModule, policiesModule, modelsModule } from "../scripts/gen-embedded.mjs";

describe("embedded data", () => {
  it("shipped-policies.ts and toxicity-data.ts are up to date", () => {
    expect(readFileSync("bindings/policy/builtin/shipped-policies.ts", "utf8")).toBe(policiesModule());
    expect(readFileSync("bindings/policy/builtin/toxicity-data.ts", "utf8")).toBe(toxicityModule());
  });
  it("models-data.ts carries the committed models/*.wlm", () => {
    expect(readFileSync("bindings/policy/builtin/models-data.ts", "utf8")).toBe(modelsModule());
  });
});
