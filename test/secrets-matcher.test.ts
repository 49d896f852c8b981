// The secrets matcher (assembly/engine/detectors/secrets) through build/test/secrets.wasm,
// driven by the SECRETS section the real encoder (bindings/policy/encode/secrets.ts)
// makes from the built-in table: every format's shape found with its exact span, the
// near misses not found, the shared case table, and the streaming contract of pending().
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { loadTestWasm, type TestWasm } from "./helpers/test-wasm";
import { encodeSecretsSection } from "../bindings/policy/encode/secrets.ts";
import { SECRET_FORMATS, SECRET_TYPE_NAMES, type SecretFormat } from "../bindings/policy/builtin/secrets.ts";

const NONE = 0xffffffff;
const enc = new TextEncoder();
let wasm: TestWasm;

interface Found { type: string; start: number; end: number }
interface Scan { findings: Found[]; after: number[]; pending: number[]; overflowAt: number }

function init(opts: { types?: Set<string>; minEntropy?: number; maxHold?: number } = {}): void {
  const section = encodeSecretsSection(opts.types, (name) => SECRET_TYPE_NAMES.indexOf(name));
  wasm.write(wasm.exports.buf(section.length), section);
  wasm.exports.init(section.length, opts.minEntropy ?? 3.0, opts.maxHold ?? 4096);
}

/** Scans text (each byte's span is [i, i+1) unless spans are given). */
function scanFull(text: string | Uint8Array, spans?: Uint32Array): Scan {
  const bytes = typeof text === "string" ? enc.encode(text) : text;
  wasm.write(wasm.exports.buf(bytes.length), bytes);
  if (spans) wasm.write(wasm.exports.spanBuf(bytes.length), new Uint8Array(spans.buffer));
  const n = wasm.exports.scan(bytes.length, spans ? 1 : 0) as number;
  const x = wasm.exports;
  const findings: Found[] = [];
  const after: number[] = [];
  for (let i = 0; i < n; i++) {
    findings.push({ type: SECRET_TYPE_NAMES[x.findingType(i)], start: x.findingStart(i) >>> 0, end: x.findingEnd(i) >>> 0 });
    after.push(x.findingAfter(i) >>> 0);
  }
  const pending: number[] = [];
  for (let i = 0; i < bytes.length; i++) pending.push(x.pendingAt(i) >>> 0);
  return { findings, after, pending, overflowAt: x.overflowAt() >>> 0 };
}
const scan = (text: string) => scanFull(text).findings;

/** The expected finding for `piece` inside `text` (byte offsets). */
function at(text: string, piece: string, type: string): Found {
  const i = text.indexOf(piece);
  if (i < 0) throw new Error(`${piece} not in ${text}`);
  const start = enc.encode(text.slice(0, i)).length;
  return { type, start, end: start + enc.encode(piece).length };
}

// ── sample tokens made from the table itself (seeded, so failures reproduce) ─────
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}
function expand(cls: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < cls.length; i++) {
    if (cls[i + 1] === "-" && i + 2 < cls.length) {
      for (let c = cls.charCodeAt(i); c <= cls.charCodeAt(i + 2); c++) out.push(String.fromCharCode(c));
      i += 2;
    } else out.push(cls[i]);
  }
  return out;
}
function randomFrom(rand: () => number, cls: string, n: number): string {
  // letters and digits only where the class has them: a random '-' or '_' at the end of a
  // token would make the expected span depend on the boundary rule, not the format
  let cs = expand(cls);
  if (cs.some((c) => /[A-Za-z0-9]/.test(c))) cs = cs.filter((c) => /[A-Za-z0-9]/.test(c));
  let s = "";
  for (let i = 0; i < n; i++) s += cs[Math.floor(rand() * cs.length)];
  return s;
}
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A GitHub token with a valid checksum: base62(CRC32(random 30)), 6 digits. */
function githubToken(prefix: string, random30: string): string {
  let v = crc32(random30), s = "";
  while (v > 0) { s = B62[v % 62] + s; v = Math.floor(v / 62); }
  return prefix + random30 + s.padStart(6, "0");
}
const b64url = (s: string) => Buffer.from(s).toString("base64url");

