// PII validators (assembly/engine/validators/*) through build/test/validators.wasm:
// public sample numbers, one-character mutations, agreement with small JS references
// written here from the published algorithms, and a fuzz pass that no input traps.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { loadTestWasm, type TestWasm } from "./helpers/test-wasm";

let wasm: TestWasm;
beforeAll(() => {
  wasm = loadTestWasm("validators");
});

/** Calls a validator export on the latin-1 bytes of s (or on raw bytes). */
function raw(fn: string, input: string | Uint8Array): number {
  const bytes = typeof input === "string" ? Uint8Array.from(input, (c) => c.charCodeAt(0)) : input;
  const ptr = wasm.exports.buf(bytes.length) as number;
  wasm.write(ptr, bytes);
  return wasm.exports[fn](ptr, bytes.length) as number;
}
const ok = (fn: string, s: string): boolean => raw(fn, s) === 1;

const DIGITS = "0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** payload + the first character of alphabet that makes ref accept it, or null. */
function complete(ref: (s: string) => boolean, payload: string, alphabet = DIGITS): string | null {
  for (const c of alphabet) if (ref(payload + c)) return payload + c;
  return null;
}

/** Every string that differs from s in exactly one position, drawn from alphabet. */
function oneCharMutations(s: string, alphabet = DIGITS): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const c of alphabet) if (c !== s[i]) out.push(s.slice(0, i) + c + s.slice(i + 1));
  }
  return out;
}

const digitsArb = (min: number, max: number) =>
  fc.array(fc.constantFrom(...DIGITS), { minLength: min, maxLength: max }).map((a) => a.join(""));
const charsArb = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(""));

// ---------------------------------------------------------------------------------------
// References, written from the published algorithms (not from the AssemblyScript code).

