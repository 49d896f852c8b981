// LEXICON section (layout: assembly/engine/lexicon.ts). Terms are hashed by the engine
// itself (Engine.lexiconKeys), so folding and word splitting exist in one place only.
import { ByteWriter } from "./writer.ts";

export const ENTRY_TERM = 1;
export const ENTRY_CONTEXT = 2;
export const ENTRY_NEG_CONTEXT = 3;
const PREFIX_BIT = 0x80000000;

export interface LexiconEntry { kind: number; typeId: number; score: number; classId: number }

export class LexiconBuilder {
  #entries = new Map<bigint, LexiconEntry[]>();
  #prefixes = new Set<bigint>();
  maxWords = 1;
  skipped: string[] = [];

  constructor(private readonly keysOf: (term: string) => { keys: bigint[]; broken: boolean }) {}

  add(term: string, entry: LexiconEntry): boolean {
    const { keys, broken } = this.keysOf(term);
    if (keys.length === 0 || broken) { this.skipped.push(term); return false; }
    for (let i = 0; i < keys.length - 1; i++) this.#prefixes.add(keys[i]);
    const key = keys[keys.length - 1];
    const list = this.#entries.get(key) ?? [];
    // the same term twice (e.g. in two languages) counts once per kind and type
    if (!list.some((e) => e.kind === entry.kind && e.typeId === entry.typeId && e.classId === entry.classId)) list.push(entry);
    this.#entries.set(key, list);
    if (keys.length > this.maxWords) this.maxWords = keys.length;
    return true;
  }

  get size(): number { return this.#entries.size; }

  encode(): Uint8Array {
    const keys = new Set<bigint>([...this.#entries.keys(), ...this.#prefixes]);
    let capacity = 16;
    while (capacity < keys.size * 2) capacity *= 2;
    const mask = BigInt(capacity - 1);
    const slotKey: bigint[] = new Array(capacity).fill(0n);
    const slotInfo: number[] = new Array(capacity).fill(0);
    const slotCount: number[] = new Array(capacity).fill(0);
    const entries: LexiconEntry[] = [];
    // deterministic order: sorted keys, so the same policy compiles to the same bytes
    for (const key of [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      let i = Number(key & mask);
      while (slotKey[i] !== 0n) i = (i + 1) % capacity;
      slotKey[i] = key;
      const list = this.#entries.get(key) ?? [];
      slotInfo[i] = (this.#prefixes.has(key) ? PREFIX_BIT : 0) | entries.length;
      slotCount[i] = list.length;
      entries.push(...list);
    }
    const w = new ByteWriter();
    w.u32(capacity).u32(entries.length).u32(this.maxWords).u32(0);
    for (let i = 0; i < capacity; i++) w.u64(slotKey[i]).u32(slotInfo[i]).u32(slotCount[i]);
    for (const e of entries) w.u8(e.kind).u8(0).u16(e.typeId).f32(e.score).u16(e.classId).u16(0);
    return w.finish();
  }
}
