// Case-insensitive matching (flag i): the simple (one code point to one code point)
// case pairs of ASCII, Latin-1, Greek and Cyrillic, closed transitively so that e.g.
// σ, ς and Σ are one class. Derived once from the host's Unicode tables
// (String.prototype.toUpperCase/toLowerCase); mappings to several code points
// (ß → SS) are not simple pairs and are left out, as in ECMAScript's Canonicalize.
import { type CharSet, normalize } from "./charset.ts";

const DOMAIN: [number, number][] = [
  [0x0000, 0x00ff], // ASCII + Latin-1
  [0x0370, 0x03ff], // Greek and Coptic
  [0x0400, 0x052f], // Cyrillic + Cyrillic Supplement
];

/** code point -> all code points of its case class (only for code points that have partners) */
const classes: Map<number, number[]> = (() => {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const join = (a: number, b: number) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const [lo, hi] of DOMAIN) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      for (const mapped of [ch.toUpperCase(), ch.toLowerCase()]) {
        const cps = [...mapped];
        if (cps.length !== 1) continue;
        const m = cps[0].codePointAt(0)!;
        // never fold non-ASCII onto ASCII (ECMAScript's rule for non-unicode /i)
        if (m !== cp && (m < 0x80) === (cp < 0x80)) join(cp, m);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const r = find(cp);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(cp);
  }
  const out = new Map<number, number[]>();
  for (const g of groups.values()) if (g.length > 1) for (const cp of g) out.set(cp, g.sort((a, b) => a - b));
  return out;
})();

const folded = [...classes.keys()].sort((a, b) => a - b);

/** The set plus every case partner of its members. */
export function caseClose(set: CharSet): CharSet {
  const extra: CharSet = [];
  for (const [lo, hi] of set) {
    for (const cp of folded) {
      if (cp < lo) continue;
      if (cp > hi) break;
      for (const p of classes.get(cp)!) extra.push([p, p]);
    }
  }
  return extra.length ? normalize([...set, ...extra]) : set;
}
