// MODELS section (read by assembly/engine/classifier/models.ts):
//   u32 modelCount | u32 reserved
//   modelCount × (u32 typeId | u32 bits | f32 scale | f32 bias | f32 minScore | u32 holdPhases | u32 weightsOffset | u32 idlePhases)
//   weights (2^bits i8 per model, 8-byte aligned, offsets from the section start)
import { ByteWriter } from "./writer.ts";
import type { ModelWeights } from "../builtin/models.ts";

/** Bytes a word may run past a checkpoint before the word view emits it: engine classifier/window.ts WORD_SLACK. */
export const WORD_SLACK = 128;

/** idlePhases: phase bits in which no rule uses the model, so the engine does not run it there */
export interface ModelEntry { typeId: number; model: ModelWeights; minScore: number; holdPhases: number; idlePhases: number }

export function encodeModelsSection(entries: ModelEntry[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(entries.length).u32(0);
  let offset = 8 + entries.length * 32;
  for (const e of entries) {
    w.u32(e.typeId).u32(e.model.bits).f32(e.model.scale).f32(e.model.bias).f32(e.minScore).u32(e.holdPhases).u32(offset).u32(e.idlePhases);
    offset += e.model.weights.length;
  }
  for (const e of entries) w.bytes(e.model.weights);
  return w.finish();
}
