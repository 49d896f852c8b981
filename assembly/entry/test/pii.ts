// Test entry for the PII matcher: feeds an ASCII/UTF-8 text byte by byte with identity
// spans (s = i, e = i + 1) and records every finding (with the byte after which it was
// emitted) and pending() after every byte.
import { FindingSink } from "../../engine/sink";
import { PiiMatcher } from "../../engine/detectors/pii/pii_matcher";
import { PII_CODE_COUNT, PII_DISABLED } from "../../engine/detectors/pii/codes";

let input = new StaticArray<u8>(1024);
let pendings = new StaticArray<u32>(1024);
/** 5 words per finding: code, start, end, score bits, index of the byte fed last (len = at finish) */
let findings = new StaticArray<u32>(5 * 256);
let findingCount = 0;
let overflowStart: u32 = 0xffffffff;

let direct = false;

/** on: scan() feeds every byte to the machines, without the matcher's front end (the reference). */
export function setDirect(on: bool): void {
  direct = on;
}

/** A buffer of at least len bytes to write the text into. */
export function buf(len: i32): usize {
  if (len > input.length) {
    input = new StaticArray<u8>(len);
    pendings = new StaticArray<u32>(len);
  }
  return changetype<usize>(input);
}

/**
 * Scans the len bytes in buf(). disabled: bit per builtin code to switch off.
 * Returns the number of findings.
 */
export function scan(len: i32, maxHold: u32, disabled: u32): i32 {
  const map = new StaticArray<u16>(PII_CODE_COUNT);
  for (let i = 0; i < PII_CODE_COUNT; i++) map[i] = disabled & (1 << i) ? PII_DISABLED : <u16>i;
  const m = new PiiMatcher(map);
  if (direct) m.bypassFrontEnd();
  m.maxHold = maxHold;
  const sink = new FindingSink();
  findingCount = 0;
  let seen = 0;
  for (let i = 0; i < len; i++) {
    m.feed(input[i], <u32>i, <u32>i + 1, sink);
    seen = record(sink, seen, i);
    pendings[i] = m.pending();
  }
  m.finish(sink);
  record(sink, seen, len);
  overflowStart = sink.overflowAt;
  return findingCount;
}

function record(sink: FindingSink, seen: i32, at: i32): i32 {
  for (let k = seen; k < sink.count; k++) {
    let w = findingCount * 5;
    if (w + 5 > findings.length) {
      const next = new StaticArray<u32>(findings.length * 2);
      memory.copy(changetype<usize>(next), changetype<usize>(findings), <usize>findings.length << 2);
      findings = next;
    }
    findings[w] = sink.typeId(k);
    findings[w + 1] = sink.start(k);
    findings[w + 2] = sink.end(k);
    findings[w + 3] = reinterpret<u32>(sink.score(k));
    findings[w + 4] = <u32>at;
    findingCount++;
  }
  return sink.count;
}

export function findingsPtr(): usize {
  return changetype<usize>(findings);
}
export function pendingsPtr(): usize {
  return changetype<usize>(pendings);
}
export function overflowAt(): u32 {
  return overflowStart;
}

/**
 * Throughput probe (bench only): scans the len bytes in buf() `rounds` times with one
 * matcher, recording nothing per byte. Returns the number of findings of the last round.
 */
export function bench(len: i32, rounds: i32): i32 {
  let m = benchMatcher;
  if (m == null) {
    const map = new StaticArray<u16>(PII_CODE_COUNT);
    for (let i = 0; i < PII_CODE_COUNT; i++) map[i] = <u16>i;
    m = new PiiMatcher(map);
    benchMatcher = m;
  }
  const sink = benchSink;
  const p = changetype<usize>(input);
  let count = 0;
  for (let r = 0; r < rounds; r++) {
    m.reset();
    sink.clear();
    for (let i = 0; i < len; i++) m.feed(load<u8>(p + <usize>i), <u32>i, <u32>i + 1, sink);
    m.finish(sink);
    count = sink.count;
  }
  return count;
}
let benchMatcher: PiiMatcher | null = null;
const benchSink = new FindingSink();
