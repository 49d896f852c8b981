// "did you mean …?" for misspelt keys and words: the closest candidate by optimal string
// alignment distance (Levenshtein plus adjacent transposition, so "acton" → "action" and
// "egrses" → "egress" are both close), offered only when it is plausibly the same word.

/** Edit distance with insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** The candidate the user most likely meant, or undefined when none is close. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  // Up to one edit per three characters (at least one, at most three): "min_scor" → "min_score",
  // but "foo" is not "flag".
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  if (best !== undefined && bestD <= limit) return best;
  // A truncated or extended word ("toxic" → "toxicity", "phase" → "phases").
  if (w.length >= 3) return candidates.find((c) => c.toLowerCase().startsWith(w) || w.startsWith(c.toLowerCase()));
  return undefined;
}

/** " — did you mean "x"?" or "" (for appending to a message). */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === undefined ? "" : ` — did you mean "${s}"?`;
}
