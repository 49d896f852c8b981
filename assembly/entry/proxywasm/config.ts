// Plugin configuration: either the raw compiled policy bytes (`wardline compile` output,
// magic "WLP1"), or JSON:
//   {"policy_base64": "…", "providers": {"/v1/chat/completions": "openai-chat", …}, "fail_mode": "closed"}
// providers maps request paths (query ignored) to a wire format: openai-chat, openai-responses,
// anthropic. Without "providers" the three standard paths are guarded. fail_mode "closed"
// (default) drops input the guard cannot scan and refuses unreadable request bodies; "open"
// passes them. Any other key or value is an error: the plugin does not start.
import { POLICY_MAGIC } from "../../engine/policy";
import { Bytes } from "./host";

export class Route {
  constructor(public path: string, public provider: i32) {}
}

export class Config {
  policy: Bytes = new Bytes(16);
  routes: Array<Route> = new Array<Route>();
  failOpen: bool = false;
  /** why parsing failed, "" when it did not */
  error: string = "";
}

export function providerId(name: string): i32 {
  if (name == "openai-chat") return 1;
  if (name == "openai-responses") return 2;
  if (name == "anthropic") return 3;
  return 0;
}

export function parseConfig(p: usize, n: i32): Config {
  const c = new Config();
  if (n >= 4 && load<u32>(p) == POLICY_MAGIC) {
    c.policy.bytes(p, <usize>n);
    defaultRoutes(c);
    return c;
  }
  const r = new Reader(p, n);
  r.ws();
  if (r.peek() != 0x7b) { c.error = n == 0 ? "configuration is empty" : "configuration is neither a compiled policy (WLP1) nor a JSON object"; return c; }
  r.i++;
  let sawPolicy = false, sawProviders = false;
  r.ws();
  if (r.peek() == 0x7d) r.i++;
  else {
    while (r.err == "") {
      r.ws();
      const key = r.str();
      if (r.err != "") break;
      r.ws(); r.expect(0x3a); r.ws();
      if (key == "policy_base64") {
        const v = r.str();
        if (r.err != "") break;
        if (!base64(v, c.policy)) { c.error = "policy_base64 is not valid base64"; return c; }
        sawPolicy = true;
      } else if (key == "fail_mode") {
        const v = r.str();
        if (r.err != "") break;
        if (v == "open") c.failOpen = true;
        else if (v == "closed") c.failOpen = false;
        else { c.error = `fail_mode must be "open" or "closed", not "${v}"`; return c; }
      } else if (key == "providers") {
        sawProviders = true;
        r.expect(0x7b); r.ws();
        if (r.peek() == 0x7d) r.i++;
        else while (r.err == "") {
          r.ws();
          const path = r.str(); r.ws(); r.expect(0x3a); r.ws();
          const name = r.str();
          if (r.err != "") break;
          const id = providerId(name);
          if (id == 0) { c.error = `providers["${path}"]: unknown provider "${name}" (openai-chat, openai-responses, anthropic)`; return c; }
          if (path.length == 0 || path.charCodeAt(0) != 0x2f) { c.error = `providers: "${path}" is not a path (it must start with /)`; return c; }
          c.routes.push(new Route(path, id));
          r.ws();
          if (r.peek() == 0x2c) { r.i++; continue; }
          r.expect(0x7d);
          break;
        }
      } else {
        c.error = `unknown configuration key "${key}" (policy_base64, providers, fail_mode)`;
        return c;
      }
      if (r.err != "") break;
      r.ws();
      if (r.peek() == 0x2c) { r.i++; continue; }
      r.expect(0x7d);
      break;
    }
  }
  if (r.err == "") { r.ws(); if (r.i < n) r.err = `unexpected data at byte ${r.i}`; }
  if (r.err != "") { c.error = "configuration is not valid JSON: " + r.err; return c; }
  if (!sawPolicy) { c.error = "policy_base64 is missing"; return c; }
  if (!sawProviders) defaultRoutes(c);
  return c;
}

function defaultRoutes(c: Config): void {
  c.routes.push(new Route("/v1/chat/completions", 1));
  c.routes.push(new Route("/v1/responses", 2));
  c.routes.push(new Route("/v1/messages", 3));
}

class Reader {
  i: i32 = 0;
  err: string = "";
  constructor(public p: usize, public n: i32) {}
  peek(): u32 { return this.i < this.n ? <u32>load<u8>(this.p + <usize>this.i) : 0xffffffff; }
  ws(): void {
    while (this.i < this.n) {
      const c = load<u8>(this.p + <usize>this.i);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.i++;
    }
  }
  expect(c: u32): void {
    if (this.err != "") return;
    if (this.peek() != c) { this.err = `expected '${String.fromCharCode(c)}' at byte ${this.i}`; return; }
    this.i++;
  }
  /** A JSON string (escapes decoded); "" and err set on failure. */
  str(): string {
    if (this.err != "") return "";
    if (this.peek() != 0x22) { this.err = `expected a string at byte ${this.i}`; return ""; }
    this.i++;
    const out = new Bytes(64);
    while (this.i < this.n) {
      const c = <u32>load<u8>(this.p + <usize>this.i); this.i++;
      if (c == 0x22) return out.toString();
      if (c < 0x20) break;
      if (c != 0x5c) { out.byte(c); continue; }
      const e = this.peek(); this.i++;
      if (e == 0x22 || e == 0x5c || e == 0x2f) out.byte(e);
      else if (e == 0x6e) out.byte(10);
      else if (e == 0x74) out.byte(9);
      else if (e == 0x72) out.byte(13);
      else if (e == 0x62) out.byte(8);
      else if (e == 0x66) out.byte(12);
      else if (e == 0x75 && this.i + 4 <= this.n) {
        let v: u32 = 0;
        for (let k = 0; k < 4; k++) {
          const h = <u32>load<u8>(this.p + <usize>this.i); this.i++;
          const d = h >= 0x30 && h <= 0x39 ? h - 0x30 : (h | 0x20) >= 0x61 && (h | 0x20) <= 0x66 ? (h | 0x20) - 0x57 : 99;
          if (d == 99) { this.err = `bad \\u escape at byte ${this.i}`; return ""; }
          v = (v << 4) | d;
        }
        out.str(String.fromCharCode(<i32>v));
      } else { this.err = `bad escape at byte ${this.i}`; return ""; }
    }
    this.err = `unterminated string at byte ${this.i}`;
    return "";
  }
}

function b64(c: u32): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return <i32>c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30 + 52;
  if (c == 0x2b || c == 0x2d) return 62;
  if (c == 0x2f || c == 0x5f) return 63;
  return -1;
}

/** Standard or URL-safe base64, padding optional, whitespace ignored. */
function base64(s: string, out: Bytes): bool {
  let acc: u32 = 0, bits = 0, pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = <u32>s.charCodeAt(i);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) continue;
    if (c == 0x3d) { pad++; continue; }
    if (pad > 0) return false;
    const v = b64(c);
    if (v < 0) return false;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out.byte((acc >> <u32>bits) & 0xff); }
  }
  return out.len > 0;
}
