// The WASI command (dist/wardline.wasi.wasm), built by scripts/targets/wasi.mjs with
// @assemblyscript/wasi-shim. Usage and exit codes: docs/abi.md, "The WASI command".
//
//   wardline.wasi.wasm POLICY.wlp [--mode scan|stream] [--phase ingress|midstream|egress] [--input json|text]
//
// stdin: JSON lines ({"text": "..."} per line; in stream mode {"push": "..."} / {"finish": true}),
// or with --input text raw lines. stdout: one JSON result per input line.
// It calls the very functions of the byte ABI (assembly/entry/js.ts) that every other host
// calls, so its findings and bytes are the JS binding's.
import {
  wl_input, wl_policy_load, wl_policy_info, wl_result_ptr, wl_result_len, wl_scan,
  wl_stream_open, wl_stream_push, wl_stream_finish, wl_stream_close,
} from "../js";
import { JsonOut } from "../../protocol/json_out";
import { encodeJsonString } from "../../protocol/json_encode";
import { decodeJsonString } from "../../protocol/json_decode";
import { JsonStatus } from "../../protocol/json_status";
import {
  fd_read, fd_write, fd_close, fd_prestat_get, fd_prestat_dir_name, path_open, proc_exit, prestat, sched_yield, errno,
} from "bindings/wasi_snapshot_preview1";

// Exit codes (documented in docs/abi.md)
const EXIT_OK = 0;
const EXIT_CUT = 2;        // some input was blocked or stopped
const EXIT_USAGE = 64;     // bad arguments
const EXIT_DATAERR = 65;   // some input line was not valid (reported as {"error": …} lines)
const EXIT_NOINPUT = 66;   // the policy file cannot be opened or read
const EXIT_BADPOLICY = 67; // the engine refused the policy (status on stderr)
const EXIT_IOERR = 74;     // stdin/stdout failed

const DETECTORS: string[] = ["", "pii", "secrets", "injection", "toxicity", "custom", "leak", "classifier"];
const ACTIONS: string[] = ["allow", "flag", "disclaimer", "pseudonymize", "redact", "stop", "block"];
const MODES: string[] = ["enforce", "flag", "shadow"];

const scratch = memory.data(64);

// ── I/O ─────────────────────────────────────────────────────────────────────
function writeAll(fd: u32, p: usize, n: usize): bool {
  while (n > 0) {
    store<usize>(scratch, p);
    store<usize>(scratch, n, sizeof<usize>());
    const err = fd_write(fd, scratch, 1, scratch + 16);
    if (err == errno.AGAIN) { sched_yield(); continue; } // a non-blocking pipe that is full
    if (err != 0) return false;
    const w = load<usize>(scratch, 16);
    p += w; n -= w;
  }
  return true;
}

function writeString(fd: u32, s: string): void {
  const b = String.UTF8.encode(s);
  writeAll(fd, changetype<usize>(b), <usize>b.byteLength);
}

function fail(code: i32, message: string): void {
  writeString(2, "wardline.wasi: " + message + "\n");
  proc_exit(code);
}

/** Reads the whole file at `path` through the preopened directory that contains it. */
function readFile(path: string, out: JsonOut): bool {
  // find the preopen: the longest directory name that is a prefix of the path; "." for relative paths
  let best: i32 = -1, bestLen = -1;
  let rel = path;
  for (let fd: u32 = 3; fd < 64; fd++) {
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != 0) break;
    const nameLen = load<u32>(scratch, 4);
    const buf = new ArrayBuffer(<i32>nameLen);
    if (fd_prestat_dir_name(fd, changetype<usize>(buf), nameLen) != 0) continue;
    let name = String.UTF8.decode(buf);
    while (name.length > 1 && name.endsWith("/")) name = name.slice(0, name.length - 1);
    let r: string | null = null;
    if (name == "." || name == "") { if (!path.startsWith("/")) r = path.startsWith("./") ? path.slice(2) : path; }
    else if (name == "/") { if (path.startsWith("/")) r = path.slice(1); }
    else if (path == name) r = ".";
    else if (path.startsWith(name + "/")) r = path.slice(name.length + 1);
    if (r != null && name.length > bestLen) { best = <i32>fd; bestLen = name.length; rel = r; }
  }
  if (best < 0) return false;
  const p = String.UTF8.encode(rel);
  // rights: fd_read (bit 1) | fd_seek (bit 2)
  if (path_open(<u32>best, 1, changetype<usize>(p), <usize>p.byteLength, 0, 6, 0, 0, scratch) != 0) return false;
  const fd = load<u32>(scratch);
  while (true) {
    const at = out.ensure(65536);
    store<usize>(scratch, at);
    store<usize>(scratch, 65536, sizeof<usize>());
    if (fd_read(fd, scratch, 1, scratch + 16) != 0) { fd_close(fd); return false; }
    const n = <i32>load<usize>(scratch, 16);
    if (n == 0) break;
    out.len += n;
  }
  fd_close(fd);
  return true;
}

