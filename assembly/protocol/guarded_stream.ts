// A guarded provider stream: the upstream body of one streamed LLM response in (SSE bytes,
// split anywhere), the bytes for the client out, with every text channel run through its own
// engine stream (assembly/engine/scanner.ts, midstream phase).
//
//   bytes ─▶ SseParser ─▶ item ─┬─ comment / empty block ─────────────────────────▶ raw bytes
//                               ├─ event ─▶ provider plan (provider_*.ts) ─┬─ no text ─▶ raw bytes
//                               │                                         └─ text values
//                               │      decode (per-channel carry) ─▶ Scanner.push ─▶ released text
//                               │      ─▶ the SAME event, each value replaced by its released text
//                               └─ unreadable ─▶ NOT_SCANNED: raw bytes (failOpen) or nothing
//
// Choices, written down:
// - Held-back text: an event whose channel released nothing (or less than it carried) is still
//   emitted, its value replaced by what was released, possibly "". Dropping it would lose
//   what else it carries (the role, a tool call's id and name, logprobs), and keeping it keeps
//   one output event per input event. An event is re-encoded only when some value changed;
//   otherwise its raw bytes go out, so a stream the policy leaves alone comes out byte for byte
//   unless holdback moved text between events (then exactly those events differ, and only in
//   their text values). A value whose released text equals its decoded text keeps its original
//   JSON spelling (escapes included) unless a surrogate carry crosses it.
// - Ends: before an event that ends a channel (OpenAI: a non-null finish_reason for its choice;
//   Anthropic: content_block_stop of its block; both: [DONE] / message_delta / message_stop and
//   the end of the body) the channel's engine stream is finished and what it still held goes
//   out as one more delta event built from the channel's last delta (provider_channel.ts). If
//   the ending event itself carries text of that channel, the finish output joins that value.
// - Stop (a channel's engine stream sets FLAG_STOPPED): the event being processed goes out with
//   what was released (values after the stopping one emptied), then the provider's terminal
//   frames (provider_openai.ts, provider_anthropic.ts), then nothing more: later pushes return
//   no bytes. Text other channels held back is never released.
// - Unreadable input (bad JSON, unknown text shapes, an SSE block over the parser's bound, an
//   event cut by the end of the body): reported as NOT_SCANNED with a reason; failOpen passes
//   its raw bytes, otherwise it is dropped (and DROPPED is reported).
// - The BOM of a body (sse.ts skips it) is kept only when the first item passes raw.
// - Snapshots (OpenAI Responses, provider_responses.ts): events that repeat a channel's full
//   text (output_text.done `text`, content_part.done `part.text`, output_item.done,
//   response.completed `output[]…`). Each channel keeps every byte it released (Channel.kept)
//   and a snapshot value is replaced by that kept text, so the client never sees the raw text
//   again, whatever the snapshot said. A snapshot of a channel that had no deltas is scanned
//   whole as that channel's text (a fresh engine stream, finished at once) and replaced by
//   what it released; an empty one ("") of an unknown channel, or null, passes. The groups the
//   event ends are finished first, so their tail deltas precede it.
//
// Bounds: at most MAX_CHANNELS channels (one engine stream each); more is NOT_SCANNED
// (TOO_MANY_CHANNELS). One SSE block is bounded by the parser (DEFAULT_MAX_EVENT_BYTES), the
// JSON matches per event by MAX_MATCHES. Kept Responses text is bounded by MAX_KEPT_BYTES per
// stream: past it the channel stops keeping, and its snapshots go out as "" with NOT_SCANNED
// (SNAPSHOT_TOO_LARGE): the deltas already carried the released text, the raw one never goes out. Work per event is linear in its bytes (matches are
// few; the per-match lookups are bounded by MAX_MATCHES²).
import { Policy } from "../engine/policy";
import { ScannerPool } from "../engine/scanner_pool";
import { FLAG_STOPPED, FLAG_OVERFLOW } from "../engine/scanner";
import { SseParser, DEFAULT_MAX_EVENT_BYTES } from "./sse";
import { SseItems, SseKind } from "./sse_items";
import { eventLength, writeEventSized } from "./sse_write";
import { JsonScanner } from "./json_scanner";
import { JsonOut } from "./json_out";
import { encodeJsonString } from "./json_encode";
import { JsonStatus } from "./json_status";
import { Channel } from "./provider_channel";
import { EventPlan, PlanKind, NotScanned, keyGroup } from "./provider_plan";
import { openAiPaths, planOpenAiChat, openAiChatStopFrames } from "./provider_openai";
import { anthropicPaths, planAnthropic, anthropicStopFrames } from "./provider_anthropic";
import { responsesPaths, planResponses, responsesStopFrames, ResponsesHead } from "./provider_responses";
import { JsonStringDecoder } from "./json_decode";

