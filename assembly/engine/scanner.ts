// One scan or one stream: UTF-8 bytes in, released bytes (with redactions), findings
// and actions out. A one-shot scan is exactly a stream that is pushed the whole text
// and finished, so the chunk-invariance invariant holds by construction as long as
// every decision below is made per input byte, never per chunk:
//
//   push(bytes) ─▶ UTF-8 decode ─▶ fold ─┬▶ pattern view ─▶ PII, secrets, custom regex
//                                        └▶ word view ───▶ lexicon, injection regex
//   candidates ─▶ context scoring ─▶ rules ─▶ redaction spans / stop / block
//   release boundary R = min(pending() of every stage): bytes before R leave at once.
//
// Offsets are absolute original byte offsets from the first byte of the stream.
import { Action, Detector, NONE, Phase, Section } from "./constants";
import { Policy } from "./policy";
import { FindingSink } from "./sink";
import { Lexicon } from "./lexicon";
import { WordView } from "./word_view";
import { Rules, Mode, ReplKind, NO_STRING, NodeKind } from "./rules";
import { RegexSet } from "./regex/regex_set";
import { PiiMatcher } from "./detectors/pii/pii_matcher";
import { SecretsMatcher } from "./detectors/secrets/secrets_matcher";
import { foldPattern, FOLD_DELETE } from "./normalize/fold";
import { seqLength, secondByteOk, encodeUtf8, REPLACEMENT_CHAR } from "./utf8";
import { Findings } from "./findings";
import { Output } from "./output";
import { EncodedRuns } from "./encoded_runs";
import { Restorer, RESTORE_BIT } from "./restore";
import { LeakGuard } from "./leak_guard";
import { WordKeys } from "./word_keys";
import { Models } from "./classifier/models";
import { ClassifierWindow } from "./classifier/window";

// @ts-ignore: decorator
@inline function isAsciiAlnum(b: u32): bool {
  return b - 0x30 < 10 || (b | 0x20) - 0x61 < 26;
}

/** Bytes between a negative context word's end and the match it weakens. */
const NEG_CONTEXT_WINDOW: u32 = 12;

export const FLAG_STOPPED: u32 = 1;
export const FLAG_OVERFLOW: u32 = 2;
export const FLAG_FINISHED: u32 = 4;

export class Scanner {
  policy: Policy;
  phase: u32;
  rules: Rules;
  sink: FindingSink;
  pii: PiiMatcher | null = null;
  secrets: SecretsMatcher | null = null;
  regexA: RegexSet | null = null;
  words: WordView;
  lexicon: Lexicon;
  findings: Findings = new Findings();
  out: Output;
  /** base64 / hex / URL-encoded runs, decoded and scanned again by `inner` (one level) */
  encoded: EncodedRuns | null = null;
  private inner: Scanner | null = null;
  /** [classifier hook] learned classifiers: models of the policy and their window */
  private models: Models | null = null;
  private classifier: ClassifierWindow | null = null;
  /** pseudonym placeholders to put back (streams only; set after open) */
  restorer: Restorer | null = null;

  /** absolute offset of the next input byte */
  pos: u32 = 0;
  // UTF-8 sequence in progress
  private cp: u32 = 0;
  private need: i32 = 0;
  private seqLen: i32 = 0;
  private seqStart: u32 = 0;
  private lead: u32 = 0;

  private leafBest: StaticArray<f32>;
  private ruleFired: StaticArray<bool>;
  private maxHold: u32;
  private contextWindow: u32;
  private contextBoost: f32;
  private contextPenalty: f32;
  private piiMin: f32;
  /** a section referred to a type the policy does not have */
  private badSection: bool = false;
  /** where a stop/block cut the text (NONE while running) */
  stopAt: u32 = NONE;
  action: Action = Action.ALLOW;
  flags: u32 = 0;
  private tmp: StaticArray<u8> = new StaticArray<u8>(8);

