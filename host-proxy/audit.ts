// Audit log: an append-only JSONL file, one record per policy decision, chained by hashes.
//
// Each line is one JSON object written by JSON.stringify, whose last two fields are
//   "prev": the `hash` of the record before it (sha256:000… for the first record ever), and
//   "hash": "sha256:" + hex SHA-256 of the line's own text without `,"hash":"…"` (that is, the
//           JSON text of the record up to and including "prev", closed with "}").
// Editing any byte of a line breaks its own hash; removing or reordering lines breaks the links.
// The chain continues across restarts (the last record is read on open) and across rotation by
// size: the full file is renamed to FILE.<seq of its last record> and the new file's first record
// links to the old file's last hash.
//
// Matched text never appears in the file unless `raw` is on: each finding carries its type,
// offsets and an HMAC-SHA256 of the matched text under a salt (audit.salt, or a random salt kept
// in FILE.salt) — equal values hash equal within one deployment, without being readable.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { appendFile, rename } from "node:fs/promises";
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync, writeFileSync, fstatSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Guard, Finding } from "../bindings/index.ts";
import type { RequestInspection } from "../bindings/inspect-request.ts";
import type { ProtoResult } from "../bindings/transform.ts";
import type { PolicyNames } from "./policy-names.ts";

export const GENESIS = "sha256:" + "0".repeat(64);
/** Upstream bytes of one streamed answer kept for the whole-answer (egress) record. */
const MAX_STREAM_BYTES = 4 * 1024 * 1024;
const ACTION_RANK = ["allow", "flag", "disclaimer", "pseudonymize", "redact", "stop", "block"];

export interface AuditOptions {
  file: string;
  /** write the matched text itself (default false: salted hashes only) */
  raw?: boolean;
  /** rotate when the file would grow past this many bytes (0: never) */
  maxBytes?: number;
  /** HMAC salt for matched text; default: a random salt kept in FILE.salt */
  salt?: string;
  /** called when a write fails (the proxy logs it) */
  onError?: (e: Error) => void;
}

export interface AuditFinding {
  type: string;
  detector?: string;
  rule?: string;
  /** JSON path of the text part (ingress, whole answers) or the stream channel */
  path?: string;
  /** offsets into that part's text: UTF-16 for parts, bytes for stream channels */
  start: number;
  end: number;
  /** hmac-sha256:… of the matched text under the salt (absent when the text is unknown) */
  hash?: string;
  /** the matched text, only with audit.raw */
  text?: string;
}

export interface AuditRecord {
  ts: string;
  request_id: string;
  session_id: string | null;
  tenant: string | null;
  policy: string;
  route: string;
  phase: "ingress" | "midstream" | "egress";
  action: string;
  rules: string[];
  findings: AuditFinding[];
  /** set on records that could not see the whole text (answer larger than the audit buffer, unscanned input) */
  partial?: boolean;
}

function sha256(s: string): string { return "sha256:" + createHash("sha256").update(s, "utf8").digest("hex"); }

const HASH_TAIL = /,"hash":"(sha256:[0-9a-f]{64})"\}$/;

/** The hash a line should carry, or undefined when the line has no hash field at its end. */
export function lineHash(line: string): { stated: string; computed: string } | undefined {
  const m = HASH_TAIL.exec(line);
  if (!m) return undefined;
  return { stated: m[1], computed: sha256(line.slice(0, m.index) + "}") };
}

/** The last non-empty line of a file (reads only its tail). */
function lastLine(file: string): string | undefined {
  let fd: number;
  try { fd = openSync(file, "r"); } catch { return undefined; }
  try {
    const size = fstatSync(fd).size;
    let want = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - want);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString("utf8").replace(/\n+$/, "");
      const nl = text.lastIndexOf("\n");
      if (nl >= 0 || start === 0) return text.slice(nl + 1) || undefined;
      want *= 4;
    }
  } finally { closeSync(fd); }
}

/** Rotated siblings FILE.<n>, oldest first. */
export function rotatedFiles(file: string): string[] {
  const dir = dirname(file), base = basename(file);
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => n.startsWith(base + ".") && /^\d+$/.test(n.slice(base.length + 1)))
    .sort((a, b) => Number(a.slice(base.length + 1)) - Number(b.slice(base.length + 1)))
    .map((n) => join(dir, n));
}

export class AuditLog {
  readonly file: string;
  readonly raw: boolean;
  readonly maxBytes: number;
  #salt: string;
  #prev = GENESIS;
  #seq = 0;
  #size = 0;
  #queue: Promise<void> = Promise.resolve();
  #onError: (e: Error) => void;
  #pending = new Set<Promise<void>>();