function luhnRef(s: string): boolean {
  if (!/^\d{2,}$/.test(s)) return false;
  let sum = 0;
  [...s].reverse().forEach((c, i) => {
    let d = +c;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
}

// Wikipedia "Verhoeff algorithm": d = D5 Cayley table, p = position permutation.
const VD = [
  "0123456789", "1234067895", "2340178956", "3401289567", "4012395678",
  "5987604321", "6598710432", "7659821043", "8765932104", "9876543210",
].map((r) => [...r].map(Number));
const VP = [
  "0123456789", "1576283094", "5803796142", "8916043527",
  "9453126870", "4286573901", "2793806415", "7046913258",
].map((r) => [...r].map(Number));
function verhoeffRef(s: string): boolean {
  if (!/^\d{2,}$/.test(s)) return false;
  let c = 0;
  [...s].reverse().forEach((ch, i) => { c = VD[c][VP[i % 8][+ch]]; });
  return c === 0;
}

/** SWIFT IBAN registry countries and lengths (independent transcription for the grid). */
const IBAN_REGISTRY: Record<string, number> = Object.fromEntries(
  (`AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28
    EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26
    IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28
    NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25
    SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30`).split(/\s+/).map((e) => [e.slice(0, 2), +e.slice(2)]),
);
function mod97Ref(s: string): bigint {
  const moved = s.slice(4) + s.slice(0, 4);
  return BigInt([...moved].map((c) => parseInt(c, 36).toString()).join("")) % 97n;
}
function ibanRef(s: string): boolean {
  return /^[A-Z]{2}\d{2}[0-9A-Z]+$/.test(s) && IBAN_REGISTRY[s.slice(0, 2)] === s.length && mod97Ref(s) === 1n;
}
function ibanWithCheck(country: string, bban: string): string {
  const r = mod97Ref(country + "00" + bban);
  return country + String(98n - r).padStart(2, "0") + bban;
}

function ssnRef(s: string): boolean {
  const m = /^(\d{3})(\d{2})(\d{4})$/.exec(s);
  if (!m) return false;
  const [, a, g, n] = m;
  if (a === "000" || a === "666" || a[0] === "9" || g === "00" || n === "0000") return false;
  return !/^(\d)\1{8}$/.test(s) && !["078051120", "219099999", "123456789"].includes(s);
}
const itinRef = (s: string) => /^9\d{2}(5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])\d{4}$/.test(s);
function abaRef(s: string): boolean {
  if (!/^(0\d|1[0-2]|2[1-9]|3[0-2]|6[1-9]|7[0-2]|80)\d{7}$/.test(s)) return false;
  const w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  return [...s].reduce((a, c, i) => a + +c * w[i], 0) % 10 === 0;
}
const isPalindrome = (s: string) => [...s].reverse().join("") === s;
const aadhaarRef = (s: string) => /^[2-9]\d{11}$/.test(s) && !isPalindrome(s) && verhoeffRef(s);
function nhsRef(s: string): boolean {
  if (!/^\d{10}$/.test(s) || /^(\d)\1{9}$/.test(s)) return false;
  const sum = [...s.slice(0, 9)].reduce((a, c, i) => a + +c * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === +s[9];
}
// HMRC's published NINO pattern.
const ninoRef = (s: string) =>
  /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]?$/.test(s);
const sinRef = (s: string) => /^[1-79]\d{8}$/.test(s) && luhnRef(s);
const NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
const nifRef = (s: string) => /^\d{8}[A-Z]$/.test(s) && NIF_LETTERS[+s.slice(0, 8) % 23] === s[8];
const nieRef = (s: string) =>
  /^[XYZ]\d{7}[A-Z]$/.test(s) && NIF_LETTERS[+("XYZ".indexOf(s[0]) + s.slice(1, 8)) % 23] === s[8];

// Codice fiscale: DM 23/12/1976 odd-position values (A/0 .. Z), even positions count 0..25.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const OMOCODIA = "LMNPQRSTUV";
const cfValue = (c: string) => (/\d/.test(c) ? +c : c.charCodeAt(0) - 65);
function cfCheck(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? CF_ODD[cfValue(first15[i])] : cfValue(first15[i]);
  return LETTERS[sum % 26];
}
function cfRef(s: string): boolean {
  const N = "[0-9LMNPQRSTUV]";
  if (!new RegExp(`^[A-Z]{6}${N}{2}[ABCDEHLMPRST]${N}{2}[A-Z]${N}{3}[A-Z]$`).test(s)) return false;
  const day = +[...s.slice(9, 11)].map((c) => (/\d/.test(c) ? c : String(OMOCODIA.indexOf(c)))).join("");
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return cfCheck(s.slice(0, 15)) === s[15];
}

function deIdRef(s: string): boolean {
  if (!/^[1-9]\d{10}$/.test(s)) return false;
  const first = s.slice(0, 10);
  const counts = new Map<string, number>();
  for (const c of first) counts.set(c, (counts.get(c) ?? 0) + 1);
  const multi = [...counts.values()].filter((v) => v > 1);
  if (multi.length !== 1 || multi[0] > 3) return false;
  if (multi[0] === 3 && /(\d)\1\1/.test(first)) return false;
  let product = 10;
  for (const c of first) {
    let sum = (+c + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10 === +s[10];
}

function peselRef(s: string): boolean {
  if (!/^\d{11}$/.test(s)) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...s.slice(0, 10)].reduce((a, c, i) => a + +c * w[i], 0);
  if ((10 - (sum % 10)) % 10 !== +s[10]) return false;
  let mm = +s.slice(2, 4);
  const century = [1900, 2000, 2100, 2200, 1800][Math.floor(mm / 20)];
  mm %= 20;
  const year = century + +s.slice(0, 2);
  const dd = +s.slice(4, 6);
  const date = new Date(Date.UTC(year, mm - 1, dd));
  return mm >= 1 && mm <= 12 && date.getUTCMonth() === mm - 1 && date.getUTCDate() === dd;
}

function tfnRef(s: string): boolean {
  const w = s.length === 9 ? [1, 4, 3, 7, 5, 8, 6, 9, 10] : [10, 7, 8, 4, 6, 3, 5, 1];
  return /^\d{8,9}$/.test(s) && [...s].reduce((a, c, i) => a + +c * w[i], 0) % 11 === 0;
}
function abnRef(s: string): boolean {
  if (!/^[1-9]\d{10}$/.test(s)) return false;
  const w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  return [...s].reduce((a, c, i) => a + (i === 0 ? +c - 1 : +c) * w[i], 0) % 89 === 0;
}
function bsnRef(s: string): boolean {
  if (!/^\d{9}$/.test(s) || s === "000000000") return false;
  const sum = [...s].reduce((a, c, i) => a + +c * (i === 8 ? -1 : 9 - i), 0);
  return sum % 11 === 0;
}
/** CPF check digit over the digits of head: weights len+1 .. 2, 11 - sum mod 11, 10/11 -> 0. */
function cpfDigit(head: string): number {
  const r = 11 - ([...head].reduce((a, c, i) => a + +c * (head.length + 1 - i), 0) % 11);
  return r >= 10 ? 0 : r;
}
function cpfRef(s: string): boolean {
  if (!/^\d{11}$/.test(s) || /^(\d)\1{10}$/.test(s)) return false;
  return cpfDigit(s.slice(0, 9)) === +s[9] && cpfDigit(s.slice(0, 10)) === +s[10];
}
// ICA algorithm; M series: P = 11 - ((sum + 3) mod 11), letter "KLJNPQRTUWX"[P - 1].
function nricRef(s: string): boolean {
  const m = /^([STFGM])(\d{7})([A-Z])$/.exec(s);
  if (!m) return false;
  const w = [2, 7, 6, 5, 4, 3, 2];
  const sum = [...m[2]].reduce((a, c, i) => a + +c * w[i], 0);
  if (m[1] === "M") return "KLJNPQRTUWX"[11 - ((sum + 3) % 11) - 1] === m[3];
  const r = (sum + (m[1] === "T" || m[1] === "G" ? 4 : 0)) % 11;
  return (m[1] === "S" || m[1] === "T" ? "JZIHGFEDCBA" : "XWUTRQPNMLK")[r] === m[3];
}
const nanpRef = (s: string) =>
  /^[2-9]\d{2}[2-9]\d{6}$/.test(s) && !/^.11/.test(s) && !/^(37|96)/.test(s) && !s.startsWith("555")
  && !/^\d{3}55501\d\d$/.test(s);

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const ipv4Ref = (s: string) => new RegExp(`^${IPV4}$`).test(s);
// RFC 3986 section 3.2.2 IPv6address grammar (the RFC 4291 text forms).
const IPV6_RE = (() => {
  const h = "[0-9A-Fa-f]{1,4}";
  const ls32 = `(?:${h}:${h}|${IPV4})`;
  const rep = (k: number) => (k === 0 ? "" : `(?:${h}:){${k}}`);
  const upto = (k: number) => (k < 0 ? "" : `(?:(?:${h}:){0,${k}}${h})?`);
  const forms = [
    `${rep(6)}${ls32}`, `::${rep(5)}${ls32}`, `${upto(0)}::${rep(4)}${ls32}`, `${upto(1)}::${rep(3)}${ls32}`,
    `${upto(2)}::${rep(2)}${ls32}`, `${upto(3)}::${h}:${ls32}`, `${upto(4)}::${ls32}`, `${upto(5)}::${h}`, `${upto(6)}::`,
  ];
  return new RegExp(`^(?:${forms.join("|")})$`);
})();
const ipv6Ref = (s: string) => IPV6_RE.test(s);

function entropyRef(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  const counts = new Map<number, number>();
  for (const b of bytes) counts.set(b, (counts.get(b) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / bytes.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// ---------------------------------------------------------------------------------------

/** Runs the common checks for a checksum validator: samples, mutations, reference. */
function checksumSuite(o: {
  fn: string;
  ref: (s: string) => boolean;
  valid: string[];
  invalid: string[];
  payload: fc.Arbitrary<string>; // everything but the final check character
  checkAlphabet?: string;
  random: fc.Arbitrary<string>; // arbitrary candidates of the right shape
  mutationAlphabet?: string;
  mutationsAllInvalid?: boolean;
  minAccepted?: number; // of 300 completed payloads (default 50)
}) {
  describe(o.fn, () => {
    it("accepts the public sample numbers", () => {
      for (const s of o.valid) {
        expect(o.ref(s), `reference on ${s}`).toBe(true);
        expect(ok(o.fn, s), s).toBe(true);
      }
    });
    it("rejects the known-invalid numbers", () => {
      for (const s of o.invalid) {
        expect(o.ref(s), `reference on ${s}`).toBe(false);
        expect(ok(o.fn, s), s).toBe(false);
      }
    });
    it("agrees with the reference on every one-character mutation of the samples", () => {
      for (const s of o.valid) {
        for (const m of oneCharMutations(s, o.mutationAlphabet)) {
          expect(ok(o.fn, m), m).toBe(o.ref(m));
          if (o.mutationsAllInvalid) expect(ok(o.fn, m), m).toBe(false);
        }
      }
    });
    it("accepts the payload completed with the reference check character", () => {
      let accepted = 0;
      fc.assert(fc.property(o.payload, (p) => {
        const s = complete(o.ref, p, o.checkAlphabet);
        if (s === null) return;
        accepted++;
        expect(ok(o.fn, s), s).toBe(true);
      }), { numRuns: 300 });
      expect(accepted).toBeGreaterThan(o.minAccepted ?? 50);
    });
    it("agrees with the reference on arbitrary candidates", () => {
      fc.assert(fc.property(o.random, (s) => ok(o.fn, s) === o.ref(s)), { numRuns: 1000 });
    });
    it("agrees with the reference one character shorter and longer", () => {
      for (const s of o.valid) {
        expect(ok(o.fn, s.slice(0, -1))).toBe(o.ref(s.slice(0, -1)));
        expect(ok(o.fn, s + s[s.length - 1])).toBe(o.ref(s + s[s.length - 1]));
      }
    });
  });
}

describe("luhnValid", () => {
  it("accepts the well-known test cards and Wikipedia's example", () => {
    for (const s of ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "79927398713"]) {
      expect(ok("luhnValid", s), s).toBe(true);
    }
  });
  it("rejects too-short input and non-digits", () => {
    for (const s of ["", "0", "4111-1111", "411111111111111a", "4111111111111112"]) expect(ok("luhnValid", s), s).toBe(false);
  });
  it("payload + computed check digit is valid; any single changed digit is invalid", () => {
    fc.assert(fc.property(digitsArb(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, at, delta) => {
      const s = complete(luhnRef, payload)!;
      expect(ok("luhnValid", s)).toBe(true);
      const i = at % s.length;
      const m = s.slice(0, i) + String((+s[i] + delta) % 10) + s.slice(i + 1);
      expect(ok("luhnValid", m)).toBe(false);
    }));
  });
  it("agrees with the reference on random digit strings", () => {
    fc.assert(fc.property(digitsArb(0, 25), (s) => ok("luhnValid", s) === luhnRef(s)));
  });
});

describe("cardIssuerValid", () => {
  it("accepts each issuer's prefix at its lengths", () => {
    const pad = (prefix: string, n: number) => prefix + "0".repeat(n - prefix.length);
    const cases: [string, number[]][] = [
      ["4", [13, 16, 19]], ["51", [16]], ["55", [16]], ["2221", [16]], ["2720", [16]], ["34", [15]], ["37", [15]],
      ["6011", [16, 19]], ["644", [16, 19]], ["65", [16, 19]], ["622126", [16]], ["622925", [19]],
      ["300", [14, 19]], ["305", [14]], ["36", [14]], ["38", [14]], ["39", [19]], ["3528", [16]], ["3589", [19]],
      ["62", [16, 19]], ["50", [12, 19]], ["56", [12]], ["69", [19]], ["2200", [16]], ["2204", [19]],
      ["60", [16]], ["81", [16]], ["82", [16]], ["508", [16]], ["506099", [16, 18, 19]], ["650027", [16, 18]],
    ];
    for (const [prefix, lengths] of cases) {
      for (const n of lengths) expect(ok("cardIssuerValid", pad(prefix, n)), `${prefix} @ ${n}`).toBe(true);
    }
  });
  it("accepts the public test card numbers", () => {
    for (const s of ["4111111111111111", "4222222222222", "5555555555554444", "2221000000000009", "378282246310005",
      "371449635398431", "6011111111111117", "30569309025904", "3530111333300000", "6200000000000005"]) {
      expect(ok("cardIssuerValid", s) && ok("luhnValid", s), s).toBe(true);
    }
  });
  it("rejects unknown prefixes and wrong lengths", () => {
    for (const s of ["1234567890123456", "7000000000000000", "9000000000000000", "0000000000000000",
      "411111111111111", "41111111111111", "37828224631000", "3782822463100055", "5555555555554", "55555555555544441",
      "2721000000000000", "2220990000000000", "305999999999", "35270000000000000", "41111111111111111111"]) {
      expect(ok("cardIssuerValid", s), s).toBe(false);
    }
  });
  it("rejects non-digits and is decided by the first six digits and the length only", () => {
    expect(ok("cardIssuerValid", "4111 1111 1111 1111")).toBe(false);
    fc.assert(fc.property(digitsArb(6, 6), digitsArb(6, 13), digitsArb(6, 13), (prefix, a, b) => {
      fc.pre(a.length === b.length);
      return ok("cardIssuerValid", prefix + a) === ok("cardIssuerValid", prefix + b);
    }));
  });
});

describe("ibanValid", () => {
  const samples = ["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
    "NL91ABNA0417164300", "NO9386011117947", "BE68539007547034", "CH9300762011623852957", "MT84MALT011000012345MTLCAST001S",
    "SA0380000000608010167519", "BR1800360305000010009795493C1"];
  it("accepts registry examples", () => {
    for (const s of samples) expect(ok("ibanValid", s), s).toBe(true);
  });
  it("rejects every one-character mutation of the examples", () => {
    for (const s of samples) {
      for (const m of oneCharMutations(s, DIGITS + LETTERS)) {
        expect(ok("ibanValid", m), m).toBe(ibanRef(m));
      }
    }
    for (const m of oneCharMutations("GB82WEST12345698765432")) {
      if (/^GB/.test(m)) expect(ok("ibanValid", m), m).toBe(false);
    }
  });
  it("rejects wrong lengths, unknown countries, lower case and separators", () => {
    for (const s of ["GB82WEST1234569876543", "GB82WEST123456987654321", "XX82WEST12345698765432",
      "gb82west12345698765432", "GB82 WEST 1234 5698 7654 32", "GB8WEST12345698765432", "", "GB"]) {
      expect(ok("ibanValid", s), s).toBe(false);
    }
  });
  it("knows the length of every registry country and no other", () => {
    for (const a of LETTERS) {
      for (const b of LETTERS) {
        const country = a + b;
        const len = IBAN_REGISTRY[country];
        for (const n of [15, 16, 18, 20, 22, 24, 27, 28, 29, 30, 31, 32, 33]) {
          const s = ibanWithCheck(country, "1".repeat(n - 4));
          expect(ok("ibanValid", s), s).toBe(len === n);
        }
      }
    }
  });
  it("mod-97 agrees with BigInt for random BBANs and check digits", () => {
    const countries = Object.keys(IBAN_REGISTRY);
    fc.assert(fc.property(fc.constantFrom(...countries), fc.string({ unit: fc.constantFrom(...DIGITS + LETTERS), minLength: 30, maxLength: 30 }),
      digitsArb(2, 2), (country, body, check) => {
        const bban = body.slice(0, IBAN_REGISTRY[country] - 4);
        const s = country + check + bban;
        expect(ok("ibanValid", s)).toBe(ibanRef(s));
        expect(ok("ibanValid", ibanWithCheck(country, bban))).toBe(true);
      }), { numRuns: 2000 });
  });
});

checksumSuite({
  fn: "usSsnValid", ref: ssnRef,
  valid: ["536225674", "001010001", "665999999", "899011234"],
  invalid: ["000123456", "666123456", "900123456", "999123456", "123001234", "123450000", "078051120", "219099999",
    "123456789", "111111111", "555555555", "12345678", "1234567890", "12345678a"],
  payload: digitsArb(8, 8), random: digitsArb(9, 9),
});

checksumSuite({
  fn: "usItinValid", ref: itinRef,
  valid: ["912701234", "900501234", "999651234", "912881234", "912901234", "912921234", "912941234", "912991234"],
  invalid: ["812701234", "912491234", "912661234", "912691234", "912891234", "912931234", "91270123", "9127012345"],
  payload: fc.constant("9").chain((n) => digitsArb(7, 7).map((d) => n + d)), random: fc.constant("9").chain((n) => digitsArb(8, 8).map((d) => n + d)),
});

checksumSuite({
  fn: "abaRoutingValid", ref: abaRef,
  valid: ["121000358", "011000015", "021000021", "322271627"],
  invalid: ["121000359", "131000358", "12100035", "1210003588", "000000000x"],
  payload: fc.constantFrom("0", "1", "2", "3", "6", "7", "8").chain((d) => digitsArb(7, 7).map((r) => d + r)),
  random: digitsArb(9, 9),
});

describe("verhoeffValid", () => {
  it("accepts Wikipedia's example and rejects its mutations", () => {
    expect(ok("verhoeffValid", "2363")).toBe(true);
    for (const m of oneCharMutations("2363")) expect(ok("verhoeffValid", m), m).toBe(false);
    for (const s of ["", "0", "236a"]) expect(ok("verhoeffValid", s), s).toBe(false);
  });
  it("detects every single-digit error and every adjacent transposition", () => {
    fc.assert(fc.property(digitsArb(1, 20), (payload) => {
      const s = complete(verhoeffRef, payload)!;
      expect(ok("verhoeffValid", s)).toBe(true);
      for (const m of oneCharMutations(s)) expect(ok("verhoeffValid", m), m).toBe(false);
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === s[i + 1]) continue;
        const t = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
        expect(ok("verhoeffValid", t), t).toBe(false);
      }
    }), { numRuns: 200 });
  });
  it("agrees with the reference on random digit strings", () => {
    fc.assert(fc.property(digitsArb(0, 20), (s) => ok("verhoeffValid", s) === verhoeffRef(s)));
  });
});

checksumSuite({
  fn: "aadhaarValid", ref: aadhaarRef,
  valid: ["312345678909", "399876543211", "400123456787", "234123412346"],
  invalid: ["123456789012", "012345678909", "999999999999", "222222222222", "31234567890", "3123456789090"],
  payload: fc.integer({ min: 2, max: 9 }).chain((d) => digitsArb(10, 10).map((r) => d + r)),
  random: digitsArb(12, 12), mutationsAllInvalid: true,
});

checksumSuite({
  fn: "nhsValid", ref: nhsRef,
  valid: ["9434765919", "4010232137", "9434765870"],
  invalid: ["9434765918", "0000000000", "1111111111", "943476591", "94347659190"],
  payload: digitsArb(9, 9), random: digitsArb(10, 10), mutationsAllInvalid: true,
});

checksumSuite({
  fn: "ninoValid", ref: ninoRef,
  valid: ["AB123456C", "AB123456", "CE123456D", "JG103759A", "ZY123456A"],
  invalid: ["DA123456A", "FA123456A", "IA123456A", "QQ123456C", "UA123456A", "VA123456A", "AD123456A", "AO123456A",
    "BG123456A", "GB123456A", "KN123456A", "NK123456A", "NT123456A", "TN123456A", "ZZ123456A", "AB123456E",
    "AB12345C", "AB1234567", "ab123456c", "A1123456C"],
  payload: charsArb(LETTERS, 2, 2).chain((l) => digitsArb(6, 6).map((d) => l + d)),
  checkAlphabet: "ABCD", random: fc.oneof(
    charsArb(LETTERS, 2, 2).chain((l) => digitsArb(6, 6).chain((d) => charsArb("ABCDEFZ", 0, 1).map((s) => l + d + s))),
    charsArb(LETTERS + DIGITS, 8, 9),
  ),
  mutationAlphabet: LETTERS + DIGITS,
});

checksumSuite({
  fn: "caSinValid", ref: sinRef,
  valid: ["130692544", "193456787", "912345675"],
  invalid: ["046454286", "800000002", "130692545", "13069254", "1306925440"],
  payload: digitsArb(8, 8), random: digitsArb(9, 9),
});

checksumSuite({
  fn: "esNifValid", ref: nifRef,
  valid: ["12345678Z", "00000000T", "99999999R"],
  invalid: ["12345678A", "1234567Z", "123456789Z", "12345678z", "X1234567L"],
  payload: digitsArb(8, 8), checkAlphabet: LETTERS, random: digitsArb(8, 8).chain((d) => charsArb(LETTERS, 1, 1).map((l) => d + l)),
  mutationAlphabet: DIGITS + "TRWAZ", mutationsAllInvalid: true,
});

checksumSuite({
  fn: "esNieValid", ref: nieRef,
  valid: ["X1234567L", "Y1234567X", "Z1234567R", "X0000000T"],
  invalid: ["X1234567A", "W1234567L", "X123456L", "12345678Z", "x1234567L"],
  payload: charsArb("XYZ", 1, 1).chain((p) => digitsArb(7, 7).map((d) => p + d)), checkAlphabet: LETTERS,
  random: charsArb("WXYZ0", 1, 1).chain((p) => digitsArb(7, 7).chain((d) => charsArb(LETTERS, 1, 1).map((l) => p + d + l))),
  mutationAlphabet: DIGITS + "XYZLW",
});

describe("itFiscalCodeValid", () => {
  it("accepts published codes, with and without omocodia", () => {
    // RSSMRA85T10A562S is the usual "Mario Rossi" example; the others substitute digits
    // from the right with L..V and carry the recomputed check letter.
    const base = "RSSMRA85T10A562";
    const omo = [base, "RSSMRA85T10A56N", "RSSMRA85T10A5SN", "RSSMRA85T1LASSN", "RSSMRAURTMLARSN"];
    expect(ok("itFiscalCodeValid", "RSSMRA85T10A562S")).toBe(true);
    for (const b of omo) expect(ok("itFiscalCodeValid", b + cfCheck(b)), b).toBe(true);
    for (const s of ["MRTMTT25D09F205Z", "BNCGNN80A01H501F"]) expect(ok("itFiscalCodeValid", s), s).toBe(cfRef(s));
  });
  it("rejects wrong check letters, bad month letters, bad days and bad shapes", () => {
    for (const s of ["RSSMRA85T10A562T", "RSSMRA85F10A562S", "RSSMRA85T00A562S", "RSSMRA85T32A562S", "RSSMRA85T72A562S",
      "RSSMRA85T10A562", "RSSMRA85T10A562SS", "rssmra85t10a562s", "RSSMR185T10A562S", "RSSMRA8AT10A562S", "RSSMRA85T10A56WS"]) {
      expect(cfRef(s), s).toBe(false);
      expect(ok("itFiscalCodeValid", s), s).toBe(false);
    }
    // The same faults with a correctly recomputed check letter.
    for (const b of ["RSSMRA85F10A562", "RSSMRA85Z10A562", "RSSMRA85T00A562", "RSSMRA85T32A562", "RSSMRA85T40A562", "RSSMRA85T72A562",
      "RSSMRA85TWLA562", "RSSMR185T10A562"]) {
      expect(cfRef(b + cfCheck(b)), b).toBe(false);
      expect(ok("itFiscalCodeValid", b + cfCheck(b)), b).toBe(false);
    }
  });
  it("agrees with the reference on mutations and random structured codes", () => {
    for (const m of oneCharMutations("RSSMRA85T10A562S", DIGITS + LETTERS)) expect(ok("itFiscalCodeValid", m), m).toBe(cfRef(m));
    const N = DIGITS + OMOCODIA;
    const code = fc.tuple(charsArb(LETTERS, 6, 6), charsArb(N, 2, 2), charsArb("ABCDEHLMPRSTFZ", 1, 1), charsArb("01234578" + OMOCODIA, 2, 2),
      charsArb(LETTERS, 1, 1), charsArb(N, 3, 3)).map((parts) => parts.join(""));
    let valid = 0;
    fc.assert(fc.property(code, charsArb(LETTERS, 1, 1), (c, k) => {
      const s = c + cfCheck(c);
      if (cfRef(s)) { valid++; expect(ok("itFiscalCodeValid", s), s).toBe(true); }
      expect(ok("itFiscalCodeValid", c + k)).toBe(cfRef(c + k));
    }), { numRuns: 1000 });
    expect(valid).toBeGreaterThan(300);
  });
});

describe("deTaxIdValid", () => {
  /** Ten digits with a first digit 1-9, one digit repeated `times` times, the others once. */
  const structured = (times: 2 | 3) => fc.tuple(fc.shuffledSubarray([...DIGITS], { minLength: 10, maxLength: 10 }), fc.nat(), fc.nat())
    .map(([perm, a, b]) => {
      const d = perm.slice();
      const src = a % 10;
      let j = (src + 1 + (b % 9)) % 10;
      d[j] = d[src];
      if (times === 3) { j = (j + 1) % 10 === src ? (j + 2) % 10 : (j + 1) % 10; d[j] = d[src]; }
      return d.join("");
    });
  it("accepts the stdnum example and rejects its mutations", () => {
    expect(ok("deTaxIdValid", "36574261809")).toBe(true);
    for (const m of oneCharMutations("36574261809")) expect(ok("deTaxIdValid", m), m).toBe(deIdRef(m));
  });
  it("applies the structure rules: one digit twice or three times, no adjacent triple, no leading 0", () => {
    const withCheck = (ten: string) => complete(deIdRef, ten) ?? ten + "0";
    expect(ok("deTaxIdValid", withCheck("1234567891"))).toBe(true);   // 1 twice
    expect(ok("deTaxIdValid", withCheck("1213456781"))).toBe(true);   // 1 three times, apart
    for (const ten of ["1234567890", "1112345678", "1123456678", "1111234567", "0123456781"]) {
      for (const c of DIGITS) expect(ok("deTaxIdValid", ten + c), ten + c).toBe(false);
    }
  });
  it("completed structured numbers are valid and agree with the reference", () => {
    fc.assert(fc.property(fc.oneof(structured(2), structured(3)), digitsArb(1, 1), (ten, c) => {
      const s = complete(deIdRef, ten);
      if (s !== null) expect(ok("deTaxIdValid", s), s).toBe(true);
      expect(ok("deTaxIdValid", ten + c)).toBe(deIdRef(ten + c));
    }), { numRuns: 1000 });
    fc.assert(fc.property(digitsArb(11, 11), (s) => ok("deTaxIdValid", s) === deIdRef(s)), { numRuns: 1000 });
  });
});

checksumSuite({
  fn: "peselValid", ref: peselRef,
  valid: ["44051401359", "02070803628", "00222900009", "80010100000"],
  invalid: ["44051401358", "44133001351", "00022900003", "4405140135", "440514013590"],
  payload: fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 20, 40, 60, 80),
    fc.integer({ min: 1, max: 31 }), digitsArb(4, 4))
    .map(([y, m, c, d, r]) => [y, m + c, d].map((v) => String(v).padStart(2, "0")).join("") + r),
  random: digitsArb(11, 11),
});