  constructor(policy: Policy, phase: u32, nested: bool = false) {
    // locals first: AssemblyScript wants every field set before `this` is read
    const rules = new Rules(policy.section(Section.RULES), policy.sectionLength(Section.RULES));
    const maxHold = policy.maxHoldback();
    const sink = new FindingSink();
    const lexicon = new Lexicon(policy.section(Section.LEXICON), policy.sectionLength(Section.LEXICON), policy.typeCount(), policy.lexiconModel);
    if (policy.lexiconModel == null) policy.lexiconModel = lexicon;
    let regexB: RegexSet | null = null;
    if (policy.has(Section.REGEX_WORDS) && policy.sectionLength(Section.REGEX_WORDS) > 0) {
      regexB = new RegexSet(0, 0, policy.regexProgram(Section.REGEX_WORDS));
      regexB.maxHold = maxHold;
    }
    this.policy = policy;
    this.phase = phase;
    this.rules = rules;
    this.sink = sink;
    this.maxHold = maxHold;
    this.contextWindow = policy.contextWindow();
    this.contextBoost = policy.contextBoost();
    this.contextPenalty = policy.contextPenalty();
    this.piiMin = policy.piiMinScore();
    this.lexicon = lexicon;
    this.words = new WordView(lexicon, regexB, sink);
    this.leafBest = new StaticArray<f32>(rules.leafCount);
    this.ruleFired = new StaticArray<bool>(rules.ruleCount);
    this.out = new Output(policy, rules);
    if (policy.has(Section.REGEX) && policy.sectionLength(Section.REGEX) > 0) {
      const r = new RegexSet(0, 0, policy.regexProgram(Section.REGEX));
      r.maxHold = maxHold;
      this.regexA = r;
    }
    if (policy.has(Section.PII) && policy.sectionLength(Section.PII) >= 4) {
      const p = policy.section(Section.PII);
      const n = <i32>load<u32>(p);
      const map = new StaticArray<u16>(n);
      const typeCount = policy.typeCount();
      for (let i = 0; i < n; i++) {
        let t = load<u16>(p + 4 + <usize>i * 2);
        if (t != 0xffff && <i32>t >= typeCount) { t = 0xffff; this.badSection = true; }
        unchecked((map[i] = t));
      }
      const m = new PiiMatcher(map);
      m.maxHold = maxHold;
      this.pii = m;
    }
    if (policy.has(Section.SECRETS) && policy.sectionLength(Section.SECRETS) > 0) {
      const m = new SecretsMatcher(policy.section(Section.SECRETS), policy.sectionLength(Section.SECRETS), <f64>policy.secretsMinEntropy(), policy.secretsModel);
      if (policy.secretsModel == null) policy.secretsModel = m;
      m.maxHold = maxHold;
      this.secrets = m;
    }
    // [classifier hook] the models score the word view's words (classifier/window.ts); a
    // decoded payload's inner scanner has none: a window of a fragment says nothing
    if (!nested && policy.has(Section.MODELS)) {
      const models = new Models(policy, policy.section(Section.MODELS), policy.sectionLength(Section.MODELS));
      this.models = models;
      if (models.valid && models.count > 0) {
        const cw = new ClassifierWindow(models, policy.window(), policy.checkpoint(), phase, sink);
        this.classifier = cw;
        this.words.classifier = cw;
      }
    }
    if (!nested && policy.decodeFlags() != 0) {
      const enc = new EncodedRuns(policy.decodeFlags(), policy.decodeMinLength(), this.out);
      enc.maxHold = maxHold;
      this.encoded = enc;
    }
  }

  reset(phase: u32): void {
    this.phase = phase;
    this.pos = 0; this.need = 0; this.stopAt = NONE; this.action = Action.ALLOW; this.flags = 0;
    this.sink.clear(); this.sink.overflowAt = NONE;
    this.findings.clear();
    this.out.reset();
    this.words.reset();
    const a = this.regexA; if (a) a.reset();
    const p = this.pii; if (p) p.reset();
    const s = this.secrets; if (s) s.reset();
    const enc = this.encoded; if (enc) enc.reset();
    const rs = this.restorer; if (rs) rs.reset();
    const lg = this.lexicon.leak; if (lg) lg.reset();
    const cw = this.classifier; if (cw) cw.reset(phase); // [classifier hook]
    for (let i = 0; i < this.leafBest.length; i++) unchecked((this.leafBest[i] = 0));
    for (let i = 0; i < this.ruleFired.length; i++) unchecked((this.ruleFired[i] = false));
  }

