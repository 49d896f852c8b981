// The Envoy filter: proxy-wasm ABI 0.2.1 callbacks mapped onto the same engine and protocol
// code the JavaScript hosts use (docs/envoy.md). Built with the `incremental` runtime: nothing
// outside the VM collects garbage.
//
//   request headers   guarded path? strip accept-encoding (the guard reads plain SSE) and
//                     content-length (the body may be rewritten)
//   request body      Pause until end of stream (Envoy buffers), then the whole body through
//                     RequestInspector (ingress rules): block → send_local_response in the
//                     provider's error shape; redact → body replaced (start=0, size=body)
//   response headers  2xx text/event-stream → a GuardedStream; 2xx JSON → buffered and inspected
//                     whole (ResponseInspector); content-length removed
//   response body     SSE: each frame pushed as it comes, replaced by the guard's output with
//                     set_buffer_bytes(start=0, size=frame), Continue; after a stop later frames
//                     are emptied. end_of_stream finishes the stream into the last frame
//   response trailers end of body: the stream is finished; bytes it would still release cannot
//                     be written any more (the body buffer is gone): dropped, logged and counted
import { Policy } from "../../engine/policy";
import { Scanner } from "../../engine/scanner";
import { Rules } from "../../engine/rules";
import { Section, Status, NONE, Phase } from "../../engine/constants";
import { GuardedStream, StreamFlag } from "../../protocol/guarded_stream";
import { ScannerPool } from "../../engine/scanner_pool";
import { JsonOut } from "../../protocol/json_out";
import { JsonStatus } from "../../protocol/json_status";
import { encodeJsonString } from "../../protocol/json_encode";
import { shapeOf } from "../../protocol/request_shapes";
import { responseShapeOf } from "../../protocol/response_shapes";
import { RequestParts } from "../../protocol/request_parts";
import { RequestInspector, REQUEST_BLOCKED, REQUEST_REWRITTEN } from "../../protocol/request_inspect";
import { ResponseInspector, RESPONSE_REWRITTEN } from "../../protocol/response_inspect";
import {
  Action, BufferType, MapType, LogLevel, ProxyStatus, Bytes, log, getBuffer, getHeader, removeHeader, counter, bump,
  proxy_set_buffer_bytes, proxy_send_local_response,
} from "./host";
import { Config, parseConfig } from "./config";

// ── integration and memory ───────────────────────────────────────────────────
export function proxy_abi_version_0_2_1(): void {}

/** Memory the host writes returned values into; freed by the filter after reading. */
export function proxy_on_memory_allocate(size: usize): usize { return heap.alloc(size > 0 ? size : 1); }
export function malloc(size: usize): usize { return heap.alloc(size > 0 ? size : 1); }

// ── plugins (root contexts) ───────────────────────────────────────────────────
class Metrics {
  requests: u32 = counter("wardline_requests_total");
  blocked: u32 = counter("wardline_requests_blocked_total");
  redacted: u32 = counter("wardline_requests_redacted_total");
  streams: u32 = counter("wardline_streams_total");
  stopped: u32 = counter("wardline_streams_stopped_total");
  findings: u32 = counter("wardline_findings_total");
  unscanned: u32 = counter("wardline_unscanned_total");
  tailDropped: u32 = counter("wardline_tail_dropped_total");
  responses: u32 = counter("wardline_responses_inspected_total");
}

class Plugin {
  policy: Policy;
  rules: Rules;
  config: Config;
  ingress: Scanner;
  egress: Scanner | null = null;
  requestParts: StaticArray<RequestParts | null> = new StaticArray<RequestParts | null>(4);
  responseParts: StaticArray<RequestParts | null> = new StaticArray<RequestParts | null>(4);
  metrics: Metrics = new Metrics();
  /** scanners of finished response streams, reused by the next ones (warm DFA caches) */
  pool: ScannerPool;
  constructor(policy: Policy, config: Config) {
    this.policy = policy;
    this.pool = new ScannerPool(policy);
    this.config = config;
    this.rules = new Rules(policy.section(Section.RULES), policy.sectionLength(Section.RULES));
    this.ingress = new Scanner(policy, Phase.INGRESS);
  }
  route(path: Bytes): i32 {
    let n = path.len;
    for (let i = 0; i < path.len; i++) if (load<u8>(path.ptr + <usize>i) == 0x3f) { n = i; break; }
    const s = String.UTF8.decodeUnsafe(path.ptr, <usize>n);
    const routes = this.config.routes;
    for (let i = 0; i < routes.length; i++) if (routes[i].path == s) return routes[i].provider;
    return 0;
  }
}

