// The engine instance: one WebAssembly instance and the byte ABI of
// assembly/entry/js.ts (docs/abi.md). Runtime-neutral: no node:* imports.
// Like undici's llhttp binding, it reuses one input buffer and one result buffer and
// rebuilds its views whenever the wasm memory has grown.
import { EngineError, engineError } from "./errors.ts";
import { callInstance } from "./instance-call.ts";

export const PHASES = { ingress: 1, midstream: 2, egress: 4 } as const;
export type Phase = keyof typeof PHASES;
export const DETECTORS = ["", "pii", "secrets", "injection", "toxicity", "custom", "leak", "classifier"] as const;
export const ACTIONS = ["allow", "flag", "disclaimer", "pseudonymize", "redact", "stop", "block"] as const;
export type Action = (typeof ACTIONS)[number];
export const MODES = ["enforce", "flag", "shadow"] as const;

export const FLAG_STOPPED = 1;
export const FLAG_OVERFLOW = 2;
export const FLAG_FINISHED = 4;

/** A finding as the engine reports it: byte offsets, ids resolved by the caller. */
export interface RawFinding {
  typeId: number;
  detector: number;
  action: number;
  rule: number; // -1 when no rule acted on it
  start: number;
  end: number;
  score: number;
  aux: number; // pseudonym number, or 0
}

export interface RawFired { rule: number; action: number; mode: number; finding: number }

export interface RawResult {
  action: number;
  flags: number;
  findings: RawFinding[];
  fired: RawFired[];
  /** released bytes (a view into wasm memory: copy before the next call) */
  text: Uint8Array;
  held: number;
  findingBase: number;
  /** UTF-8 bytes this call pushed (for a string: as many as its UTF-16 units iff it is ASCII) */
  inputBytes: number;
}

interface Exports {
  memory: WebAssembly.Memory;
  wl_abi_version(): number;
  wl_input(len: number): number;
  wl_result_ptr(): number;
  wl_result_len(): number;
  wl_policy_load(len: number): number;
  wl_policy_free(h: number): number;
  wl_policy_info(h: number): number;
  wl_scan(h: number, phase: number, len: number): number;
  wl_stream_open(h: number, phase: number): number;
  wl_stream_push(id: number, len: number): number;
  wl_stream_finish(id: number): number;
  wl_stream_close(id: number): number;
  wl_stream_held(id: number): number;
  wl_stream_restore(id: number, len: number): number;
  wl_stream_context(id: number, len: number): number;
  wl_request_inspect(h: number, provider: number, len: number): number;
  wl_request_result_ptr(): number;
  wl_request_result_len(): number;
  wl_lexicon_keys(len: number): number;
  wl_abort_line(): number;
  wl_collect(): void;
  wl_abort_column(): number;
}

export const SUPPORTED_ABI_MAJOR = 1;
const encoder = new TextEncoder();

export class Engine {
  readonly #x: Exports;
  /** set after a trap: the instance's state is unknown and it must not be used again */
  trapped = false;
  /** operations that allocate in the engine since the last collection (minimal runtime: the host collects) */
  #allocations = 0;

  #allocated(n = 1): void {
    this.#allocations += n;
    // a dead instance is not touched again; a collection that traps marks it dead like any call
    if (this.trapped) return;
    if (this.#allocations >= 256) { this.#allocations = 0; this.#call(() => this.#x.wl_collect()); this.#views(); }
  }
  #u8!: Uint8Array;
  #buffer!: ArrayBuffer;

  /** the compiled module this instance came from (a trapped instance is replaced by a new one of it) */
  readonly module: WebAssembly.Module;

  constructor(module: WebAssembly.Module) {
    this.module = module;
    const instance = new WebAssembly.Instance(module, {});
    this.#x = instance.exports as unknown as Exports;
    const major = this.#x.wl_abi_version() >>> 16;
    if (major !== SUPPORTED_ABI_MAJOR) throw new EngineError(-1, "WL_ENGINE_ABI", `engine ABI ${major} is not supported (expected ${SUPPORTED_ABI_MAJOR}) (WL_ENGINE_ABI)`);
    this.#views();
  }