describe("auTfnValid", () => {
  it("accepts 9- and 8-digit TFNs and agrees with the reference", () => {
    for (const s of ["123456782", "876543210", "37118629"]) expect(ok("auTfnValid", s), s).toBe(tfnRef(s));
    expect(ok("auTfnValid", "123456782")).toBe(true);
    for (const s of ["123456783", "1234567", "1234567890", "12345678a"]) expect(ok("auTfnValid", s), s).toBe(false);
    for (const m of oneCharMutations("123456782")) expect(ok("auTfnValid", m), m).toBe(tfnRef(m));
    fc.assert(fc.property(fc.oneof(digitsArb(8, 8), digitsArb(9, 9)), (s) => ok("auTfnValid", s) === tfnRef(s)), { numRuns: 2000 });
    let valid = 0;
    fc.assert(fc.property(fc.oneof(digitsArb(7, 7), digitsArb(8, 8)), (p) => {
      const s = complete(tfnRef, p);
      if (s) { valid++; expect(ok("auTfnValid", s), s).toBe(true); }
    }), { numRuns: 300 });
    expect(valid).toBeGreaterThan(100);
  });
});

checksumSuite({
  fn: "auAbnValid", ref: abnRef,
  valid: ["51824753556", "53004085616"],
  invalid: ["51824753557", "01824753556", "5182475355", "518247535566"],
  // The mod-89 check is spread over the first two digits, so one appended digit
  // completes only about one payload in nine.
  payload: digitsArb(10, 10), random: digitsArb(11, 11), mutationsAllInvalid: true, minAccepted: 10,
});

