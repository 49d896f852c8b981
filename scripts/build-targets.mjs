// Runs every extra build target in scripts/targets/*.mjs (one file per artefact: the
// Envoy filter, the WASI command, the browser bundle variants …), in name order.
import { readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const dir = "scripts/targets";
for (const f of readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort()) {
  await import(pathToFileURL(resolve(dir, f)).href);
}
