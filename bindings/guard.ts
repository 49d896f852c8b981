// createGuard and the Guard: the runtime-neutral API over one engine instance and one
// compiled policy. No node:* imports here: Node/Deno add file paths in index.ts, the
// browser adds URLs in browser.ts.
import { Engine, PHASES, DETECTORS, ACTIONS, FLAG_STOPPED, FLAG_OVERFLOW, type Phase, type Action, type RawResult } from "./engine.ts";
import { byteOffsetsToUtf16 } from "./offsets.ts";
import { parsePolicy, policyFromObject } from "./policy/parse.ts";
import { compilePolicy } from "./policy/compile.ts";
import type { PolicyIR } from "./policy/ir.ts";
import { POLICY_MAGIC } from "./policy/encode/container.ts";
import { WardlineError } from "./errors.ts";
import { policyHash } from "./policy/hash.ts";
import { inspectRequest, type RequestInspection } from "./inspect-request.ts";
import { guardTransform, guardTransformer, type GuardTransformer } from "./transform.ts";
import { checkEngineFault } from "./test-faults.ts";
import { inspectResponse, responseEngine, type ResponseInspection } from "./inspect-response.ts";
import { EngineCell } from "./engine-recovery.ts";

export type { Phase, Action };

/** A finding in the caller's coordinates. */
export interface Finding {
  /** pii | secrets | injection | toxicity | custom */
  detector: string;
  /** upper-case entity type, e.g. EMAIL, CREDIT_CARD, GITHUB_TOKEN, INSTRUCTION_OVERRIDE */
  type: string;
  /** id of the rule that acted on this finding (undefined when none did) */
  rule?: string;
  /** what was done to it: allow (reported only), flag, redact, pseudonymize, block, stop, … */
  action: Action;
  /** UTF-16 indices for string input, byte offsets for Uint8Array input; end exclusive */
  start: number;
  end: number;
  /** 0..1, after context words */
  score: number;
  /** for pseudonymised spans: the placeholder sent instead, e.g. <EMAIL_1> */
  placeholder?: string;
}

export interface FiredRule { id: string; action: Action; mode: "enforce" | "flag" | "shadow"; message?: string }

export interface ScanResult {
  /** the strongest action any enforced rule took */
  action: Action;
  /** the input with the policy's redactions applied (cut where a stop/block fired) */
  text: string;
  findings: Finding[];
  /** rules that fired, in the order they did */
  rules: FiredRule[];
  /** true when a stop or block cut the text */
  stopped: boolean;
  /** the message of the block/stop rule that fired, if any */
  message?: string;
  policyHash: string;
}

export interface StreamOptions {
  /** phase of the stream (default midstream) */
  phase?: Phase;
  /** per-request context for the prompt-leak guard (policy detector `leak`) */
  context?: { systemPrompt?: string; canaries?: string[] };
  /** pseudonym round trip: placeholders (e.g. from a pseudonymised request) put back as their values */
  restore?: Record<string, string> | Map<string, string>;
}

export interface ScanBytesResult extends Omit<ScanResult, "text"> { text: Uint8Array }

export type PolicyInput = string | Uint8Array | PolicyIR | Record<string, unknown>;

export interface GuardOptions {
  /** YAML text, a policy object, or compiled policy bytes (Node/Deno also accept a file path) */
  policy: PolicyInput;
  /** a compiled engine module (bindings choose the default for their runtime) */
  module: WebAssembly.Module;
}

// ignoreBOM: a U+FEFF at the start of a text is content; the default decoder would drop it
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

export function isCompiledPolicy(b: Uint8Array): boolean {
  return b.length >= 4 && new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true) === POLICY_MAGIC;
}

/** Compiles a policy (YAML text, IR or object) to the bytes the engine loads. */
export function compileWith(engine: Engine, policy: Exclude<PolicyInput, Uint8Array>, file = "<inline>"): Uint8Array {
  const ir: PolicyIR =
    typeof policy === "string" ? parsePolicy(policy, file) :
    (policy as PolicyIR).detectors && (policy as PolicyIR).settings && (policy as PolicyIR).source ? (policy as PolicyIR) :
    policyFromObject(policy);
  return compilePolicy(ir, (t) => engine.lexiconKeys(t)).bytes;
}

export class Guard {
  readonly policyHash: string;
  readonly policyBytes: Uint8Array;
  /** the live engine instance and its policy handle; replaced after a trap (bindings/engine-recovery.ts) */
  readonly #cell: EngineCell;
  readonly #types: { name: string; detector: string }[];
  readonly #rules: { id: string; action: Action; mode: string; message?: string }[];

