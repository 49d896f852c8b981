// Test-only entry for the regex VM (test/regex.test.ts): load a section, feed a text
// one byte at a time with identity spans, and read back the matches, when each was
// reported, pending() after every byte, and the work counter.
import { RegexSet } from "../../engine/regex/regex_set";
import { FindingSink } from "../../engine/sink";

let buffer = new StaticArray<u8>(1024);
let set: RegexSet | null = null;
const sink = new FindingSink();
let pendings = new StaticArray<u32>(1024);
let reportedAfter = new StaticArray<u32>(64); // bytes fed when match i was reported
let hold: u32 = 4096;
let dfa = true;

/** A reusable buffer of at least len bytes. */
export function buf(len: i32): usize {
  if (len > buffer.length) buffer = new StaticArray<u8>(len);
  return changetype<usize>(buffer);
}

/** Loads the section in buf(len); returns 1 if it is well formed. */
export function loadSection(len: i32): i32 {
  const s = new RegexSet(changetype<usize>(buffer), len);
  s.maxHold = hold;
  s.useDfa = dfa;
  s.reset();
  set = s;
  return s.valid ? 1 : 0;
}

/** 0: run the Pike VM on every byte (the reference the DFA path is compared with). */
export function setDfa(on: i32): void {
  dfa = on != 0;
  if (set) {
    set!.useDfa = dfa;
    set!.reset();
  }
}

export function setMaxHold(n: u32): void {
  hold = n;
  if (set) set!.maxHold = n;
}

/** Feeds buf(len) byte by byte (span [i, i+1)) then finishes; returns the match count. */
export function run(len: i32): i32 {
  const s = set!;
  sink.clear();
  sink.overflowAt = 0xffffffff;
  if (len + 1 > pendings.length) pendings = new StaticArray<u32>(len + 1);
  const base = changetype<usize>(buffer);
  for (let i = 0; i < len; i++) {
    const before = sink.count;
    s.feed(load<u8>(base + i), <u32>i, <u32>i + 1, sink);
    noteReports(before, <u32>i + 1);
    unchecked((pendings[i] = s.pending()));
  }
  const before = sink.count;
  s.finish(sink);
  noteReports(before, <u32>len + 1); // len + 1 = "at finish"
  return sink.count;
}

function noteReports(from: i32, after: u32): void {
  if (sink.count > reportedAfter.length) {
    const next = new StaticArray<u32>(sink.count << 1);
    memory.copy(changetype<usize>(next), changetype<usize>(reportedAfter), <usize>reportedAfter.length << 2);
    reportedAfter = next;
  }
  for (let k = from; k < sink.count; k++) unchecked((reportedAfter[k] = after));
}

export function matchType(i: i32): u32 { return sink.typeId(i); }
export function matchStart(i: i32): u32 { return sink.start(i); }
export function matchEnd(i: i32): u32 { return sink.end(i); }
export function matchScore(i: i32): f32 { return sink.score(i); }
/** Bytes fed when match i was reported (len + 1: at finish). */
export function matchReportedAfter(i: i32): u32 { return unchecked(reportedAfter[i]); }
/** pending() right after byte i was fed. */
export function pendingAfter(i: i32): u32 { return unchecked(pendings[i]); }
export function overflowAt(): u32 { return sink.overflowAt; }
export function steps(): u32 { return set!.steps; }
export function dfaBuilt(): u32 { return set!.dfaBuilt; }
export function dfaClasses(): u32 { return set!.dfaClasses(); }
export function dfaFlushes(): u32 { return set!.dfaFlushes; }
export function wakes(): u32 { return set!.wakes; }
export function replayBytes(): u32 { return set!.replayBytes; }

/**
 * Feeds buf(len) byte by byte, recording pending() only after the bytes whose bit is set
 * in buf[len..] (one byte per text byte, nonzero = ask), then finishes; returns the match
 * count. pendingAfter(i) is NONE where it was not asked.
 */
