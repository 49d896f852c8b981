// Normalisation as a property: disguising text (homoglyphs, fullwidth forms, zero-width
// characters, case, diacritics) must not change what the word view finds, and findings
// must point at the disguised original. A regression here once dropped every word that
// mixed ASCII and non-ASCII letters after the first non-ASCII one.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { createGuard } from "../bindings/index.ts";

const HOMOGLYPH: Record<string, string> = { a: "а", e: "е", o: "о", p: "р", c: "с", x: "х", i: "і", y: "у" }; // Cyrillic
const disguise = fc.constantFrom<(ch: string) => string>(
  (ch) => ch,
  (ch) => ch.toUpperCase(),
  (ch) => HOMOGLYPH[ch] ?? ch,
  (ch) => (/[a-z]/.test(ch) ? String.fromCodePoint(ch.charCodeAt(0) - 0x61 + 0xff41) : ch), // fullwidth
  (ch) => ch + "\u200b",
  (ch) => ch + "\u00ad",
);

const WORDS = ["falcon", "osprey", "hello", "project", "the", "pelican", "sky", "over"];

describe("word view normalisation", () => {
  it("disguised keywords are found exactly where the plain ones are", async () => {
    const g = await createGuard({ policy: `version: 1
name: t
detectors:
  custom:
    - { id: birds, type: BIRD, keywords: [falcon, osprey, project pelican] }
rules:
  - { id: r, when: { detector: custom }, action: redact }
` });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }), fc.infiniteStream(disguise), (words, fs) => {
        const plain = words.join(" ");
        const it = fs[Symbol.iterator]();
        let disguised = "";
        for (const ch of plain) disguised += ch === " " ? " " : it.next().value(ch);
        const a = g.scan(plain).findings.map((f) => plain.slice(f.start, f.end));
        const b = g.scan(disguised).findings;
        expect(b.length).toBe(a.length);
        // each finding covers the disguised form of the same word(s)
        const strip = (s: string) => s.normalize("NFKC").replace(/[\u200b\u00ad]/g, "").toLowerCase().replace(/[а-я]|і|у/g, (c) => ({ а: "a", е: "e", о: "o", р: "p", с: "c", х: "x", і: "i", у: "y" } as Record<string, string>)[c] ?? c);
        expect(b.map((f) => strip(disguised.slice(f.start, f.end)))).toEqual(a.map((x) => x.toLowerCase()));
      }),
      { numRuns: 600 },
    );
  });
});