const roots = new Map<u32, Plugin | null>();

export function proxy_on_context_create(id: u32, parent: u32): void {
  if (parent == 0) { roots.set(id, null); return; }
  const p: Plugin | null = roots.has(parent) ? roots.get(parent) : null;
  https.set(id, new Http(p));
}

export function proxy_on_vm_start(root: u32, size: usize): bool { return true; }

export function proxy_on_configure(root: u32, size: usize): bool {
  const raw = new Bytes(size > 0 ? <i32>size : 16);
  if (size == 0 || !getBuffer(BufferType.PLUGIN_CONFIGURATION, 0, size, raw)) {
    log(LogLevel.ERROR, "wardline: plugin configuration is missing (give the compiled policy or a JSON object with policy_base64)");
    return false;
  }
  const c = parseConfig(raw.ptr, raw.len);
  if (c.error != "") { log(LogLevel.ERROR, "wardline: invalid plugin configuration: " + c.error); return false; }
  const policy = new Policy(c.policy.ptr, c.policy.len);
  if (policy.status != Status.OK) {
    const why = policy.status == Status.BAD_POLICY_MAGIC ? "not a compiled Wardline policy (bad magic)"
      : policy.status == Status.BAD_POLICY_VERSION ? "compiled for another policy format version" : "a policy section is missing or out of bounds";
    log(LogLevel.ERROR, "wardline: invalid plugin configuration: policy: " + why);
    return false;
  }
  if (!new Scanner(policy, Phase.INGRESS).valid()) {
    log(LogLevel.ERROR, "wardline: invalid plugin configuration: policy: a policy section is damaged");
    return false;
  }
  roots.set(root, new Plugin(policy, c));
  log(LogLevel.INFO, `wardline: policy loaded (${c.policy.len} bytes, ${c.routes.length} routes, fail ${c.failOpen ? "open" : "closed"})`);
  return true;
}

// ── HTTP streams ──────────────────────────────────────────────────────────────
const enum Mode { OFF = 0, SSE = 1, JSON = 2 }

class Http {
  plugin: Plugin | null;
  provider: i32 = 0;
  mode: Mode = Mode.OFF;
  stream: GuardedStream | null = null;
  stopped: bool = false;
  done: bool = false;
  constructor(plugin: Plugin | null) { this.plugin = plugin; }
}

const https = new Map<u32, Http>();
// scratch, reused by every stream (callbacks never interleave inside one VM)
const frame = new Bytes(16 * 1024);
const out = new Bytes(16 * 1024);
const header = new Bytes(256);
const result = new JsonOut(4096);
const requestInspector = new RequestInspector();
const responseInspector = new ResponseInspector();
const SCRATCH_CAP: i32 = 256 * 1024;

function httpOf(id: u32): Http | null { return https.has(id) ? https.get(id) : null; }

export function proxy_on_request_headers(id: u32, headers: u32, endOfStream: bool): Action {
  const h = httpOf(id);
  if (h == null || h.plugin == null) return Action.CONTINUE;
  const p = h.plugin!;
  if (!getHeader(MapType.HTTP_REQUEST_HEADERS, ":path", header)) return Action.CONTINUE;
  h.provider = p.route(header);
  if (h.provider == 0) return Action.CONTINUE;
  bump(p.metrics.requests);
  removeHeader(MapType.HTTP_REQUEST_HEADERS, "accept-encoding");
  if (!endOfStream) removeHeader(MapType.HTTP_REQUEST_HEADERS, "content-length");
  return Action.CONTINUE;
}