// ── policy names (wl_policy_info) ───────────────────────────────────────────
class Names {
  typeName: ArrayBuffer[] = [];
  typeDetector: u32[] = [];
  ruleId: ArrayBuffer[] = [];
  ruleMode: u32[] = [];
  ruleMessage: ArrayBuffer[] = [];
}

function copyBytes(p: usize, n: u32): ArrayBuffer {
  const b = new ArrayBuffer(<i32>n);
  memory.copy(changetype<usize>(b), p, n);
  return b;
}

function readNames(h: i32): Names {
  wl_policy_info(h);
  let p = wl_result_ptr();
  const names = new Names();
  const tc = load<u32>(p), rc = load<u32>(p, 4);
  p += 8;
  for (let i: u32 = 0; i < tc; i++) {
    names.typeDetector.push(load<u32>(p));
    const n = load<u32>(p, 4);
    names.typeName.push(copyBytes(p + 8, n));
    p += 8 + n;
  }
  for (let i: u32 = 0; i < rc; i++) {
    names.ruleMode.push(load<u32>(p, 4));
    const n = load<u32>(p, 8);
    names.ruleId.push(copyBytes(p + 12, n));
    p += 12 + n;
    const m = load<u32>(p);
    names.ruleMessage.push(copyBytes(p + 4, m));
    p += 4 + m;
  }
  return names;
}

// ── JSON output ─────────────────────────────────────────────────────────────
const out = new JsonOut(4096);

function ascii(s: string): void {
  for (let i = 0; i < s.length; i++) out.byte(<u32>s.charCodeAt(i));
}

function jsonBytes(p: usize, n: usize): void {
  out.byte(0x22); encodeJsonString(p, n, out); out.byte(0x22);
}

function jsonBuf(b: ArrayBuffer): void { jsonBytes(changetype<usize>(b), <usize>b.byteLength); }

function uint(v: u32): void { ascii(v.toString()); }

/** A score as JavaScript prints Math.round(score * 1000) / 1000. */
function score(f: f32): void {
  let k = <i64>Math.round(<f64>f * 1000.0);
  if (k < 0) { out.byte(0x2d); k = -k; }
  ascii((k / 1000).toString());
  let frac = <i32>(k % 1000);
  if (frac == 0) return;
  out.byte(0x2e);
  let digits = 3;
  while (frac % 10 == 0) { frac /= 10; digits--; }
  const s = frac.toString();
  for (let i = s.length; i < digits; i++) out.byte(0x30);
  ascii(s);
}

let utf8Carry = new JsonOut(8);

/**
 * Writes the result buffer (header, findings, fired, text) as one JSON object, keys in
 * the JS binding's order. In a stream, an incomplete UTF-8 sequence at the end of the
 * released bytes is carried to the next result, so every "text" is valid UTF-8.
 */
