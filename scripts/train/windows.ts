// The windows a scanner scores for a text (assembly/engine/classifier/window.ts): at
// every `checkpoint` bytes, the words ending at or before the checkpoint and starting at
// or after checkpoint − window; at the end, the tail; an unchanged window is skipped.
// Training learns from these windows and measurement takes the highest window score, as
// a policy rule sees it. Mirrors window.ts: change both together.
import type { Word } from "./features.ts";

export const WINDOW = 1024;
export const CHECKPOINT = 256;

export function windowsOf(words: Word[], textBytes: number, window = WINDOW, checkpoint = CHECKPOINT): Uint32Array[] {
  const out: Uint32Array[] = [];
  let head = 0; // first word still in the window
  let added = 0; // words added so far
  let dirty = false;
  let scored = 0;
  const score = (c: number) => {
    if (c > window) while (head < added && words[head].start < c - window) { head++; dirty = true; }
    if (dirty) {
      let n = 0;
      for (let i = head; i < added; i++) n += words[i].feats.length;
      if (n > 0) {
        const f = new Uint32Array(n);
        let o = 0;
        for (let i = head; i < added; i++) { f.set(words[i].feats, o); o += words[i].feats.length; }
        out.push(f);
      }
    }
    dirty = false;
    scored = c;
  };
  let next = checkpoint;
  for (const w of words) {
    while (w.end > next) { score(next); next += checkpoint; }
    added++;
    dirty = true;
  }
  while (next <= textBytes) { score(next); next += checkpoint; }
  if (textBytes > scored) score(textBytes);
  return out;
}