/** Wire formats. */
export const enum Provider {
  OPENAI_CHAT = 1,
  OPENAI_RESPONSES = 2,
  ANTHROPIC = 3,
}

/** Result flags of one push or finish. */
export const enum StreamFlag {
  /** A stop fired: terminal frames were written; nothing more will be released. Sticky. */
  STOPPED = 1,
  /** This call met input it could not scan (see `reason`). */
  NOT_SCANNED = 2,
  /** finish() ran. Sticky. */
  FINISHED = 4,
  /** A channel's pending match outgrew max_holdback (released or stopped as the policy says). */
  OVERFLOW = 8,
  /** Unscanned input was dropped (failOpen false). */
  DROPPED = 16,
}

export const MAX_CHANNELS: i32 = 64;
/** JSON values matched in one event; more is NOT_SCANNED (BAD_JSON). */
export const MAX_MATCHES: i32 = 256;
/** Released text kept per stream for OpenAI Responses snapshot rewrites (all channels). */
export const MAX_KEPT_BYTES: i32 = 4 << 20;

/** Finding record: channel key, then the engine's 8 fields (findings.ts). */
export const FINDING_FIELDS: i32 = 9;
/** Fired-rule record: rule, action, mode, channel key. */
export const FIRED_FIELDS: i32 = 4;

const NO_KEY: u32 = 0xffffffff;

// @ts-ignore: decorator
@inline function providerKnown(p: i32): bool { return p >= Provider.OPENAI_CHAT && p <= Provider.ANTHROPIC; }

export function providerSupported(p: i32): bool { return providerKnown(p); }

/**
 * One guarded response stream.
 *
 * ```ts
 * const g = new GuardedStream(policy, Provider.OPENAI_CHAT, false);
 * g.push(chunkPtr, chunkLen);   // g.out: bytes for the client; g.flags, g.findingCount, …
 * g.finish();
 * ```
 */
export class GuardedStream {
  readonly provider: i32;
  readonly failOpen: bool;
  readonly policy: Policy;

  /** Bytes for the client from the last push or finish. */
  readonly out: JsonOut = new JsonOut(4096);
  /** StreamFlag bits of the last call (STOPPED and FINISHED stay set). */
  flags: u32 = 0;
  /** Why input of the last call was not scanned (the last reason met), or NONE. */
  reason: NotScanned = NotScanned.NONE;
  /** Strongest engine action so far, over all channels. */
  action: u32 = 0;
  /** Key of the channel that stopped the stream, or 0xffffffff. */
  stopKey: u32 = NO_KEY;
  /** Findings and fired rules decided by the last call. */
  findingCount: i32 = 0;
  findings: StaticArray<u32> = new StaticArray<u32>(16 * FINDING_FIELDS);
  firedCount: i32 = 0;
  fired: StaticArray<u32> = new StaticArray<u32>(8 * FIRED_FIELDS);

