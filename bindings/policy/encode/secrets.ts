// SECRETS section: the built-in format table (../builtin/secrets.ts) as bytes for
// assembly/engine/detectors/secrets/section.ts, which documents the same layout:
//
//   u32 version (1)
//   u32 charsetCount, charsetCount × 32 bytes (256-bit sets, bit b of byte b>>3 = byte b)
//   u32 formatCount, per format:
//     u32 typeId, f32 score, f32 minEntropy,
//     u8 flags, u8 validator, u8 spanFrom, u8 spanTo, u8 tailCharset, u8 keywordGroup,
//     u8 prefixCount, u8 opCount,
//     prefixCount × (u8 len, bytes),
//     opCount × (u8 kind, SEG: u8 charset, u16 min, u16 max | LIT, UNTIL: u8 len, bytes)
//   u32 keywordCount, per keyword: u8 len, bytes (lower case), u8 group, u8 flags
//   u32 genericTypeId (0xffffffff = off), f32 genericScore, u32 genericGroups lo, hi
//
// Table mistakes (a bad class, a run followed by a literal it could swallow, > 64
// keyword groups) throw here, when the policy is compiled, never in the engine.
import { ByteWriter } from "./writer.ts";
import {
  GENERIC_GROUPS, GENERIC_SECRET, SECRET_FORMATS, SECRET_KEYWORDS,
  type BodyPart, type SecretFormat, type SecretValidator,
} from "../builtin/secrets.ts";

export const SECRETS_SECTION_VERSION = 1;

/** Format flags (assembly/engine/detectors/secrets/section.ts `FormatFlag`). */
export const FLAG_LEFT_BOUNDARY = 1;
export const FLAG_RIGHT_BOUNDARY = 2;
export const FLAG_KEYWORD = 4;
export const FLAG_FIRST_CHARS = 8;

/** Body part kinds (`OpKind`). */
export const OP_SEG = 1;
export const OP_LIT = 2;
export const OP_UNTIL = 3;

/** Keyword flags (`KeywordFlag`). */
export const KW_SUFFIX = 1;
export const KW_NEGATIVE = 2;
/** keyword group byte meaning "every generic group" (negative suffixes such as "_url") */
export const KW_ALL_GENERIC = 0xff;

/** Validator ids (`Validator`). */
export const VALIDATOR_ID: Record<SecretValidator, number> = {
  github_crc32: 1, jwt: 2, openai_marker: 3, ends_aa: 4, private_key: 5, basic_auth: 6, azure_ad_lookback: 7, tfc_lookback: 8,
};

const NONE_U8 = 0xff;
const DEFAULT_MIN_ENTROPY = 2.0;
const ALNUM = "A-Za-z0-9";

/** Parses a regex-style class body ("A-Za-z0-9_-") into a 256-bit set. */
export function parseCharClass(text: string): Uint8Array {
  const set = new Uint8Array(32);
  const add = (c: number) => { set[c >> 3] |= 1 << (c & 7); };
  for (let i = 0; i < text.length; i++) {
    const lo = text.charCodeAt(i);
    if (lo > 0x7f) throw new Error(`secret charset ${JSON.stringify(text)}: ASCII only`);
    if (text[i + 1] === "-" && i + 2 < text.length) {
      const hi = text.charCodeAt(i + 2);
      if (hi < lo) throw new Error(`secret charset ${JSON.stringify(text)}: bad range`);
      for (let c = lo; c <= hi; c++) add(c);
      i += 2;
    } else add(lo);
  }
  return set;
}

const has = (set: Uint8Array, c: number) => (set[c >> 3] & (1 << (c & 7))) !== 0;

class Charsets {
  list: Uint8Array[] = [];
  #index = new Map<string, number>();
  id(set: Uint8Array): number {
    const key = Array.from(set).join(",");
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.list.length;
      if (i >= NONE_U8) throw new Error("secret formats: too many character classes");
      this.list.push(set);
      this.#index.set(key, i);
    }
    return i;
  }
}

function checkBody(f: SecretFormat): void {
  const where = `secret format ${f.type} (${f.description})`;
  if (!f.body.length || f.body.length > 32) throw new Error(`${where}: 1..32 body parts`);
  const anchors = (f.prefixes ? 1 : 0) + (f.firstChars ? 1 : 0) + (f.keywords ? 1 : 0);
  if (anchors !== 1) throw new Error(`${where}: exactly one of prefixes, firstChars, keywords`);
  if (f.firstChars && !("chars" in f.body[0])) throw new Error(`${where}: firstChars needs a run first`);
  for (const p of f.prefixes ?? []) if (!p.length || p.length > 64) throw new Error(`${where}: prefix length 1..64`);
  f.body.forEach((part, i) => {
    if ("chars" in part) {
      const max = part.max ?? part.min;
      if (part.min < 0 || max < part.min || max > 0xffff) throw new Error(`${where}: bad run length`);
      // a variable run must stop at the next literal's first char: the matcher is greedy
      const next = f.body[i + 1];
      if (next && "lit" in next && max !== part.min && has(parseCharClass(part.chars), next.lit.charCodeAt(0))) {
        throw new Error(`${where}: run ${i} may swallow the literal after it`);
      }
    } else {
      const s = "lit" in part ? part.lit : part.until;
      if (!s.length || s.length > 255) throw new Error(`${where}: literal length 1..255`);
    }
  });
  if (f.span && (f.span[0] > f.span[1] || f.span[1] >= f.body.length)) throw new Error(`${where}: bad span`);
}