checksumSuite({
  fn: "nlBsnValid", ref: bsnRef,
  valid: ["111222333", "123456782", "234567892"],
  invalid: ["000000000", "111222334", "11122233", "1112223330"],
  payload: digitsArb(8, 8), random: digitsArb(9, 9), mutationsAllInvalid: true,
});

checksumSuite({
  fn: "brCpfValid", ref: cpfRef,
  valid: ["39053344705", "11144477735", "52998224725"],
  invalid: ["39053344706", "11111111111", "00000000000", "3905334470", "390533447055"],
  // Payload = nine digits and the first check digit (computed as the reference does).
  payload: digitsArb(9, 9).map((p) => p + cpfDigit(p)),
  random: digitsArb(11, 11),
});

checksumSuite({
  fn: "sgNricValid", ref: nricRef,
  valid: ["S1234567D", "T1234567J", "F1234567N", "G1234567X", "M1234567K"],
  invalid: ["S1234567A", "A1234567Z", "S123456D", "S12345678D", "s1234567D"],
  payload: charsArb("STFGM", 1, 1).chain((p) => digitsArb(7, 7).map((d) => p + d)), checkAlphabet: LETTERS,
  random: charsArb("STFGMA", 1, 1).chain((p) => digitsArb(7, 7).chain((d) => charsArb(LETTERS, 1, 1).map((l) => p + d + l))),
  mutationAlphabet: DIGITS + "STFGMDJNXK",
});

