// Provider protocol streams over the byte ABI (docs/abi.md, "Provider streams"): the upstream
// body of one streamed response in, the bytes for the client out (assembly/protocol/
// guarded_stream.ts). Same pattern as js.ts: the host copies bytes into an input buffer,
// calls an operation, reads the packed result; both buffers are reused. They are this file's
// own (js.ts keeps its buffers private), so wl_proto_input / wl_proto_result_* go with them.
import { Status } from "../engine/constants";
import { policyOf, pools } from "./registry";
import { GuardedStream, providerSupported, FINDING_FIELDS, FIRED_FIELDS } from "../protocol/guarded_stream";

/** Status of wl_proto_open for a provider id it does not know (1, 2 and 3 are supported). */
export const PROTO_BAD_PROVIDER: i32 = 9;

const protoStreams = new Array<GuardedStream | null>();
const freeProto = new Array<i32>();
let protoIn = new StaticArray<u8>(64 * 1024);
let protoOut = new StaticArray<u8>(64 * 1024);
let protoOutLen: i32 = 0;

/** The protocol input buffer, grown to hold at least len bytes. */
export function wl_proto_input(len: u32): usize {
  if (<i32>len > protoIn.length) {
    let cap = protoIn.length;
    while (cap < <i32>len) cap <<= 1;
    protoIn = new StaticArray<u8>(cap);
  }
  return changetype<usize>(protoIn);
}

export function wl_proto_result_ptr(): usize { return changetype<usize>(protoOut); }
export function wl_proto_result_len(): i32 { return protoOutLen; }

/**
 * Opens a guarded stream for one response: provider 1 OpenAI Chat Completions, 2 OpenAI
 * Responses, 3 Anthropic Messages; failOpen ≠ 0 passes input it cannot scan, 0 drops it. Returns an id > 0 or −status.
 */
export function wl_proto_open(h: i32, provider: i32, failOpen: i32): i32 {
  const p = policyOf(h);
  if (p == null) return -(<i32>Status.NO_SUCH_POLICY);
  if (!providerSupported(provider)) return -PROTO_BAD_PROVIDER;
  const g = new GuardedStream(p, provider, failOpen != 0);
  g.pool = pools[h - 1];
  if (freeProto.length > 0) {
    const id = freeProto.pop();
    protoStreams[id - 1] = g;
    return id;
  }
  protoStreams.push(g);
  return protoStreams.length;
}

function protoOf(id: i32): GuardedStream | null {
  if (id < 1 || id > protoStreams.length) return null;
  return protoStreams[id - 1];
}

/**
 * Per-request context of a provider stream, before the first push: the first len bytes of
 * the protocol input buffer (wl_proto_input) are a pseudonym table (wl_stream_restore's
 * layout) or a prompt-leak context (wl_stream_context's layout); every channel gets it.
 */
export function wl_proto_restore(id: i32, len: u32): i32 {
  const g = protoOf(id);
  if (g == null) return -(<i32>Status.NO_SUCH_STREAM);
  g.setRestore(wl_proto_input(0), <i32>len);
  return 0;
}

export function wl_proto_context(id: i32, len: u32): i32 {
  const g = protoOf(id);
  if (g == null) return -(<i32>Status.NO_SUCH_STREAM);
  g.setContext(wl_proto_input(0), <i32>len);
  return 0;
}

/** Pushes the first len input bytes; result: the bytes for the client and new findings. */
export function wl_proto_push(id: i32, len: u32): i32 {
  const g = protoOf(id);
  protoOutLen = 0;
  if (g == null) return -(<i32>Status.NO_SUCH_STREAM);
  if (g.isFinished) return -(<i32>Status.STREAM_FINISHED);
  g.push(changetype<usize>(protoIn), <i32>len);
  writeProtoResult(g);
  return 0;
}

/** End of the upstream body; result as push. */
export function wl_proto_finish(id: i32): i32 {
  const g = protoOf(id);
  protoOutLen = 0;
  if (g == null) return -(<i32>Status.NO_SUCH_STREAM);
  if (g.isFinished) return -(<i32>Status.STREAM_FINISHED);
  g.finish();
  writeProtoResult(g);
  return 0;
}

/** Frees the stream (ids are reused). */
export function wl_proto_close(id: i32): i32 {
  const g = protoOf(id);
  if (g == null) return -(<i32>Status.NO_SUCH_STREAM);
  g.release();
  protoStreams[id - 1] = null;
  freeProto.push(id);
  return 0;
}

// header 8 × u32: status | flags | reason | action | findingCount | firedCount | outLen | stopKey
// findings × 9 u32: channel | typeId | detector | action | rule | start | end | score f32 | aux
// fired × 4 u32: rule | action | mode | channel
// out bytes
function writeProtoResult(g: GuardedStream): void {
  const nf = g.findingCount * FINDING_FIELDS;
  const nr = g.firedCount * FIRED_FIELDS;
  const need = 32 + (nf + nr) * 4 + g.out.len;
  if (need > protoOut.length) {
    let cap = protoOut.length;
    while (cap < need) cap <<= 1;
    protoOut = new StaticArray<u8>(cap);
  }
  const b = changetype<usize>(protoOut);
  store<u32>(b, 0);
  store<u32>(b, g.flags, 4);
  store<u32>(b, <u32>g.reason, 8);
  store<u32>(b, g.action, 12);
  store<u32>(b, <u32>g.findingCount, 16);
  store<u32>(b, <u32>g.firedCount, 20);
  store<u32>(b, <u32>g.out.len, 24);
  store<u32>(b, g.stopKey, 28);
  let o = b + 32;
  memory.copy(o, changetype<usize>(g.findings), <usize>nf << 2);
  o += <usize>nf << 2;
  memory.copy(o, changetype<usize>(g.fired), <usize>nr << 2);
  o += <usize>nr << 2;
  memory.copy(o, g.out.ptr, <usize>g.out.len);
  protoOutLen = need;
}
