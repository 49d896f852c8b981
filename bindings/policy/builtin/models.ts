// The built-in learned classifiers: their names (the policy's `classifier.models`, and
// upper-cased, their finding types) and their weight files, embedded by
// scripts/gen-embedded.mjs from models/*.wlm so that no runtime reads files.
import { MODEL_FILES } from "./models-data.ts";

/** Models a policy may name; each is trained by scripts/train/specs.ts. */
export const MODEL_NAMES = ["injection", "toxicity", "harmful"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const WLM_MAGIC = 0x314d4c57; // "WLM1", scripts/train/wlm.ts
const WLM_HEADER = 16;

export interface ModelWeights { bits: number; scale: number; bias: number; weights: Uint8Array }

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const cache = new Map<string, ModelWeights>();

/** A model's weights, or undefined when models/NAME.wlm was not built. */
export function modelWeights(name: ModelName): ModelWeights | undefined {
  let m = cache.get(name);
  if (m) return m;
  const b64 = MODEL_FILES[name];
  if (!b64) return undefined;
  const bytes = fromBase64(b64);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < WLM_HEADER || v.getUint32(0, true) !== WLM_MAGIC) throw new Error(`models/${name}.wlm is not a WLM1 weight file`);
  const bits = v.getUint32(4, true);
  if (bytes.length !== WLM_HEADER + (1 << bits)) throw new Error(`models/${name}.wlm has ${bytes.length - WLM_HEADER} weights, expected ${1 << bits}`);
  m = { bits, scale: v.getFloat32(8, true), bias: v.getFloat32(12, true), weights: bytes.subarray(WLM_HEADER) };
  cache.set(name, m);
  return m;
}