describe("phoneCountryCodeLength", () => {
  const cc = (s: string) => raw("phoneCountryCodeLength", s);
  it("finds 1-, 2- and 3-digit codes when the national length fits", () => {
    const cases: [string, number][] = [
      ["14155552671", 1], ["74951234567", 1], ["442079460958", 2], ["493012345678", 2], ["33123456789", 2],
      ["919876543210", 2], ["8613800138000", 2], ["35312345678", 3], ["80012345678", 3], ["380441234567", 3],
      ["97142345678", 3], ["2347012345678", 3], ["6421234567", 2], ["998901234567", 3], ["79123456789", 1],
    ];
    for (const [s, k] of cases) expect(cc(s), s).toBe(k);
  });
  it("returns 0 for implausible national lengths", () => {
    for (const s of ["1415555267", "141555526712", "331234567890", "3312345678", "4412345", "4420794609581", "861", "35312"]) {
      expect(cc(s), s).toBe(0);
    }
  });
  it("returns 0 for unassigned codes, non-digits and out-of-range lengths", () => {
    for (const s of ["999123456789", "210123456789", "0123456789", "", "4", "44207946095a", "+442079460958", "4420794609581234"]) {
      expect(cc(s), s).toBe(0);
    }
  });
  it("every +1 number with 10 national digits is found, whatever the NANP rules say", () => {
    fc.assert(fc.property(digitsArb(10, 10), (d) => cc("1" + d) === 1));
  });
  it("always returns 0..3 and a code no longer than the input", () => {
    fc.assert(fc.property(digitsArb(0, 17), (s) => {
      const k = cc(s);
      return k >= 0 && k <= 3 && k < Math.max(1, s.length);
    }), { numRuns: 3000 });
  });
});

