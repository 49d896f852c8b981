// Weight file of one learned classifier (models/NAME.wlm), written by `npm run train`
// and embedded in the policy by bindings/policy/encode/models.ts:
//   u32 magic "WLM1" | u32 bits | f32 scale | f32 bias | then 2^bits × i8 weights
// score = sigmoid(bias + scale × Σ weights[hash >> (32 − bits)] / √featureCount).
export const WLM_MAGIC = 0x314d4c57;
export const WLM_HEADER = 16;

export interface ModelWeights { bits: number; scale: number; bias: number; weights: Int8Array }

export function encodeWlm(m: ModelWeights): Uint8Array {
  const out = new Uint8Array(WLM_HEADER + m.weights.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, WLM_MAGIC, true);
  v.setUint32(4, m.bits, true);
  v.setFloat32(8, m.scale, true);
  v.setFloat32(12, m.bias, true);
  out.set(new Uint8Array(m.weights.buffer, m.weights.byteOffset, m.weights.length), WLM_HEADER);
  return out;
}
