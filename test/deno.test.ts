// The same binding under real Deno (the `deno` npm package's binary): the conformance
// cases must give Deno exactly the findings, actions and bytes they give Node.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createGuard } from "../bindings/index.ts";

describe("Deno", () => {
  it("runs the conformance cases with results identical to Node's", async () => {
    const r = spawnSync("node_modules/.bin/deno", ["run", "--quiet", "--allow-read", "--allow-env", "test/deno/run-cases.ts"], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const deno = JSON.parse(r.stdout);
    const guard = await createGuard({ policy: "policies/default.yaml" });
    const node: Record<string, unknown> = {};
    const dir = new URL("./cases/", import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      for (const c of JSON.parse(readFileSync(new URL(file, dir), "utf8"))) {
        const s = guard.scan(new TextEncoder().encode(c.text), { phase: c.phase ?? "ingress" });
        node[`${file}/${c.name}`] = { action: s.action, text: Array.from(s.text), findings: s.findings };
      }
    }
    node.policyHash = guard.policyHash;
    expect(Object.keys(deno).length).toBeGreaterThan(100);
    expect(deno).toEqual(node);
  });
});
