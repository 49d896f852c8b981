// The byte ABI for JavaScript hosts (bindings/), documented in docs/abi.md.
// The host copies bytes into the input buffer (wl_input), calls an operation, and
// reads the packed result (wl_result_ptr / wl_result_len). Buffers are reused across
// calls, so the hot path allocates nothing. Failures are negative status codes, never
// traps (a trap is a bug: the binding reports it and replaces the instance).
import { Status, NONE } from "../engine/constants";
import { Policy } from "../engine/policy";
import { Scanner } from "../engine/scanner";
import { Rules } from "../engine/rules";
import { Section } from "../engine/constants";
import { WordKeys } from "../engine/word_keys";
import { ScannerPool } from "../engine/scanner_pool";
export { lastAbortLine as wl_abort_line, lastAbortColumn as wl_abort_column } from "./abort/index";

const streams = new Array<Scanner | null>();
/** the pool each open stream's scanner goes back to when it is closed */
const streamPools = new Array<ScannerPool | null>();
const freeStreams = new Array<i32>();

/** ABI version: major << 16 | minor. A major bump breaks hosts. */
export const WL_ABI_VERSION: u32 = (1 << 16) | 0;
export function wl_abi_version(): u32 { return WL_ABI_VERSION; }

let input = new StaticArray<u8>(64 * 1024);
let result = new StaticArray<u8>(64 * 1024);
let resultLen: i32 = 0;

import { policies, scanners, pools, policyOf } from "./registry";

/**
 * Collects garbage. The engine is built with AssemblyScript's `minimal` runtime: no
 * shadow stack on the hot path (1.6× faster than `incremental` here), and the host
 * calls this between operations, when no engine frame is live.
 */
export function wl_collect(): void { __collect(); }

/** Returns the input buffer's address, grown to hold at least len bytes. */
export function wl_input(len: u32): usize {
  if (<i32>len > input.length) {
    let cap = input.length;
    while (cap < <i32>len) cap <<= 1;
    input = new StaticArray<u8>(cap);
  }
  return changetype<usize>(input);
}

export function wl_result_ptr(): usize { return changetype<usize>(result); }
export function wl_result_len(): i32 { return resultLen; }

/** Loads a compiled policy from the first len input bytes; returns a handle > 0 or -status. */
export function wl_policy_load(len: u32): i32 {
  const p = new Policy(changetype<usize>(input), <i32>len);
  if (p.status != Status.OK) return -(<i32>p.status);
  // build every part once: a damaged section is refused here, not met while scanning
  if (!new Scanner(p, 1).valid()) return -(<i32>Status.BAD_POLICY_SECTION);
  policies.push(p);
  scanners.push(new StaticArray<Scanner | null>(5));
  pools.push(new ScannerPool(p));
  return policies.length;
}

export function wl_policy_free(h: i32): i32 {
  if (h < 1 || h > policies.length || policies[h - 1] == null) return -(<i32>Status.NO_SUCH_POLICY);
  policies[h - 1] = null;
  scanners[h - 1] = null;
  pools[h - 1] = null;
  return 0;
}


/** One-shot scan of the first len input bytes in `phase` (1 ingress, 2 midstream, 4 egress). */
export function wl_scan(h: i32, phase: u32, len: u32): i32 {
  const p = policyOf(h);
  if (p == null) return -(<i32>Status.NO_SUCH_POLICY);
  const slot = phaseSlot(phase);
  const cache = scanners[h - 1]!;
  let s = cache[slot];
  if (s == null) { s = new Scanner(p, phase); cache[slot] = s; }
  s.reset(phase);
  s.push(changetype<usize>(input), <i32>len);
  s.finish();
  writeResult(s, Status.OK);
  return 0;
}

export function wl_stream_open(h: i32, phase: u32): i32 {
  const p = policyOf(h);
  if (p == null) return -(<i32>Status.NO_SUCH_POLICY);
  const pool = pools[h - 1]!;
  const s = pool.take(phase);
  if (freeStreams.length > 0) {
    const id = freeStreams.pop();
    streams[id - 1] = s;
    streamPools[id - 1] = pool;
    return id;
  }
  streams.push(s);
  streamPools.push(pool);
  return streams.length;
}

function streamOf(id: i32): Scanner | null {
  if (id < 1 || id > streams.length) return null;
  return streams[id - 1];
}

export function wl_stream_push(id: i32, len: u32): i32 {
  const s = streamOf(id);
  if (s == null) { resultLen = 0; return -(<i32>Status.NO_SUCH_STREAM); }
  if (s.flags & 4) { writeEmpty(s, Status.STREAM_FINISHED); return -(<i32>Status.STREAM_FINISHED); }
  s.push(changetype<usize>(input), <i32>len);
  writeResult(s, Status.OK);
  return 0;
}

export function wl_stream_finish(id: i32): i32 {
  const s = streamOf(id);
  if (s == null) { resultLen = 0; return -(<i32>Status.NO_SUCH_STREAM); }
  if (s.flags & 4) { writeEmpty(s, Status.STREAM_FINISHED); return -(<i32>Status.STREAM_FINISHED); }
  s.finish();
  writeResult(s, Status.OK);
  return 0;
}

export function wl_stream_close(id: i32): i32 {
  const s = streamOf(id);
  if (s == null) return -(<i32>Status.NO_SUCH_STREAM);
  streams[id - 1] = null;
  const pool = streamPools[id - 1];
  if (pool) pool.give(s);
  streamPools[id - 1] = null;
  freeStreams.push(id);
  return 0;
}