export function runAsking(len: i32): i32 {
  const s = set!;
  sink.clear();
  sink.overflowAt = 0xffffffff;
  if (len + 1 > pendings.length) pendings = new StaticArray<u32>(len + 1);
  const base = changetype<usize>(buffer);
  for (let i = 0; i < len; i++) {
    const before = sink.count;
    s.feed(load<u8>(base + i), <u32>i, <u32>i + 1, sink);
    noteReports(before, <u32>i + 1);
    unchecked((pendings[i] = load<u8>(base + len + i) != 0 ? s.pending() : 0xffffffff));
  }
  const before = sink.count;
  s.finish(sink);
  noteReports(before, <u32>len + 1);
  return sink.count;
}

/**
 * Feeds buf(len) in runs through feedRun(): run k has length buf[len + k] (1..255, 0 ends
 * the list; the rest goes as one run), recording pending() after each run at its last
 * byte (pendingAfter(i) is NONE elsewhere); then finishes. Returns the match count.
 */
export function runRuns(len: i32): i32 {
  const s = set!;
  sink.clear();
  sink.overflowAt = 0xffffffff;
  if (len + 1 > pendings.length) pendings = new StaticArray<u32>(len + 1);
  for (let i = 0; i < len; i++) unchecked((pendings[i] = 0xffffffff));
  const base = changetype<usize>(buffer);
  let at = 0, k = 0;
  while (at < len) {
    let n = <i32>load<u8>(base + len + k);
    if (n == 0 || at + n > len) n = len - at;
    k++;
    const before = sink.count;
    s.feedRun(base + at, n, <u32>at, sink);
    at += n;
    noteReports(before, <u32>at);
    unchecked((pendings[at - 1] = s.pending()));
  }
  const before = sink.count;
  s.finish(sink);
  noteReports(before, <u32>len + 1);
  return sink.count;
}

/** Feeds buf(len) without recording pending() (for throughput measurements); returns the match count. */
export function runFast(len: i32): i32 {
  const s = set!;
  sink.clear();
  const base = changetype<usize>(buffer);
  for (let i = 0; i < len; i++) s.feed(load<u8>(base + i), <u32>i, <u32>i + 1, sink);
  s.finish(sink);
  return sink.count;
}

// Sets that share one program and DFA cache, as a policy's streams do (regex_program.ts).
let shared = new Array<RegexSet>();
let sharedSinks = new Array<FindingSink>();

/**
 * Feeds buf(len) to k sets that share the loaded set's program, interleaved as streams
 * are: in rounds of `chunk` bytes, set j running j rounds behind set 0, each synced
 * before its turn (as the scanner does at every push). A flush that one set causes
 * meets the others mid-text. Returns the sets' total match count.
 */
export function runShared(len: i32, k: i32, chunk: i32): i32 {
  const one = set!;
  shared = new Array<RegexSet>();
  sharedSinks = new Array<FindingSink>();
  for (let j = 0; j < k; j++) {
    const s = new RegexSet(0, 0, one.prog);
    s.maxHold = one.maxHold;
    s.useDfa = one.useDfa;
    s.reset();
    shared.push(s);
    const sk = new FindingSink();
    sk.overflowAt = 0xffffffff;
    sharedSinks.push(sk);
  }
  const base = changetype<usize>(buffer);
  const rounds = (len + chunk - 1) / chunk;
  let total = 0;
  for (let r = 0; r < rounds + k; r++) {
    for (let j = 0; j < k; j++) {
      const c = r - j; // set j's chunk this round
      if (c < 0 || c > rounds) continue;
      const s = shared[j], sk = sharedSinks[j];
      s.sync(sk);
      if (c == rounds) { s.finish(sk); total += sk.count; continue; }
      const end = min((c + 1) * chunk, len);
      for (let i = c * chunk; i < end; i++) s.feed(load<u8>(base + i), <u32>i, <u32>i + 1, sk);
    }
  }
  return total;
}

export function sharedCount(j: i32): i32 { return sharedSinks[j].count; }
export function sharedType(j: i32, i: i32): u32 { return sharedSinks[j].typeId(i); }
export function sharedStart(j: i32, i: i32): u32 { return sharedSinks[j].start(i); }
export function sharedEnd(j: i32, i: i32): u32 { return sharedSinks[j].end(i); }
export function sharedOverflowAt(j: i32): u32 { return sharedSinks[j].overflowAt; }