  private parser: SseParser = new SseParser(DEFAULT_MAX_EVENT_BYTES);
  private json: JsonScanner;
  private plan: EventPlan = new EventPlan();
  private channels: Array<Channel> = new Array<Channel>();
  private head: JsonOut = new JsonOut(128); // OpenAI: the last chunk's id/object/created/model
  // per event scratch, reused
  private chans: Array<Channel> = new Array<Channel>();
  private decoded: JsonOut = new JsonOut(256);
  private released: JsonOut = new JsonOut(256);
  private payload: JsonOut = new JsonOut(1024);
  private blank: JsonOut = new JsonOut(1024);
  private relStart: StaticArray<i32> = new StaticArray<i32>(8);
  private relLen: StaticArray<i32> = new StaticArray<i32>(8);
  private same: StaticArray<bool> = new StaticArray<bool>(8);
  private blankAt: StaticArray<i32> = new StaticArray<i32>(8);
  private stopped: bool = false;
  private finished: bool = false;
  // OpenAI Responses only
  private rhead: ResponsesHead = new ResponsesHead();
  private keptTotal: i32 = 0;
  private snapDec: JsonStringDecoder = new JsonStringDecoder();

  /** provider must be providerSupported(). */
  constructor(policy: Policy, provider: i32, failOpen: bool) {
    this.policy = policy;
    this.provider = provider;
    this.failOpen = failOpen;
    const s = new JsonScanner(
      provider == Provider.ANTHROPIC ? anthropicPaths() : provider == Provider.OPENAI_RESPONSES ? responsesPaths() : openAiPaths(),
    );
    s.maxMatches = MAX_MATCHES;
    this.json = s;
  }

  get isFinished(): bool { return this.finished; }

  /** Upstream bytes [p, p + n), split anywhere. */
  push(p: usize, n: i32): void {
    this.begin();
    if (this.stopped || this.finished) return;
    this.parser.push(p, n);
    this.items();
  }

  /** End of the upstream body: what the parser and every open channel still hold. */
  finish(): void {
    this.begin();
    if (this.finished) return;
    this.finished = true;
    this.flags |= StreamFlag.FINISHED;
    if (this.stopped) return;
    this.parser.finish();
    this.items();
    if (!this.stopped) this.endChannels(null, true);
  }

  private begin(): void {
    this.out.reset();
    this.findingCount = 0;
    this.firedCount = 0;
    this.flags &= StreamFlag.STOPPED | StreamFlag.FINISHED;
    this.reason = NotScanned.NONE;
  }

  private items(): void {
    const items = this.parser.items;
    for (let i = 0; i < items.count && !this.stopped; i++) {
      switch (items.kind(i)) {
        case SseKind.EVENT: { this.event(items, i); break; }
        case SseKind.INCOMPLETE: { this.notScanned(items, i, NotScanned.INCOMPLETE); break; }
        case SseKind.ERROR:
        case SseKind.SKIPPED: { this.notScanned(items, i, NotScanned.EVENT_TOO_LARGE); break; }
        default: this.raw(items, i); // COMMENT, EMPTY: keep-alives, ids, retry
      }
    }
  }

  // @ts-ignore: decorator
  @inline private raw(items: SseItems, i: i32): void {
    this.out.bytes(items.rawPtr(i), <usize>items.rawLen(i));
  }

  private notScanned(items: SseItems, i: i32, reason: NotScanned): void {
    this.flags |= StreamFlag.NOT_SCANNED;
    this.reason = reason;
    if (this.failOpen) this.raw(items, i);
    else this.flags |= StreamFlag.DROPPED;
  }

  private event(items: SseItems, i: i32): void {
    const p = items.dataPtr(i);
    const n = items.dataLen(i);
    const plan = this.plan;
    if (this.provider == Provider.ANTHROPIC) planAnthropic(this.json, p, n, plan);
    else if (this.provider == Provider.OPENAI_RESPONSES) planResponses(this.json, p, n, plan, this.rhead);
    else planOpenAiChat(this.json, p, n, plan, this.head);
    if (plan.kind == PlanKind.NOT_SCANNED) {
      this.notScanned(items, i, plan.reason);
      return;
    }
    if (plan.kind == PlanKind.PASS) {
      this.endChannels(plan, false);
      if (!this.stopped) this.raw(items, i);
      return;
    }
    if (plan.kind == PlanKind.SNAPSHOT) {
      this.snapshotEvent(items, i, p, n);
      return;
    }
    this.textEvent(items, i, p, n);
  }