checksumSuite({
  fn: "nanpValid", ref: nanpRef,
  valid: ["2014561234", "4155552671", "8005550200", "2015550200", "2125550099"],
  invalid: ["1014561234", "2011561234", "9114561234", "2114561234", "3704561234", "3794561234", "9604561234",
    "5554561234", "2015550100", "2015550199", "201456123", "20145612345", "12014561234"],
  payload: digitsArb(9, 9), random: fc.oneof(digitsArb(10, 10),
    fc.tuple(charsArb("23456789", 1, 1), digitsArb(2, 2), fc.constantFrom("555", "456"), fc.constantFrom("01", "02", "00"), digitsArb(2, 2)).map((p) => p.join(""))),
});

describe("ipv4Valid", () => {
  it("accepts dotted quads", () => {
    for (const s of ["0.0.0.0", "127.0.0.1", "192.168.0.1", "255.255.255.255", "10.0.0.10", "1.2.3.4"]) expect(ok("ipv4Valid", s), s).toBe(true);
  });
  it("rejects leading zeros, out-of-range octets and wrong part counts", () => {
    for (const s of ["01.2.3.4", "1.2.3.04", "1.2.3.00", "256.1.1.1", "1.2.3.999", "1.2.3", "1.2.3.4.5", "1..3.4",
      ".1.2.3", "1.2.3.", "1.2.3.4 ", "a.b.c.d", "", "1234.1.1.1", "1.2.3.4/24", "::1"]) {
      expect(ok("ipv4Valid", s), s).toBe(false);
    }
  });
  it("agrees with the reference", () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), charsArb(DIGITS, 0, 4), fc.constant("0"));
    fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
      const s = parts.join(".");
      return ok("ipv4Valid", s) === ipv4Ref(s);
    }), { numRuns: 3000 });
  });
});

