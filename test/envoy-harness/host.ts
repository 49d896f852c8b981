// A Node host for proxy-wasm ABI 0.2.1 filters that behaves like Envoy where it matters to a
// streaming filter (github.com/proxy-wasm/spec abi-versions/v0.2.1; Envoy's
// source/extensions/common/wasm/context.cc):
// - one VM instance, one root context per plugin, one context per HTTP stream; contexts are
//   created, done and deleted as Envoy does (proxy_on_context_create / _done / _delete);
// - body callbacks come once per data frame, at whatever boundaries the test chooses; a
//   callback returning Pause (StopIterationAndBuffer) makes the host buffer: the next callback
//   sees the whole buffered body (body_size grows) and Continue forwards it;
// - proxy_set_buffer_bytes accepts only Envoy's shapes: start=0 (drain `size` bytes, then
//   prepend) or start >= length (append); anything else is BAD_ARGUMENT. A body buffer is only
//   available inside its own body callback (NOT_FOUND elsewhere), headers only in theirs;
// - proxy_send_local_response works only before the response headers went downstream;
//   later it is refused and recorded as a violation;
// - buffering past the buffer limit (Envoy: 1 MiB per connection by default) fails the stream
//   (413 for requests, 500 for responses), as Envoy does.
// Every call the filter makes that Envoy would refuse is recorded in `violations`.

export const OK = 0, NOT_FOUND = 1, BAD_ARGUMENT = 2, INVALID_MEMORY_ACCESS = 6;
export const CONTINUE = 0, PAUSE = 1;
const BUF_REQUEST = 0, BUF_RESPONSE = 1, BUF_VM_CONFIG = 6, BUF_PLUGIN_CONFIG = 7;
const MAP_REQUEST = 0, MAP_RESPONSE = 2;

export type Headers = [string, string][];
export interface LogLine { level: number; message: string }

export interface FilterExports {
  memory: WebAssembly.Memory;
  proxy_on_memory_allocate(size: number): number;
  proxy_on_context_create(id: number, parent: number): void;
  proxy_on_vm_start(root: number, size: number): number;
  proxy_on_configure(root: number, size: number): number;
  proxy_on_request_headers(id: number, n: number, eos: number): number;
  proxy_on_request_body(id: number, size: number, eos: number): number;
  proxy_on_response_headers(id: number, n: number, eos: number): number;
  proxy_on_response_body(id: number, size: number, eos: number): number;
  proxy_on_response_trailers(id: number, n: number): number;
  proxy_on_done(id: number): number;
  proxy_on_delete(id: number): void;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const concat = (a: Uint8Array, b: Uint8Array) => { const o = new Uint8Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };

/** What one HTTP stream looked like from both sides of the proxy. */
export class HttpStream {
  readonly id: number;
  /** what went upstream */
  upstreamHeaders: Headers = [];
  upstreamBody = new Uint8Array(0);
  upstreamSent = false;
  /** what went downstream (the client's view) */
  downstreamHeaders: Headers = [];
  downstreamStatus = 0;
  downstreamBody = new Uint8Array(0);
  localResponse?: { status: number; details: string; body: Uint8Array; headers: Headers };
  /** body frames seen downstream, one entry per frame the filter let through */
  frames: Uint8Array[] = [];
  // host state
  phase: "request-headers" | "request-body" | "response-headers" | "response-body" | "response-trailers" | "idle" = "idle";
  reqHeaders: Headers = [];
  respHeaders: Headers = [];
  reqBuffered = new Uint8Array(0);
  respBuffered = new Uint8Array(0);
  body: Uint8Array | null = null; // the buffer of the current body callback
  responseHeadersSent = false;
  ended = false;
  constructor(readonly host: EnvoyHost, id: number) { this.id = id; }

  /** Request headers (with :method, :path, :authority). */
  requestHeaders(headers: Headers, endOfStream = false): number {
    this.reqHeaders = headers.map(([k, v]) => [k.toLowerCase(), v]);
    const a = this.host.callback(this, "request-headers", () => this.host.x.proxy_on_request_headers(this.id, this.reqHeaders.length, endOfStream ? 1 : 0));
    if (!this.localResponse) this.upstreamHeaders = this.reqHeaders.map(([k, v]) => [k, v]);
    return a;
  }

