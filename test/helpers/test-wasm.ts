// Loads a test-only wasm module built by scripts/build-test-wasm.mjs (no imports).
import { readFileSync } from "node:fs";

export interface TestWasm {
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  /** Writes bytes at ptr (after the module returned ptr from its own allocator). */
  write(ptr: number, bytes: Uint8Array): void;
  read(ptr: number, len: number): Uint8Array;
}

export function loadTestWasm(name: string): TestWasm {
  const bytes = readFileSync(new URL(`../../build/test/${name}.wasm`, import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const exports = instance.exports as Record<string, any>;
  const memory = exports.memory as WebAssembly.Memory;
  return {
    exports,
    memory,
    write(ptr, data) { new Uint8Array(memory.buffer, ptr, data.length).set(data); },
    read(ptr, len) { return new Uint8Array(memory.buffer, ptr, len).slice(); },
  };
}