/** [token text, the part that is the finding's span] for anchored format f, anchor p. */
function sampleToken(f: SecretFormat, prefix: string, rand: () => number): [string, string] {
  switch (f.validator) {
    case "github_crc32": { const t = githubToken(prefix, randomFrom(rand, "A-Za-z0-9", 30)); return [t, t]; }
    case "jwt": {
      const t = b64url('{"typ":"JWT","alg":"RS256"}') + "." + b64url('{"sub":"42","exp":1900000000}') + "." + randomFrom(rand, "A-Za-z0-9_-", 86);
      return [t, t];
    }
    case "private_key": {
      const t = prefix + "\n" + randomFrom(rand, "A-Za-z0-9+/", 64) + "\n" + randomFrom(rand, "A-Za-z0-9+/", 30) + "==\n" + (f.body[0] as { until: string }).until;
      return [t, t];
    }
  }
  let body = "";
  const parts: string[] = [];
  for (const p of f.body) {
    let s = "";
    if ("lit" in p) s = p.lit;
    else if ("chars" in p) s = randomFrom(rand, p.chars, p.min === 0 ? 0 : Math.min(p.max ?? p.min, Math.max(p.min, 48)));
    parts.push(s);
    body += s;
  }
  if (f.validator === "openai_marker") body = body.slice(0, 24) + "T3BlbkFJ" + body.slice(32);
  if (f.validator === "ends_aa") body = body.slice(0, -2) + "AA";
  const token = prefix + body;
  return [token, f.span ? parts.slice(f.span[0], f.span[1] + 1).join("") : token];
}

beforeAll(() => {
  wasm = loadTestWasm("secrets");
  init();
});

describe("the format table", () => {
  it("has at least 60 formats and names every type it can emit", () => {
    expect(SECRET_FORMATS.length).toBeGreaterThanOrEqual(60);
    for (const t of ["PRIVATE_KEY", "JWT", "GENERIC_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BASIC_AUTH", "GITHUB_TOKEN"]) {
      expect(SECRET_TYPE_NAMES).toContain(t);
    }
    for (const f of SECRET_FORMATS) expect(SECRET_TYPE_NAMES).toContain(f.type);
  });
});

describe("every anchored format finds its own shape", () => {
  const anchored = SECRET_FORMATS.flatMap((f) =>
    (f.prefixes ?? []).filter(() => !["basic_auth", "azure_ad_lookback", "tfc_lookback"].includes(f.validator ?? "")).map((p) => [f, p] as const));
  it.each(anchored.map(([f, p], i) => [`${f.type} ${JSON.stringify(p)}`, f, p, i] as const))("%s", (_name, f, p, i) => {
    const [token, span] = sampleToken(f, p, rng(1000 + i));
    const text = `before ${token} after`;
    expect(scan(text)).toEqual([at(text, span, f.type)]);
    // glued on the right: a fixed-length token followed by a letter is not that token
    const last = f.body[f.body.length - 1];
    const fixed = "lit" in last || ("chars" in last && (last.max ?? last.min) === last.min);
    if (f.rightBoundary !== false && fixed) expect(scan(`${token}Z9`).filter((x) => x.type === f.type && x.start === 0)).toEqual([]);
    // glued on the left: an anchor starts at a word boundary
    if (f.leftBoundary !== false) expect(scan(`x9${token}`).filter((x) => x.start === 2)).toEqual([]);
  });
});

describe("hand-made cases (test/cases/secrets.json, also run through the full engine)", () => {
  const cases = JSON.parse(readFileSync(new URL("./cases/secrets.json", import.meta.url), "utf8")) as { name: string; text: string; expect: Found[] }[];
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(scan(c.text)).toEqual(c.expect);
  });
});

