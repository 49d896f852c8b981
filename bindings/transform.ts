// Guarded provider streams for Web Streams hosts: pipe an upstream LLM response body
// (OpenAI Chat Completions, OpenAI Responses or Anthropic Messages SSE) through guardTransform() and the client
// gets the same frames with every text channel guarded (assembly/protocol/guarded_stream.ts,
// ABI in docs/abi.md "Provider streams"). Runtime-neutral: no node:* imports.
//
// ProtocolEngine is a second wasm instance speaking the wl_proto_* exports: Engine keeps its
// instance private, so until it exposes a raw call this file instantiates the module itself
// and loads the guard's compiled policy bytes (guard.policyBytes) into it.
import { EngineError, WardlineError, engineError, type ErrorCode } from "./errors.ts";
import { callInstance } from "./instance-call.ts";
import { checkEngineFault } from "./test-faults.ts";
import { ACTIONS, DETECTORS, SUPPORTED_ABI_MAJOR, type Action, encodeRestoreTable, encodeContext } from "./engine.ts";

/** Provider ids of the ABI. */
export const PROVIDERS = { "openai-chat": 1, "openai-responses": 2, anthropic: 3 } as const;
export type Provider = keyof typeof PROVIDERS;

/** Result flags (StreamFlag in guarded_stream.ts). */
export const PROTO_STOPPED = 1;
export const PROTO_NOT_SCANNED = 2;
export const PROTO_FINISHED = 4;
export const PROTO_OVERFLOW = 8;
export const PROTO_DROPPED = 16;

/** Why input was not scanned (NotScanned in provider_plan.ts), by code. */
export const NOT_SCANNED_REASONS = ["", "bad-json", "unknown-shape", "event-too-large", "incomplete", "too-many-channels", "snapshot-too-large"] as const;

/** A channel key unpacked: group = OpenAI choice index / Anthropic block index; kind (OpenAI:
 *  0 content, 1 refusal, 2 tool arguments, 3 function_call arguments; Anthropic: 0 text,
 *  1 input_json, 2 thinking; OpenAI Responses, group = output_index: 0 output_text, 1 refusal,
 *  2 function/mcp call arguments, 3 reasoning summary, 4 reasoning text); sub = OpenAI Chat tool
 *  call index, Responses content_index (summary_index for kind 3). */
export interface ChannelId { key: number; group: number; kind: number; sub: number }

export function channelOf(key: number): ChannelId {
  return { key, group: key >>> 16, kind: (key >>> 12) & 15, sub: key & 0xfff };
}

/** A finding in one channel; start/end are byte offsets in that channel's decoded text. */
export interface ProtoFinding {
  channel: ChannelId;
  typeId: number;
  detector: string;
  action: Action;
  rule: number; // -1 when no rule acted on it
  start: number;
  end: number;
  score: number;
  aux: number;
}

export interface ProtoResult {
  /** bytes for the client (a copy) */
  bytes: Uint8Array;
  flags: number;
  stopped: boolean;
  /** some input of this call could not be scanned; `reason` says why */
  notScanned: boolean;
  reason: (typeof NOT_SCANNED_REASONS)[number] | "";
  /** unscanned input was dropped (failOpen false) */
  dropped: boolean;
  /** strongest action so far */
  action: Action;
  findings: ProtoFinding[];
  fired: { rule: number; action: Action; mode: number; channel: ChannelId }[];
  /** the channel that stopped the stream */
  stopChannel?: ChannelId;
}

interface ProtoExports {
  memory: WebAssembly.Memory;
  wl_abi_version(): number;
  wl_input(len: number): number;
  wl_policy_load(len: number): number;
  wl_collect(): void;
  wl_abort_line(): number;
  wl_proto_input(len: number): number;
  wl_proto_result_ptr(): number;
  wl_proto_result_len(): number;
  wl_proto_open(h: number, provider: number, failOpen: number): number;
  wl_proto_push(id: number, len: number): number;
  wl_proto_finish(id: number): number;
  wl_proto_close(id: number): number;
  wl_proto_restore(id: number, len: number): number;
  wl_proto_context(id: number, len: number): number;
}

/**
 * One engine instance for provider streams.
 * @example
 * const pe = new ProtocolEngine(engineModule());
 * const h = pe.loadPolicy(guard.policyBytes);
 * const body = upstream.body!.pipeThrough(guardTransform(pe, h, "openai-chat"));
 */
export class ProtocolEngine {
  readonly #x: ProtoExports;
  #calls = 0;
  trapped = false;

