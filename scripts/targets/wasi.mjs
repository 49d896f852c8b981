// The WASI command: dist/wardline.wasi.wasm (assembly/entry/wasi/main.ts), built with
// @assemblyscript/wasi-shim. Usage and exit codes: docs/abi.md, "The WASI command".
// Runtime `incremental`: the command keeps engine objects in locals across calls, so the
// collector must see the shadow stack (the library build's `minimal` relies on the host).
import { mkdirSync } from "node:fs";
import asc from "assemblyscript/asc";

mkdirSync("dist", { recursive: true });
const { error, stderr } = await asc.main([
  "assembly/entry/wasi/main.ts",
  "--config", "node_modules/@assemblyscript/wasi-shim/asconfig.json",
  "--outFile", "dist/wardline.wasi.wasm",
  "--runtime", "incremental",
  "-O3", "--noAssert",
]);
if (error) {
  console.error(`wasi target: ${error.message}\n${stderr.toString()}`);
  process.exit(1);
}
