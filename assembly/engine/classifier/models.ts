// The learned classifiers of a policy: logistic regressions over the √n-pooled sum of hashed word
// and character n-gram features (features.ts), with int8 weights and one scale each.
//
// MODELS section layout (little-endian), written by bindings/policy/encode/models.ts:
//   u32 modelCount | u32 reserved
//   modelCount × header (32 bytes):
//     u32 typeId | u32 bits | f32 scale | f32 bias | f32 minScore | u32 holdPhases | u32 weightsOffset | u32 idlePhases
//   weights: per model 2^bits × i8 at weightsOffset (from the section start)
// score = sigmoid(bias + scale × Σ weight[bucket(f)] / √featureCount) over a window's
// features; bucket(f) = f >> (32 - bits). `holdPhases` has the phase bits in which a rule
// on this model may stop, block or redact: only there does a stream hold bytes for it.
// `idlePhases` has the phase bits in which no rule uses the model at all: there it does not run
// (0, as older compilers wrote, runs it everywhere).
import { Detector } from "../constants";
import { Policy } from "../policy";

export const MAX_MODELS: i32 = 8;
export const MIN_BITS: u32 = 8;
export const MAX_BITS: u32 = 22; // 4 MiB of weights: far past the 1 MB goal, still bounded
const HEADER: usize = 32;

export class Models {
  count: i32 = 0;
  valid: bool = true;
  private base: usize = 0;
  private section: usize = 0;

  constructor(policy: Policy | null, section: usize, len: i32) {
    if (policy == null || section == 0 || len < 8) { this.valid = section == 0; return this; }
    const n = load<u32>(section);
    if (n == 0 || n > <u32>MAX_MODELS || <u64>8 + <u64>n * HEADER > <u64>len) { this.valid = false; return this; }
    this.base = section + 8;
    this.section = section;
    this.count = <i32>n;
    const types = <u32>policy.typeCount();
    for (let m = 0; m < this.count; m++) {
      const bits = this.bits(m);
      const off = <u64>load<u32>(this.header(m), 24);
      if (bits < MIN_BITS || bits > MAX_BITS || off + (<u64>1 << bits) > <u64>len) { this.valid = false; continue; }
      const t = this.typeId(m);
      if (t >= types || policy.typeDetector(t) != Detector.CLASSIFIER) this.valid = false;
      if (!isFinite(this.scale(m)) || !isFinite(this.bias(m)) || !(this.minScore(m) >= 0)) this.valid = false;
    }
    if (!this.valid) this.count = 0;
  }

  // @ts-ignore: decorator
  @inline private header(m: i32): usize { return this.base + <usize>m * HEADER; }
  typeId(m: i32): u32 { return load<u32>(this.header(m)); }
  bits(m: i32): u32 { return load<u32>(this.header(m), 4); }
  scale(m: i32): f32 { return load<f32>(this.header(m), 8); }
  bias(m: i32): f32 { return load<f32>(this.header(m), 12); }
  minScore(m: i32): f32 { return load<f32>(this.header(m), 16); }
  holdPhases(m: i32): u32 { return load<u32>(this.header(m), 20); }
  idlePhases(m: i32): u32 { return load<u32>(this.header(m), 28); }
  weights(m: i32): usize { return this.section + <usize>load<u32>(this.header(m), 24); }
}