  /** A new instance of `module`, or the exports of an instance a Guard already uses (Engine.rawExports). */
  constructor(module: WebAssembly.Module | WebAssembly.Exports) {
    const x = (module instanceof WebAssembly.Module ? new WebAssembly.Instance(module, {}).exports : module) as unknown as ProtoExports;
    if (x.wl_abi_version() >>> 16 !== SUPPORTED_ABI_MAJOR || typeof x.wl_proto_open !== "function") {
      throw new EngineError(-1, "WL_ENGINE_ABI", "this engine module has no provider streams (wl_proto_*) (WL_ENGINE_ABI)");
    }
    this.#x = x;
  }

  #call<T>(fn: () => T): T { return callInstance(this, () => this.#x.wl_abort_line(), fn); }

  #u8(): Uint8Array { return new Uint8Array(this.#x.memory.buffer); }

  /** Loads compiled policy bytes (Guard.policyBytes); returns the handle. */
  loadPolicy(bytes: Uint8Array): number {
    const ptr = this.#call(() => this.#x.wl_input(bytes.length));
    this.#u8().set(bytes, ptr);
    const h = this.#call(() => this.#x.wl_policy_load(bytes.length));
    if (h < 0) throw engineError(-h, "loading the compiled policy");
    return h;
  }

  open(handle: number, provider: Provider | number, failOpen = false): number {
    const p = typeof provider === "number" ? provider : PROVIDERS[provider];
    if (p !== 1 && p !== 2 && p !== 3) {
      throw new WardlineError(`provider ${String(provider)} is not supported by guarded streams (openai-chat, openai-responses, anthropic) (WL_BAD_PROVIDER)`, "WL_BAD_PROVIDER" as ErrorCode);
    }
    const id = this.#call(() => this.#x.wl_proto_open(handle, p, failOpen ? 1 : 0));
    if (id < 0) throw engineError(-id, "opening a provider stream");
    return id;
  }