describe("validators", () => {
  it("accepts a GitHub token only with its CRC32 checksum", () => {
    const good = githubToken("ghp_", "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1");
    expect(scan(good)).toEqual([{ type: "GITHUB_TOKEN", start: 0, end: 40 }]);
    for (let i = 4; i < 40; i += 5) {
      const c = good[i] === "x" ? "y" : "x";
      expect(scan(good.slice(0, i) + c + good.slice(i + 1))).toEqual([]);
    }
    // the published test token of GitHub's format post has a valid checksum
    expect(scan("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")).toHaveLength(1);
  });

  it("checks the JWT header: JSON object with alg, complete", () => {
    const payload = b64url('{"sub":"1"}');
    const sig = "c2lnbmF0dXJlLWJ5dGVz";
    const jwt = (header: string) => `${b64url(header)}.${payload}.${sig}`;
    expect(scan(jwt('{"alg":"HS256"}'))).toHaveLength(1);
    expect(scan(jwt('{"typ":"JWT",\r\n "alg":"none"}'))).toHaveLength(1);
    expect(scan(jwt('{"typ":"JWT","kid":"k1"}'))).toEqual([]); // no alg
    expect(scan(jwt('["alg","HS256"]'))).toEqual([]); // not an object
    expect(scan(b64url('{"alg":"HS256"}').slice(0, -2) + `.${payload}.${sig}`)).toEqual([]); // cut short
    expect(scan(`${b64url('{"alg":"none"}')}.${payload}.`)).toEqual([at(`${b64url('{"alg":"none"}')}.${payload}.`, `${b64url('{"alg":"none"}')}.${payload}.`, "JWT")]);
  });

  it("needs the OpenAI marker in project keys and AA at the end of Anthropic keys", () => {
    const body = randomFrom(rng(7), "A-Za-z0-9", 40);
    expect(scan(`sk-proj-${body}T3BlbkFJ${body}`)).toHaveLength(1);
    expect(scan(`sk-proj-${body}T4BlbkFJ${body}`)).toEqual([]);
    expect(scan(`sk-ant-api03-${body}${body}9xAA`)).toHaveLength(1);
    expect(scan(`sk-ant-api03-${body}${body}9xAB`)).toEqual([]);
  });

  it("rejects low-entropy and documentation bodies", () => {
    expect(scan("AKIAZZZZZZZZZZZZZZZZ")).toEqual([]);
    expect(scan("AKIAIOSFODNN7EXAMPLE")).toEqual([]);
    expect(scan("npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")).toEqual([]);
  });
});

describe("private keys", () => {
  const pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oCk0LfdxJMKeoAoGCCqGSM49\n-----END EC PRIVATE KEY-----";

  it("spans the whole block, BEGIN to END line", () => {
    const text = `here:\n${pem}\nthanks`;
    expect(scan(text)).toEqual([at(text, pem, "PRIVATE_KEY")]);
  });

  it("needs the END line of the same kind, and is bounded by maxHold", () => {
    const wrongEnd = pem.replace("END EC", "END RSA");
    expect(scan(wrongEnd + " and more text")[0]?.end ?? 0).toBeGreaterThan(wrongEnd.length); // ran to end of input
    init({ maxHold: 256 });
    const long = "-----BEGIN RSA PRIVATE KEY-----\n" + "QUJD".repeat(100);
    const r = scanFull(`xy ${long}`);
    expect(r.findings).toEqual([]);
    expect(r.overflowAt).toBe(3);
    init();
  });
});

describe("assignments", () => {
  it("reports only the value, without quotes", () => {
    const text = `{"client_secret": "Zr8Wq2Lp5Tx9Mv3N"}`;
    expect(scan(text)).toEqual([at(text, "Zr8Wq2Lp5Tx9Mv3N", "GENERIC_SECRET")]);
  });

  it("handles escaped quotes of JSON inside a string", () => {
    const text = String.raw`"{\"password\": \"Zr8Wq2Lp5Tx9Mv3N\"}"`;
    expect(scan(text)).toEqual([at(text, "Zr8Wq2Lp5Tx9Mv3N", "GENERIC_SECRET")]);
  });

  it("applies the entropy threshold from the policy", () => {
    const text = 'api_key = "Tq8vL2pZ9mXw4k"';
    expect(scan(text)).toHaveLength(1);
    init({ minEntropy: 4.5 });
    expect(scan(text)).toEqual([]);
    init();
  });

  it("prefers a token to the generic value around it", () => {
    const tok = githubToken("gho_", "Zx9Lm2Qw8Er4Ty6Ui1Op3As5Df7Gh0");
    const text = `GH_TOKEN: "${tok}"`;
    expect(scan(text)).toEqual([at(text, tok, "GITHUB_TOKEN")]);
  });

  it("ignores keys that are not about secrets", () => {
    expect(scan('username = "Zr8Wq2Lp5Tx9Mv3N"')).toEqual([]);
    expect(scan('author: "Zr8Wq2Lp5Tx9Mv3N"')).toEqual([]);
    expect(scan("password_length = 1234567890123")).toEqual([]);
  });
});

