// Builds every test-only entry point in assembly/entry/test/*.ts into build/test/NAME.wasm.
// These small modules export one engine part each (validators, regex VM, …) so that its
// tests can run against compiled wasm, as the real engine does, without the full ABI.
import { readdirSync, mkdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import asc from "assemblyscript/asc";

const dir = "assembly/entry/test";
if (!existsSync(dir)) process.exit(0);
mkdirSync("build/test", { recursive: true });
const entries = readdirSync(dir).filter((f) => f.endsWith(".ts"));
let failed = 0;
for (const f of entries) {
  const name = basename(f, ".ts");
  const { error, stderr } = await asc.main([
    join(dir, f),
    "assembly/entry/abort/index.ts",
    "--outFile", `build/test/${name}.wasm`,
    "--runtime", "incremental",
    "--use", "abort=assembly/entry/abort/index/abortHandler",
    "-O3", "--noAssert",
  ]);
  if (error) {
    failed++;
    console.error(`build-test-wasm: ${f}: ${error.message}\n${stderr.toString()}`);
  }
}
if (failed) process.exit(1);

// The real engine (assembly/entry/js.ts, release options) with its memory capped at 512 pages
// (32 MiB): tests make it run out of memory for real — a big enough input makes memory.grow
// fail inside the instance, which traps — to prove that a Guard replaces a trapped instance
// (bindings/engine-recovery.ts). Same code as build/wardline.wasm, only the cap differs.
{
  const { error, stderr } = await asc.main([
    "assembly/entry/js.ts",
    "--config", "asconfig.json", "--target", "release",
    "--maximumMemory", "512",
    "--outFile", "build/test/engine_capped_memory.wasm", "--textFile", "build/test/engine_capped_memory.wat",
  ]);
  if (error) {
    console.error(`build-test-wasm: engine_capped_memory: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
}