/**
 * Pseudonym round trip: the first len input bytes are the placeholder table
 * (u32 count, then count × (u32 keyLen, key, u32 valueLen, value)); placeholders such as
 * `<EMAIL_1>` in the stream's text are replaced by their values. Call before the first push.
 */
export function wl_stream_restore(id: i32, len: u32): i32 {
  const s = streamOf(id);
  if (s == null) return -(<i32>Status.NO_SUCH_STREAM);
  s.setRestore(changetype<usize>(input), <i32>len);
  return 0;
}

/**
 * Per-request context for the prompt-leak guard (call before the first push): the first
 * len input bytes are u32 promptLen, the system prompt, u32 canaryCount, then
 * canaryCount × (u32 len, canary).
 */
export function wl_stream_context(id: i32, len: u32): i32 {
  const s = streamOf(id);
  if (s == null) return -(<i32>Status.NO_SUCH_STREAM);
  s.setContext(changetype<usize>(input), <i32>len);
  return 0;
}

/** Bytes a stream currently holds back. */
export function wl_stream_held(id: i32): i32 {
  const s = streamOf(id);
  return s == null ? -(<i32>Status.NO_SUCH_STREAM) : <i32>s.heldBytes();
}

/**
 * Names a host needs to render results: result = u32 typeCount, u32 ruleCount, then per
 * type (u32 detector, u32 len, name bytes), per rule (u32 action, u32 mode, u32 len, id,
 * u32 len, message or empty).
 */
export function wl_policy_info(h: i32): i32 {
  const p = policyOf(h);
  if (p == null) return -(<i32>Status.NO_SUCH_POLICY);
  const rules = new Rules(p.section(Section.RULES), p.sectionLength(Section.RULES));
  resultLen = 0;
  const tc = p.typeCount();
  putU32(<u32>tc); putU32(<u32>rules.ruleCount);
  for (let t = 0; t < tc; t++) {
    putU32(p.typeDetector(<u32>t));
    putString(p, p.typeName(<u32>t));
  }
  for (let r = 0; r < rules.ruleCount; r++) {
    putU32(<u32>rules.action(r));
    putU32(<u32>rules.mode(r));
    putString(p, rules.idString(r));
    putString(p, rules.messageString(r));
  }
  return 0;
}

/**
 * Lexicon keys of a term (first len input bytes), computed by the same word view the
 * scanner uses, so the policy compiler never re-implements normalisation:
 * result = u32 wordCount, u32 flags (1: punctuation splits it, so it can never match
 * as one phrase), then wordCount × u64 keys of its prefixes (1 word, 2 words, …).
 */
export function wl_lexicon_keys(len: u32): i32 {
  const k = new WordKeys();
  k.run(changetype<usize>(input), <i32>len);
  resultLen = 0;
  putU32(<u32>k.count); putU32(k.broken ? 1 : 0);
  for (let i = 0; i < k.count; i++) {
    const key = k.keys[i];
    putU32(<u32>(key & 0xffffffff)); putU32(<u32>(key >> 32));
  }
  return 0;
}

// ── result encoding ───────────────────────────────────────────────────────────
// header 8 × u32: status | action | flags | findingCount | firedCount | textLen | held | findingBase
// findings × 8 u32: typeId | detector | action | rule | start | end | score f32 | aux
// fired × 4 u32: rule | action | mode | finding index
// text bytes

function phaseSlot(phase: u32): i32 { return phase == 1 ? 0 : phase == 2 ? 1 : phase == 4 ? 2 : 3; }

function ensure(n: i32): void {
  if (resultLen + n <= result.length) return;
  let cap = result.length;
  while (cap < resultLen + n) cap <<= 1;
  const next = new StaticArray<u8>(cap);
  memory.copy(changetype<usize>(next), changetype<usize>(result), <usize>resultLen);
  result = next;
}

function putU32(v: u32): void {
  ensure(4);
  store<u32>(changetype<usize>(result) + <usize>resultLen, v);
  resultLen += 4;
}

function putBytes(ptr: usize, len: i32): void {
  ensure(len);
  memory.copy(changetype<usize>(result) + <usize>resultLen, ptr, <usize>len);
  resultLen += len;
}

function putString(p: Policy, s: u32): void {
  if (s == NONE) { putU32(0); return; }
  const len = p.stringLen(s);
  putU32(<u32>len);
  putBytes(p.stringPtr(s), len);
}

function writeEmpty(s: Scanner, status: Status): void {
  resultLen = 0;
  putU32(<u32>status); putU32(<u32>s.action); putU32(s.flags);
  putU32(0); putU32(0); putU32(0); putU32(s.heldBytes()); putU32(s.findings.base);
}

function writeResult(s: Scanner, status: Status): void {
  const f = s.findings;
  const o = s.out;
  resultLen = 0;
  ensure(32 + f.n * 32 + f.firedN * 16 + o.outLen);
  putU32(<u32>status); putU32(<u32>s.action); putU32(s.flags);
  putU32(<u32>f.n); putU32(<u32>f.firedN); putU32(<u32>o.outLen);
  putU32(s.heldBytes()); putU32(f.base);
  putBytes(changetype<usize>(f.data), f.n * 32);
  putBytes(changetype<usize>(f.firedData), f.firedN * 16);
  putBytes(changetype<usize>(o.out), o.outLen);
}

// Provider protocol streams (SSE/JSON in, guarded SSE/JSON out): assembly/entry/js_protocol.ts
export * from "./js_protocol";
// Ingress: provider request bodies (assembly/entry/js_request.ts)
export * from "./js_request";
// Non-streamed answers: provider response bodies (assembly/entry/js_response.ts)
export * from "./js_response";