  /** Pushes len bytes at ptr. Released bytes and new findings go to out / findings. */
  push(ptr: usize, len: i32): void {
    this.findings.beginBatch();
    this.out.beginBatch();
    if (this.stopAt != NONE) return; // after stop nothing more is released
    this.syncRegex();
    this.out.hold(ptr, len, this.pos);
    let i = 0;
    while (i < len) {
      const b = <u32>load<u8>(ptr + <usize>i);
      if (this.need == 0 && isAsciiAlnum(b)) {
        // most text is words: take the whole run of ASCII letters and digits at once
        let j = i + 1;
        while (j < len && isAsciiAlnum(<u32>load<u8>(ptr + <usize>j))) j++;
        this.asciiAlnum(ptr + <usize>i, j - i);
        if (this.stopAt != NONE) return;
        i = j;
        continue;
      }
      this.byte(b);
      if (this.stopAt != NONE) return;
      i++;
    }
    // [classifier hook] checkpoints no pending input can still reach are scored now
    const cw = this.classifier;
    if (cw) {
      let pend = this.words.pending();
      if (this.need > 0 && this.seqStart < pend) pend = this.seqStart;
      cw.advance(this.pos, pend);
      if (this.sink.count > 0) { this.processCandidates(); if (this.stopAt != NONE) return; }
    }
    this.out.release(this.boundary());
  }

  /**
   * A run of ASCII letters and digits: the same work as byte() per byte, with the word
   * view and the encoded-run tracker fed in bulk. They only change state at a run's
   * edges, so feeding them up to the current byte before candidates are processed
   * leaves every decision exactly where byte-at-a-time processing would make it.
   */
  private asciiAlnum(p: usize, n: i32): void {
    const base = this.pos;
    const sink = this.sink;
    const enc = this.encoded;
    let done = 0;
    if (this.pii != null || this.secrets != null || this.regexA != null || this.restorer != null) {
      // PII only records the letters of a word (pii_matcher.ts): it takes them in one call,
      // and emits nothing meanwhile, so the other matchers' order of events is unchanged
      const pii = this.pii;
      const piiTook = pii ? pii.takeLetters(p, n, base) : 0;
      for (let k = 0; k < n; k++) {
        const s = base + <u32>k;
        this.patternMatchers(load<u8>(p + <usize>k), s, s + 1, k >= piiTook);
        if (sink.count > 0 || sink.overflowAt != NONE) {
          this.words.asciiAlnum(p + <usize>done, k + 1 - done, base + <u32>done);
          if (enc) enc.asciiAlnum(p + <usize>done, k + 1 - done, base + <u32>done);
          done = k + 1;
          this.pos = base + <u32>done;
          this.processCandidates();
          if (this.stopAt != NONE) return;
        }
      }
    }
    this.words.asciiAlnum(p + <usize>done, n - done, base + <u32>done);
    if (enc) enc.asciiAlnum(p + <usize>done, n - done, base + <u32>done);
    this.pos = base + <u32>n;
  }

  finish(): void {
    this.findings.beginBatch();
    this.out.beginBatch();
    if (this.stopAt != NONE) return;
    this.syncRegex();
    // a truncated UTF-8 sequence at the end: each of its bytes is a replacement char
    if (this.need > 0) this.flushInvalidSequence();
    const a = this.regexA; if (a) a.finish(this.sink);
    const p = this.pii; if (p) p.finish(this.sink);
    const s = this.secrets; if (s) s.finish(this.sink);
    const enc = this.encoded; if (enc && enc.finish()) this.rescan(enc);
    this.words.finish();
    const cw = this.classifier; if (cw) cw.finish(this.pos); // [classifier hook]
    this.processCandidates();
    if (this.stopAt != NONE) return;
    this.out.release(this.pos);
    this.flags |= FLAG_FINISHED;
    this.out.finishDisclaimers();
  }

