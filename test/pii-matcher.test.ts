// The PII matcher (assembly/engine/detectors/pii) through its test entry: texts are fed
// one byte at a time with identity spans; we check the findings (type, exact span) and
// pending() after every byte — the offset before which the engine may release text.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { loadTestWasm } from "./helpers/test-wasm";
import { PII_ENTITIES, PII_TYPE_NAMES } from "../bindings/policy/builtin/pii.ts";

const wasm = loadTestWasm("pii");
const x = wasm.exports;
const NONE = 0xffffffff;

interface Finding { type: string; start: number; end: number; score: number; at: number; text: string }
interface Scan { findings: Finding[]; pending: number[]; overflow: number; bytes: Uint8Array }

function scan(text: string, opts: { maxHold?: number; disable?: string[]; disabledMask?: number; direct?: boolean } = {}): Scan {
  const bytes = new TextEncoder().encode(text);
  wasm.write(x.buf(bytes.length), bytes);
  let disabled = opts.disabledMask ?? 0;
  for (const name of opts.disable ?? []) disabled |= 1 << PII_TYPE_NAMES.indexOf(name);
  x.setDirect(opts.direct ?? false);
  const n = x.scan(bytes.length, opts.maxHold ?? 4096, disabled) as number;
  const raw = new Uint32Array(wasm.read(x.findingsPtr(), n * 20).buffer);
  const f32 = new Float32Array(raw.buffer);
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const [code, start, end, , at] = raw.subarray(i * 5, i * 5 + 5);
    const text = new TextDecoder().decode(bytes.subarray(start, end));
    findings.push({ type: PII_TYPE_NAMES[code], start, end, score: f32[i * 5 + 3], at, text });
  }
  const pending = Array.from(new Uint32Array(wasm.read(x.pendingsPtr(), bytes.length * 4).buffer));
  return { findings, pending, overflow: x.overflowAt() >>> 0, bytes };
}

const found = (text: string, opts?: Parameters<typeof scan>[1]) =>
  scan(text, opts).findings.map((f) => `${f.type}:${f.text}`);