  /** Use createGuard(); this constructor takes an engine that already loaded the policy. */
  constructor(engine: Engine, bytes: Uint8Array, hash: string) {
    this.policyBytes = bytes;
    this.#cell = new EngineCell(engine, bytes);
    this.policyHash = hash;
    const info = engine.policyInfo(this.#cell.handle);
    this.#types = info.types;
    this.#rules = info.rules;
  }

  /** How many times a trapped engine instance was replaced by a fresh one (same policy). */
  get engineRestarts(): number { return this.#cell.restarts; }

  /** Entity types the loaded policy can report. */
  get types(): string[] { return this.#types.map((t) => t.name); }

  /**
   * Scans a whole text in one phase.
   * @example
   * const r = guard.scan("my card is 4111 1111 1111 1111", { phase: "ingress" });
   * r.action;   // "redact"
   * r.text;     // "my card is **** **** **** 1111"
   */
  scan(input: string, options?: { phase?: Phase }): ScanResult;
  scan(input: Uint8Array, options?: { phase?: Phase }): ScanBytesResult;
  scan(input: string | Uint8Array, options: { phase?: Phase } = {}): ScanResult | ScanBytesResult {
    const phase = phaseBit(options.phase ?? "ingress");
    const cell = this.#cell;
    const raw = cell.run(() => cell.engine.scan(cell.handle, phase, input));
    if (typeof input === "string") {
      // ASCII text (as many UTF-8 bytes as UTF-16 units): byte offsets are UTF-16 indices
      const findings = raw.inputBytes === input.length ? this.#findings(raw) : this.#findings(raw, input);
      return { ...this.#common(raw), findings, text: decoder.decode(raw.text) };
    }
    return { ...this.#common(raw), findings: this.#findings(raw), text: raw.text.slice() };
  }

  /**
   * A stream for one text channel: push chunks as they arrive; each push returns what
   * is now safe to release. Output for any chunking equals scan(whole).text.
   * @example
   * const s = guard.stream({ phase: "midstream" });
   * let out = s.push("Call me at 415-55").text + s.push("5-2671 now").text + s.finish().text;
   */
  stream(options: StreamOptions = {}): GuardStream {
    const phase = phaseBit(options.phase ?? "midstream");
    const cell = this.#cell;
    return cell.run(() => {
      const engine = cell.engine;
      const id = engine.streamOpen(cell.handle, phase);
      if (options.context) engine.streamContext(id, options.context.systemPrompt ?? "", options.context.canaries ?? []);
      if (options.restore) {
        const table = options.restore instanceof Map ? [...options.restore] : Object.entries(options.restore);
        engine.streamRestore(id, table);
      }
      return new GuardStream(this, engine, id);
    });
  }

  /**
   * The placeholder table of a pseudonymised request, for stream({ restore }):
   * every placeholder of `result` mapped to the original text it replaced.
   * @example
   * const req = guard.scan(prompt, { phase: "ingress" });          // "<EMAIL_1>" sent upstream
   * const s = guard.stream({ restore: Guard.restoreTable(prompt, req) }); // the user reads the address again
   */
  static restoreTable(original: string, result: ScanResult): Map<string, string> {
    const m = new Map<string, string>();
    for (const f of result.findings) if (f.placeholder) m.set(f.placeholder, original.slice(f.start, f.end));
    return m;
  }

  /**
   * Ingress for a provider request body: every text part scanned, the verdict, and the
   * rewritten body when anything was redacted or pseudonymised.
   * @example
   * const r = guard.inspectRequest("openai-chat", body);
   * if (r.action === "block") return errorResponse(r.message);
   * forward(r.body ?? body);
   */
  inspectRequest(provider: "openai-chat" | "openai-responses" | "anthropic", body: Uint8Array | string): RequestInspection {
    checkEngineFault("request");
    const cell = this.#cell;
    return cell.run(() => inspectRequest(cell.engine, cell.handle, provider, body));
  }

  /**
   * A complete (non-streamed) provider response: every text part scanned with the midstream
   * and egress rules, redacted in place; a stop cuts the text and sets the finish reason.
   * @example
   * const r = guard.inspectResponse("openai-chat", await upstream.text());
   * return new Response(r.body, { status: upstream.status, headers: upstream.headers });
   */
  inspectResponse(provider: "openai-chat" | "openai-responses" | "anthropic", body: Uint8Array | string): ResponseInspection {
    checkEngineFault("response");
    const cell = this.#cell;
    return cell.run(() => inspectResponse(responseEngine(cell.engine), cell.handle, provider, body));
  }

  /**
   * A Web TransformStream for one streamed provider response: upstream SSE bytes in,
   * guarded SSE bytes out (same frames, text redacted; a stop ends the stream with the
   * provider's own terminal frames and calls onStop so the host can abort upstream).
   * @example
   * const guarded = upstreamResponse.body!.pipeThrough(guard.transform("openai-chat", { upstream: controller }));
   */
  transform(provider: "openai-chat" | "openai-responses" | "anthropic", options: Parameters<typeof guardTransform>[3] = {}): TransformStream<Uint8Array, Uint8Array> {
    // a trap inside a provider stream marks its instance dead; protocol() then starts a fresh one
    const cell = this.#cell;
    return cell.run(() => guardTransform(cell.protocol(), cell.handle, provider, options));
  }

  /**
   * The same guarded stream as transform() without the TransformStream, for a host that moves
   * the bytes itself (the proxy: one stream stage per chunk instead of several). Already started.
   * @example
   * const t = guard.transformer("openai-chat");
   * const sink = { enqueue: (b: Uint8Array) => socket.write(b), terminate: () => socket.end() };
   * t.transform(upstreamChunk, sink); // per chunk
   * t.flush(sink); // at the end
   */
  transformer(provider: "openai-chat" | "openai-responses" | "anthropic", options: Parameters<typeof guardTransform>[3] = {}): GuardTransformer {
    const cell = this.#cell;
    return cell.run(() => { const t = guardTransformer(cell.protocol(), cell.handle, provider, options); t.start(); return t; });
  }

  /** @internal */
  common(raw: RawResult): Omit<ScanResult, "text" | "findings"> { return this.#common(raw); }

  #common(raw: RawResult): Omit<ScanResult, "text" | "findings"> {
    const rules: FiredRule[] = raw.fired.map((f) => {
      const r = this.#rules[f.rule];
      return { id: r.id, action: ACTIONS[f.action], mode: r.mode as FiredRule["mode"], message: r.message };
    });
    const stopped = (raw.flags & FLAG_STOPPED) !== 0;
    const action = ACTIONS[raw.action];
    const cut = rules.find((r) => r.mode === "enforce" && (r.action === "block" || r.action === "stop"));
    return { action, rules, stopped, message: cut?.message, policyHash: this.policyHash };
  }

  /** @internal resolve ids; map byte offsets to UTF-16 when the input was a string
   *  (`text` starts at byte baseByte, unit baseUnit; without it offsets shift by baseUnit - baseByte). */
  findings(raw: RawResult, text?: string, baseByte = 0, baseUnit = 0): Finding[] { return this.#findings(raw, text, baseByte, baseUnit); }

  #findings(raw: RawResult, text?: string, baseByte = 0, baseUnit = 0): Finding[] {
    if (raw.findings.length === 0) return [];
    const list = raw.findings.length > 1 ? [...raw.findings].sort((a, b) => a.start - b.start || b.end - a.end) : raw.findings;
    const map = text !== undefined ? byteOffsetsToUtf16(text, list.flatMap((f) => [f.start, f.end]), baseByte, baseUnit) : undefined;
    const shift = baseUnit - baseByte;
    return list.map((f) => {
      const t = this.#types[f.typeId];
      const start = map ? map.get(f.start)! : f.start + shift;
      const end = map ? map.get(f.end)! : f.end + shift;
      // one literal per shape (no `delete`: it would turn the object into a slow dictionary)
      const finding: Finding = f.rule >= 0
        ? { detector: DETECTORS[f.detector], type: t.name, rule: this.#rules[f.rule].id, action: ACTIONS[f.action], start, end, score: f.score }
        : { detector: DETECTORS[f.detector], type: t.name, action: ACTIONS[f.action], start, end, score: f.score };
      if (f.aux > 0) finding.placeholder = `<${t.name}_${f.aux}>`;
      return finding;
    });
  }
}

export interface StreamChunk {
  /** bytes (or text) that are now safe to deliver */
  text: string;
  /** findings decided by this push */
  findings: Finding[];
  /** strongest action so far */
  action: Action;
  /** a stop fired: deliver `text`, then end the stream the provider's way */
  stopped: boolean;
  message?: string;
  /** bytes held back after this push */
  held: number;
  /** a pending match outgrew max_holdback (released or stopped as the policy says) */
  overflow: boolean;
}

export class GuardStream {
  readonly #guard: Guard;
  readonly #engine: Engine;
  readonly #id: number;
  #closed = false;
  // string streams: text not yet released, to map byte offsets to UTF-16 indices
  #pending = "";
  #pendingByte = 0; // absolute byte offset of #pending[0]
  #pendingUnit = 0; // absolute UTF-16 index of #pending[0]
  #pendingBytes = 0; // UTF-8 length of #pending (== its length when it is ASCII)
  #carry = ""; // a high surrogate waiting for its pair
  #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  constructor(guard: Guard, engine: Engine, id: number) {
    this.#guard = guard;
    this.#engine = engine;
    this.#id = id;
  }

  /** Pushes a chunk; returns what is now safe to release. */
  push(chunk: string): StreamChunk {
    this.#check();
    let text = this.#carry + chunk;
    this.#carry = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) { this.#carry = text.slice(-1); text = text.slice(0, -1); }
    this.#pending += text;
    const raw = this.#engine.streamPush(this.#id, text);
    this.#pendingBytes += raw.inputBytes;
    return this.#chunk(raw);
  }

  /** Pushes raw bytes (offsets in findings are byte offsets); returns released bytes. */
  pushBytes(chunk: Uint8Array): Omit<StreamChunk, "text"> & { bytes: Uint8Array } {
    this.#check();
    const raw = this.#engine.streamPush(this.#id, chunk);
    return { ...this.#meta(raw, this.#guard.findings(raw)), bytes: raw.text.slice() };
  }

  /** Ends the stream: releases everything still held (and appends disclaimers). */
  finish(): StreamChunk {
    this.#check();
    if (this.#carry) { this.#pending += this.#carry; this.#pendingBytes += this.#engine.streamPush(this.#id, this.#carry).inputBytes; this.#carry = ""; }
    const out = this.#chunk(this.#engine.streamFinish(this.#id));
    this.close();
    return out;
  }

  finishBytes(): Omit<StreamChunk, "text"> & { bytes: Uint8Array } {
    this.#check();
    const raw = this.#engine.streamFinish(this.#id);
    const r = { ...this.#meta(raw, this.#guard.findings(raw)), bytes: raw.text.slice() };
    this.close();
    return r;
  }

  /** Frees the engine stream (finish() does it too). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#engine.streamClose(this.#id);
  }

  #check(): void {
    if (this.#closed) throw new WardlineError("the stream is closed (WL_STREAM_CLOSED)", "WL_STREAM_CLOSED");
  }

  #chunk(raw: RawResult): StreamChunk {
    // ASCII pending text: a byte offset is a UTF-16 index (shifted by what came before)
    const ascii = this.#pendingBytes === this.#pending.length;
    const findings = this.#guard.findings(raw, ascii ? undefined : this.#pending, this.#pendingByte, this.#pendingUnit);
    const text = this.#decoder.decode(raw.text, { stream: true });
    // forget text that was released (findings never start before the released offset)
    const released = this.#pendingByte + this.#pendingBytes - raw.held;
    if (released > this.#pendingByte) {
      const m = ascii ? released - this.#pendingByte : byteOffsetsToUtf16(this.#pending, [released], this.#pendingByte, 0).get(released)!;
      this.#pending = this.#pending.slice(m);
      this.#pendingUnit += m;
      this.#pendingBytes -= released - this.#pendingByte;
      this.#pendingByte = released;
    }
    return { ...this.#meta(raw, findings), text };
  }

  #meta(raw: RawResult, findings: Finding[]): Omit<StreamChunk, "text"> {
    const c = this.#guard.common(raw);
    return { findings, action: c.action, stopped: c.stopped, message: c.message, held: raw.held, overflow: (raw.flags & FLAG_OVERFLOW) !== 0 };
  }
}


function phaseBit(p: Phase): number {
  const b = PHASES[p];
  if (!b) throw new WardlineError(`unknown phase "${p}" (ingress, midstream, egress) (WL_BAD_PHASE)`, "WL_BAD_PHASE");
  return b;
}

/**
 * Creates a guard from a policy and an engine module (runtime entry points pass the module).
 * @example
 * const guard = await createGuardWith({ policy: yamlText, module });
 */
export async function createGuardWith(options: GuardOptions): Promise<Guard> {
  const engine = new Engine(options.module);
  const p = options.policy;
  const bytes = p instanceof Uint8Array ? (isCompiledPolicy(p) ? p : compileWith(engine, decoder.decode(p))) : compileWith(engine, p);
  return new Guard(engine, bytes, await policyHash(bytes));
}