  /** Earliest original offset that may still be part of a finding. */
  boundary(): u32 {
    let r = this.pos;
    if (this.need > 0 && this.seqStart < r) r = this.seqStart;
    const w = this.words.pending(); if (w < r) r = w;
    const l = this.lexicon.pending(); if (l < r) r = l;
    const wr = this.words.regex; if (wr) { const x = wr.pending(); if (x < r) r = x; }
    const a = this.regexA; if (a) { const x = a.pending(); if (x < r) r = x; }
    const p = this.pii; if (p) { const x = p.pending(); if (x < r) r = x; }
    const s = this.secrets; if (s) { const x = s.pending(); if (x < r) r = x; }
    const enc = this.encoded; if (enc) { const x = enc.pending(); if (x < r) r = x; }
    const rs = this.restorer; if (rs) { const x = rs.pending(); if (x < r) r = x; }
    const lg = this.lexicon.leak; if (lg) { const x = lg.pending(); if (x < r) r = x; }
    const cw = this.classifier; if (cw) { const x = cw.pending(); if (x < r) r = x; } // [classifier hook]
    return r;
  }

  /**
   * The regex sets share their program and DFA cache with every scanner of the policy
   * (regex_program.ts): before this scanner feeds them again, they catch up with what
   * other scanners did to the cache meanwhile.
   */
  private syncRegex(): void {
    const a = this.regexA; if (a) a.sync(this.sink);
    const b = this.words.regex; if (b) b.sync(this.sink);
  }

  heldBytes(): u32 { return this.pos - this.out.released; }

  /** Every section this scanner reads was consistent (checked once, at policy load). */
  valid(): bool {
    if (this.badSection || !this.rules.valid || !this.lexicon.valid) return false;
    const md = this.models; if (md && !md.valid) return false; // [classifier hook]
    const b = this.words.regex; if (b && !b.valid) return false;
    const a = this.regexA; if (a && !a.valid) return false;
    return this.policy.typeCount() >= 0;
  }

  // ── UTF-8 decoding ────────────────────────────────────────────────────────────
  private byte(b: u32): void {
    const at = this.pos++;
    if (this.need == 0) {
      if (b < 0x80) { this.codePoint(b, at, at + 1); return; }
      const n = seqLength(b);
      if (n == 0) { this.codePoint(REPLACEMENT_CHAR, at, at + 1); return; }
      this.need = n - 1; this.seqLen = n; this.seqStart = at; this.lead = b;
      this.cp = b & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
      return;
    }
    const second = this.need == this.seqLen - 1;
    if ((second && !secondByteOk(this.lead, b)) || (!second && (b & 0xc0) != 0x80)) {
      // broken sequence: its lead byte is one replacement char, then this byte again
      this.pos--;
      this.flushInvalidSequence();
      this.byte(b);
      return;
    }
    this.cp = (this.cp << 6) | (b & 0x3f);
    if (--this.need == 0) this.codePoint(this.cp, this.seqStart, at + 1);
  }

  /** Every byte of a truncated sequence becomes one U+FFFD with that byte's span. */
  private flushInvalidSequence(): void {
    const start = this.seqStart;
    const got = this.seqLen - this.need;
    this.need = 0;
    for (let i = 0; i < got; i++) {
      const s = start + <u32>i;
      this.codePoint(REPLACEMENT_CHAR, s, s + 1);
    }
  }

  // ── normalisation and matchers ───────────────────────────────────────────────
  private codePoint(cp: u32, s: u32, e: u32): void {
    if (cp < 0x80) {
      this.patternByte(<u8>cp, s, e);
    } else {
      const fa = foldPattern(cp);
      if (fa != FOLD_DELETE) this.patternCp(fa, s, e);
    }
    this.words.feedCodePoint(cp, s, e);
    if (this.sink.count > 0 || this.sink.overflowAt != NONE) this.processCandidates();
  }

  private patternCp(f: u32, s: u32, e: u32): void {
    if (f & 0x80000000) {
      const n = (f >> 24) & 3;
      for (let i: u32 = 0; i < n; i++) this.patternByte(<u8>(f >> (i * 8)), s, e);
      return;
    }
    if (f < 0x80) { this.patternByte(<u8>f, s, e); return; }
    const n = encodeUtf8(f, changetype<usize>(this.tmp));
    for (let i = 0; i < n; i++) this.patternByte(unchecked(this.tmp[i]), s, e);
  }

