// Builds the Envoy filter (assembly/entry/proxywasm, proxy-wasm ABI 0.2.1) into
// dist/wardline-filter.wasm. The incremental runtime: inside Envoy nothing outside the VM
// can call a collector, so the module collects by itself.
import { mkdirSync } from "node:fs";
import asc from "assemblyscript/asc";

mkdirSync("dist", { recursive: true });
const { error, stderr } = await asc.main([
  "assembly/entry/proxywasm/index.ts",
  "assembly/entry/abort/index.ts",
  "--outFile", "dist/wardline-filter.wasm",
  "--runtime", "incremental",
  "--use", "abort=assembly/entry/abort/index/abortHandler",
  "--initialMemory", "4",
  "-O3", "--noAssert",
]);
if (error) {
  console.error(`envoy-filter: ${error.message}\n${stderr.toString()}`);
  process.exit(1);
}
