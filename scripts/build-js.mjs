// Bundles the TypeScript entry points with esbuild: dist/index.js (Node/Deno library),
// dist/cli.js (the `wardline` command). Generated data modules are refreshed first.
import { build } from "esbuild";
import { chmodSync, copyFileSync } from "node:fs";
import "./gen-embedded.mjs";

const common = { bundle: true, format: "esm", target: "es2022", sourcemap: true, logLevel: "warning" };
await build({ ...common, platform: "node", entryPoints: { index: "bindings/index.ts", cli: "bindings/cli.ts" }, outdir: "dist",
  banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" } });
chmodSync("dist/cli.js", 0o755);
// the browser bundle: no Node built-ins, the engine fetched from dist/wardline.wasm
await build({ ...common, platform: "browser", entryPoints: { browser: "bindings/browser.ts" }, outdir: "dist" });
copyFileSync("build/wardline.wasm", "dist/wardline.wasm");