  /** Per-request context for every channel of a stream (before the first push). */
  setContext(id: number, options: { restore?: Iterable<[string, string]>; context?: { systemPrompt?: string; canaries?: string[] } }): void {
    const put = (bytes: Uint8Array, call: (len: number) => number, what: string) => {
      const ptr = this.#call(() => this.#x.wl_proto_input(bytes.length));
      this.#u8().set(bytes, ptr);
      const st = this.#call(() => call(bytes.length));
      if (st < 0) throw engineError(-st, what);
    };
    if (options.restore) put(encodeRestoreTable(options.restore), (n) => this.#x.wl_proto_restore(id, n), "setting the pseudonym table");
    if (options.context) put(encodeContext(options.context.systemPrompt ?? "", options.context.canaries ?? []), (n) => this.#x.wl_proto_context(id, n), "setting the stream context");
  }

  push(id: number, bytes: Uint8Array): ProtoResult {
    const ptr = this.#call(() => this.#x.wl_proto_input(bytes.length));
    this.#u8().set(bytes, ptr);
    const st = this.#call(() => this.#x.wl_proto_push(id, bytes.length));
    if (st < 0) throw engineError(-st, "pushing to a provider stream");
    return this.#result();
  }

  finish(id: number): ProtoResult {
    const st = this.#call(() => this.#x.wl_proto_finish(id));
    if (st < 0) throw engineError(-st, "finishing a provider stream");
    return this.#result();
  }

  close(id: number): void {
    if (this.trapped) return; // the dead instance's streams went with it
    this.#x.wl_proto_close(id);
    this.#collect(64);
  }

  /** The release build uses the minimal runtime: the host collects between operations. */
  #collect(n: number): void {
    this.#calls += n;
    if (this.#calls >= 1024) { this.#calls = 0; this.#call(() => this.#x.wl_collect()); }
  }

  /** A view of the instance's memory, rebuilt only when memory grew (undici's wasm parser does the same). */
  #view(): DataView {
    const buf = this.#x.memory.buffer;
    if (this.#dv?.buffer !== buf) this.#dv = new DataView(buf);
    return this.#dv;
  }
  #dv: DataView | undefined;

  // decoded in place: only the client bytes are copied out (a push with no findings, the common
  // case, allocates that copy and the result object, nothing else)
  #result(): ProtoResult {
    const ptr = this.#x.wl_proto_result_ptr();
    const dv = this.#view();
    const flags = dv.getUint32(ptr + 4, true);
    const reason = dv.getUint32(ptr + 8, true);
    const action = ACTIONS[dv.getUint32(ptr + 12, true)];
    const nf = dv.getUint32(ptr + 16, true), nr = dv.getUint32(ptr + 20, true), outLen = dv.getUint32(ptr + 24, true);
    const stopKey = dv.getUint32(ptr + 28, true);
    let o = ptr + 32;
    const findings: ProtoFinding[] = [];
    for (let i = 0; i < nf; i++, o += 36) {
      findings.push({
        channel: channelOf(dv.getUint32(o, true)),
        typeId: dv.getUint32(o + 4, true),
        detector: DETECTORS[dv.getUint32(o + 8, true)] ?? "",
        action: ACTIONS[dv.getUint32(o + 12, true)],
        rule: dv.getInt32(o + 16, true),
        start: dv.getUint32(o + 20, true),
        end: dv.getUint32(o + 24, true),
        score: Math.round(dv.getFloat32(o + 28, true) * 1000) / 1000,
        aux: dv.getUint32(o + 32, true),
      });
    }
    const fired = [];
    for (let i = 0; i < nr; i++, o += 16) {
      fired.push({ rule: dv.getUint32(o, true), action: ACTIONS[dv.getUint32(o + 4, true)], mode: dv.getUint32(o + 8, true), channel: channelOf(dv.getUint32(o + 12, true)) });
    }
    const stopped = (flags & PROTO_STOPPED) !== 0;
    const bytes = new Uint8Array(dv.buffer.slice(o, o + outLen));
    this.#collect(1);
    return {
      bytes,
      flags,
      stopped,
      notScanned: (flags & PROTO_NOT_SCANNED) !== 0,
      reason: NOT_SCANNED_REASONS[reason] ?? "",
      dropped: (flags & PROTO_DROPPED) !== 0,
      action,
      findings,
      fired,
      stopChannel: stopped && stopKey !== 0xffffffff ? channelOf(stopKey) : undefined,
    };
  }
}

export interface GuardTransformOptions {
  /** pass input that cannot be scanned (true) or drop it (false, the default) */
  failOpen?: boolean;
  /** called once when a stop fired, after the terminal frames were enqueued: abort the upstream here */
  onStop?: (result: ProtoResult) => void;
  /** aborted (with a WardlineError, code WL_STREAM_STOPPED) when a stop fired */
  upstream?: AbortController;
  /** every push/finish result with findings, or with input that was not scanned */
  onResult?: (result: ProtoResult) => void;
  /** end the client stream right after the terminal frames (default true); the writable side
   *  then errors, which cancels a pipeThrough source */
  terminateOnStop?: boolean;
  /** pseudonym round trip: placeholders sent upstream at ingress put back as their values */
  restore?: Map<string, string> | Record<string, string>;
  /** per-request context for the prompt-leak guard (policy detector `leak`) */
  context?: { systemPrompt?: string; canaries?: string[] };
  /** called after every push and the finish with the engine time of that call and the byte
   *  counts so far (held = bytesIn − bytesOut, an estimate: redaction changes lengths);
   *  unset, nothing is timed */
  onTiming?: (t: StreamTiming) => void;
  /** an engine error during a push or the finish — including a trap (WL_ENGINE_TRAP, or
   *  WL_ENGINE_DISCARDED for a stream whose instance another call retired): return true to go on
   *  unscanned (the rest of the upstream bytes pass as they come, from the next SSE event
   *  boundary on, so the client never gets a cut event; what the guard held is dropped), false
   *  or unset to error the stream */
  onEngineError?: (error: Error) => boolean;
}

/** One push or finish of a guarded stream (GuardTransformOptions.onTiming). */
export interface StreamTiming {
  /** milliseconds spent in the engine for this call */
  ms: number;
  bytesIn: number;
  bytesOut: number;
}

/** Finds the first SSE event boundary (a blank line: LF LF or LF CR LF) across chunks. */
class EventBoundary {
  #p1 = 0; #p2 = 0; // the two bytes before the current chunk
  /** Index just past the boundary in `b`, or -1 (then remembers the tail for the next chunk). */
  after(b: Uint8Array): number {
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c === 0x0a && (this.#p1 === 0x0a || (this.#p1 === 0x0d && this.#p2 === 0x0a))) return i + 1;
      this.#p2 = this.#p1; this.#p1 = c;
    }
    return -1;
  }
}

/**
 * A TransformStream from upstream body bytes to guarded client bytes.
 * @example
 * const pe = new ProtocolEngine(module);
 * const h = pe.loadPolicy(guard.policyBytes);
 * const upstream = new AbortController();
 * const res = await fetch(url, { ...init, signal: upstream.signal });
 * return new Response(res.body!.pipeThrough(guardTransform(pe, h, "openai-chat", { upstream })), res);
 */
export function guardTransform(engine: ProtocolEngine, handle: number, provider: Provider | number, options: GuardTransformOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  // `cancel` (WHATWG Streams, 2023) is not in every lib's Transformer type yet: pass it untyped
  return new TransformStream<Uint8Array, Uint8Array>(guardTransformer(engine, handle, provider, options) as Transformer<Uint8Array, Uint8Array>);
}

/** What a guarded stream writes to (a TransformStreamDefaultController has both). */
export interface GuardSink { enqueue(chunk: Uint8Array): void; terminate(): void }

/** The steps of guardTransform without the TransformStream around them, for a host that moves
 *  the bytes itself (host-proxy/guarded-body.ts: one stream stage instead of several per chunk).
 *  Call start() once, transform() per upstream chunk, flush() at its end, cancel() if it is cut. */
export interface GuardTransformer {
  start(): void;
  transform(chunk: Uint8Array, sink: GuardSink): void;
  flush(sink: GuardSink): void;
  cancel(): void;
}

/**
 * The transformer of guardTransform, to drive by hand.
 * @example
 * const t = guardTransformer(pe, h, "openai-chat");
 * t.start();
 * const out: Uint8Array[] = [];
 * const sink = { enqueue: (b: Uint8Array) => out.push(b), terminate() {} };
 * for (const chunk of chunks) t.transform(chunk, sink);
 * t.flush(sink);
 */
export function guardTransformer(engine: ProtocolEngine, handle: number, provider: Provider | number, options: GuardTransformOptions = {}): GuardTransformer {
  let id = 0;
  let stopped = false;
  /** after an engine error the host chose to go on: "seek" drops up to the next event boundary, "pass" forwards */
  let unscanned: "" | "seek" | "pass" = "";
  let bytesIn = 0, bytesOut = 0;
  const { onTiming, onEngineError } = options;
  // a trapped instance's streams are gone with it: closing may throw WL_ENGINE_DISCARDED
  const close = () => { if (id) { const i = id; id = 0; try { engine.close(i); } catch { /* instance retired */ } } };
  // engine calls, timed only when asked; an engine error ends the engine stream (nothing calls
  // cancel after a transformer throws) and goes to the host's choice
  const call = (fn: () => ProtoResult, inLen: number): ProtoResult | undefined => {
    bytesIn += inLen;
    const t0 = onTiming ? performance.now() : 0;
    let r: ProtoResult;
    try {
      r = fn();
    } catch (e) {
      close();
      if (!onEngineError?.(e as Error)) throw e;
      unscanned = "seek";
      return undefined;
    }
    bytesOut += r.bytes.length;
    if (onTiming) onTiming({ ms: performance.now() - t0, bytesIn, bytesOut });
    return r;
  };
  const boundary = new EventBoundary();
  const passUnscanned = (chunk: Uint8Array, controller: GuardSink) => {
    if (unscanned === "seek") {
      const at = boundary.after(chunk);
      if (at < 0) return;
      unscanned = "pass";
      chunk = chunk.subarray(at);
    }
    if (chunk.length > 0) controller.enqueue(chunk);
  };
  const handle_ = (r: ProtoResult, controller: GuardSink) => {
    // onResult first: a host that refuses malformed input throws there, and then none of this
    // push's output (which may include events after the malformed one) is released
    if (options.onResult && (r.findings.length > 0 || r.notScanned)) options.onResult(r);
    if (r.bytes.length > 0) controller.enqueue(r.bytes);
    if (r.stopped && !stopped) {
      stopped = true;
      options.onStop?.(r);
      options.upstream?.abort(new WardlineError("a stop rule ended the stream (WL_STREAM_STOPPED)", "WL_STREAM_STOPPED" as ErrorCode));
      close();
      if (options.terminateOnStop ?? true) controller.terminate();
    }
  };
  // a host that refuses the result (onResult throws) errors the stream: end the engine stream too
  const handled = (r: ProtoResult, controller: GuardSink) => {
    try { handle_(r, controller); } catch (e) { close(); throw e; }
  };
  return {
    start() {
      id = engine.open(handle, provider, options.failOpen ?? false);
      const restore = options.restore instanceof Map ? options.restore : options.restore ? new Map(Object.entries(options.restore)) : undefined;
      if (restore || options.context) engine.setContext(id, { restore, context: options.context });
    },
    transform(chunk: Uint8Array, controller: GuardSink) {
      if (unscanned) return passUnscanned(chunk, controller);
      if (stopped || !id) return;
      const r = call(() => { checkEngineFault("stream"); return engine.push(id, chunk); }, chunk.length);
      if (r) handled(r, controller);
      // the failing chunk itself: from its next event boundary on
      else passUnscanned(chunk, controller);
    },
    flush(controller: GuardSink) {
      if (unscanned || stopped || !id) return;
      const r = call(() => engine.finish(id), 0);
      if (r) handled(r, controller);
      close();
    },
    cancel() { close(); },
  };
}
