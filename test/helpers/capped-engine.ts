// A Guard on the real engine built with its memory capped at 32 MiB (build/test/
// engine_capped_memory.wasm, scripts/build-test-wasm.mjs), so that a big input makes the
// instance run out of memory for real — memory.grow fails inside wasm and the instance traps.
import { readFileSync } from "node:fs";
import { createGuardWith, type Guard } from "../../bindings/guard.ts";
import { TEST_POLICY } from "./fake-upstream.ts";

let module: WebAssembly.Module | undefined;
export const cappedModule = () => (module ??= new WebAssembly.Module(readFileSync(new URL("../../build/test/engine_capped_memory.wasm", import.meta.url))));

/** The proxy tests' policy on a capped engine (each call a new Guard, so restarts count from 0). */
export const cappedGuard = (policy: string = TEST_POLICY): Promise<Guard> => createGuardWith({ policy, module: cappedModule() });

/** Text big enough that the capped instance cannot hold it and its scan buffers (8 MB; the cap is 32 MiB). */
export const OOM_BYTES = 8_000_000;
