// Reading the labelled data sets (../shared/datasets, or $WARDLINE_DATASETS) and keeping
// held-out rows honest: rows are assigned to splits by a hash of their normalised text,
// and a training row whose normalised text (or its opening) equals a held-out row's is
// dropped, so near-duplicates cannot leak from training into measurement.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export interface Row { text: string; label: 0 | 1; category: string; source: string; set: string; /** training weight (default 1) */ weight?: number }

export function datasetsDir(): string {
  return process.env.WARDLINE_DATASETS ?? new URL("../../../shared/datasets", import.meta.url).pathname;
}

export function readSet(name: string, dir = datasetsDir()): Row[] {
  const path = join(dir, name, "data.jsonl");
  if (!existsSync(path)) throw new Error(`train: data set ${path} not found (set WARDLINE_DATASETS)`);
  return readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l) => {
    const r = JSON.parse(l);
    return { text: String(r.text), label: r.label ? 1 : 0, category: String(r.category ?? ""), source: String(r.source ?? name), set: name };
  });
}

/** Lower case, letters and digits only, single spaces: what near-duplicates share. */
export function normalise(text: string): string {
  return text.toLowerCase().normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** FNV-1a of a string, 32 bits: a stable split key. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Deterministic fraction in [0, 1) of a row, by its normalised text. */
export function bucketOf(row: Row, salt: string): number {
  return hash32(salt + "\u0000" + normalise(row.text)) / 4294967296;
}

const OPENING = 64;
function keys(row: Row): string[] {
  const n = normalise(row.text);
  return n.length > OPENING * 2 ? [n, "^" + n.slice(0, OPENING)] : [n];
}

/** Training rows minus duplicates of held-out rows (exact or same opening) and of each other. */
export function dedupe(train: Row[], heldOut: Row[]): { train: Row[]; dropped: number } {
  const held = new Set(heldOut.flatMap(keys));
  const seen = new Set<string>();
  const out: Row[] = [];
  for (const r of train) {
    const k = keys(r);
    if (k.some((x) => held.has(x)) || seen.has(k[0])) continue;
    seen.add(k[0]);
    out.push(r);
  }
  return { train: out, dropped: train.length - out.length };
}
