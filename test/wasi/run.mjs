// Runs dist/wardline.wasi.wasm under the host's `node:wasi` (Node, or Deno 2's node:wasi):
//   node test/wasi/run.mjs WASM DIR [ARGS…]   (DIR is preopened under its own path)
// stdin, stdout and stderr are the process's own; the exit code is the command's.
import { WASI } from "node:wasi";
import { readFileSync } from "node:fs";
import process from "node:process";

const [wasm, dir, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args: ["wardline.wasi.wasm", ...args], env: {}, preopens: { [dir]: dir }, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