  /** One request data frame. */
  requestBody(chunk: Uint8Array, endOfStream: boolean): number {
    if (this.localResponse) return CONTINUE;
    this.body = concat(this.reqBuffered, chunk);
    const a = this.host.callback(this, "request-body", () => this.host.x.proxy_on_request_body(this.id, this.body!.length, endOfStream ? 1 : 0));
    const b = this.body;
    this.body = null;
    if (this.localResponse) return a;
    if (a === PAUSE && !endOfStream) {
      this.reqBuffered = b as Uint8Array<ArrayBuffer>;
      if (b.length > this.host.bufferLimit) this.local(413, "request_payload_too_large", enc.encode("Payload Too Large"), []);
      return a;
    }
    this.reqBuffered = new Uint8Array(0);
    if (a === CONTINUE || endOfStream) this.upstreamBody = concat(this.upstreamBody, b);
    if (endOfStream) this.upstreamSent = true;
    return a;
  }

  /** Response headers from upstream (with :status). */
  responseHeaders(headers: Headers, endOfStream = false): number {
    if (this.localResponse) return CONTINUE;
    this.respHeaders = headers.map(([k, v]) => [k.toLowerCase(), v]);
    const a = this.host.callback(this, "response-headers", () => this.host.x.proxy_on_response_headers(this.id, this.respHeaders.length, endOfStream ? 1 : 0));
    if (this.localResponse) return a;
    this.downstreamHeaders = this.respHeaders.map(([k, v]) => [k, v]);
    this.downstreamStatus = Number(this.respHeaders.find(([k]) => k === ":status")?.[1] ?? 0);
    this.responseHeadersSent = true;
    return a;
  }

  /** One response data frame. */
  responseBody(chunk: Uint8Array, endOfStream: boolean): number {
    if (this.localResponse || this.ended) return CONTINUE;
    this.body = concat(this.respBuffered, chunk);
    const a = this.host.callback(this, "response-body", () => this.host.x.proxy_on_response_body(this.id, this.body!.length, endOfStream ? 1 : 0));
    const b = this.body;
    this.body = null;
    if (a === PAUSE && !endOfStream) {
      this.respBuffered = b as Uint8Array<ArrayBuffer>;
      if (b.length > this.host.bufferLimit) { this.ended = true; this.host.violations.push(`stream ${this.id}: response buffer over the limit (Envoy: 500 and reset)`); }
      return a;
    }
    this.respBuffered = new Uint8Array(0);
    this.frames.push(b);
    this.downstreamBody = concat(this.downstreamBody, b);
    if (endOfStream) this.ended = true;
    return a;
  }

  /** Response trailers: the end of the body. */
  responseTrailers(trailers: Headers = [["grpc-status", "0"]]): number {
    if (this.localResponse || this.ended) return CONTINUE;
    const a = this.host.callback(this, "response-trailers", () => this.host.x.proxy_on_response_trailers(this.id, trailers.length));
    if (this.respBuffered.length) { this.downstreamBody = concat(this.downstreamBody, this.respBuffered); this.respBuffered = new Uint8Array(0); }
    this.ended = true;
    return a;
  }

  /** The stream ends (Envoy: onDone, onLog, onDelete). */
  close(): void {
    const x = this.host.x;
    this.host.callback(this, "idle", () => { if (x.proxy_on_done(this.id)) x.proxy_on_delete(this.id); return 0; });
    this.host.streams.delete(this.id);
  }

  local(status: number, details: string, body: Uint8Array, headers: Headers): void {
    this.localResponse = { status, details, body, headers };
    this.downstreamStatus = status;
    this.downstreamHeaders = [[":status", String(status)], ...headers];
    this.downstreamBody = body as Uint8Array<ArrayBuffer>;
    this.responseHeadersSent = true;
    this.ended = true;
  }