function writeResult(names: Names, streamed: bool, finishing: bool): u32 {
  const r = wl_result_ptr();
  const action = load<u32>(r, 4), flags = load<u32>(r, 8);
  const nf = <i32>load<u32>(r, 12), nr = <i32>load<u32>(r, 16), textLen = load<u32>(r, 20), held = load<u32>(r, 24);
  const fBase = r + 32, rBase = fBase + <usize>nf * 32, tBase = rBase + <usize>nr * 16;
  // findings sorted as the binding sorts them: start ascending, end descending (stable)
  const order = new Array<i32>(nf);
  for (let i = 0; i < nf; i++) {
    let j = i;
    const s = load<u32>(fBase + <usize>i * 32, 16), e = load<u32>(fBase + <usize>i * 32, 20);
    while (j > 0) {
      const q = fBase + <usize>order[j - 1] * 32;
      const ps = load<u32>(q, 16), pe = load<u32>(q, 20);
      if (ps < s || (ps == s && pe >= e)) break;
      order[j] = order[j - 1]; j--;
    }
    order[j] = i;
  }
  out.reset();
  ascii("{\"action\":\""); ascii(ACTIONS[action]);
  ascii("\",\"stopped\":"); ascii(flags & 1 ? "true" : "false");
  // the message of the first enforced block/stop rule that fired
  let message: ArrayBuffer | null = null;
  for (let i = 0; i < nr; i++) {
    const q = rBase + <usize>i * 16;
    const rule = load<u32>(q), ra = load<u32>(q, 4);
    if (names.ruleMode[rule] == 0 && (ra == 5 || ra == 6)) { message = names.ruleMessage[rule]; break; }
  }
  if (message != null && message.byteLength > 0) { ascii(",\"message\":"); jsonBuf(message); }
  ascii(",\"text\":");
  let tp = tBase, tn = <usize>textLen;
  if (streamed) {
    // prepend the carry, then keep back an incomplete trailing sequence
    const joined = new JsonOut(<i32>(tn + 8));
    joined.bytes(utf8Carry.ptr, <usize>utf8Carry.len);
    joined.bytes(tp, tn);
    utf8Carry.reset();
    tp = joined.ptr; tn = <usize>joined.len;
    if (!finishing) {
      const keep = incompleteTail(tp, tn);
      utf8Carry.bytes(tp + tn - keep, keep);
      tn -= keep;
    }
    jsonBytes(tp, tn);
  } else {
    jsonBytes(tp, tn);
  }
  ascii(",\"findings\":[");
  for (let k = 0; k < nf; k++) {
    const q = fBase + <usize>order[k] * 32;
    const typeId = load<u32>(q), det = load<u32>(q, 4), fa = load<u32>(q, 8), rule = load<i32>(q, 12);
    const aux = load<u32>(q, 28);
    if (k > 0) out.byte(0x2c);
    ascii("{\"detector\":\""); ascii(DETECTORS[det]);
    ascii("\",\"type\":"); jsonBuf(names.typeName[typeId]);
    if (rule >= 0) { ascii(",\"rule\":"); jsonBuf(names.ruleId[rule]); }
    ascii(",\"action\":\""); ascii(ACTIONS[fa]);
    ascii("\",\"start\":"); uint(load<u32>(q, 16));
    ascii(",\"end\":"); uint(load<u32>(q, 20));
    ascii(",\"score\":"); score(load<f32>(q, 24));
    if (aux > 0) {
      ascii(",\"placeholder\":\"<");
      encodeJsonString(changetype<usize>(names.typeName[typeId]), <usize>names.typeName[typeId].byteLength, out);
      out.byte(0x5f); uint(aux); ascii(">\"");
    }
    out.byte(0x7d);
  }
  ascii("],\"rules\":[");
  for (let i = 0; i < nr; i++) {
    const q = rBase + <usize>i * 16;
    const rule = load<u32>(q);
    if (i > 0) out.byte(0x2c);
    ascii("{\"id\":"); jsonBuf(names.ruleId[rule]);
    ascii(",\"action\":\""); ascii(ACTIONS[load<u32>(q, 4)]);
    ascii("\",\"mode\":\""); ascii(MODES[names.ruleMode[rule]]);
    out.byte(0x22);
    const m = names.ruleMessage[rule];
    if (m.byteLength > 0) { ascii(",\"message\":"); jsonBuf(m); }
    out.byte(0x7d);
  }
  out.byte(0x5d);
  if (streamed) {
    ascii(",\"held\":"); uint(held);
    ascii(",\"overflow\":"); ascii(flags & 2 ? "true" : "false");
    if (finishing) ascii(",\"finished\":true");
  }
  ascii("}\n");
  return flags;
}