function keywordGroups(): Map<string, number> {
  const groups = new Map<string, number>();
  for (const g of GENERIC_GROUPS) groups.set(g, groups.size);
  for (const k of SECRET_KEYWORDS) if (k.group !== "*" && !groups.has(k.group)) groups.set(k.group, groups.size);
  if (groups.size > 64) throw new Error("secret keywords: more than 64 groups");
  return groups;
}

/**
 * Encodes the SECRETS section for the enabled types (undefined = all). `typeIdOf` is
 * called once for each type that is actually encoded and returns its policy type id.
 *
 * @example
 * const bytes = encodeSecretsSection(new Set(["GITHUB_TOKEN", "GENERIC_SECRET"]), (n) => ids.get(n)!);
 */
export function encodeSecretsSection(enabledTypes: Set<string> | undefined, typeIdOf: (name: string) => number): Uint8Array {
  const on = (t: string) => !enabledTypes || enabledTypes.has(t);
  const groups = keywordGroups();
  const charsets = new Charsets();
  const alnum = parseCharClass(ALNUM);
  const formats = new ByteWriter();
  let formatCount = 0;
  const enc = new TextEncoder();

  for (const f of SECRET_FORMATS) {
    checkBody(f);
    if (!on(f.type)) continue;
    formatCount++;
    let flags = 0;
    if (f.keywords) flags |= FLAG_KEYWORD;
    else {
      if (f.leftBoundary !== false) flags |= FLAG_LEFT_BOUNDARY;
      if (f.rightBoundary !== false) flags |= FLAG_RIGHT_BOUNDARY;
      if (f.firstChars) flags |= FLAG_FIRST_CHARS;
    }
    // right boundary: no letter, digit or member of the body's last run may follow
    const tail = new Uint8Array(alnum);
    const lastRun = f.body.filter((p) => "chars" in p).pop() as { chars: string } | undefined;
    if (lastRun) { const set = parseCharClass(lastRun.chars); for (let i = 0; i < 32; i++) tail[i] |= set[i]; }
    let group = NONE_U8;
    if (f.keywords) {
      const g = groups.get(f.keywords[0]);
      if (g === undefined || f.keywords.length !== 1) throw new Error(`secret format ${f.type}: keywords must name one keyword group`);
      group = g;
    }
    const minEntropy = f.minEntropy ?? (f.keywords ? 2.0 : DEFAULT_MIN_ENTROPY);
    formats.u32(typeIdOf(f.type)).f32(f.score).f32(minEntropy);
    formats.u8(flags).u8(f.validator ? VALIDATOR_ID[f.validator] : 0);
    formats.u8(f.span ? f.span[0] : NONE_U8).u8(f.span ? f.span[1] : NONE_U8);
    formats.u8(charsets.id(tail)).u8(group);
    // a firstChars format is anchored by its first run's class: no literal prefixes
    const prefixes = f.prefixes ?? [];
    formats.u8(prefixes.length).u8(f.body.length);
    for (const p of prefixes) { const b = enc.encode(p); formats.u8(b.length).bytes(b); }
    for (const part of f.body as BodyPart[]) {
      if ("chars" in part) {
        formats.u8(OP_SEG).u8(charsets.id(parseCharClass(part.chars))).u16(part.min).u16(part.max ?? part.min);
      } else {
        const b = enc.encode("lit" in part ? part.lit : part.until);
        formats.u8("lit" in part ? OP_LIT : OP_UNTIL).u8(b.length).bytes(b);
      }
    }
  }

  const w = new ByteWriter();
  w.u32(SECRETS_SECTION_VERSION);
  w.u32(charsets.list.length);
  for (const s of charsets.list) w.bytes(s);
  w.u32(formatCount).bytes(formats.finish());
  w.u32(SECRET_KEYWORDS.length);
  for (const k of SECRET_KEYWORDS) {
    const b = enc.encode(k.word.toLowerCase());
    const group = k.group === "*" ? KW_ALL_GENERIC : groups.get(k.group)!;
    w.u8(b.length).bytes(b).u8(group).u8((k.suffix ? KW_SUFFIX : 0) | (k.negative ? KW_NEGATIVE : 0));
  }
  let genericMask = 0n;
  for (const g of GENERIC_GROUPS) genericMask |= 1n << BigInt(groups.get(g)!);
  w.u32(on(GENERIC_SECRET) ? typeIdOf(GENERIC_SECRET) : 0xffffffff).f32(0.6);
  w.u32(Number(genericMask & 0xffffffffn)).u32(Number(genericMask >> 32n));
  return w.finish();
}
