// Test-only entry for the JSON text-channel layer (test/json-channels.test.ts): path
// patterns, the scanner, string decoding with per-channel carries, encoding, and
// rebuilding a payload with one value replaced. Inputs go into two reusable buffers
// (0: payload or text, 1: replacement text); outputs accumulate in one JsonOut.
import { JsonPaths } from "../../protocol/json_paths";
import { JsonScanner } from "../../protocol/json_scanner";
import { JsonStringDecoder, decodeJsonString } from "../../protocol/json_decode";
import { encodeJsonString, replaceSpan, replaceStringValue } from "../../protocol/json_encode";
import { jsonStringIs, jsonU32 } from "../../protocol/json_fields";
import { JsonOut } from "../../protocol/json_out";

let in0 = new StaticArray<u8>(1024);
let in1 = new StaticArray<u8>(1024);
let paths = new JsonPaths();
let scanner = new JsonScanner(paths);
const out = new JsonOut();
const CHANNELS = 4;
const decoders = new StaticArray<JsonStringDecoder>(CHANNELS);
for (let i = 0; i < CHANNELS; i++) decoders[i] = new JsonStringDecoder();

// @ts-ignore: decorator
@inline function p0(): usize { return changetype<usize>(in0); }

/** A reusable input buffer (which: 0 or 1) of at least len bytes. */
export function buf(which: i32, len: i32): usize {
  if (which == 0) {
    if (len > in0.length) in0 = new StaticArray<u8>(len);
    return changetype<usize>(in0);
  }
  if (len > in1.length) in1 = new StaticArray<u8>(len);
  return changetype<usize>(in1);
}

/** Forgets all patterns; the next scanner nests at most maxDepth containers. */
export function resetPaths(maxDepth: i32): void {
  paths = new JsonPaths();
  scanner = new JsonScanner(paths, maxDepth);
}
/** Adds the patterns in buf 0 (one per line); returns a JsonStatus. */
export function parsePaths(len: i32): i32 { return paths.parse(p0(), <usize>len); }
/** Adds one pattern from buf 0; returns its id or a negated JsonStatus. */
export function addPath(len: i32): i32 { return paths.addUtf8(p0(), <usize>len); }
export function setMaxMatches(n: i32): void { scanner.maxMatches = n; }

/** Scans buf 0; returns a JsonStatus. */
export function scan(len: i32): i32 { return scanner.scan(p0(), <usize>len); }
export function errorAt(): u32 { return scanner.errorAt; }
export function matchCount(): i32 { return scanner.count; }
export function matchPath(i: i32): u32 { return scanner.pathId(i); }
export function matchKind(i: i32): u32 { return scanner.kind(i); }
export function matchStart(i: i32): u32 { return scanner.start(i); }
export function matchEnd(i: i32): u32 { return scanner.end(i); }
export function matchIndexCount(i: i32): i32 { return scanner.indexCount(i); }
export function matchIndex(i: i32, k: i32): u32 { return scanner.index(i, k); }

export function outReset(): void { out.reset(); }
export function outPtr(): usize { return out.ptr; }
export function outLen(): i32 { return out.len; }

/** Forgets every channel's carry. */
export function decodersReset(): void { for (let i = 0; i < CHANNELS; i++) unchecked(decoders[i]).reset(); }
/** Decodes string content buf0[start, start + len) on channel ch, appending to out. */
export function decode(ch: i32, start: i32, len: i32): i32 {
  return decodeJsonString(p0() + <usize>start, <usize>len, out, decoders[ch]);
}
/** Ends channel ch (a carried high surrogate becomes U+FFFD). */
export function decodeFinish(ch: i32): void { decoders[ch].finish(out); }
/** Decodes buf0[start, start + len) on its own. */
export function decodeAlone(start: i32, len: i32): i32 {
  return decodeJsonString(p0() + <usize>start, <usize>len, out);
}

/** Encodes UTF-8 text buf0[0, len) as JSON string content into out; returns replacements. */
export function encode(len: i32): i32 { return encodeJsonString(p0(), <usize>len, out); }

/** out = payload buf0[0, len) with [start, end) replaced by the string value of text buf1[0, textLen). */
export function replaceString(len: i32, start: i32, end: i32, textLen: i32): i32 {
  return replaceStringValue(p0(), <usize>len, <usize>start, <usize>end, changetype<usize>(in1), <usize>textLen, out);
}
/** out = payload buf0[0, len) with [start, end) replaced by the raw bytes buf1[0, vLen). */
export function replaceRaw(len: i32, start: i32, end: i32, vLen: i32): i32 {
  return replaceSpan(p0(), <usize>len, <usize>start, <usize>end, changetype<usize>(in1), <usize>vLen, out);
}

/** jsonStringIs on buf 0 against literal `which`. */
export function stringIs(start: u32, end: u32, which: i32): bool {
  const lit = which == 0 ? "content_block_delta" : which == 1 ? "text_delta" : "h\u00e9\u{1F600}";
  return jsonStringIs(p0(), start, end, lit);
}
/** jsonU32 on buf 0 (as f64 so JS gets a number; -1 for none). */
export function u32At(start: u32, end: u32): f64 { return <f64>jsonU32(p0(), start, end); }