describe("the fast paths keep the same decisions", () => {
  it("reads one type word between a key and its separator", () => {
    const t1 = 'var token string = "Zr8Wq2Lp5Tx9Mv3N"';
    expect(scan(t1)).toEqual([at(t1, "Zr8Wq2Lp5Tx9Mv3N", "GENERIC_SECRET")]);
    const t2 = 'let monkey string = "Zr8Wq2Lp5Tx9Mv3N"'; // "key" as the key's suffix
    expect(scan(t2)).toEqual([at(t2, "Zr8Wq2Lp5Tx9Mv3N", "GENERIC_SECRET")]);
    expect(scan('var token name = "Zr8Wq2Lp5Tx9Mv3N"')).toEqual([]); // "_name" after the type word
    expect(scan('db_password_url = "Zr8Wq2Lp5Tx9Mv3N"')).toEqual([]);
    expect(scan("token_count int = 9876543210123")).toEqual([]);
  });

  it("finds a placeholder word anywhere in the value, in any case", () => {
    expect(scan("password: Zr8Wq2Lp5Tx9ChangeMe")).toEqual([]);
    expect(scan("password: EXAMPLEZr8Wq2Lp5Tx9")).toEqual([]);
    const t = "api_key = 'your_api_key_here' and secret='Zr8Wq2Lp5Tx9Mv3N'";
    expect(scan(t)).toEqual([at(t, "Zr8Wq2Lp5Tx9Mv3N", "GENERIC_SECRET")]);
  });

  it("still finds a token after a run of overlapping anchors (many live candidates)", () => {
    const tok = "xoxb-2847561039-Zr8Wq2Lp5Tx9Mv3NqT4y";
    const text = "xoxb-1-".repeat(40) + " " + tok;
    const r = scanFull(text);
    expect(r.findings).toContainEqual(at(text, tok, "SLACK_TOKEN"));
    // every finding is covered by pending() up to the byte after which it was reported
    r.findings.forEach((f, k) => {
      for (let i = 0; i < r.after[k]; i++) expect(f.start).toBeGreaterThanOrEqual(r.pending[i] === NONE ? i + 1 : r.pending[i]);
    });
  });

  it("holds a boundary anchor prefix only from a word start, also inside a longer prefix", () => {
    // "xsk_": "sk_" follows a letter, so nothing is held; "x sk_" holds from "s"
    expect(scanFull("xsk_").pending[3]).toBe(NONE);
    expect(scanFull("x sk_").pending[4]).toBe(2);
    // "-----BEGIN" may start anywhere: held from its first dash, even glued to a word
    expect(scanFull("ab-----BEG").pending[9]).toBe(2);
    // "xoxe.xox" glued to "a" cannot start there, but the "x" after "." may start "xox…"
    const r = scanFull("axoxe.xox");
    expect(r.pending[4]).toBe(NONE);
    expect(r.pending[5]).toBe(5); // "." may begin ".atlasv1."
    expect(r.pending[8]).toBe(6);
  });
});

describe("policy filtering", () => {
  it("encodes only the enabled types", () => {
    init({ types: new Set(["AWS_ACCESS_KEY_ID"]) });
    expect(scan("AKIAQ3EGRV5LTBN7WXHP and password=Zr8Wq2Lp5Tx9Mv3N")).toEqual([{ type: "AWS_ACCESS_KEY_ID", start: 0, end: 20 }]);
    init();
  });
});