  get text(): string { return dec.decode(this.downstreamBody); }
  header(name: string, which: "upstream" | "downstream" = "downstream"): string | undefined {
    return (which === "upstream" ? this.upstreamHeaders : this.downstreamHeaders).find(([k]) => k === name)?.[1];
  }
}

export class EnvoyHost {
  x!: FilterExports;
  readonly logs: LogLine[] = [];
  readonly metrics = new Map<string, number>();
  readonly metricNames: string[] = [];
  readonly violations: string[] = [];
  readonly streams = new Map<number, HttpStream>();
  bufferLimit = 1 << 20;
  rootId = 1;
  #nextId = 2;
  #current: HttpStream | null = null;
  #config = new Uint8Array(0);
  #inConfigure = false;
  /** largest linear memory seen (bytes) */
  peakMemory = 0;

  /** `module`: the filter; or, to test the host itself, a function building a fake filter from the host functions. */
  constructor(module: WebAssembly.Module | ((env: Record<string, (...a: never[]) => number>) => FilterExports)) {
    const self = this;
    const mem = () => new DataView(this.x.memory.buffer);
    const bytes = (p: number, n: number) => new Uint8Array(this.x.memory.buffer, p, n).slice();
    const str = (p: number, n: number) => dec.decode(bytes(p, n));
    /** copies data into filter memory it allocated, and writes (ptr, size) at the return slots */
    const give = (data: Uint8Array, retPtr: number, retSize: number) => {
      const p = this.x.proxy_on_memory_allocate(Math.max(1, data.length));
      if (!p) return INVALID_MEMORY_ACCESS;
      new Uint8Array(this.x.memory.buffer, p, data.length).set(data);
      mem().setUint32(retPtr, p, true);
      mem().setUint32(retSize, data.length, true);
      return OK;
    };
    const bodyFor = (type: number): Uint8Array | null => {
      const s = this.#current;
      if (type === BUF_PLUGIN_CONFIG) return this.#inConfigure ? this.#config : null;
      if (type === BUF_VM_CONFIG) return null;
      if (!s || s.body === null) return null;
      if (type === BUF_REQUEST && s.phase === "request-body") return s.body;
      if (type === BUF_RESPONSE && s.phase === "response-body") return s.body;
      return null;
    };
    const mapFor = (type: number): Headers | null => {
      const s = this.#current;
      if (!s) return null;
      if (type === MAP_REQUEST && s.phase === "request-headers") return s.reqHeaders;
      if (type === MAP_RESPONSE && s.phase === "response-headers") return s.respHeaders;
      return null;
    };
    const env = {
      proxy_log(level: number, p: number, n: number) {
        if (level < 0 || level > 5) return BAD_ARGUMENT;
        self.logs.push({ level, message: str(p, n) });
        return OK;
      },
      proxy_get_buffer_bytes(type: number, start: number, max: number, retPtr: number, retSize: number) {
        const b = bodyFor(type);
        if (b === null) { self.violations.push(`get_buffer_bytes(${type}) outside its callback`); return NOT_FOUND; }
        if (start > b.length) return BAD_ARGUMENT;
        return give(b.subarray(start, Math.min(b.length, start + (max >>> 0))), retPtr, retSize);
      },
      proxy_set_buffer_bytes(type: number, start: number, size: number, p: number, n: number) {
        const s = self.#current;
        const b = type === BUF_REQUEST || type === BUF_RESPONSE ? bodyFor(type) : null;
        if (!s || b === null) { self.violations.push(`set_buffer_bytes(${type}) outside its body callback`); return NOT_FOUND; }
        const data = bytes(p, n);
        start >>>= 0; size >>>= 0;
        if (start === 0) { s.body = concat(data, b.subarray(Math.min(size, b.length))); return OK; }
        if (start >= b.length) { s.body = concat(b, data); return OK; }
        self.violations.push(`set_buffer_bytes(start=${start}, size=${size}) on a ${b.length}-byte buffer: Envoy accepts only start=0 or append`);
        return BAD_ARGUMENT;
      },
      proxy_get_header_map_value(type: number, kp: number, kn: number, retPtr: number, retSize: number) {
        const m = mapFor(type);
        if (m === null) { self.violations.push(`get_header_map_value(${type}) outside its headers callback`); return BAD_ARGUMENT; }
        const k = str(kp, kn).toLowerCase();
        const v = m.find(([key]) => key === k);
        if (!v) return NOT_FOUND;
        return give(enc.encode(v[1]), retPtr, retSize);
      },
      proxy_remove_header_map_value(type: number, kp: number, kn: number) {
        const m = mapFor(type);
        if (m === null) { self.violations.push(`remove_header_map_value(${type}) outside its headers callback`); return BAD_ARGUMENT; }
        const k = str(kp, kn).toLowerCase();
        for (let i = m.length - 1; i >= 0; i--) if (m[i][0] === k) m.splice(i, 1);
        return OK;
      },
      proxy_send_local_response(status: number, dp: number, dn: number, bp: number, bn: number, hp: number, hn: number, _grpc: number) {
        const s = self.#current;
        if (!s) { self.violations.push("send_local_response outside an HTTP stream"); return BAD_ARGUMENT; }
        if (s.responseHeadersSent) { self.violations.push("send_local_response after the response headers went downstream"); return BAD_ARGUMENT; }
        s.local(status, str(dp, dn), bytes(bp, bn), parsePairs(bytes(hp, hn)));
        return OK;
      },
      proxy_define_metric(type: number, np: number, nn: number, retId: number) {
        if (type !== 0 && type !== 1 && type !== 2) return BAD_ARGUMENT;
        const name = str(np, nn);
        let id = self.metricNames.indexOf(name) + 1;
        if (id === 0) { self.metricNames.push(name); id = self.metricNames.length; self.metrics.set(name, 0); }
        mem().setUint32(retId, id, true);
        return OK;
      },
      proxy_increment_metric(id: number, delta: bigint) {
        const name = self.metricNames[id - 1];
        if (name === undefined) return NOT_FOUND;
        if (delta < 0n) return BAD_ARGUMENT;
        self.metrics.set(name, (self.metrics.get(name) ?? 0) + Number(delta));
        return OK;
      },
    };
    if (typeof module === "function") {
      this.x = module(env as unknown as Record<string, (...a: never[]) => number>);
    } else {
      // like Envoy: refuse a module importing anything this host does not provide
      for (const imp of WebAssembly.Module.imports(module)) {
        if (imp.module !== "env" || !(imp.name in env)) throw new Error(`filter imports ${imp.module}.${imp.name}, which this host does not provide`);
      }
      this.x = new WebAssembly.Instance(module, { env }).exports as unknown as FilterExports;
    }
    this.#track();
  }