  /** Finishes the open channels that `plan` ends (all of them when plan is null or all is
   *  set) and are not in its text values, writing their tail events. */
  private endChannels(plan: EventPlan | null, all: bool): void {
    const chs = this.channels;
    for (let c = 0; c < chs.length; c++) {
      const ch = unchecked(chs[c]);
      if (!ch.open) continue;
      if (plan != null) {
        if (!all && !plan.ends(keyGroup(ch.key))) continue;
        if (plan.kind == PlanKind.TEXT && inPlan(plan, ch.key)) continue;
      }
      this.finishChannel(ch);
      if (this.stopped) return;
    }
  }

  private finishChannel(ch: Channel): void {
    const s = ch.scanner;
    s.finish();
    ch.open = false;
    this.collect(ch);
    this.keep(ch);
    if (s.out.outLen > 0 && ch.valueAt >= 0) {
      const t = ch.template;
      const pl = this.payload;
      pl.reset();
      pl.bytes(t.ptr, <usize>ch.valueAt);
      pl.byte(0x22);
      encodeJsonString(changetype<usize>(s.out.out), <usize>s.out.outLen, pl);
      pl.byte(0x22);
      pl.bytes(t.ptr + <usize>ch.valueAt + 2, <usize>(t.len - ch.valueAt - 2));
      this.writeEvt(ch.type.ptr, ch.type.len, pl.ptr, pl.len, 0, -1, -1);
    }
    if (s.flags & FLAG_STOPPED) this.stop(ch);
  }

  /** An event with text values: see the file comment. */
  private textEvent(items: SseItems, i: i32, p: usize, n: i32): void {
    const plan = this.plan;
    const k = plan.count;
    // every channel first: an event is guarded whole or not at all
    const chans = this.chans;
    chans.length = 0;
    for (let j = 0; j < k; j++) {
      const ch = this.channel(plan.key(j));
      if (ch == null) {
        this.notScanned(items, i, NotScanned.TOO_MANY_CHANNELS);
        return;
      }
      chans.push(ch);
    }
    this.endChannels(plan, false);
    if (this.stopped) return;
    this.scratch(k);
    const dec = this.decoded;
    const rel = this.released;
    rel.reset();
    let done = k;
    let stopCh: Channel | null = null;
    let allSame = true;
    for (let j = 0; j < k; j++) {
      const ch = unchecked(chans[j]);
      if (!ch.open) ch.reopen();
      const s = ch.scanner;
      const start = plan.start(j), end = plan.end(j);
      dec.reset();
      const carryBefore = ch.decoder.high != 0;
      // JsonScanner validated the string, so decoding cannot fail here
      const st = ch.decoder.decode(p + <usize>start + 1, <usize>(end - start - 2), dec);
      unchecked((this.relStart[j] = rel.len));
      s.push(dec.ptr, dec.len);
      this.collect(ch);
      this.keep(ch);
      rel.bytes(changetype<usize>(s.out.out), <usize>s.out.outLen);
      if ((s.flags & FLAG_STOPPED) == 0 && plan.ends(keyGroup(ch.key)) && lastOf(plan, j)) {
        s.finish(); // the ending event carries the channel's last words itself
        ch.open = false;
        this.collect(ch);
        this.keep(ch);
        rel.bytes(changetype<usize>(s.out.out), <usize>s.out.outLen);
      }
      const len = rel.len - unchecked(this.relStart[j]);
      unchecked((this.relLen[j] = len));
      const same = st == JsonStatus.OK && !carryBefore && ch.decoder.high == 0 && len == dec.len &&
        memory.compare(rel.ptr + <usize>unchecked(this.relStart[j]), dec.ptr, <usize>len) == 0;
      unchecked((this.same[j] = same));
      if (!same) allSame = false;
      if (s.flags & FLAG_STOPPED) {
        done = j + 1;
        stopCh = ch;
        if (done < k) allSame = false;
        break;
      }
    }
    // the event, rewritten only if a value changed
    if (allSame) {
      this.raw(items, i);
    } else {
      const pl = this.payload;
      pl.reset();
      let pos: u32 = 0;
      for (let j = 0; j < k; j++) {
        const start = plan.start(j), end = plan.end(j);
        pl.bytes(p + <usize>pos, <usize>(start - pos));
        if (j < done && unchecked(this.same[j])) {
          pl.bytes(p + <usize>start, <usize>(end - start));
        } else {
          pl.byte(0x22);
          if (j < done) encodeJsonString(rel.ptr + <usize>unchecked(this.relStart[j]), <usize>unchecked(this.relLen[j]), pl);
          pl.byte(0x22);
        }
        pos = end;
      }
      pl.bytes(p + <usize>pos, <usize>(<u32>n - pos));
      this.writeEvt(
        items.typePtr(i), items.hasEventField(i) ? items.typeLen(i) : 0, pl.ptr, pl.len,
        items.idPtr(i), items.hasId(i) ? items.idLen(i) : -1, items.retry(i),
      );
    }
    if (stopCh != null) {
      this.stop(stopCh);
      return;
    }
    this.saveTemplates(items, i, p, n);
  }

