// Quality next to speed: a detector's spans scored against the corpus's planted items.
// A planted item is caught when a detection overlaps it; a detection that overlaps no
// planted item is a false positive (the corpus's DECOYS are there to draw them).
import type { Prompt } from "./corpus.ts";

/** [start, end) in UTF-16 indices of the prompt's text. */
export type Span = [number, number];

export interface Quality {
  /** per planted kind the peer claims to cover: caught / planted */
  recall: Record<string, { caught: number; planted: number; recall: number }>;
  /** detections that overlap no planted item */
  false_positives: number;
  /** false positives by the decoy they overlap ("elsewhere": ordinary words) */
  false_positives_by_decoy: Record<string, number>;
  detections: number;
}

export function score(prompts: Prompt[], spans: Span[][], kinds: readonly string[]): Quality {
  const recall: Quality["recall"] = {};
  for (const k of kinds) recall[k] = { caught: 0, planted: 0, recall: 0 };
  let fp = 0, detections = 0;
  const byDecoy: Record<string, number> = {};
  prompts.forEach((p, i) => {
    const found = spans[i];
    detections += found.length;
    const plantSpans = p.planted.map((x) => [x.start, x.start + x.value.length] as Span);
    for (const [s, e] of found) {
      if (plantSpans.some(([a, b]) => s < b && a < e)) continue;
      fp++;
      const d = p.decoys?.find((x) => s < x.start + x.value.length && x.start < e);
      const key = d ? d.value : "elsewhere";
      byDecoy[key] = (byDecoy[key] ?? 0) + 1;
    }
    p.planted.forEach((x, j) => {
      const r = recall[x.kind];
      if (!r) return;
      r.planted++;
      const [a, b] = plantSpans[j];
      if (found.some(([s, e]) => s < b && a < e)) r.caught++;
    });
  });
  for (const r of Object.values(recall)) r.recall = r.planted ? Math.round((r.caught / r.planted) * 1000) / 1000 : 0;
  return { recall, false_positives: fp, false_positives_by_decoy: byDecoy, detections };
}

/** Every occurrence of each needle (case-insensitive) — for peers that report matched strings, not offsets. */
export function occurrences(text: string, needles: Iterable<string>): Span[] {
  const out: Span[] = [];
  const low = text.toLowerCase();
  for (const n of new Set(needles)) {
    const l = n.toLowerCase();
    if (!l) continue;
    for (let i = low.indexOf(l); i >= 0; i = low.indexOf(l, i + l.length)) out.push([i, i + l.length]);
  }
  return out;
}

/** Spans of a redacted copy: `redacted` is `text` with some spans replaced by tokens matching
 *  `token` (a global RegExp). The literal pieces between tokens are found in order in `text`;
 *  the gaps between them are the redacted spans. */
export function redactedSpans(text: string, redacted: string, token: RegExp): Span[] {
  const pieces = redacted.split(token);
  const out: Span[] = [];
  if (pieces.length === 1) return out;
  let at = pieces[0].length; // the first piece is a prefix of text
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i];
    const last = i === pieces.length - 1;
    // the last piece is a suffix; others are the next occurrence after at least one redacted char
    const next = last ? text.length - piece.length : piece === "" ? at + 1 : text.indexOf(piece, at + 1);
    if (next < 0) break;
    if (piece === "" && !last) continue; // adjacent tokens: one merged span
    out.push([at, next]);
    at = next + piece.length;
  }
  return out;
}