describe("ipv6Valid", () => {
  it("accepts the RFC 4291 text forms", () => {
    for (const s of ["2001:db8::1", "::", "::1", "1::", "2001:0DB8:0000:0000:0008:0800:200C:417A", "2001:DB8:0:0:8:800:200C:417A",
      "FF01::101", "::ffff:192.0.2.1", "::13.1.68.3", "0:0:0:0:0:FFFF:129.144.52.38", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
      "1:2:3:4:5:6::8", "fe80::a:b:c:d"]) {
      expect(ok("ipv6Valid", s), s).toBe(true);
    }
  });
  it("rejects malformed text", () => {
    for (const s of ["a:b", "1:2:3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", ":::", "1:::2", "1::2::3", ":1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:", "12345::", "g::1", "::1.2.3", "::1.2.3.04", "::256.1.1.1", "1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
      "::1.2.3.4:5", "fe80::1%eth0", "2001:db8::/32", "", ":", "1:2:3:4:5:6:7:8::"]) {
      expect(ok("ipv6Valid", s), s).toBe(false);
    }
  });
  it("agrees with the RFC 3986 grammar on generated addresses", () => {
    const group = fc.oneof(charsArb("0123456789abcdefABCDEF", 1, 4), charsArb("0123456789abcdefg", 0, 5));
    const addr = fc.tuple(fc.array(group, { minLength: 1, maxLength: 9 }), fc.nat(), fc.boolean(), fc.boolean(),
      fc.oneof(fc.constant(""), fc.constant("1.2.3.4"), fc.constant("255.0.10.01"), fc.constant("1.2.3")))
      .map(([gs, at, compress, lead, v4]) => {
        const parts = gs.slice();
        if (v4) parts.push(v4);
        let s = parts.join(":");
        if (compress) {
          const i = at % (parts.length + 1);
          s = parts.slice(0, i).join(":") + "::" + parts.slice(i).join(":");
        }
        return lead ? ":" + s : s;
      });
    let valid = 0;
    fc.assert(fc.property(addr, (s) => {
      const want = ipv6Ref(s);
      if (want) valid++;
      expect(ok("ipv6Valid", s), s).toBe(want);
    }), { numRuns: 5000 });
    expect(valid).toBeGreaterThan(100);
    fc.assert(fc.property(charsArb("0123456789abcdef:.", 0, 45), (s) => ok("ipv6Valid", s) === ipv6Ref(s)), { numRuns: 3000 });
  });
});