  /** Each open channel of this event keeps it, text emptied, as its tail template. */
  private saveTemplates(items: SseItems, i: i32, p: usize, n: i32): void {
    const plan = this.plan;
    const k = plan.count;
    const b = this.blank;
    b.reset();
    let pos: u32 = 0;
    for (let j = 0; j < k; j++) {
      const start = plan.start(j);
      b.bytes(p + <usize>pos, <usize>(start - pos));
      unchecked((this.blankAt[j] = b.len));
      b.byte(0x22);
      b.byte(0x22);
      pos = plan.end(j);
    }
    b.bytes(p + <usize>pos, <usize>(<u32>n - pos));
    for (let j = 0; j < k; j++) {
      const ch = unchecked(this.chans[j]);
      if (!ch.open || !lastOf(plan, j)) continue;
      ch.template.reset();
      ch.template.bytes(b.ptr, <usize>b.len);
      ch.valueAt = unchecked(this.blankAt[j]);
      ch.type.reset();
      if (items.hasEventField(i)) ch.type.bytes(items.typePtr(i), <usize>items.typeLen(i));
    }
  }

  private stop(ch: Channel): void {
    this.stopped = true;
    this.stopKey = ch.key;
    this.flags |= StreamFlag.STOPPED;
    if (this.provider == Provider.ANTHROPIC) anthropicStopFrames(this.out, keyGroup(ch.key));
    else if (this.provider == Provider.OPENAI_RESPONSES) responsesStopFrames(this.out, this.rhead, this.channels);
    else openAiChatStopFrames(this.out, this.head, keyGroup(ch.key));
  }

  /** OpenAI Responses: appends what ch's engine stream just released to its kept text. */
  private keep(ch: Channel): void {
    if (this.provider != Provider.OPENAI_RESPONSES || ch.keptOver) return;
    const n = ch.scanner.out.outLen;
    if (n == 0) return;
    if (n > MAX_KEPT_BYTES - this.keptTotal) {
      ch.keptOver = true;
      const k = ch.kept;
      if (k != null) this.keptTotal -= k.len;
      ch.kept = null;
      return;
    }
    let k = ch.kept;
    if (k == null) ch.kept = k = new JsonOut(256);
    k.bytes(changetype<usize>(ch.scanner.out.out), <usize>n);
    this.keptTotal += n;
  }

