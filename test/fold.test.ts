// Folding tables (assembly/engine/normalize/fold.ts) through build/test/fold.wasm:
// the pattern view and the word view of real strings, and the return convention for
// every code point.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { loadTestWasm, type TestWasm } from "./helpers/test-wasm";

const FOLD_DELETE = 0xffffffff;
let wasm: TestWasm;
const enc = new TextEncoder();
const dec = new TextDecoder();

function fold(text: string, word: boolean): string {
  const bytes = enc.encode(text);
  const ptr = wasm.exports.buf(bytes.length) as number;
  wasm.write(ptr, bytes);
  const n = wasm.exports.fold(bytes.length, word ? 1 : 0) as number;
  return dec.decode(wasm.read(wasm.exports.out() as number, n));
}
const pattern = (s: string) => fold(s, false);
const word = (s: string) => fold(s, true);
const fp = (cp: number) => (wasm.exports.foldPattern(cp) as number) >>> 0;
const fw = (cp: number) => (wasm.exports.foldWord(cp) as number) >>> 0;

/** Decodes a result per the convention; throws when it breaks the convention. */
function decode(r: number): string {
  if (r === FOLD_DELETE) return "";
  if (r < 0x110000) return String.fromCodePoint(r);
  if ((r & 0x80000000) === 0) throw new Error(`bad result 0x${r.toString(16)}`);
  const count = (r >>> 24) & 0x7f;
  if (count < 1 || count > 3) throw new Error(`bad count in 0x${r.toString(16)}`);
  let s = "";
  for (let i = 0; i < 3; i++) {
    const b = (r >>> (8 * i)) & 0xff;
    if (i < count) {
      if (!(b === 0x0a || (b >= 0x20 && b < 0x7f))) throw new Error(`bad byte in 0x${r.toString(16)}`);
      s += String.fromCharCode(b);
    } else if (b !== 0) throw new Error(`junk byte in 0x${r.toString(16)}`);
  }
  return s;
}

beforeAll(() => {
  wasm = loadTestWasm("fold");
});

describe("pattern view", () => {
  it("folds Cyrillic and Greek homoglyphs to ASCII, keeping case", () => {
    expect(pattern("раураl")).toBe("paypal"); // р а у р а are Cyrillic
    expect(pattern("РАУРАL")).toBe("PAYPAL");
    expect(pattern("gοοgle.cοm")).toBe("google.com"); // Greek omicron
    expect(pattern("ΟΡΕΝ")).toBe("OPEN"); // Greek capitals
    expect(pattern("Іnvoice")).toBe("Invoice"); // Cyrillic capital І is I, not l
    expect(pattern("ᎪᏴᏟ")).toBe("ABC"); // Cherokee
  });

  it("folds compatibility forms whose NFKC is ASCII", () => {
    expect(pattern("ＡＢＣ１２３")).toBe("ABC123");
    expect(pattern("𝐈𝐠𝐧𝐨𝐫𝐞")).toBe("Ignore"); // mathematical bold keeps case
    expect(pattern("ⓐⒷ①")).toBe("aB1");
    expect(pattern("ﬁle x²")).toBe("file x2");
    expect(pattern("Ⅻ")).toBe("XII");
    expect(pattern("user＠example．com")).toBe("user@example.com");
  });

  it("folds typographic punctuation to ASCII", () => {
    expect(pattern("“quoted” ‘x’ a–b c—d …")).toBe("\"quoted\" 'x' a-b c-d ...");
  });

  it("deletes invisibles", () => {
    const tags = String.fromCodePoint(0xe0001, 0xe0069, 0xe007f);
    expect(pattern("ig\u200bn\u200co\u200dr\u2060e\ufeff")).toBe("ignore");
    expect(pattern("a\u202ab\u202ec\u2066d\u2069e")).toBe("abcde");
    expect(pattern("soft\u00adhyphen\ufe0f\u034f\u180e" + tags)).toBe("softhyphen");
  });

  it("turns non-ASCII spaces into ' ' and line separators into '\\n'", () => {
    expect(pattern("a\u00a0b\u2002c\u2003d\u3000e\u202ff")).toBe("a b c d e f");
    expect(pattern("a\u2028b\u0085c")).toBe("a\nb\nc");
  });

  it("leaves letters of other scripts, and accented Latin, unchanged", () => {
    for (const s of ["中文字符", "日本語かなカナ", "한국어", "مرحبا", "שלום", "नमस्ते", "Straße", "café Ørsted"]) {
      expect(pattern(s)).toBe(s);
    }
  });
});

describe("word view", () => {
  it("lower-cases and folds disguised words to ASCII", () => {
    expect(word("𝐢𝐠𝐧𝐨𝐫𝐞")).toBe("ignore");
    expect(word("𝐈𝐆𝐍𝐎𝐑𝐄")).toBe("ignore");
    expect(word("РАУРАL")).toBe("paypal");
    expect(word("ＩＧＮＯＲＥ")).toBe("ignore");
    expect(word("Ⓘⓖⓝⓞⓡⓔ")).toBe("ignore");
  });

  it("strips diacritics to the base letter", () => {
    expect(word("Straße")).toBe("strasse");
    expect(word("ÉCOLE Ørsted Łódź æther Œuvre")).toBe("ecole orsted lodz aether oeuvre");
    expect(word("İstanbul naïve")).toBe("istanbul naive");
    // Decomposed text (NFD) and zalgo: lone combining marks disappear.
    expect(word("cafe\u0301 i\u0336g\u0336n\u0336o\u0336r\u0336e\u0336")).toBe("cafe ignore");
  });

  it("lower-cases other cased scripts", () => {
    expect(word("ЖЩЮ")).toBe("жщю");
    expect(word("ΩΔΛ")).toBe("ωδλ");
    expect(word("ԲԺԽ")).toBe("բժխ"); // Armenian
  });

  it("leaves CJK, Arabic, Hebrew and Devanagari letters unchanged", () => {
    for (const s of ["中文字符", "日本語かなカナ", "한국어", "مرحبا", "שלום", "नमस्ते"]) {
      expect(word(s)).toBe(s);
    }
  });

  it("deletes invisibles and folds spaces", () => {
    expect(word("I\u200bG\u2063N\u00adO\u200eR\u202eE\u00a0x")).toBe("ignore x");
  });
});

describe("return convention", () => {
  it("holds for every code point (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x80, max: 0x10ffff }), (cp) => {
        const p = decode(fp(cp));
        const w = decode(fw(cp));
        // The word view has no upper-case ASCII.
        return !/[A-Z]/.test(w) && typeof p === "string";
      }),
      { numRuns: 20000 },
    );
  });

  it("holds for every code point (exhaustive), and the word view is idempotent", () => {
    const bad: string[] = [];
    for (let cp = 0x80; cp < 0x110000; cp++) {
      const w = decode(fw(cp));
      decode(fp(cp));
      // Folding a word-view result again changes nothing.
      for (const ch of w) {
        const c = ch.codePointAt(0)!;
        const again = c < 0x80 ? ch.toLowerCase() : decode(fw(c));
        if (again !== ch) bad.push(`U+${cp.toString(16)} → ${w} → ${again}`);
      }
      if (bad.length > 10) break;
    }
    expect(bad).toEqual([]);
  });

  it("folds ASCII arguments trivially", () => {
    expect(fp(0x41)).toBe(0x41);
    expect(fw(0x41)).toBe(0x61);
    expect(fw(0x7a)).toBe(0x7a);
  });
});