describe("original offsets", () => {
  it("maps findings through the spans of the pattern view (e.g. fullwidth input)", () => {
    // each pattern byte stands for a 3-byte original character
    const text = "key AKIAQ3EGRV5LTBN7WXHP!";
    const spans = new Uint32Array(text.length * 2);
    for (let i = 0; i < text.length; i++) { spans[2 * i] = 3 * i; spans[2 * i + 1] = 3 * i + 3; }
    expect(scanFull(text, spans).findings).toEqual([{ type: "AWS_ACCESS_KEY_ID", start: 12, end: 72 }]);
  });
});

describe("pending() — the streaming contract", () => {
  /** The offset before which the engine may release text after byte i. */
  const floorAt = (r: Scan, i: number) => (r.pending[i] === NONE ? i + 1 : r.pending[i]);

  function checkContract(text: string | Uint8Array): void {
    const r = scanFull(text);
    r.findings.forEach((f, k) => {
      for (let i = 0; i < r.after[k]; i++) {
        if (f.start < floorAt(r, i)) throw new Error(`finding ${JSON.stringify(f)} reported after byte ${r.after[k]} starts before pending ${floorAt(r, i)} at byte ${i} in ${JSON.stringify(text)}`);
      }
    });
  }

  const fragments = [
    "AKIAQ3EGRV5LTBN7WXHP", "AKI", "gh", "ghp_", githubToken("ghp_", "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1"), "xox", "xoxb-1234567890-",
    "sk-", "sk-proj-", "ask-me", "eyJ", b64url('{"alg":"HS256"}') + "." + b64url('{"a":1}') + ".c2ln", "-----BEGIN", "-----BEGIN RSA PRIVATE KEY-----\n",
    "-----END RSA PRIVATE KEY-----", "QUJDREVGR0hJSktMTU5PUA==", "password", "password = ", "token: ", '"', "'", "=", ":", " ", "\n", ".",
    "Zr8Wq2Lp5Tx9Mv3N", "https://", "user:Pa55w0rd@", "host", "7213808860:AAH1bjqpKKW3maRSPAxzIU-0v6xNuq2-NjM", "123456789", ":A",
    ".atlasv1.", "k7Qx2Lm9Pw4Rt8", "Q~", "AccountKey=", "hello", "world", "Bearer ", "Authorization: ",
  ];

  it("no finding reported after byte i starts before pending() at byte i", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 }), fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 40 }), (parts) => {
        checkContract(parts.join(""));
      }),
      { numRuns: 400 },
    );
  });

  it("holds for arbitrary bytes too (non-ASCII, broken UTF-8)", () => {
    const pieces = fragments.map((f) => enc.encode(f));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.uint8Array({ maxLength: 8 })), { maxLength: 40 }), (parts) => {
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) { bytes.set(p, o); o += p.length; }
        checkContract(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("holds the case-table texts correctly too", () => {
    const cases = JSON.parse(readFileSync(new URL("./cases/secrets.json", import.meta.url), "utf8")) as { text: string }[];
    for (const c of cases) checkContract(c.text);
  });

  it("holds nothing once an ordinary word has ended, and never more than the word", () => {
    const text = "Hello, this is an ordinary sentence about tasks and asks, nothing more";
    const r = scanFull(text);
    for (let i = 0; i < text.length; i++) {
      if (text[i] === " " || text[i] === ",") expect(r.pending[i]).toBe(NONE);
      const wordStart = text.lastIndexOf(" ", i) + 1;
      if (r.pending[i] !== NONE) expect(r.pending[i]).toBeGreaterThanOrEqual(wordStart);
    }
  });

  it("holds a word that is a prefix of an anchor, from its first byte", () => {
    const r = scanFull("use gh");
    expect(r.pending[5]).toBe(4);
    const s = scanFull("use -----BEG");
    expect(s.pending[11]).toBe(4);
    expect(scanFull("ask").pending[2]).toBe(NONE); // "sk" inside a word never starts a key
  });

  it("holds an assignment value from its first byte, not the key", () => {
    const text = 'password = "Zr8W';
    const r = scanFull(text);
    expect(r.pending[text.indexOf("=")]).toBe(NONE);
    expect(r.pending[text.length - 1]).toBe(text.indexOf("Z"));
  });

  it("finds nothing in text without anchors or keys", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z ,.]{0,200}$/), (text) => {
        expect(scan(text)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