  /** An event with snapshot values: see the file comment. */
  private snapshotEvent(items: SseItems, i: i32, p: usize, n: i32): void {
    const plan = this.plan;
    this.endChannels(plan, false);
    if (this.stopped) return;
    const k = plan.snapCount;
    this.scratch(k);
    const dec = this.decoded;
    const rel = this.released;
    rel.reset();
    let allSame = true;
    for (let j = 0; j < k; j++) {
      const start = plan.snapStart(j), end = plan.snapEnd(j);
      unchecked((this.relStart[j] = rel.len));
      unchecked((this.relLen[j] = 0));
      unchecked((this.same[j] = true));
      if (load<u8>(p + <usize>start) != 0x22) continue; // null
      let ch = this.find(plan.snapKey(j));
      if (ch == null) {
        if (end - start == 2) continue; // "" of a channel that has no text yet
        ch = this.channel(plan.snapKey(j));
        if (ch == null) {
          this.notScanned(items, i, NotScanned.TOO_MANY_CHANNELS);
          return;
        }
        // no deltas: the snapshot is the channel's whole text
        const s = ch.scanner;
        dec.reset();
        this.snapDec.reset();
        decodeValue(this.snapDec, p, start, end, dec);
        s.push(dec.ptr, dec.len);
        this.collect(ch);
        this.keep(ch);
        if ((s.flags & FLAG_STOPPED) == 0) {
          s.finish();
          this.collect(ch);
          this.keep(ch);
        }
        ch.open = false;
        if (s.flags & FLAG_STOPPED) {
          this.stop(ch);
          return;
        }
      }
      const kept = ch.kept;
      if (ch.keptOver) {
        this.flags |= StreamFlag.NOT_SCANNED;
        this.reason = NotScanned.SNAPSHOT_TOO_LARGE;
      } else if (kept != null) {
        rel.bytes(kept.ptr, <usize>kept.len);
      }
      const len = rel.len - unchecked(this.relStart[j]);
      unchecked((this.relLen[j] = len));
      dec.reset();
      this.snapDec.reset();
      const st = decodeValue(this.snapDec, p, start, end, dec);
      const same = st == JsonStatus.OK && len == dec.len &&
        memory.compare(rel.ptr + <usize>unchecked(this.relStart[j]), dec.ptr, <usize>len) == 0;
      unchecked((this.same[j] = same));
      if (!same) allSame = false;
    }
    if (allSame) {
      this.raw(items, i);
      return;
    }
    const pl = this.payload;
    pl.reset();
    let pos: u32 = 0;
    for (let j = 0; j < k; j++) {
      if (unchecked(this.same[j])) continue;
      const start = plan.snapStart(j), end = plan.snapEnd(j);
      pl.bytes(p + <usize>pos, <usize>(start - pos));
      pl.byte(0x22);
      encodeJsonString(rel.ptr + <usize>unchecked(this.relStart[j]), <usize>unchecked(this.relLen[j]), pl);
      pl.byte(0x22);
      pos = end;
    }
    pl.bytes(p + <usize>pos, <usize>(<u32>n - pos));
    this.writeEvt(
      items.typePtr(i), items.hasEventField(i) ? items.typeLen(i) : 0, pl.ptr, pl.len,
      items.idPtr(i), items.hasId(i) ? items.idLen(i) : -1, items.retry(i),
    );
  }

  /** The channel for key, or null. */
  private find(key: u32): Channel | null {
    const chs = this.channels;
    for (let c = 0; c < chs.length; c++) if (unchecked(chs[c]).key == key) return unchecked(chs[c]);
    return null;
  }

  /** The channel for key, created on first use; null past MAX_CHANNELS. */
  private channel(key: u32): Channel | null {
    const chs = this.channels;
    for (let c = 0; c < chs.length; c++) if (unchecked(chs[c]).key == key) return unchecked(chs[c]);
    if (chs.length >= MAX_CHANNELS) return null;
    const ch = new Channel(key, this.policy, this.pool);
    // per-request context reaches every channel: each is its own text
    const r = this.restoreTable;
    if (r) ch.scanner.setRestore(changetype<usize>(r), r.length);
    const c = this.contextBytes;
    if (c) ch.scanner.setContext(changetype<usize>(c), c.length);
    chs.push(ch);
    return ch;
  }

  /** Scanners of the policy's closed streams, reused by this stream's channels (optional). */
  pool: ScannerPool | null = null;

  /** The stream is closed: its channels' scanners go back to the pool. */
  release(): void {
    const pool = this.pool;
    if (pool == null) return;
    const chs = this.channels;
    for (let c = 0; c < chs.length; c++) pool.give(unchecked(chs[c]).scanner);
    chs.length = 0;
    this.pool = null;
  }