  // @ts-ignore: decorator
  @inline private patternMatchers(b: u8, s: u32, e: u32, pii: bool = true): void {
    const p = this.pii; if (p && pii) p.feed(b, s, e, this.sink);
    const k = this.secrets; if (k) k.feed(b, s, e, this.sink);
    const a = this.regexA; if (a) a.feed(b, s, e, this.sink);
    const r = this.restorer; if (r) r.feed(b, s, e, this.sink);
  }

  /**
   * Per-request context for the prompt-leak guard: u32 promptLen, prompt, u32 canaryCount,
   * canaryCount × (u32 len, bytes). Ignored when the policy has no leak detector.
   */
  setContext(p: usize, n: i32): void {
    if (!this.policy.has(Section.LEAK) || this.policy.sectionLength(Section.LEAK) < 12 || n < 8) return;
    const promptLen = load<u32>(p);
    if (<u64>promptLen + 8 > <u64>n) return;
    const words = WordKeys.words(p + 4, <i32>promptLen);
    let o: u32 = 4 + promptLen;
    const count = load<u32>(p + o);
    o += 4;
    const canaries = new Array<Array<u64>>();
    for (let i: u32 = 0; i < count; i++) {
      if (o + 4 > <u32>n) break;
      const l = load<u32>(p + o);
      if (<u64>o + 4 + <u64>l > <u64>n) break;
      canaries.push(WordKeys.words(p + o + 4, <i32>l));
      o += 4 + l;
    }
    const sec = this.policy.section(Section.LEAK);
    const types = <u32>this.policy.typeCount();
    const leakType = load<u32>(sec, 4), canaryType = load<u32>(sec, 8);
    if (leakType >= types || canaryType >= types) return;
    this.lexicon.leak = new LeakGuard(words, canaries, <i32>load<u32>(sec), leakType, canaryType);
  }

  /** Forgets a stream's per-request context (placeholder table, prompt-leak guard) before reuse. */
  dropStreamContext(): void {
    this.restorer = null;
    this.out.restorer = null;
    this.lexicon.leak = null;
  }

  /** Sets the placeholder table of a pseudonym round trip (see restore.ts). */
  setRestore(p: usize, n: i32): void {
    const r = new Restorer(p, n);
    this.restorer = r;
    this.out.restorer = r;
  }

  // @ts-ignore: decorator
  @inline private patternByte(b: u8, s: u32, e: u32): void {
    this.patternMatchers(b, s, e);
    const enc = this.encoded; if (enc && enc.feed(b, s, e)) this.rescan(enc);
  }

  /** Scans a decoded payload; its findings cover the whole encoded run. */
  private rescan(enc: EncodedRuns): void {
    let inner = this.inner;
    if (inner == null) { inner = new Scanner(this.policy, this.phase, true); this.inner = inner; }
    inner.reset(this.phase);
    inner.push(changetype<usize>(enc.decoded), enc.decodedLen);
    inner.finish();
    this.syncRegex(); // the inner scanner's sets share this one's DFA caches
    const f = inner.findings;
    for (let i = 0; i < f.n; i++) this.sink.emit(f.get(i, 0), enc.readyStart, enc.readyEnd, reinterpret<f32>(f.get(i, 6)));
  }