  constructor(options: AuditOptions) {
    this.file = options.file;
    this.raw = options.raw ?? false;
    this.maxBytes = options.maxBytes ?? 0;
    this.#onError = options.onError ?? (() => {});
    this.#salt = options.salt || this.#fileSalt();
    // continue the chain: the last record of the file, or of the newest rotated file
    let last = lastLine(this.file);
    if (last === undefined) { const r = rotatedFiles(this.file); if (r.length) last = lastLine(r[r.length - 1]); }
    if (last !== undefined) {
      const h = lineHash(last);
      let seq = NaN;
      try { seq = Number(JSON.parse(last).seq); } catch { /* checked below */ }
      if (!h || h.stated !== h.computed || !Number.isSafeInteger(seq)) {
        throw new Error(`${this.file}: the last audit record is damaged; run \`wardline audit verify ${this.file}\` and move the file aside`);
      }
      this.#prev = h.stated;
      this.#seq = seq;
    }
    try { this.#size = statSync(this.file).size; } catch { this.#size = 0; }
  }

  #fileSalt(): string {
    const f = this.file + ".salt";
    if (existsSync(f)) return readFileSync(f, "utf8").trim();
    const s = randomBytes(32).toString("hex");
    writeFileSync(f, s + "\n", { mode: 0o600, flag: "wx" });
    return s;
  }

  /** The finding's audit form: salted hash of the matched text, the text itself only when raw. */
  finding(f: { type: string; detector?: string; rule?: string; start: number; end: number }, matched: string | undefined, path?: string): AuditFinding {
    const out: AuditFinding = { type: f.type, detector: f.detector, rule: f.rule, path, start: f.start, end: f.end };
    if (matched !== undefined) {
      out.hash = "hmac-sha256:" + createHmac("sha256", this.#salt).update(matched, "utf8").digest("hex");
      if (this.raw) out.text = matched;
    }
    return out;
  }

  /** Appends one record: chained now (in call order), written in order in the background. */
  append(record: AuditRecord): void {
    const seq = ++this.#seq;
    const body = JSON.stringify({ seq, ...record, prev: this.#prev });
    const hash = sha256(body);
    const line = body.slice(0, -1) + `,"hash":"${hash}"}\n`;
    this.#prev = hash;
    const len = Buffer.byteLength(line);
    const rotateFirst = this.maxBytes > 0 && this.#size > 0 && this.#size + len > this.maxBytes;
    const rotatedName = `${this.file}.${seq - 1}`;
    this.#size = rotateFirst ? len : this.#size + len;
    const p = this.#queue.then(async () => {
      if (rotateFirst) await rename(this.file, rotatedName);
      await appendFile(this.file, line, { mode: 0o600 });
    }).catch((e: Error) => this.#onError(e));
    this.#queue = p;
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p));
  }

  /** Work started after an exchange (egress records) is tracked so flush() waits for it. */
  track(p: Promise<void>): void {
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p));
  }

  /** Resolves when every record appended or scheduled so far is on disk. */
  async flush(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
    await this.#queue;
  }

  /** Audit of one exchange. */
  exchange(info: { requestId: string; sessionId: string | null; tenant: string | null; route: string; provider: string; guard: Guard; names: PolicyNames }): ExchangeAudit {
    return new ExchangeAudit(this, info);
  }
}

const strongest = (actions: string[]) => actions.reduce((a, b) => (ACTION_RANK.indexOf(b) > ACTION_RANK.indexOf(a) ? b : a), "allow");

/** The records of one request: ingress, midstream (per stream), egress (whole answer). */
export class ExchangeAudit {
  #mid: ProtoResult[] = [];
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #truncated = false;
  #ended = false;

  constructor(readonly log: AuditLog, readonly info: { requestId: string; sessionId: string | null; tenant: string | null; route: string; provider: string; guard: Guard; names: PolicyNames }) {}

