// Test-only entry: the secrets matcher (assembly/engine/detectors/secrets) on its own,
// for test/secrets-matcher.test.ts. The test writes a SECRETS section (made by the real
// encoder) into buf() and calls init(), then writes text into buf() and calls scan().
// Each byte is fed with span [i, i+1) — or, with spans, the [s, e) pairs written into
// spanBuf() — and pending() is recorded after every byte, so that the test can check
// the streaming contract: a finding reported after byte i never starts before
// pendingAt(i).
import { SecretsMatcher } from "../../engine/detectors/secrets/secrets_matcher";
import { FindingSink } from "../../engine/sink";

let input = new StaticArray<u8>(4096);
let spans = new StaticArray<u32>(8192);
let pendings = new StaticArray<u32>(4096);
let reportedAfter = new StaticArray<u32>(256);
let matcher: SecretsMatcher | null = null;
const sink = new FindingSink();

/** A reusable input buffer of at least len bytes. */
export function buf(len: i32): usize {
  if (input.length < len) input = new StaticArray<u8>(len);
  return changetype<usize>(input);
}

/** A reusable buffer of 2 × len u32: the original span [s, e) of each input byte. */
export function spanBuf(len: i32): usize {
  if (spans.length < len * 2) spans = new StaticArray<u32>(len * 2);
  return changetype<usize>(spans);
}

/** Builds the matcher from the len section bytes in buf(). */
export function init(len: i32, minEntropy: f64, maxHold: u32): void {
  const m = new SecretsMatcher(changetype<usize>(input), len, minEntropy);
  m.maxHold = maxHold;
  m.reset();
  matcher = m;
}

function note(from: i32, at: u32): void {
  for (let i = from; i < sink.count; i++) {
    if (reportedAfter.length <= i) {
      const next = new StaticArray<u32>(reportedAfter.length * 2);
      memory.copy(changetype<usize>(next), changetype<usize>(reportedAfter), <usize>reportedAfter.length << 2);
      reportedAfter = next;
    }
    unchecked((reportedAfter[i] = at));
  }
}

/** Feeds the len bytes in buf() (withSpans: spans from spanBuf()), then finishes.
 *  Returns the number of findings. */
export function scan(len: i32, withSpans: i32): i32 {
  const m = matcher!;
  m.reset();
  sink.clear();
  sink.overflowAt = 0xffffffff;
  if (pendings.length < len) pendings = new StaticArray<u32>(len);
  for (let i = 0; i < len; i++) {
    const s: u32 = withSpans ? unchecked(spans[i * 2]) : <u32>i;
    const e: u32 = withSpans ? unchecked(spans[i * 2 + 1]) : <u32>i + 1;
    const before = sink.count;
    m.feed(unchecked(input[i]), s, e, sink);
    note(before, <u32>i);
    unchecked((pendings[i] = m.pending()));
  }
  const before = sink.count;
  m.finish(sink);
  note(before, <u32>len);
  return sink.count;
}

export function findingType(i: i32): u32 { return sink.typeId(i); }
export function findingStart(i: i32): u32 { return sink.start(i); }
export function findingEnd(i: i32): u32 { return sink.end(i); }
export function findingScore(i: i32): f32 { return sink.score(i); }
/** Index of the byte after which finding i was reported (len: by finish()). */
export function findingAfter(i: i32): u32 { return unchecked(reportedAfter[i]); }
/** pending() after byte i. */
export function pendingAt(i: i32): u32 { return unchecked(pendings[i]); }
/** Start of the first candidate abandoned for outgrowing maxHold (0xffffffff: none). */
export function overflowAt(): u32 { return sink.overflowAt; }

/** Benchmark helper: feeds the len bytes in buf() `times` times (spans [i, i+1), no
 *  pending() per byte), finishing each pass; returns the findings of the last pass. */
export function feedOnly(len: i32, times: i32): i32 {
  const m = matcher!;
  for (let t = 0; t < times; t++) {
    m.reset();
    sink.clear();
    sink.overflowAt = 0xffffffff;
    for (let i = 0; i < len; i++) m.feed(unchecked(input[i]), <u32>i, <u32>i + 1, sink);
    m.finish(sink);
  }
  return sink.count;
}