  #views(): void {
    if (this.#buffer !== this.#x.memory.buffer) {
      this.#buffer = this.#x.memory.buffer;
      this.#u8 = new Uint8Array(this.#buffer);
    }
  }

  /** Calls into the engine; a trap becomes an EngineError (the instance must then be replaced). */
  #call<T>(fn: () => T): T { return callInstance(this, () => this.#x.wl_abort_line(), fn); }

  /** Copies bytes into the input buffer. */
  #input(bytes: Uint8Array): number {
    const ptr = this.#call(() => this.#x.wl_input(bytes.length));
    this.#views();
    this.#u8.set(bytes, ptr);
    return bytes.length;
  }

  /** Encodes a string straight into the input buffer (no intermediate copy). */
  #inputString(text: string): number {
    // UTF-8 needs at most 3 bytes per UTF-16 unit
    const ptr = this.#call(() => this.#x.wl_input(text.length * 3));
    this.#views();
    const { written } = encoder.encodeInto(text, this.#u8.subarray(ptr, ptr + text.length * 3));
    return written;
  }

  #status(code: number, what: string): void {
    if (code >= 0) return;
    throw engineError(-code, what);
  }

  #resultBytes(): Uint8Array {
    this.#views();
    const ptr = this.#x.wl_result_ptr();
    return this.#u8.subarray(ptr, ptr + this.#x.wl_result_len());
  }

  loadPolicy(bytes: Uint8Array): number {
    const len = this.#input(bytes);
    const h = this.#call(() => this.#x.wl_policy_load(len));
    this.#status(h, "loading the compiled policy");
    return h;
  }

  freePolicy(h: number): void { this.#x.wl_policy_free(h); this.#allocated(256); }

  policyInfo(h: number): { types: { name: string; detector: string }[]; rules: { id: string; action: Action; mode: string; message?: string }[] } {
    this.#status(this.#call(() => this.#x.wl_policy_info(h)), "reading policy info");
    const b = this.#resultBytes().slice();
    const dv = new DataView(b.buffer);
    const dec = new TextDecoder();
    let o = 0;
    const u32 = () => { const v = dv.getUint32(o, true); o += 4; return v; };
    const str = () => { const n = u32(); const s = dec.decode(b.subarray(o, o + n)); o += n; return s; };
    const tc = u32(), rc = u32();
    const types = [];
    for (let i = 0; i < tc; i++) { const d = u32(); types.push({ detector: DETECTORS[d] ?? "", name: str() }); }
    const rules = [];
    for (let i = 0; i < rc; i++) {
      const action = ACTIONS[u32()];
      const mode = MODES[u32()];
      const id = str();
      const message = str();
      rules.push({ id, action, mode, message: message || undefined });
    }
    return { types, rules };
  }

  scan(h: number, phase: number, input: string | Uint8Array): RawResult {
    const len = typeof input === "string" ? this.#inputString(input) : this.#input(input);
    this.#status(this.#call(() => this.#x.wl_scan(h, phase, len)), "scanning");
    return this.#decode(len);
  }

  streamOpen(h: number, phase: number): number {
    const id = this.#call(() => this.#x.wl_stream_open(h, phase));
    this.#status(id, "opening a stream");
    return id;
  }

  streamPush(id: number, input: string | Uint8Array): RawResult {
    const len = typeof input === "string" ? this.#inputString(input) : this.#input(input);
    this.#status(this.#call(() => this.#x.wl_stream_push(id, len)), "pushing to a stream");
    return this.#decode(len);
  }

  streamFinish(id: number): RawResult {
    this.#status(this.#call(() => this.#x.wl_stream_finish(id)), "finishing a stream");
    return this.#decode();
  }

  /** Sets a stream's pseudonym table: placeholder → original value. */
  streamRestore(id: number, table: Iterable<[string, string]>): void {
    const len = this.#input(encodeRestoreTable(table));
    this.#status(this.#call(() => this.#x.wl_stream_restore(id, len)), "setting the pseudonym table");
  }


  /** The instance's exports, for the protocol layer's wrapper (bindings/transform.ts) on the same instance. */
  get rawExports(): WebAssembly.Exports { return this.#x as unknown as WebAssembly.Exports; }

  /** Ingress: inspects a provider request body (bindings/inspect-request.ts decodes the result). */
  requestInspect(h: number, provider: number, body: Uint8Array): { code: number; result: Uint8Array } {
    const len = this.#input(body);
    const code = this.#call(() => this.#x.wl_request_inspect(h, provider, len));
    this.#allocated();
    this.#views();
    const p = this.#x.wl_request_result_ptr();
    return { code, result: this.#u8.subarray(p, p + this.#x.wl_request_result_len()) };
  }

  /** Per-request context of a stream for the prompt-leak guard. */
  streamContext(id: number, systemPrompt: string, canaries: string[]): void {
    const len = this.#input(encodeContext(systemPrompt, canaries));
    this.#status(this.#call(() => this.#x.wl_stream_context(id, len)), "setting the stream context");
  }


  streamClose(id: number): void { if (this.trapped) return; this.#x.wl_stream_close(id); this.#allocated(8); }

  /** Lexicon keys of a term's word prefixes (policy compiler). */
  lexiconKeys(term: string): { keys: bigint[]; broken: boolean } {
    const len = this.#inputString(term);
    this.#status(this.#call(() => this.#x.wl_lexicon_keys(len)), "hashing a lexicon term");
    this.#allocated();
    const b = this.#resultBytes();
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const n = dv.getUint32(0, true);
    const keys: bigint[] = [];
    for (let i = 0; i < n; i++) keys.push(dv.getBigUint64(8 + i * 8, true));
    return { keys, broken: (dv.getUint32(4, true) & 1) !== 0 };
  }

  #decode(inputBytes = 0): RawResult {
    const b = this.#resultBytes();
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const action = dv.getUint32(4, true);
    const flags = dv.getUint32(8, true);
    const nf = dv.getUint32(12, true);
    const nr = dv.getUint32(16, true);
    const textLen = dv.getUint32(20, true);
    const held = dv.getUint32(24, true);
    const findingBase = dv.getUint32(28, true);
    const findings: RawFinding[] = new Array(nf);
    let o = 32;
    for (let i = 0; i < nf; i++, o += 32) {
      findings[i] = {
        typeId: dv.getUint32(o, true),
        detector: dv.getUint32(o + 4, true),
        action: dv.getUint32(o + 8, true),
        rule: dv.getInt32(o + 12, true),
        start: dv.getUint32(o + 16, true),
        end: dv.getUint32(o + 20, true),
        score: Math.round(dv.getFloat32(o + 24, true) * 1000) / 1000,
        aux: dv.getUint32(o + 28, true),
      };
    }
    const fired: RawFired[] = new Array(nr);
    for (let i = 0; i < nr; i++, o += 16) {
      fired[i] = { rule: dv.getUint32(o, true), action: dv.getUint32(o + 4, true), mode: dv.getUint32(o + 8, true), finding: dv.getUint32(o + 12, true) };
    }
    return { action, flags, findings, fired, text: b.subarray(o, o + textLen), held, findingBase, inputBytes };
  }
}

/** Pseudonym table bytes (wl_stream_restore / wl_proto_restore): u32 count, then (u32 len, key, u32 len, value)*. */
export function encodeRestoreTable(table: Iterable<[string, string]>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [k, v] of table) parts.push(encoder.encode(k), encoder.encode(v));
  const bytes = new Uint8Array(4 + parts.reduce((n, p) => n + 4 + p.length, 0));
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, parts.length / 2, true);
  let o = 4;
  for (const p of parts) { dv.setUint32(o, p.length, true); bytes.set(p, o + 4); o += 4 + p.length; }
  return bytes;
}

/** Prompt-leak context bytes (wl_stream_context / wl_proto_context): u32 len, prompt, u32 count, (u32 len, canary)*. */
export function encodeContext(systemPrompt: string, canaries: string[]): Uint8Array {
  const prompt = encoder.encode(systemPrompt);
  const cs = canaries.map((c) => encoder.encode(c));
  const bytes = new Uint8Array(8 + prompt.length + cs.reduce((n, c) => n + 4 + c.length, 0));
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, prompt.length, true);
  bytes.set(prompt, 4);
  let o = 4 + prompt.length;
  dv.setUint32(o, cs.length, true);
  o += 4;
  for (const c of cs) { dv.setUint32(o, c.length, true); bytes.set(c, o + 4); o += 4 + c.length; }
  return bytes;
}
