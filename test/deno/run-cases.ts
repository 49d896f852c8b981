// Runs the conformance case table through the binding under Deno and prints the
// results as JSON; test/deno.test.ts compares them with Node's, byte for byte.
import { readdirSync, readFileSync } from "node:fs";
import { createGuard } from "../../bindings/index.ts";

const dir = new URL("../cases/", import.meta.url);
const out: Record<string, unknown> = {};
const guard = await createGuard({ policy: "policies/default.yaml" });
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  for (const c of JSON.parse(readFileSync(new URL(file, dir), "utf8"))) {
    const r = guard.scan(new TextEncoder().encode(c.text), { phase: c.phase ?? "ingress" });
    out[`${file}/${c.name}`] = { action: r.action, text: Array.from(r.text), findings: r.findings };
  }
}
out.policyHash = guard.policyHash;
console.log(JSON.stringify(out));