describe("shannonEntropy", () => {
  const H = (input: string | Uint8Array) => raw("shannonEntropy", input);
  it("matches exact values", () => {
    expect(H("")).toBe(0);
    expect(H("aaaaaaaa")).toBe(0);
    expect(H("abcd")).toBeCloseTo(2, 12);
    expect(H("aabb")).toBeCloseTo(1, 12);
    expect(H(Uint8Array.from({ length: 256 }, (_, i) => i))).toBeCloseTo(8, 12);
  });
  it("agrees with the reference, ignores order and resets between calls", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
      const h = H(bytes);
      expect(h).toBeCloseTo(entropyRef(bytes), 9);
      expect(H(bytes.slice().reverse())).toBeCloseTo(h, 9);
    }), { numRuns: 500 });
  });
});

describe("every export on arbitrary bytes", () => {
  const boolExports = ["luhnValid", "cardIssuerValid", "ibanValid", "usSsnValid", "usItinValid", "abaRoutingValid",
    "verhoeffValid", "aadhaarValid", "nhsValid", "ninoValid", "caSinValid", "esNifValid", "esNieValid", "itFiscalCodeValid",
    "deTaxIdValid", "peselValid", "auTfnValid", "auAbnValid", "nlBsnValid", "brCpfValid", "sgNricValid", "nanpValid",
    "ipv4Valid", "ipv6Valid"];
  it("never traps and returns a boolean / code length / entropy in range", () => {
    const bytes = fc.oneof(fc.uint8Array({ minLength: 0, maxLength: 40 }),
      fc.array(fc.constantFrom(...(DIGITS + LETTERS + ".:- ").split("").map((c) => c.charCodeAt(0))), { minLength: 0, maxLength: 40 })
        .map((a) => Uint8Array.from(a)));
    fc.assert(fc.property(bytes, (b) => {
      for (const fn of boolExports) {
        const r = raw(fn, b);
        if (r !== 0 && r !== 1) throw new Error(`${fn} returned ${r}`);
      }
      const k = raw("phoneCountryCodeLength", b);
      expect(k >= 0 && k <= 3).toBe(true);
      const h = raw("shannonEntropy", b);
      expect(h >= 0 && h <= 8 + 1e-12).toBe(true);
    }), { numRuns: 3000 });
  });
  it("reads only the given length (bytes past n do not matter)", () => {
    fc.assert(fc.property(digitsArb(0, 20), fc.uint8Array({ minLength: 1, maxLength: 8 }), (s, tail) => {
      const bytes = Uint8Array.from([...s].map((c) => c.charCodeAt(0)).concat([...tail]));
      const ptr = wasm.exports.buf(bytes.length) as number;
      for (const fn of boolExports) {
        wasm.write(ptr, bytes);
        const withTail = wasm.exports[fn](ptr, s.length);
        expect(withTail, fn).toBe(raw(fn, s));
      }
    }), { numRuns: 300 });
  });
});
