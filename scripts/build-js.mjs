// Bundles the TypeScript entry points with esbuild: dist/index.js (Node/Deno library),
// dist/cli.js (the `wardline` command). Generated data modules are refreshed first.
import { build } from "esbuild";
import { chmodSync, copyFileSync } from "node:fs";
import "./gen-embedded.mjs";

const common = { bundle: true, format: "esm", target: "es2022", sourcemap: true, logLevel: "warning" };
// OpenTelemetry stays outside the bundle: host-proxy/tracing.ts imports it only when a
// collector is configured, so the default path never loads it (it is a dependency)
await build({ ...common, platform: "node", entryPoints: { index: "bindings/index.ts", cli: "bindings/cli.ts" }, outdir: "dist", external: ["@opentelemetry/*"],
  banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" } });
chmodSync("dist/cli.js", 0o755);
// the browser bundle: no Node built-ins, the engine fetched from dist/wardline.wasm
await build({ ...common, platform: "browser", entryPoints: { browser: "bindings/browser.ts" }, outdir: "dist" });
copyFileSync("build/wardline.wasm", "dist/wardline.wasm");