export function proxy_on_request_body(id: u32, size: usize, endOfStream: bool): Action {
  const h = httpOf(id);
  if (h == null || h.provider == 0 || h.done) return Action.CONTINUE;
  if (!endOfStream) return Action.PAUSE; // Envoy buffers; the whole body comes with end_of_stream
  h.done = true;
  const p = h.plugin!;
  if (!getBuffer(BufferType.HTTP_REQUEST_BODY, 0, size, frame)) return Action.CONTINUE;
  let parts = p.requestParts[h.provider];
  if (parts == null) { parts = new RequestParts(shapeOf(h.provider)!); p.requestParts[h.provider] = parts; }
  const st = requestInspector.inspect(parts, p.ingress, frame.ptr, <usize>frame.len, result);
  p.ingress.out.keepPseudonyms = false;
  frame.shrink(SCRATCH_CAP);
  if (st != JsonStatus.OK) {
    bump(p.metrics.unscanned);
    if (p.config.failOpen) return Action.CONTINUE;
    localError(h.provider, 400, "wardline_bad_request", "bad_request", "The request body is not valid JSON.");
    return Action.PAUSE;
  }
  const r = result.ptr;
  const flags = load<u32>(r, 8);
  if (flags & REQUEST_BLOCKED) {
    bump(p.metrics.blocked);
    const rule = load<i32>(r, 20);
    let message = "Request blocked by the policy.";
    if (rule >= 0 && rule < p.rules.ruleCount) {
      const s = p.rules.messageString(rule);
      if (s != NONE && p.policy.stringLen(s) > 0) message = String.UTF8.decodeUnsafe(p.policy.stringPtr(s), <usize>p.policy.stringLen(s));
    }
    log(LogLevel.INFO, "wardline: request blocked");
    localError(h.provider, 400, "wardline_blocked", "blocked", message);
    return Action.PAUSE;
  }
  if (flags & REQUEST_REWRITTEN) {
    const bodyLen = load<u32>(r, 28);
    proxy_set_buffer_bytes(BufferType.HTTP_REQUEST_BODY, 0, size, r + <usize>result.len - <usize>bodyLen, <usize>bodyLen);
    bump(p.metrics.redacted);
  }
  return Action.CONTINUE;
}

/** A local reply in the provider's error shape (host-proxy/provider-errors.ts). */
function localError(provider: i32, status: u32, details: string, failure: string, message: string): void {
  out.len = 0;
  const m = String.UTF8.encode(message);
  if (provider == 3) {
    out.str(failure == "upstream" ? `{"type":"error","error":{"type":"api_error","message":"` : `{"type":"error","error":{"type":"invalid_request_error","message":"`);
    encode(m, out); out.str(`"}}`);
  } else {
    out.str(`{"error":{"message":"`);
    encode(m, out);
    out.str(failure == "blocked" ? `","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}`
      : failure == "upstream" ? `","type":"server_error","param":null,"code":null}}` : `","type":"invalid_request_error","param":null,"code":null}}`);
  }
  // serialized headers: count, (keyLen, valueLen)×, key\0value\0
  const hdr = new Bytes(64);
  const k = "content-type", v = "application/json";
  hdr.u32(1); hdr.u32(<u32>k.length); hdr.u32(<u32>v.length);
  hdr.str(k); hdr.byte(0); hdr.str(v); hdr.byte(0);
  const d = String.UTF8.encode(details);
  proxy_send_local_response(status, changetype<usize>(d), <usize>d.byteLength, out.ptr, <usize>out.len, hdr.ptr, <usize>hdr.len, -1);
}

function encode(m: ArrayBuffer, into: Bytes): void {
  const j = new JsonOut(m.byteLength + 16);
  encodeJsonString(changetype<usize>(m), <usize>m.byteLength, j);
  into.bytes(j.ptr, <usize>j.len);
}

export function proxy_on_response_headers(id: u32, headers: u32, endOfStream: bool): Action {
  const h = httpOf(id);
  if (h == null || h.provider == 0 || endOfStream) return Action.CONTINUE;
  const p = h.plugin!;
  if (!getHeader(MapType.HTTP_RESPONSE_HEADERS, ":status", header)) return Action.CONTINUE;
  const status = I32.parseInt(header.toString());
  if (status < 200 || status > 299) return Action.CONTINUE;
  if (!getHeader(MapType.HTTP_RESPONSE_HEADERS, "content-type", header)) return Action.CONTINUE;
  const type = header.toString().toLowerCase();
  const sse = type.startsWith("text/event-stream");
  if (!sse && !type.startsWith("application/json")) return Action.CONTINUE;
  // accept-encoding was stripped; an upstream that compresses anyway cannot be scanned
  if (getHeader(MapType.HTTP_RESPONSE_HEADERS, "content-encoding", header) && header.toString().toLowerCase() != "identity") {
    bump(p.metrics.unscanned);
    log(LogLevel.WARN, "wardline: the upstream answer is compressed (" + header.toString() + ") and cannot be scanned");
    if (p.config.failOpen) return Action.CONTINUE;
    localError(h.provider, 502, "wardline_compressed_upstream", "upstream", "The upstream answer could not be checked.");
    return Action.PAUSE;
  }
  if (sse) {
    h.mode = Mode.SSE;
    const g = new GuardedStream(p.policy, h.provider, p.config.failOpen);
    g.pool = p.pool;
    h.stream = g;
    bump(p.metrics.streams);
  } else if (type.startsWith("application/json")) {
    h.mode = Mode.JSON;
  } else return Action.CONTINUE;
  removeHeader(MapType.HTTP_RESPONSE_HEADERS, "content-length");
  return Action.CONTINUE;
}