/** Bytes at the end of [p, p + n) that begin a UTF-8 sequence not yet complete. */
function incompleteTail(p: usize, n: usize): usize {
  for (let back: usize = 1; back <= 3 && back <= n; back++) {
    const c = <u32>load<u8>(p + n - back);
    if ((c & 0xc0) == 0x80) continue; // continuation: look further back
    const need: usize = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function writeError(line: i32, code: string, status: i32): void {
  out.reset();
  ascii("{\"error\":\""); ascii(code); ascii("\",\"line\":"); uint(<u32>line);
  if (status != 0) { ascii(",\"status\":"); uint(<u32>status); }
  ascii("}\n");
}

// ── JSON input: one flat object per line ─────────────────────────────────────
const KEY_TEXT = 1, KEY_PUSH = 2, KEY_FINISH = 3;
let lineKey = 0;
let lineFinish = false;
const value = new JsonOut(4096);

@inline function isWs(c: u32): bool { return c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a; }

function skipWs(p: usize, end: usize): usize {
  while (p < end && isWs(<u32>load<u8>(p))) p++;
  return p;
}

/** End of the JSON string starting at the quote p (index after its closing quote), or 0. */
function stringEnd(p: usize, end: usize): usize {
  let q = p + 1;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c == 0x5c) { q += 2; continue; }
    if (c == 0x22) return q + 1;
    q++;
  }
  return 0;
}

