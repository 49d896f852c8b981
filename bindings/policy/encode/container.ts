// The compiled-policy container and its string table (read by assembly/engine/policy.ts).
//   u32 magic "WLP1" | u32 version | u32 sectionCount | sectionCount × (u32 tag, u32 offset, u32 length) | sections
import { ByteWriter } from "./writer.ts";

export const POLICY_MAGIC = 0x31504c57;
export const POLICY_VERSION = 1;
export const NO_STRING = 0xffffffff;

/** Section tags: assembly/engine/constants.ts `Section`. */
export const SECTION = { STRINGS: 1, TYPES: 2, SETTINGS: 3, PII: 4, SECRETS: 5, LEXICON: 6, REGEX: 7, RULES: 8, REGEX_WORDS: 9, LEAK: 10, MODELS: 11 } as const;

export class StringTable {
  #index = new Map<string, number>();
  #list: string[] = [];
  id(s: string | undefined): number {
    if (s === undefined) return NO_STRING;
    let i = this.#index.get(s);
    if (i === undefined) { i = this.#list.length; this.#list.push(s); this.#index.set(s, i); }
    return i;
  }
  encode(): Uint8Array {
    const enc = new TextEncoder();
    const bytes = this.#list.map((s) => enc.encode(s));
    const w = new ByteWriter();
    w.u32(bytes.length);
    let offset = 4 + bytes.length * 8;
    for (const b of bytes) { w.u32(offset).u32(b.length); offset += b.length; }
    for (const b of bytes) w.bytes(b);
    return w.finish();
  }
}

export function encodeContainer(sections: Map<number, Uint8Array>): Uint8Array {
  const tags = [...sections.keys()].sort((a, b) => a - b);
  const w = new ByteWriter();
  w.u32(POLICY_MAGIC).u32(POLICY_VERSION).u32(tags.length);
  let offset = 12 + tags.length * 12;
  const offsets: number[] = [];
  for (const t of tags) {
    offset = (offset + 7) & ~7; // 8-byte alignment: sections hold u64 keys
    offsets.push(offset);
    w.u32(t).u32(offset).u32(sections.get(t)!.length);
    offset += sections.get(t)!.length;
  }
  for (let i = 0; i < tags.length; i++) {
    while (w.length < offsets[i]) w.u8(0);
    w.bytes(sections.get(tags[i])!);
  }
  return w.finish();
}