describe("PII entity list", () => {
  it("binding list matches the engine's PiiCode enum, in order", () => {
    const src = readFileSync(new URL("../assembly/engine/detectors/pii/codes.ts", import.meta.url), "utf8");
    const enumNames = [...src.matchAll(/^\s+([A-Z_]+) = (\d+),$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(enumNames.map(([n]) => n)).toEqual(PII_TYPE_NAMES);
    expect(enumNames.map(([, c]) => c)).toEqual(PII_ENTITIES.map((e) => e.code));
    expect(PII_ENTITIES.map((e) => e.code)).toEqual(PII_ENTITIES.map((_, i) => i));
    expect(Number(/PII_CODE_COUNT: i32 = (\d+)/.exec(src)![1])).toBe(PII_ENTITIES.length);
    for (const e of PII_ENTITIES) for (const w of [...e.context, ...e.negativeContext]) expect(w).toBe(w.toLowerCase());
  });
});

// [text, type, the exact text of the span]
const POSITIVES: [string, string, string][] = [
  ["mail me at john.smith@example.com.", "EMAIL", "john.smith@example.com"],
  ["<ann+tag@mail.example.co.uk>", "EMAIL", "ann+tag@mail.example.co.uk"],
  ["(bob_99@sub-domain.example.org)", "EMAIL", "bob_99@sub-domain.example.org"],
  ["user@xn--80ak6aa92e.com today", "EMAIL", "user@xn--80ak6aa92e.com"],
  ["a@xn--d1acufc.xn--p1ai", "EMAIL", "a@xn--d1acufc.xn--p1ai"],
  ["call +1 (415) 555-2671 now", "PHONE", "+1 (415) 555-2671"],
  ["call (415) 555-2671.", "PHONE", "(415) 555-2671"],
  ["tel 415-555-2671", "PHONE", "415-555-2671"],
  ["tel 415.555.2671", "PHONE", "415.555.2671"],
  ["tel 1-415-555-2671", "PHONE", "1-415-555-2671"],
  ["ring +44 20 7946 0958 today", "PHONE", "+44 20 7946 0958"],
  ["Büro: +49 (0)30 1234567", "PHONE", "+49 (0)30 1234567"],
  ["+91-98765-43210", "PHONE", "+91-98765-43210"],
  ["+33 1 23 45 67 89", "PHONE", "+33 1 23 45 67 89"],
  ["London 020 7946 0958", "PHONE", "020 7946 0958"],
  ["Berlin 030/1234567", "PHONE", "030/1234567"],
  ["Paris 01 23 45 67 89", "PHONE", "01 23 45 67 89"],
  ["mobile 98765 43210", "PHONE", "98765 43210"],
  ["card 4111 1111 1111 1111 exp 12/27", "CREDIT_CARD", "4111 1111 1111 1111"],
  ["card 4111-1111-1111-1111", "CREDIT_CARD", "4111-1111-1111-1111"],
  ["cc:5555555555554444", "CREDIT_CARD", "5555555555554444"],
  ["amex 3782 822463 10005", "CREDIT_CARD", "3782 822463 10005"],
  ["IBAN: DE89 3704 0044 0532 0130 00.", "IBAN", "DE89 3704 0044 0532 0130 00"],
  ["GB82 WEST 1234 5698 7654 32", "IBAN", "GB82 WEST 1234 5698 7654 32"],
  ["iban gb82west12345698765432", "IBAN", "gb82west12345698765432"],
  ["my ssn is 536-22-5674", "US_SSN", "536-22-5674"],
  ["ssn 536 22 5674", "US_SSN", "536 22 5674"],
  ["host 192.168.0.1 is up", "IP_ADDRESS", "192.168.0.1"],
  ["connect 10.0.0.1:8080", "IP_ADDRESS", "10.0.0.1"],
  ["route 10.0.0.0/8.", "IP_ADDRESS", "10.0.0.0/8"],
  ["IP:172.16.254.1", "IP_ADDRESS", "172.16.254.1"],
  ["v6 2001:db8::1.", "IP_ADDRESS", "2001:db8::1"],
  ["[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:443", "IP_ADDRESS", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
  ["mapped ::ffff:192.0.2.1 ok", "IP_ADDRESS", "::ffff:192.0.2.1"],
  ["prefix 2001:db8::/32", "IP_ADDRESS", "2001:db8::/32"],
  ["nhs 943 476 5919", "UK_NHS", "943 476 5919"],
  ["NI number AB 12 34 56 C", "UK_NINO", "AB 12 34 56 C"],
  ["nino: PR 123612C", "UK_NINO", "PR 123612C"],
  ["nino tw987654a", "UK_NINO", "tw987654a"],
  ["SIN 130-692-544", "CA_SIN", "130-692-544"],
  ["mon NAS: 258 933 688", "CA_SIN", "258 933 688"],
  ["aadhaar 3123 4567 8909", "IN_AADHAAR", "3123 4567 8909"],
  ["aadhaar 3123-4567-8909", "IN_AADHAAR", "3123-4567-8909"],
  ["DNI 12345678Z", "ES_NIF", "12345678Z"],
  ["DNI 55555555-K", "ES_NIF", "55555555-K"],
  ["Mi NIE es X9613851N", "ES_NIE", "X9613851N"],
  ["NIE Y8063915-Z", "ES_NIE", "Y8063915-Z"],
  ["cf RSSMRA85T10A562S", "IT_FISCAL_CODE", "RSSMRA85T10A562S"],
  ["cf rssmra85t10a562s", "IT_FISCAL_CODE", "rssmra85t10a562s"],
  ["IdNr. 36574261809 liegt vor.", "DE_TAX_ID", "36574261809"],
  ["My pesel is 44051401458.", "PL_PESEL", "44051401458"],
  ["TFN 123 456 782", "AU_TFN", "123 456 782"],
  ["ABN 51 824 753 556", "AU_ABN", "51 824 753 556"],
  ["ITIN 912-70-1234", "US_ITIN", "912-70-1234"],
  ["routing 121000358", "US_ABA_ROUTING", "121000358"],
  ["routing 0711-0130-7", "US_ABA_ROUTING", "0711-0130-7"],
  ["BSN 1112.22.333", "NL_BSN", "1112.22.333"],
  ["CPF 390.533.447-05", "BR_CPF", "390.533.447-05"],
  ["CPF 39053344705", "BR_CPF", "39053344705"],
  ["NRIC S2740116C was processed", "SG_NRIC", "S2740116C"],
];

describe("true positives, exact spans", () => {
  it.each(POSITIVES)("%s → %s", (text, type, span) => {
    const r = scan(text);
    const hit = r.findings.find((f) => f.type === type);
    expect(hit?.text, JSON.stringify(r.findings)).toBe(span);
    expect(hit!.start).toBe(Buffer.from(text).indexOf(Buffer.from(span)));
    expect(hit!.score).toBeGreaterThan(0);
    expect(hit!.score).toBeLessThanOrEqual(1);
  });

  it("finds several entities in one text, each once", () => {
    const t = "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881, mail a@b.io or c@d.io";
    expect(found(t)).toEqual([
      "CREDIT_CARD:4012888888881881",
      "CREDIT_CARD:4012-8888-8888-1881",
      "CREDIT_CARD:4012 8888 8888 1881",
      "EMAIL:a@b.io",
      "EMAIL:c@d.io",
    ]);
  });

  it("a bare 9-digit number gets every type whose checksum holds, at low scores", () => {
    const r = scan("number 536225674 here").findings;
    expect(r.map((f) => f.type)).toContain("US_SSN");
    for (const f of r) expect(f.score).toBeLessThan(0.3);
    const dashed = scan("number 536-22-5674 here").findings.find((f) => f.type === "US_SSN")!;
    expect(dashed.score).toBeGreaterThan(0.5);
  });

  it("reports original offsets across multi-byte text", () => {
    const t = "né à Zürich, tél 415-555-2671";
    const f = scan(t).findings[0];
    const b = new TextEncoder().encode(t);
    expect(new TextDecoder().decode(b.subarray(f.start, f.end))).toBe("415-555-2671");
    expect(f.end).toBe(b.length);
  });

  it("a disabled entity is not reported", () => {
    expect(found("card 4111 1111 1111 1111", { disable: ["CREDIT_CARD"] })).toEqual([]);
    expect(found("a@b.io 4111 1111 1111 1111", { disable: ["EMAIL"] })).toEqual(["CREDIT_CARD:4111 1111 1111 1111"]);
  });
});

const NEGATIVES: string[] = [
  "card 4111 1111 1111 1112 declined", // Luhn fails
  "my credit card number is 4012-8888-8888-1882",
  "Order ORD-2024-0001234 shipped, tracking 1Z999AA10123456784",
  "invoice 2024-000123 dated 2024-01-15 and 15/01/2024 and 01.02.2024",
  "meeting at 12:30:45 or 09:00, build 2024.01.15.1234",
  "version v1.2.3.4 and 1.2.3.4.5 and 10.0.0.256",
  "id 550e8400-e29b-41d4-a716-446655440000",
  "commit e83c5163316f89bfbde7d9ab23ca2e25604af290 and 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  "hex 0x4111111111111111 and #ff00aa and deadbeef",
  "price $1,234.56 or 1234.56 EUR, total 4,111,111,111",
  "ISBN 978-3-16-148410-0",
  "ref ABC4111111111111111XYZ and id_4111111111111111 and x@4155552671",
  "mac 00:1A:2B:3C:4D:5E and 01-23-45-67-89-AB",
  "numbers 000000000 111-11-1111 0000 0000 0000",
  "not an email: hello-world here, info@presidio. and a@b",
  "ssn 078-05-1120 is the famous sample",
  "file_4155552671.txt",
];

describe("look-alikes that must not fire", () => {
  it.each(NEGATIVES)("%s", (text) => {
    expect(found(text)).toEqual([]);
  });

  it("does not read a 4-4-4 piece out of a longer spaced card number", () => {
    expect(found("4111 1111 1111 1112").filter((f) => f.startsWith("IN_AADHAAR"))).toEqual([]);
  });
});

describe("pending()", () => {
  const pendingAfter = (text: string) => {
    const r = scan(text);
    return r.pending[r.pending.length - 1];
  };

  it("holds nothing after ordinary words", () => {
    expect(pendingAfter("hello world, nothing here. ")).toBe(NONE);
  });

  it("holds the current word (it may become an e-mail local part)", () => {
    expect(pendingAfter("say john.smith")).toBe(4);
    expect(pendingAfter("say john.smith@exam")).toBe(4);
  });

  it("holds a number run that may continue, from its first byte", () => {
    expect(pendingAfter("call 415-555-2671 ")).toBe(5);
    expect(pendingAfter("call +1 415")).toBe(5);
  });

  it("releases a run once it cannot extend", () => {
    expect(pendingAfter("call 415-555-2671, ")).toBe(NONE);
  });

  it("is never later than a finding emitted afterwards (the streaming invariant)", () => {
    const samples = [
      "john.smith@example.com", "a@b.io", "+1 (415) 555-2671", "415-555-2671", "020 7946 0958",
      "4111 1111 1111 1111", "4111111111111111", "DE89 3704 0044 0532 0130 00", "536-22-5674",
      "192.168.0.1", "10.0.0.0/8", "2001:db8::1", "AB 12 34 56 C", "X9613851N", "12345678Z",
      "RSSMRA85T10A562S", "390.533.447-05", "3123 4567 8909", "S2740116C", "2024-01-15", "v1.2.3",
    ];
    const filler = ["the", "call", "at", "AB", "x", "1", "12", "2024", "-", ".", ",", "(", ")", "+", ":", "/", "@", "_", "é", "€"];
    const piece = fc.oneof(fc.constantFrom(...samples), fc.constantFrom(...filler));
    const sep = fc.constantFrom(" ", "", "\n", ", ", "-", ".", " (", ") ");
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, sep), { maxLength: 14 }), (parts) => {
        const text = parts.map(([a, b]) => a + b).join("");
        const r = scan(text);
        const len = r.bytes.length;
        for (const f of r.findings) {
          expect(f.start).toBeLessThan(f.end);
          expect(f.end).toBeLessThanOrEqual(len);
          // f was emitted while feeding byte f.at (f.at == len: at finish). After every
          // earlier byte i the engine released text up to min(pending, i + 1): f must not
          // start inside what was released.
          for (let i = 0; i < Math.min(f.at, len); i++) {
            expect(f.start).toBeGreaterThanOrEqual(Math.min(r.pending[i], i + 1));
          }
          expect(f.end).toBeLessThanOrEqual(f.at + 1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("finds the same entities one-shot as in random text around them", () => {
    fc.assert(
      fc.property(fc.constantFrom(...POSITIVES), fc.constantFrom("", "x ", "see: ", "1, "), fc.constantFrom("", " ok", ". ", ", 7"), ([text, type, span], pre, post) => {
        const r = scan(pre + text + post);
        expect(r.findings.some((f) => f.type === type && f.text === span)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("maxHold", () => {
  it("abandons an e-mail candidate that outgrows maxHold, reports overflow, emits nothing from it", () => {
    const text = "hi " + "a".repeat(60) + "@example.com";
    const r = scan(text, { maxHold: 32 });
    expect(r.overflow).toBe(3);
    expect(r.findings).toEqual([]);
    r.pending.forEach((p, i) => expect(p === NONE || i + 1 - p <= 32).toBe(true));
  });

  it("abandons a long number run (a 40-group spaced list) without leaking or waiting", () => {
    const text = "list " + Array.from({ length: 40 }, (_, i) => String(100 + i)).join(" ") + " end";
    const r = scan(text, { maxHold: 24 });
    r.pending.forEach((p, i) => expect(p === NONE || i + 1 - p <= 24).toBe(true));
    for (const f of r.findings) expect(f.end - f.start).toBeLessThanOrEqual(24);
  });

  it("does not overflow when maxHold is large enough", () => {
    const r = scan("mail " + "a".repeat(60) + "@example.com", { maxHold: 4096 });
    expect(r.overflow).toBe(NONE);
    expect(r.findings.map((f) => f.type)).toEqual(["EMAIL"]);
  });
});

describe("letters and brackets before a number (recall)", () => {
  // A 1-2 letter word may lead a NINO ("AB 12 34 56 C"), so the run keeps it as a prefix;
  // when the gap after it is not one space the prefix is dropped, and it used to drop the
  // '(' of the number with it.
  it.each([
    ["x (303) 499-7111 y", "(303) 499-7111"],
    ["as (303) 499-7111 ok", "(303) 499-7111"],
    ["is (303) 499-7111", "(303) 499-7111"],
    ["to (303) 499-7111", "(303) 499-7111"],
    ["not (303) 499-7111 in", "(303) 499-7111"],
    ["A (415) 555-2671", "(415) 555-2671"],
    ["x(303) 499-7111", "(303) 499-7111"],
    ["a-(303) 499-7111", "(303) 499-7111"],
    ["ab.(303) 499-7111", "(303) 499-7111"],
    ["ab, (303) 499-7111", "(303) 499-7111"],
  ])("%s", (text, span) => {
    expect(found(text)).toEqual([`PHONE:${span}`]);
  });

  it("a bracket around a whole number is not part of the phone, closed or not", () => {
    expect(found("call (415-555-2671) now")).toContain("PHONE:415-555-2671");
    expect(found("London (020 7946 0958)")).toEqual(["PHONE:020 7946 0958"]);
    expect(found("ring (+44 20 7946 0958)")).toEqual(["PHONE:+44 20 7946 0958"]);
    expect(found("(+49 (0)30 1234567)")).toEqual(["PHONE:+49 (0)30 1234567"]);
    expect(found("(+1 415 555 2671")).toEqual(["PHONE:+1 415 555 2671"]);
    // the area-code parentheses still belong to the number
    expect(found("x (415) 555-2671")).toEqual(["PHONE:(415) 555-2671"]);
    expect(found("call +1 (415) 555-2671")).toEqual(["PHONE:+1 (415) 555-2671"]);
  });

  it("short words before cards, SSNs, IBANs and NINOs do not hide them", () => {
    for (const pre of ["x ", "a ", "is ", "to ", "is a ", "x: ", "AB ", "a-", "x."]) {
      expect(found(pre + "4111 1111 1111 1111")).toContain("CREDIT_CARD:4111 1111 1111 1111");
      expect(found(pre + "536-22-5674")).toContain("US_SSN:536-22-5674");
      expect(found(pre + "DE89 3704 0044 0532 0130 00")).toContain("IBAN:DE89 3704 0044 0532 0130 00");
      expect(found(pre + "GB82 WEST 1234 5698 7654 32")).toContain("IBAN:GB82 WEST 1234 5698 7654 32");
      expect(found(pre + "AB 12 34 56 C")).toContain("UK_NINO:AB 12 34 56 C");
    }
  });

  it("holds a bracket-led number from its '(' and releases the words before it", () => {
    const r = scan("to (303) 499-7111");
    expect(r.pending[3]).toBe(0); // "to (": the prefix is held until the next group shows
    expect(r.pending[4]).toBe(3); // "to (3": the prefix is gone, the '(' stays
    expect(r.findings[0]).toMatchObject({ type: "PHONE", start: 3, end: 17 });
  });
});

describe("front end (deferred words)", () => {
  // The matcher defers ordinary words and replays them into the machines only when
  // something follows that a machine cares about. Everything must be exactly what the
  // machines alone decide: findings, the byte they are emitted at, pending() after every
  // byte, and overflow.
  const same = (text: string, opts: { maxHold?: number; disabledMask?: number } = {}) => {
    const a = scan(text, { ...opts, direct: true });
    const b = scan(text, opts);
    expect(b.findings, text).toEqual(a.findings);
    expect(b.pending, text).toEqual(a.pending);
    expect(b.overflow, text).toBe(a.overflow);
  };

  it("pending() of a deferred word is its first byte", () => {
    const r = scan("say john ");
    expect(r.pending.slice(3, 9)).toEqual([NONE, 4, 4, 4, 4, NONE]);
    const p = scan("x to 12 34 56");
    expect(p.pending[4]).toBe(2); // "to " may lead a NINO
    expect(p.findings).toEqual([]);
  });

  it("equals the machines alone on words, prefixes, joins and long words", () => {
    for (const t of [
      "the end. Next, a b c to be or not, e.g. i.e. don't well-known x/y a+b",
      "AB 12 34 56 C and ab cd 12 34 56 c, to a 4111 1111 1111 1111",
      "a".repeat(63) + "@x.io " + "b".repeat(64) + "@x.io " + "c".repeat(65) + "@x.io " + "d".repeat(70) + ". ok",
      "abcdef fe80::1 cafe.2001:db8::1 bad: be:2001:db8::1 MRTMTTLPTMLARVNQ RSSMRA85T10A562S. x",
      "is a (303) 499-7111, is a b (303) 499-7111 to a b c 536-22-5674",
    ]) {
      same(t);
      same(t, { maxHold: 64 });
      same(t, { maxHold: 24 });
      same(t, { disabledMask: 1 }); // no e-mail
      same(t, { disabledMask: ~1 >>> 0 }); // e-mail only
    }
  });

  it("equals the machines alone on random text (property)", () => {
    const word = fc.stringMatching(/^[a-fA-Fx-z]{1,3}$|^[a-z]{4,17}$/);
    const piece = fc.oneof(
      word, word, word,
      fc.constantFrom("a", "to", "AB", "12", "2024", "4111 1111 1111 1111", "(303) 499-7111", "john.smith@example.com",
        "2001:db8::1", "AB 12 34 56 C", "RSSMRA85T10A562S", "192.168.0.1", "+44 20 7946 0958", "x".repeat(64)),
    );
    const sep = fc.constantFrom(" ", " ", "", "\n", ", ", ". ", ".", "-", "'", "/", "(", ")", "+", ":", "@", "_", "é", "\u200b", "  ");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, sep), { maxLength: 16 }),
        fc.constantFrom(4096, 64, 40),
        fc.constantFrom(0, 0, 1, ~1 >>> 0, 1 << 5),
        (parts, maxHold, disabledMask) => same(parts.map(([a, b]) => a + b).join(""), { maxHold, disabledMask }),
      ),
      { numRuns: 500 },
    );
  });
});