export function proxy_on_response_body(id: u32, size: usize, endOfStream: bool): Action {
  const h = httpOf(id);
  if (h == null || h.mode == Mode.OFF) return Action.CONTINUE;
  if (h.mode == Mode.JSON) return jsonBody(h, size, endOfStream);
  const p = h.plugin!;
  const g = h.stream!;
  if (h.stopped || g.isFinished) {
    if (size > 0) proxy_set_buffer_bytes(BufferType.HTTP_RESPONSE_BODY, 0, size, 0, 0);
    return Action.CONTINUE;
  }
  out.len = 0;
  if (size > 0) {
    if (!getBuffer(BufferType.HTTP_RESPONSE_BODY, 0, size, frame)) return Action.CONTINUE;
    g.push(frame.ptr, frame.len);
    account(h, p, g);
  }
  if (endOfStream && !h.stopped) {
    g.finish();
    account(h, p, g);
  }
  proxy_set_buffer_bytes(BufferType.HTTP_RESPONSE_BODY, 0, size, out.ptr, <usize>out.len);
  frame.shrink(SCRATCH_CAP);
  out.shrink(SCRATCH_CAP);
  return Action.CONTINUE;
}

/** Collects the guard's output of the last call into `out`, and its metrics. */
function account(h: Http, p: Plugin, g: GuardedStream): void {
  out.bytes(g.out.ptr, <usize>g.out.len);
  if (g.findingCount > 0) bump(p.metrics.findings, g.findingCount);
  if (g.flags & StreamFlag.NOT_SCANNED) bump(p.metrics.unscanned);
  if ((g.flags & StreamFlag.STOPPED) && !h.stopped) {
    h.stopped = true;
    bump(p.metrics.stopped);
    log(LogLevel.INFO, "wardline: stream stopped by the policy");
  }
}

function jsonBody(h: Http, size: usize, endOfStream: bool): Action {
  if (!endOfStream) return Action.PAUSE; // Envoy buffers the whole answer
  h.mode = Mode.OFF;
  const p = h.plugin!;
  if (!getBuffer(BufferType.HTTP_RESPONSE_BODY, 0, size, frame)) return Action.CONTINUE;
  let parts = p.responseParts[h.provider];
  if (parts == null) { parts = new RequestParts(responseShapeOf(h.provider)!); p.responseParts[h.provider] = parts; }
  let s = p.egress;
  if (s == null) { s = new Scanner(p.policy, Phase.MIDSTREAM | Phase.EGRESS); p.egress = s; }
  const st = responseInspector.inspect(h.provider, parts, s, frame.ptr, <usize>frame.len, result);
  frame.shrink(SCRATCH_CAP);
  bump(p.metrics.responses);
  if (st != JsonStatus.OK) {
    bump(p.metrics.unscanned);
    if (!p.config.failOpen) proxy_set_buffer_bytes(BufferType.HTTP_RESPONSE_BODY, 0, size, 0, 0);
    return Action.CONTINUE;
  }
  const r = result.ptr;
  if (load<u32>(r, 8) & RESPONSE_REWRITTEN) {
    const bodyLen = load<u32>(r, 28);
    proxy_set_buffer_bytes(BufferType.HTTP_RESPONSE_BODY, 0, size, r + <usize>result.len - <usize>bodyLen, <usize>bodyLen);
  }
  return Action.CONTINUE;
}

export function proxy_on_response_trailers(id: u32, trailers: u32): Action {
  const h = httpOf(id);
  if (h == null || h.mode != Mode.SSE) return Action.CONTINUE;
  const g = h.stream!;
  if (h.stopped || g.isFinished) return Action.CONTINUE;
  const p = h.plugin!;
  out.len = 0;
  g.finish();
  account(h, p, g);
  if (out.len > 0) {
    bump(p.metrics.tailDropped);
    log(LogLevel.WARN, `wardline: the body ended with trailers and no end event; ${out.len} held bytes could not be written`);
  }
  return Action.CONTINUE;
}

export function proxy_on_done(id: u32): bool { return true; }

export function proxy_on_delete(id: u32): void {
  if (https.has(id)) {
    const g = https.get(id).stream;
    if (g) g.release(); // its scanners go back to the plugin's pool
    https.delete(id);
    return;
  }
  if (roots.has(id)) roots.delete(id);
}
