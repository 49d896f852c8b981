// Browser artefacts (run by scripts/build-targets.mjs after the engine and dist/browser.js):
//   dist/default.wlp (and dist/policies/<name>.wlp)  the shipped policies, precompiled
//   dist/browser-inline.js  one ES module: engine inlined (base64), default policy inside,
//                           compiled policies only (the YAML compiler is swapped out)
//   dist/playground/        the static demo page (also served by the proxy at /playground/)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = join(root, "dist");
const at = (...p) => join(root, ...p);

// 1. precompiled policies (the Node binding compiles them exactly as `wardline compile` does)
const { createGuard } = await import(pathToFileURL(join(dist, "index.js")).href);
const names = readdirSync(at("policies")).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
mkdirSync(join(dist, "policies"), { recursive: true });
mkdirSync(join(dist, "playground", "policies"), { recursive: true });
mkdirSync(join(dist, "playground", "lib"), { recursive: true });
for (const name of names) {
  const guard = await createGuard({ policy: name });
  writeFileSync(join(dist, "policies", `${name}.wlp`), guard.policyBytes);
  writeFileSync(join(dist, "playground", "policies", `${name}.wlp`), guard.policyBytes);
  if (name === "default") writeFileSync(join(dist, "default.wlp"), guard.policyBytes);
}

// 2. the inline bundle: no compiler (bindings/browser-nocompile.ts stands in for it)
const noCompile = {
  name: "wardline-no-compiler",
  setup(b) {
    b.onResolve({ filter: /\/policy\/(parse|compile)\.ts$/ }, (a) =>
      a.importer.endsWith(join("bindings", "guard.ts")) ? { path: at("bindings", "browser-nocompile.ts") } : undefined);
  },
};
const b64 = (f) => readFileSync(f).toString("base64");
await build({
  bundle: true, format: "esm", target: "es2022", platform: "browser", minify: true, sourcemap: true, logLevel: "warning",
  entryPoints: { "browser-inline": at("bindings", "browser-inline.ts") }, outdir: dist, plugins: [noCompile],
  define: {
    __WL_WASM_BASE64__: JSON.stringify(b64(join(dist, "wardline.wasm"))),
    __WL_DEFAULT_POLICY_BASE64__: JSON.stringify(b64(join(dist, "default.wlp"))),
  },
});

// 3. the playground: page, styles, app, and both bundles next to it (self-contained folder)
await build({
  bundle: true, format: "esm", target: "es2022", platform: "browser", minify: true, sourcemap: true, logLevel: "warning",
  entryPoints: { app: at("browser", "playground", "app.ts") }, outdir: join(dist, "playground"),
});
for (const f of ["index.html", "styles.css"]) copyFileSync(at("browser", "playground", f), join(dist, "playground", f));
for (const f of ["browser.js", "wardline.wasm", "browser-inline.js"]) copyFileSync(join(dist, f), join(dist, "playground", "lib", f));