  /** Starts the plugin (root context, vm start, configure); false when the plugin refused its configuration. */
  start(config: Uint8Array | string): boolean {
    this.#config = typeof config === "string" ? enc.encode(config) : config as Uint8Array<ArrayBuffer>;
    this.x.proxy_on_context_create(this.rootId, 0);
    if (!this.x.proxy_on_vm_start(this.rootId, 0)) return false;
    this.#inConfigure = true;
    try { return this.x.proxy_on_configure(this.rootId, this.#config.length) !== 0; } finally { this.#inConfigure = false; this.#track(); }
  }

  /** A new HTTP stream context. */
  stream(): HttpStream {
    const s = new HttpStream(this, this.#nextId++);
    this.streams.set(s.id, s);
    this.x.proxy_on_context_create(s.id, this.rootId);
    return s;
  }

  callback(s: HttpStream, phase: HttpStream["phase"], f: () => number): number {
    this.#current = s;
    s.phase = phase;
    try { return f(); } finally { this.#current = null; s.phase = "idle"; this.#track(); }
  }

  #track(): void { this.peakMemory = Math.max(this.peakMemory, this.x.memory.buffer.byteLength); }
  get memoryBytes(): number { return this.x.memory.buffer.byteLength; }
}

/** proxy-wasm map serialization: u32 count, count × (u32 keyLen, u32 valueLen), then key\0value\0 … */
export function parsePairs(b: Uint8Array): Headers {
  if (b.length < 4) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const n = dv.getUint32(0, true);
  const out: Headers = [];
  let o = 4 + n * 8;
  for (let i = 0; i < n; i++) {
    const kl = dv.getUint32(4 + i * 8, true), vl = dv.getUint32(8 + i * 8, true);
    const k = dec.decode(b.subarray(o, o + kl)); o += kl + 1;
    const v = dec.decode(b.subarray(o, o + vl)); o += vl + 1;
    out.push([k, v]);
  }
  return out;
}
