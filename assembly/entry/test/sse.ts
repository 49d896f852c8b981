// Test-only entry for the SSE parser and writer (test/sse.test.ts): the host writes a chunk
// into buf() and pushes it; the items of that push are read back through the accessors
// below until the next push or finish.
import { SseParser } from "../../protocol/sse";
import { eventLength, writeEvent } from "../../protocol/sse_write";

let input = new StaticArray<u8>(1 << 16);
let output = new StaticArray<u8>(1 << 16);
let parser = new SseParser();

/** A reusable input buffer of at least len bytes. */
export function buf(len: i32): usize {
  if (len > input.length) input = new StaticArray<u8>(len);
  return changetype<usize>(input);
}

/** Starts a new stream with a bound on one event's bytes (≤ 0: the default, 1 MiB). */
export function open(maxEventBytes: i32): void { parser = new SseParser(maxEventBytes); }
export function maxEventBytes(): i32 { return parser.maxEventBytes; }
/** Pushes buf()[0, len); returns the item count. */
export function push(len: i32): i32 { return parser.push(changetype<usize>(input), len); }
export function finish(): i32 { return parser.finish(); }
export function reset(): void { parser.reset(); }

export function kind(i: i32): i32 { return parser.items.kind(i); }
export function code(i: i32): i32 { return parser.items.code(i); }
export function rawPtr(i: i32): usize { return parser.items.rawPtr(i); }
export function rawLen(i: i32): i32 { return parser.items.rawLen(i); }
export function typePtr(i: i32): usize { return parser.items.typePtr(i); }
export function typeLen(i: i32): i32 { return parser.items.typeLen(i); }
export function hasEventField(i: i32): i32 { return parser.items.hasEventField(i) ? 1 : 0; }
export function dataPtr(i: i32): usize { return parser.items.dataPtr(i); }
export function dataLen(i: i32): i32 { return parser.items.dataLen(i); }
export function hasId(i: i32): i32 { return parser.items.hasId(i) ? 1 : 0; }
export function idPtr(i: i32): usize { return parser.items.idPtr(i); }
export function idLen(i: i32): i32 { return parser.items.idLen(i); }
export function retry(i: i32): i32 { return parser.items.retry(i); }

/** Encodes an event whose type, data and id lie in buf() at the given offsets (idLen < 0: no
 *  id; retry < 0: no retry) into out(); returns its length or a negative SseWriteError. */
export function encode(typeOff: i32, typeLen: i32, dataOff: i32, dataLen: i32, idOff: i32, idLen: i32, retry: i32): i32 {
  const base = changetype<usize>(input);
  const t = base + <usize>typeOff;
  const d = base + <usize>dataOff;
  const id = base + <usize>idOff;
  const n = eventLength(t, typeLen, d, dataLen, id, idLen, retry);
  if (n < 0) return n;
  if (n > output.length) output = new StaticArray<u8>(n);
  const written = writeEvent(changetype<usize>(output), t, typeLen, d, dataLen, id, idLen, retry);
  return written == n ? n : -100; // the two must agree
}
export function out(): usize { return changetype<usize>(output); }