function keyIs(p: usize, n: usize, s: string): bool {
  if (n != <usize>s.length) return false;
  for (let i = 0; i < s.length; i++) if (<u32>load<u8>(p + <usize>i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

/** Parses {"text": "..."} / {"push": "..."} / {"finish": true}; false when the line is not one of them. */
function parseLine(p: usize, end: usize): bool {
  lineKey = 0; lineFinish = false; value.reset();
  p = skipWs(p, end);
  if (p >= end || load<u8>(p) != 0x7b) return false;
  p = skipWs(p + 1, end);
  if (p < end && load<u8>(p) == 0x7d) return false;
  while (true) {
    if (p >= end || load<u8>(p) != 0x22) return false;
    const ke = stringEnd(p, end);
    if (ke == 0) return false;
    const kp = p + 1, kn = ke - p - 2;
    p = skipWs(ke, end);
    if (p >= end || load<u8>(p) != 0x3a) return false;
    p = skipWs(p + 1, end);
    if (p >= end) return false;
    let key = 0;
    if (keyIs(kp, kn, "text")) key = KEY_TEXT;
    else if (keyIs(kp, kn, "push")) key = KEY_PUSH;
    else if (keyIs(kp, kn, "finish")) key = KEY_FINISH;
    if (key == 0 || lineKey != 0) return false; // unknown or second key
    lineKey = key;
    if (key == KEY_FINISH) {
      if (end - p >= 4 && keyIs(p, 4, "true")) { lineFinish = true; p += 4; }
      else if (end - p >= 5 && keyIs(p, 5, "false")) p += 5;
      else return false;
    } else {
      if (load<u8>(p) != 0x22) return false;
      const ve = stringEnd(p, end);
      if (ve == 0) return false;
      if (decodeJsonString(p + 1, ve - p - 2, value) != JsonStatus.OK) return false;
      p = ve;
    }
    p = skipWs(p, end);
    if (p < end && load<u8>(p) == 0x2c) { p = skipWs(p + 1, end); continue; }
    if (p < end && load<u8>(p) == 0x7d) { p = skipWs(p + 1, end); return p == end; }
    return false;
  }
}

// ── main ────────────────────────────────────────────────────────────────────
let handle: i32 = 0;
let names: Names = new Names();
let streamMode = false;
let textInput = false;
let phase: u32 = 0;
let stream: i32 = 0;
let exitCode: i32 = EXIT_OK;
let lineNo: i32 = 0;

function copyInput(p: usize, n: usize): u32 {
  const at = wl_input(<u32>n);
  memory.copy(at, p, n);
  return <u32>n;
}

function note(flags: u32): void {
  if ((flags & 1) != 0 && exitCode == EXIT_OK) exitCode = EXIT_CUT;
}

function engineError(status: i32): void {
  writeError(lineNo, "engine", -status);
  exitCode = EXIT_DATAERR;
}

function push(p: usize, n: usize): void {
  if (stream == 0) stream = wl_stream_open(handle, phase);
  const len = copyInput(p, n);
  const s = wl_stream_push(stream, len);
  if (s < 0) { engineError(s); return; }
  note(writeResult(names, true, false));
}

function finish(): void {
  if (stream == 0) stream = wl_stream_open(handle, phase);
  const s = wl_stream_finish(stream);
  if (s < 0) engineError(s);
  else note(writeResult(names, true, true));
  wl_stream_close(stream);
  stream = 0;
  utf8Carry.reset();
}

function scan(p: usize, n: usize): void {
  const len = copyInput(p, n);
  const s = wl_scan(handle, phase, len);
  if (s < 0) { engineError(s); return; }
  note(writeResult(names, false, false));
}

function flushOut(): void {
  if (out.len > 0 && !writeAll(1, out.ptr, <usize>out.len)) proc_exit(EXIT_IOERR);
  out.reset();
}

/** One input line [p, p + n), without its newline. */
function line(p: usize, n: usize): void {
  lineNo++;
  out.reset();
  if (textInput) {
    if (streamMode) push(p, n + 1); // the newline is part of the streamed text
    else scan(p, n);
  } else if (skipWs(p, p + n) == p + n) {
    lineNo--; // blank lines are skipped
    return;
  } else if (!parseLine(p, p + n)) {
    writeError(lineNo, "bad_line", 0);
    exitCode = EXIT_DATAERR;
  } else if (!streamMode) {
    if (lineKey == KEY_TEXT) scan(value.ptr, <usize>value.len);
    else { writeError(lineNo, "bad_line", 0); exitCode = EXIT_DATAERR; }
  } else if (lineKey == KEY_PUSH) push(value.ptr, <usize>value.len);
  else if (lineKey == KEY_FINISH && lineFinish) finish();
  else { writeError(lineNo, "bad_line", 0); exitCode = EXIT_DATAERR; }
  flushOut();
}

function usage(msg: string): void {
  fail(EXIT_USAGE, msg + "\nusage: wardline.wasi.wasm POLICY.wlp [--mode scan|stream] [--phase ingress|midstream|egress] [--input json|text]");
}

function main(): void {
  const argv = process.argv;
  let policyPath: string | null = null;
  let phaseName: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a == "--mode" || a == "--phase" || a == "--input") {
      if (i + 1 >= argv.length) usage("missing value for " + a);
      const v = argv[++i];
      if (a == "--mode") {
        if (v == "stream") streamMode = true;
        else if (v != "scan") usage("unknown mode " + v);
      } else if (a == "--phase") phaseName = v;
      else {
        if (v == "text") textInput = true;
        else if (v != "json") usage("unknown input " + v);
      }
    } else if (a.startsWith("--")) usage("unknown option " + a);
    else if (policyPath == null) policyPath = a;
    else usage("more than one policy");
  }
  if (policyPath == null) { usage("no policy file"); return; }
  if (phaseName == null) phase = streamMode ? 2 : 1;
  else if (phaseName == "ingress") phase = 1;
  else if (phaseName == "midstream") phase = 2;
  else if (phaseName == "egress") phase = 4;
  else usage("unknown phase " + phaseName);

  const bytes = new JsonOut(65536);
  if (!readFile(policyPath, bytes)) fail(EXIT_NOINPUT, "cannot read " + policyPath + " (is its directory preopened?)");
  handle = wl_policy_load(copyInput(bytes.ptr, <usize>bytes.len));
  if (handle < 0) fail(EXIT_BADPOLICY, "the engine refused the policy (status " + (-handle).toString() + ")");
  names = readNames(handle);

  // read stdin, one line at a time
  const buf = new JsonOut(65536);
  let start = 0; // first byte of the current line in buf
  while (true) {
    const at = buf.ensure(65536);
    store<usize>(scratch, at);
    store<usize>(scratch, 65536, sizeof<usize>());
    const err = fd_read(0, scratch, 1, scratch + 16);
    if (err == errno.AGAIN) { sched_yield(); continue; } // a non-blocking pipe with nothing yet
    if (err != 0) fail(EXIT_IOERR, "cannot read stdin");
    const n = <i32>load<usize>(scratch, 16);
    if (n == 0) break;
    const from = buf.len;
    buf.len += n;
    for (let i = from; i < buf.len; i++) {
      if (load<u8>(buf.ptr + <usize>i) == 0x0a) {
        line(buf.ptr + <usize>start, <usize>(i - start));
        start = i + 1;
      }
    }
    // drop consumed lines
    if (start > 0) {
      const rest = buf.len - start;
      memory.copy(buf.ptr, buf.ptr + <usize>start, <usize>rest);
      buf.len = rest;
      start = 0;
    }
  }
  if (buf.len > 0) {
    if (textInput && streamMode) { lineNo++; out.reset(); push(buf.ptr, <usize>buf.len); flushOut(); }
    else line(buf.ptr, <usize>buf.len);
  }
  // end of input: a stream that was not finished is finished now
  if (streamMode && (stream != 0 || textInput)) { out.reset(); finish(); flushOut(); }
  proc_exit(exitCode);
}

main();