  #base(phase: AuditRecord["phase"]) {
    const i = this.info;
    return { ts: new Date().toISOString(), request_id: i.requestId, session_id: i.sessionId, tenant: i.tenant, policy: i.guard.policyHash, route: i.route, phase };
  }

  #parts(parts: { path: string; text: string; findings: Finding[] }[]): { findings: AuditFinding[]; rules: string[] } {
    const findings: AuditFinding[] = [];
    const rules = new Set<string>();
    for (const p of parts) for (const f of p.findings) {
      findings.push(this.log.finding(f, p.text.slice(f.start, f.end), p.path));
      if (f.rule) rules.add(f.rule);
    }
    return { findings, rules: [...rules] };
  }

  /** The ingress decision on the request. */
  ingress(r: RequestInspection): void {
    const { findings, rules } = this.#parts(r.parts);
    if (r.rule && !rules.includes(r.rule)) rules.push(r.rule);
    this.log.append({ ...this.#base("ingress"), action: r.action, rules, findings, ...(r.notScanned.length ? { partial: true } : {}) });
  }

  /** A whole (non-streamed) answer's decision. */
  whole(r: { action: string; rule?: string; parts?: { path: string; text: string; findings: Finding[] }[] }): void {
    const { findings, rules } = this.#parts(r.parts ?? []);
    if (r.rule && !rules.includes(r.rule)) rules.push(r.rule);
    this.log.append({ ...this.#base("egress"), action: r.action, rules, findings });
  }

  /** Upstream SSE bytes pass through unchanged; a copy (bounded) is kept for the records. */
  tap(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    return source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, c) => { this.record(chunk); c.enqueue(chunk); },
    }));
  }

  /** tap's step without the stream: keep a copy (bounded) of one upstream chunk. */
  record(chunk: Uint8Array): void {
    if (this.#bytes + chunk.length <= MAX_STREAM_BYTES) { this.#chunks.push(chunk.slice()); this.#bytes += chunk.length; } else this.#truncated = true;
  }

  /** One midstream result (Guard.transform onResult). */
  midstream(r: ProtoResult): void { this.#mid.push(r); }

  /**
   * The streamed answer ended (finished, stopped, failed or cancelled): asynchronously, one
   * midstream record (what was done while streaming) and one egress record (the whole answer
   * scanned at once under the egress rules of the policy the stream started with).
   */
  streamEnded(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.log.track(new Promise<void>((resolve) => setTimeout(() => {
      try { this.#writeStreamRecords(); } catch (e) { /* an audit failure never affects traffic */ void e; } finally { resolve(); }
    }, 0)));
  }

  #writeStreamRecords(): void {
    const all = new Uint8Array(this.#bytes);
    let o = 0;
    for (const c of this.#chunks) { all.set(c, o); o += c.length; }
    this.#chunks = [];
    const channels = channelTexts(this.info.provider, new TextDecoder().decode(all));
    const enc = new TextEncoder(), dec = new TextDecoder();
    const { names } = this.info;
    // midstream: the rules that fired while streaming; offsets are bytes in the channel's text
    const mf: AuditFinding[] = [];
    const rules = new Set<string>();
    const actions: string[] = [];
    for (const r of this.#mid) {
      actions.push(r.action);
      for (const f of r.findings) {
        const path = channelPath(this.info.provider, f.channel);
        const text = path !== undefined ? channels.get(path) : undefined;
        const bytes = text !== undefined ? enc.encode(text) : undefined;
        const matched = bytes && f.end <= bytes.length ? dec.decode(bytes.subarray(f.start, f.end)) : undefined;
        const rule = f.rule >= 0 ? names.rules[f.rule] : undefined;
        mf.push(this.log.finding({ type: names.types[f.typeId] ?? String(f.typeId), detector: f.detector, rule, start: f.start, end: f.end }, matched, path));
      }
      for (const f of r.fired) rules.add(names.rules[f.rule] ?? String(f.rule));
    }
    const partial = this.#truncated || this.#mid.some((r) => r.notScanned);
    if (this.#mid.length) this.log.append({ ...this.#base("midstream"), action: strongest(actions), rules: [...rules], findings: mf, ...(partial ? { partial: true } : {}) });
    // egress: the whole answer, per channel
    const parts: { path: string; text: string; findings: Finding[] }[] = [];
    const eActions: string[] = [];
    for (const [path, text] of channels) {
      const s = this.info.guard.scan(text, { phase: "egress" });
      eActions.push(s.action);
      parts.push({ path, text, findings: s.findings });
    }
    const { findings, rules: er } = this.#parts(parts);
    this.log.append({ ...this.#base("egress"), action: strongest(eActions), rules: er, findings, ...(this.#truncated ? { partial: true } : {}) });
  }
}

/** The path naming a provider-stream channel (bindings/transform.ts ChannelId). */
export function channelPath(provider: string, ch: { group: number; kind: number; sub: number }): string | undefined {
  const { group: g, kind: k, sub: s } = ch;
  if (provider === "openai-chat") return k === 0 ? `choices[${g}].content` : k === 1 ? `choices[${g}].refusal` : k === 2 ? `choices[${g}].tool_calls[${s}].arguments` : k === 3 ? `choices[${g}].function_call.arguments` : undefined;
  if (provider === "anthropic") return k === 0 ? `content[${g}].text` : k === 1 ? `content[${g}].input` : k === 2 ? `content[${g}].thinking` : undefined;
  if (provider === "openai-responses") return k === 0 ? `output[${g}].content[${s}].text` : k === 1 ? `output[${g}].content[${s}].refusal` : k === 2 ? `output[${g}].arguments` : k === 3 ? `output[${g}].summary[${s}].text` : k === 4 ? `output[${g}].content[${s}].reasoning` : undefined;
  return undefined;
}

/**
 * The text of each channel of a complete SSE body, keyed like channelPath. Only reassembles the
 * deltas the providers document; all matching is the engine's (AuditLog scans these texts).
 */
export function channelTexts(provider: string, sse: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (path: string, s: unknown) => { if (typeof s === "string" && s) out.set(path, (out.get(path) ?? "") + s); };
  for (const event of sse.split(/\r?\n\r?\n/)) {
    const data = event.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
    if (!data || data === "[DONE]") continue;
    let j: Record<string, any>;
    try { j = JSON.parse(data); } catch { continue; }
    if (provider === "openai-chat") {
      for (const c of j.choices ?? []) {
        const g = c.index ?? 0, d = c.delta ?? {};
        add(`choices[${g}].content`, d.content);
        add(`choices[${g}].refusal`, d.refusal);
        for (const t of d.tool_calls ?? []) add(`choices[${g}].tool_calls[${t.index ?? 0}].arguments`, t.function?.arguments);
        add(`choices[${g}].function_call.arguments`, d.function_call?.arguments);
      }
    } else if (provider === "anthropic") {
      if (j.type !== "content_block_delta") continue;
      const g = j.index ?? 0, d = j.delta ?? {};
      if (d.type === "text_delta") add(`content[${g}].text`, d.text);
      else if (d.type === "input_json_delta") add(`content[${g}].input`, d.partial_json);
      else if (d.type === "thinking_delta") add(`content[${g}].thinking`, d.thinking);
    } else if (provider === "openai-responses") {
      const g = j.output_index ?? 0, s = j.content_index ?? 0;
      if (j.type === "response.output_text.delta") add(`output[${g}].content[${s}].text`, j.delta);
      else if (j.type === "response.refusal.delta") add(`output[${g}].content[${s}].refusal`, j.delta);
      else if (j.type === "response.function_call_arguments.delta") add(`output[${g}].arguments`, j.delta);
      else if (j.type === "response.reasoning_summary_text.delta") add(`output[${g}].summary[${j.summary_index ?? 0}].text`, j.delta);
    }
  }
  return out;
}

export type VerifyResult =
  | { ok: true; records: number; files: number; last: string }
  | { ok: false; file: string; line: number; reason: string };

/**
 * Checks one chain spread over files given oldest first (FILE.<n>… then FILE): every line's
 * own hash, every `prev` link (the first line of the first file may continue an older chain
 * that is not given), and that `seq` rises by one.
 */
export function verifyFiles(files: string[]): VerifyResult {
  let prev: string | undefined;
  let seq: number | undefined;
  let records = 0;
  for (const file of files) {
    let text: string;
    try { text = readFileSync(file, "utf8"); } catch (e) { return { ok: false, file, line: 0, reason: `cannot read: ${(e as Error).message}` }; }
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    else if (lines.length) return { ok: false, file, line: lines.length, reason: "the last line is incomplete (no newline)" };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i], n = i + 1;
      let rec: { seq?: unknown; prev?: unknown };
      try { rec = JSON.parse(line); } catch { return { ok: false, file, line: n, reason: "not a JSON record" }; }
      const h = lineHash(line);
      if (!h) return { ok: false, file, line: n, reason: "no hash field at the end of the record" };
      if (h.computed !== h.stated) return { ok: false, file, line: n, reason: `hash mismatch: the record was altered (stated ${h.stated}, content hashes to ${h.computed})` };
      if (typeof rec.prev !== "string") return { ok: false, file, line: n, reason: "no prev field" };
      if (prev !== undefined && rec.prev !== prev) return { ok: false, file, line: n, reason: `broken link: prev is ${rec.prev}, the previous record's hash is ${prev}` };
      if (typeof rec.seq !== "number" || (seq !== undefined && rec.seq !== seq + 1)) return { ok: false, file, line: n, reason: `sequence gap: seq ${String(rec.seq)} after ${seq}` };
      prev = h.stated;
      seq = rec.seq;
      records++;
    }
  }
  return { ok: true, records, files: files.length, last: prev ?? GENESIS };
}
