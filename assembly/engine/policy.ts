// A loaded compiled policy: a copy of the bytes `bindings/policy/encode.ts` wrote, and
// the offsets of its sections. The format is validated here, once, at load time, so
// the scan path has no configuration error branches.
//
// Layout (little-endian):
//   u32 magic "WLP1" (0x31504c57) | u32 version | u32 sectionCount
//   sectionCount × (u32 tag, u32 offset-from-start, u32 length)
//   section bytes…
import { Section, Status } from "./constants";
import { RegexProgram } from "./regex/regex_program";
import { SecretsMatcher } from "./detectors/secrets/secrets_matcher";
import { Lexicon } from "./lexicon";

export const POLICY_MAGIC: u32 = 0x31504c57;
export const POLICY_VERSION: u32 = 1;
const MAX_SECTIONS: i32 = 32;

export class Policy {
  bytes: StaticArray<u8>;
  base: usize;
  length: i32;
  /** offset/len per section tag; -1 when absent */
  private offsets: StaticArray<i32> = new StaticArray<i32>(MAX_SECTIONS);
  private lengths: StaticArray<i32> = new StaticArray<i32>(MAX_SECTIONS);
  status: Status = Status.OK;
  /** regex sections' compiled programs, built once and shared by every scanner of the policy */
  private programs: StaticArray<RegexProgram | null> = new StaticArray<RegexProgram | null>(MAX_SECTIONS);
  /** the first scanner's secrets matcher: later ones share its read-only tables */
  secretsModel: SecretsMatcher | null = null;
  /** the first scanner's lexicon: later ones share its checked table and filter */
  lexiconModel: Lexicon | null = null;

  constructor(src: usize, len: i32) {
    this.bytes = new StaticArray<u8>(len);
    this.base = changetype<usize>(this.bytes);
    this.length = len;
    memory.copy(this.base, src, <usize>len);
    for (let i = 0; i < MAX_SECTIONS; i++) {
      unchecked((this.offsets[i] = -1));
      unchecked((this.lengths[i] = 0));
    }
    this.status = this.parseHeader();
  }

  private parseHeader(): Status {
    if (this.length < 12) return Status.BAD_POLICY_MAGIC;
    if (load<u32>(this.base) != POLICY_MAGIC) return Status.BAD_POLICY_MAGIC;
    if (load<u32>(this.base + 4) != POLICY_VERSION) return Status.BAD_POLICY_VERSION;
    const count = load<u32>(this.base + 8);
    if (count > <u32>MAX_SECTIONS || <u32>12 + count * 12 > <u32>this.length) return Status.BAD_POLICY_SECTION;
    for (let i: u32 = 0; i < count; i++) {
      const p = this.base + 12 + i * 12;
      const tag = load<u32>(p);
      const off = load<u32>(p + 4);
      const len = load<u32>(p + 8);
      if (tag >= <u32>MAX_SECTIONS) return Status.BAD_POLICY_SECTION;
      if (<u64>off + <u64>len > <u64>this.length) return Status.BAD_POLICY_SECTION;
      unchecked((this.offsets[tag] = <i32>off));
      unchecked((this.lengths[tag] = <i32>len));
    }
    // the sections every scan reads must be present and large enough
    if (!this.has(Section.STRINGS) || !this.has(Section.TYPES) || !this.has(Section.RULES)) return Status.BAD_POLICY_SECTION;
    if (!this.has(Section.SETTINGS) || this.sectionLength(Section.SETTINGS) < 44) return Status.BAD_POLICY_SECTION;
    // strings and types are read on the scan path without checks: check them once here
    const strLen = <u64>this.sectionLength(Section.STRINGS);
    const strings = <u64>load<u32>(this.section(Section.STRINGS));
    if (4 + strings * 8 > strLen) return Status.BAD_POLICY_SECTION;
    for (let i: u32 = 0; i < <u32>strings; i++) {
      const e = this.section(Section.STRINGS) + 4 + <usize>i * 8;
      if (<u64>load<u32>(e) + <u64>load<u32>(e, 4) > strLen) return Status.BAD_POLICY_SECTION;
    }
    const types = <u64>load<u32>(this.section(Section.TYPES));
    if (4 + types * 8 > <u64>this.sectionLength(Section.TYPES)) return Status.BAD_POLICY_SECTION;
    for (let t: u32 = 0; t < <u32>types; t++) if (<u64>this.typeName(t) >= strings) return Status.BAD_POLICY_SECTION;
    return Status.OK;
  }

  // STRINGS: u32 count, count × (u32 offset-in-section, u32 length), bytes
  stringCount(): i32 { return this.has(Section.STRINGS) ? <i32>load<u32>(this.section(Section.STRINGS)) : 0; }
  stringPtr(i: u32): usize {
    const s = this.section(Section.STRINGS);
    return s + <usize>load<u32>(s + 4 + <usize>i * 8);
  }
  stringLen(i: u32): i32 { return <i32>load<u32>(this.section(Section.STRINGS) + 8 + <usize>i * 8); }

  // TYPES: u32 count, count × (u32 nameString, u32 detector)
  typeCount(): i32 { return this.has(Section.TYPES) ? <i32>load<u32>(this.section(Section.TYPES)) : 0; }
  typeName(t: u32): u32 { return load<u32>(this.section(Section.TYPES) + 4 + <usize>t * 8); }
  typeDetector(t: u32): u32 { return load<u32>(this.section(Section.TYPES) + 8 + <usize>t * 8); }

  // SETTINGS: fixed record of u32/f32 fields, in this order (encode/settings.ts)
  // @ts-ignore: decorator
  @inline private setting(i: i32): usize { return this.section(Section.SETTINGS) + <usize>i * 4; }
  maxHoldback(): u32 { return load<u32>(this.setting(0)); }
  overflowStops(): bool { return load<u32>(this.setting(1)) != 0; }
  window(): u32 { return load<u32>(this.setting(2)); }
  checkpoint(): u32 { return load<u32>(this.setting(3)); }
  contextWindow(): u32 { return load<u32>(this.setting(4)); }
  decodeFlags(): u32 { return load<u32>(this.setting(5)); }
  decodeMinLength(): u32 { return load<u32>(this.setting(6)); }
  piiMinScore(): f32 { return load<f32>(this.setting(7)); }
  secretsMinEntropy(): f32 { return load<f32>(this.setting(8)); }
  contextBoost(): f32 { return load<f32>(this.setting(9)); }
  contextPenalty(): f32 { return load<f32>(this.setting(10)); }

  has(tag: Section): bool { return unchecked(this.offsets[<i32>tag]) >= 0; }
  /** Address of a section's first byte (0 when absent). */
  section(tag: Section): usize {
    const off = unchecked(this.offsets[<i32>tag]);
    return off < 0 ? 0 : this.base + <usize>off;
  }
  sectionLength(tag: Section): i32 { return unchecked(this.lengths[<i32>tag]); }

  /** The program of regex section `tag` (REGEX or REGEX_WORDS), shared by all scanners. */
  regexProgram(tag: Section): RegexProgram {
    let p = unchecked(this.programs[<i32>tag]);
    if (p == null) {
      p = new RegexProgram(this.section(tag), this.sectionLength(tag));
      unchecked((this.programs[<i32>tag] = p));
    }
    return p;
  }
}
