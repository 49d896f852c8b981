// The classifier features of a text, from the engine itself (build/test/features.wasm,
// built from assembly/entry/test/features.ts by `npm run build:wasm`): training reads the
// very hashes the scanner scores, so training and inference cannot drift.
import { readFileSync } from "node:fs";

export interface Word { start: number; end: number; feats: Uint32Array }

interface FeatureExports {
  memory: WebAssembly.Memory;
  buf(len: number): number;
  out(): number;
  outLen(): number;
  features(len: number): number;
}

export class FeatureExtractor {
  #x: FeatureExports;
  #enc = new TextEncoder();

  constructor(wasmPath: string | URL = process.env.WARDLINE_FEATURES_WASM ?? new URL("../../build/test/features.wasm", import.meta.url)) { // env: feature experiments
    const mod = new WebAssembly.Module(readFileSync(wasmPath));
    const inst = new WebAssembly.Instance(mod, { env: { abort: () => { throw new Error("features.wasm trapped"); } } });
    this.#x = inst.exports as unknown as FeatureExports;
  }

  /** The words of a text (original byte spans) and each word's feature hashes. */
  words(text: string): Word[] {
    const bytes = this.#enc.encode(text);
    const p = this.#x.buf(bytes.length);
    new Uint8Array(this.#x.memory.buffer, p, bytes.length).set(bytes);
    const n = this.#x.features(bytes.length);
    const out = new Uint32Array(this.#x.memory.buffer, this.#x.out(), n).slice();
    const words: Word[] = [];
    for (let i = 0; i < n; ) {
      const k = out[i + 2];
      words.push({ start: out[i], end: out[i + 1], feats: out.subarray(i + 3, i + 3 + k) });
      i += 3 + k;
    }
    return words;
  }
}
