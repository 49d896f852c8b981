// docs/abi.md is the ABI's contract: every table headed `export` (or `import`) in it is parsed and
// compared with what build/wardline.wasm really exports and imports — names, kinds, parameter and
// result types (read from the module's type section), and the values of exported constants.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";

type ValType = "i32" | "i64" | "f32" | "f64";
interface Entry { name: string; kind: "function" | "memory" | "global" | "table"; params?: ValType[]; results?: ValType[]; value?: number }

// ── the document ────────────────────────────────────────────────────────────
const DOC_TYPES: Record<string, ValType> = { i32: "i32", u32: "i32", ptr: "i32", usize: "i32", i64: "i64", u64: "i64", f32: "f32", f64: "f64" };

function parseSignature(sig: string): Omit<Entry, "name"> {
  if (sig === "memory") return { kind: "memory" };
  const g = /^global (i32|i64|f32|f64) = (-?\d+)$/.exec(sig);
  if (g) return { kind: "global", value: Number(g[2]) };
  const f = /^\((.*)\) → (\w+)$/.exec(sig);
  if (!f) throw new Error(`cannot read the signature \`${sig}\``);
  const params = f[1].trim() === "" ? [] : f[1].split(",").map((p) => {
    const t = DOC_TYPES[p.split(":").pop()!.trim()];
    if (!t) throw new Error(`unknown type in \`${sig}\``);
    return t;
  });
  const results: ValType[] = f[2] === "void" ? [] : [DOC_TYPES[f[2]] ?? (() => { throw new Error(`unknown type in \`${sig}\``); })()];
  return { kind: "function", params, results };
}

const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** Every row of every table whose first header cell is `export` / `import`. */
function documented(md: string): { exports: Entry[]; imports: Entry[] } {
  const out = { exports: [] as Entry[], imports: [] as Entry[] };
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const head = /^\|\s*(export|import)\s*\|/.exec(lines[i]);
    if (!head || !/^\|[\s|:-]+\|?\s*$/.test(lines[i + 1] ?? "")) continue;
    const list = head[1] === "export" ? out.exports : out.imports;
    for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
      const cells = lines[i].split(/(?<!\\)\|/).slice(1, -1);
      const names = ticks(cells[0]);
      const sigs = ticks(cells[1] ?? "");
      if (names.length === 0 || (sigs.length !== 1 && sigs.length !== names.length)) throw new Error(`unreadable ABI table row: ${lines[i]}`);
      names.forEach((name, k) => list.push({ name, ...parseSignature(sigs.length === 1 ? sigs[0] : sigs[k]) }));
    }
  }
  return out;
}

// ── the module ──────────────────────────────────────────────────────────────
const VALTYPES: Record<number, ValType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };

/** Exports and imports with function types, from the binary's type, import, function and export sections. */
function actual(bytes: Uint8Array): { exports: Entry[]; imports: Entry[] } {
  let o = 8;
  const u = () => { let r = 0, s = 0, b; do { b = bytes[o++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const name = () => { const n = u(); const s = new TextDecoder().decode(bytes.subarray(o, o + n)); o += n; return s; };
  const limits = () => { const f = u(); u(); if (f & 1) u(); };
  const types: { params: ValType[]; results: ValType[] }[] = [];
  const funcs: number[] = []; // type index per function index (imports first)
  const imports: Entry[] = [];
  const exports: Entry[] = [];
  const globalValues = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {}).exports;
  while (o < bytes.length) {
    const id = bytes[o++];
    const size = u();
    const end = o + size;
    if (id === 1) {
      for (let n = u(); n > 0; n--) {
        o++; // 0x60
        const params = Array.from({ length: u() }, () => VALTYPES[bytes[o++]]);
        const results = Array.from({ length: u() }, () => VALTYPES[bytes[o++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u(); n > 0; n--) {
        const full = `${name()}.${name()}`;
        const k = bytes[o++];
        if (k === 0) { const t = u(); funcs.push(t); imports.push({ name: full, kind: "function", ...types[t] }); }
        else if (k === 1) { o++; limits(); imports.push({ name: full, kind: "table" }); }
        else if (k === 2) { limits(); imports.push({ name: full, kind: "memory" }); }
        else { o += 2; imports.push({ name: full, kind: "global" }); }
      }
    } else if (id === 3) {
      for (let n = u(); n > 0; n--) funcs.push(u());
    } else if (id === 7) {
      for (let n = u(); n > 0; n--) {
        const nm = name();
        const k = bytes[o++];
        const idx = u();
        if (k === 0) exports.push({ name: nm, kind: "function", ...types[funcs[idx]] });
        else if (k === 2) exports.push({ name: nm, kind: "memory" });
        else if (k === 3) exports.push({ name: nm, kind: "global", value: (globalValues[nm] as WebAssembly.Global).value });
        else exports.push({ name: nm, kind: "table" });
      }
    }
    o = end;
  }
  return { exports, imports };
}

/** Differences between the document and the module, one line each (empty: they agree). */
function compare(doc: Entry[], real: Entry[], what: string): string[] {
  const problems: string[] = [];
  const d = new Map<string, Entry>();
  for (const e of doc) { if (d.has(e.name)) problems.push(`${what} \`${e.name}\` is documented twice`); d.set(e.name, e); }
  const r = new Map(real.map((e) => [e.name, e]));
  const sig = (e: Entry) => e.kind === "function" ? `(${e.params!.join(", ")}) → ${e.results!.join(", ") || "void"}` : e.kind === "global" ? `global = ${e.value}` : e.kind;
  for (const [n, e] of r) {
    const de = d.get(n);
    if (!de) problems.push(`${what} \`${n}\` (${sig(e)}) is not documented`);
    else if (sig(de) !== sig(e)) problems.push(`${what} \`${n}\`: documented ${sig(de)}, module has ${sig(e)}`);
  }
  for (const n of d.keys()) if (!r.has(n)) problems.push(`${what} \`${n}\` is documented but the module has no such ${what}`);
  return problems;
}

const md = readFileSync(new URL("../docs/abi.md", import.meta.url), "utf8");

describe("docs/abi.md matches the engine module", () => {
  for (const build of ["wardline.wasm", "wardline.debug.wasm"]) {
    it(`lists exactly build/${build}'s exports and imports, with their signatures`, () => {
      const real = actual(new Uint8Array(readFileSync(new URL(`../build/${build}`, import.meta.url))));
      const doc = documented(md);
      expect(real.exports.length).toBeGreaterThan(30);
      expect(compare(doc.exports, real.exports, "export")).toEqual([]);
      expect(compare(doc.imports, real.imports, "import")).toEqual([]);
    });
  }

  it("reports a missing row, a wrong signature and a stale row", () => {
    const real = actual(new Uint8Array(readFileSync(new URL("../build/wardline.wasm", import.meta.url))));
    const drifted = md
      .replace(/^\| `wl_stream_held` .*\n/m, "")
      .replace("| `wl_scan` | `(h: i32, phase: u32, len: u32) → i32`", "| `wl_scan` | `(h: i32, len: u32) → i32`")
      .replace(/^(\| export \| signature \| meaning \|\n\|---\|---\|---\|\n)/m, "$1| `wl_gone` | `() → i32` | removed |\n");
    expect(compare(documented(drifted).exports, real.exports, "export")).toEqual([
      "export `wl_scan`: documented (i32, i32) → i32, module has (i32, i32, i32) → i32",
      "export `wl_stream_held` ((i32) → i32) is not documented",
      "export `wl_gone` is documented but the module has no such export",
    ]);
  });
});