  /** Pseudonym table (scanner.setRestore's layout) for the channels of this stream. */
  private restoreTable: StaticArray<u8> | null = null;
  /** Prompt-leak context (scanner.setContext's layout) for the channels of this stream. */
  private contextBytes: StaticArray<u8> | null = null;

  /** Sets the pseudonym table; call before the first push. */
  setRestore(p: usize, n: i32): void {
    const t = new StaticArray<u8>(n);
    memory.copy(changetype<usize>(t), p, <usize>n);
    this.restoreTable = t;
  }

  /** Sets the prompt-leak context; call before the first push. */
  setContext(p: usize, n: i32): void {
    const t = new StaticArray<u8>(n);
    memory.copy(changetype<usize>(t), p, <usize>n);
    this.contextBytes = t;
  }

  /** Copies the findings and fired rules of ch's last engine call. */
  private collect(ch: Channel): void {
    const s = ch.scanner;
    const f = s.findings;
    if (<u32>s.action > this.action) this.action = <u32>s.action;
    if (s.flags & FLAG_OVERFLOW) this.flags |= StreamFlag.OVERFLOW;
    for (let i = 0; i < f.n; i++) {
      let o = this.findingCount * FINDING_FIELDS;
      if (o + FINDING_FIELDS > this.findings.length) this.findings = grow(this.findings);
      const d = this.findings;
      unchecked((d[o] = ch.key));
      for (let q = 0; q < 8; q++) unchecked((d[o + 1 + q] = f.get(i, q)));
      this.findingCount++;
    }
    for (let i = 0; i < f.firedN; i++) {
      let o = this.firedCount * FIRED_FIELDS;
      if (o + FIRED_FIELDS > this.fired.length) this.fired = grow(this.fired);
      const d = this.fired;
      unchecked((d[o] = f.firedData[i * 4]));
      unchecked((d[o + 1] = f.firedData[i * 4 + 1]));
      unchecked((d[o + 2] = f.firedData[i * 4 + 2]));
      unchecked((d[o + 3] = ch.key));
      this.firedCount++;
    }
  }

  private writeEvt(t: usize, tn: i32, d: usize, dn: i32, id: usize, idn: i32, retry: i32): void {
    const n = eventLength(t, tn, d, dn, id, idn, retry);
    if (n < 0) return; // a type or id from the parser never holds CR/LF; a >2 GiB event cannot occur
    writeEventSized(this.out.ensure(n), n, t, tn, d, dn, id, idn, retry);
    this.out.len += n;
  }

  private scratch(k: i32): void {
    if (k <= this.relStart.length) return;
    let cap = this.relStart.length;
    while (cap < k) cap <<= 1;
    this.relStart = new StaticArray<i32>(cap);
    this.relLen = new StaticArray<i32>(cap);
    this.same = new StaticArray<bool>(cap);
    this.blankAt = new StaticArray<i32>(cap);
  }
}

/** Decodes the string value [start, end) of the payload at p (quotes included) on its own. */
function decodeValue(d: JsonStringDecoder, p: usize, start: u32, end: u32, out: JsonOut): JsonStatus {
  const st = d.decode(p + <usize>start + 1, <usize>(end - start - 2), out);
  if (st == JsonStatus.OK) d.finish(out);
  return st;
}

/** Whether text value j is the last one of its channel in the plan. */
function lastOf(plan: EventPlan, j: i32): bool {
  const key = plan.key(j);
  for (let q = j + 1; q < plan.count; q++) if (plan.key(q) == key) return false;
  return true;
}

function inPlan(plan: EventPlan, key: u32): bool {
  for (let q = 0; q < plan.count; q++) if (plan.key(q) == key) return true;
  return false;
}

function grow(a: StaticArray<u32>): StaticArray<u32> {
  const next = new StaticArray<u32>(a.length << 1);
  memory.copy(changetype<usize>(next), changetype<usize>(a), <usize>a.length << 2);
  return next;
}