  // ── candidates → findings → rules ────────────────────────────────────────────
  private processCandidates(): void {
    const sink = this.sink;
    const n = sink.count;
    for (let i = 0; i < n; i++) {
      const typeId = sink.typeId(i);
      const start = sink.start(i);
      const end = sink.end(i);
      if (typeId & RESTORE_BIT) { // a placeholder to put back: no finding, no rule
        this.out.redact(start, end, 0, -2 - <i32>(typeId & 0xffff), false);
        continue;
      }
      let score = sink.score(i);
      const detector = this.policy.typeDetector(typeId);
      const pii = detector == Detector.PII;
      if (pii) {
        score = this.contextScore(typeId, start, score);
        if (score < this.piiMin) continue;
      }
      // one span, several candidates of one detector (a 9-digit number that is a valid SIN
      // and ABA number, two injection patterns on one phrase): keep the best-scored. The
      // matchers emit such candidates at the same byte, so they meet in this batch.
      let better = false;
      for (let j = 0; j < n; j++) {
        if (j == i || sink.start(j) != start || sink.end(j) != end) continue;
        const tj = sink.typeId(j);
        if (this.policy.typeDetector(tj) != detector) continue;
        if (detector == Detector.CLASSIFIER && tj != typeId) continue; // [classifier hook] one finding per model
        const sj = pii ? this.contextScore(tj, start, sink.score(j)) : sink.score(j);
        if (sj > score || (sj == score && j < i)) { better = true; break; }
      }
      if (better) continue;
      this.accept(typeId, detector, start, end, score);
      if (this.stopAt != NONE) break;
    }
    sink.clear();
    if (sink.overflowAt != NONE && this.stopAt == NONE) {
      if (this.policy.overflowStops()) this.stop(sink.overflowAt);
      this.flags |= FLAG_OVERFLOW;
      sink.overflowAt = NONE;
    }
  }

  private contextScore(typeId: u32, start: u32, score: f32): f32 {
    const w = this.contextWindow;
    const c = unchecked(this.lexicon.contextEnd[<i32>typeId]);
    if (c != NONE && c <= start && start - c <= w) score += this.contextBoost;
    // Negative context must sit right before the match ("order #…", "version …"): a word
    // further back says little, and a missed phone number is a leak, a kept one is not.
    const neg = unchecked(this.lexicon.negContextEnd[<i32>typeId]);
    if (neg != NONE && neg <= start && start - neg <= NEG_CONTEXT_WINDOW) score -= this.contextPenalty;
    return score > 1 ? 1 : score < 0 ? 0 : score;
  }

  private accept(typeId: u32, detector: u32, start: u32, end: u32, score: f32): void {
    const rules = this.rules;
    const findingIndex = this.findings.count();
    // leaf values first: combinations see this finding too
    for (let l = 0; l < rules.leafCount; l++) {
      if (rules.leafMatches(l, detector, typeId, score) && score > unchecked(this.leafBest[l])) unchecked((this.leafBest[l] = score));
    }
    let action = Action.ALLOW;
    let ruleIdx: i32 = -1;
    let cut = false;
    for (let r = 0; r < rules.ruleCount; r++) {
      if ((rules.phases(r) & this.phase) == 0) continue;
      const root = rules.root(r);
      let fires = false;
      if (rules.nodeKind(root) == NodeKind.LEAF) {
        fires = rules.leafMatches(rules.nodeLeaf(root), detector, typeId, score);
      } else if (!unchecked(this.ruleFired[r])) {
        fires = rules.value(root, this.leafBest) > 0;
      }
      if (!fires) continue;
      const mode = rules.mode(r);
      let a = rules.action(r);
      if (mode == Mode.FLAG && a > Action.FLAG) a = Action.FLAG;
      if (!unchecked(this.ruleFired[r])) {
        unchecked((this.ruleFired[r] = true));
        this.findings.fired(r, mode == Mode.SHADOW ? Action.ALLOW : a, <u32>mode, findingIndex);
      }
      if (mode == Mode.SHADOW) continue;
      if (a > action) { action = a; ruleIdx = r; }
      if (a == Action.DISCLAIMER) this.out.disclaimer(r);
      if (a == Action.STOP || a == Action.BLOCK) cut = true;
    }
    if (action > this.action) this.action = action;
    let aux: u32 = 0;
    if (action == Action.REDACT || action == Action.PSEUDONYMIZE) {
      aux = this.out.redact(start, end, typeId, ruleIdx, action == Action.PSEUDONYMIZE);
    }
    this.findings.add(typeId, detector, action, ruleIdx, start, end, score, aux);
    if (cut) this.stop(start);
  }

  /** Stop (or block): release what is safe before `at`, then nothing more. */
  private stop(at: u32): void {
    const b = this.boundary();
    const upTo = b < at ? b : at;
    this.out.release(upTo > this.out.released ? upTo : this.out.released);
    this.stopAt = at;
    this.flags |= FLAG_STOPPED;
  }
}
