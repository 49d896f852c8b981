// Values that sit where a secret would but are not one: documentation placeholders
// ("changeme", "<your-api-key>", "xxxxxxxx", "********"), template and environment
// references ("${DB_PASSWORD}", "{{ token }}", "process.env.TOKEN", "$API_KEY") and, for
// unquoted values, code ("config.apiKey", "getToken()"). The word list follows the
// false-positive lists of gitleaks (generic-api-key stopwords/allowlist) and
// detect-secrets (keyword plugin FALSE_POSITIVES); matching is case-insensitive.

const enum Char {
  DOLLAR = 0x24,
  PERCENT = 0x25,
  DASH = 0x2d,
  DOT = 0x2e,
  LT = 0x3c,
  GT = 0x3e,
  UNDERSCORE = 0x5f,
  BRACE = 0x7b,
}

// Substrings, each terminated by 0 (ASCII, lower case).
const WORDS = memory.data<u8>([
  // changeme
  0x63, 0x68, 0x61, 0x6e, 0x67, 0x65, 0x6d, 0x65, 0,
  // change_me
  0x63, 0x68, 0x61, 0x6e, 0x67, 0x65, 0x5f, 0x6d, 0x65, 0,
  // change-me
  0x63, 0x68, 0x61, 0x6e, 0x67, 0x65, 0x2d, 0x6d, 0x65, 0,
  // changethis
  0x63, 0x68, 0x61, 0x6e, 0x67, 0x65, 0x74, 0x68, 0x69, 0x73, 0,
  // placeholder
  0x70, 0x6c, 0x61, 0x63, 0x65, 0x68, 0x6f, 0x6c, 0x64, 0x65, 0x72, 0,
  // example
  0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0,
  // your_
  0x79, 0x6f, 0x75, 0x72, 0x5f, 0,
  // your-
  0x79, 0x6f, 0x75, 0x72, 0x2d, 0,
  // yourkey
  0x79, 0x6f, 0x75, 0x72, 0x6b, 0x65, 0x79, 0,
  // xxxx
  0x78, 0x78, 0x78, 0x78, 0,
  // ****
  0x2a, 0x2a, 0x2a, 0x2a, 0,
  // ....
  0x2e, 0x2e, 0x2e, 0x2e, 0,
  // redacted
  0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x65, 0x64, 0,
  // dummy
  0x64, 0x75, 0x6d, 0x6d, 0x79, 0,
  // fake
  0x66, 0x61, 0x6b, 0x65, 0,
  // sample
  0x73, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0,
  // process.env
  0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x2e, 0x65, 0x6e, 0x76, 0,
  // environ
  0x65, 0x6e, 0x76, 0x69, 0x72, 0x6f, 0x6e, 0,
  // getenv
  0x67, 0x65, 0x74, 0x65, 0x6e, 0x76, 0,
  // insert
  0x69, 0x6e, 0x73, 0x65, 0x72, 0x74, 0,
  // _here
  0x5f, 0x68, 0x65, 0x72, 0x65, 0,
  // -here
  0x2d, 0x68, 0x65, 0x72, 0x65, 0,
  // ${
  0x24, 0x7b, 0,
  // {{
  0x7b, 0x7b, 0,
  // %s
  0x25, 0x73, 0,
  // %(
  0x25, 0x28, 0,
  // <%
  0x3c, 0x25, 0,
  // 0 = end of list
  0,
]);

/** Longer dotted segments are not names a programmer wrote. */
const MAX_IDENT: i32 = 40;

// @ts-ignore: decorator
@inline function lower(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

// @ts-ignore: decorator
@inline function isIdent(c: u32): bool {
  return c - 0x61 < 26 || c - 0x41 < 26 || c - 0x30 < 10 || c == Char.UNDERSCORE;
}

/** True when the wl bytes at w occur at p (case-insensitive; the caller checked the
 *  first byte and that they fit). */
// @ts-ignore: decorator
@inline function matchesAt(p: usize, w: usize, wl: i32): bool {
  let j = 1;
  while (j < wl && lower(<u32>load<u8>(p + <usize>j)) == <u32>load<u8>(w + <usize>j)) j++;
  return j == wl;
}

// The words by first byte, built on first use: HEAD[c] = 1 + the first word beginning
// with c (0: none), NEXT[k] = 1 + the next word with the same first byte; OFF and LEN
// locate word k in WORDS.
const MAX_WORDS = 64;
const HEAD = memory.data(256);
const NEXT = memory.data(MAX_WORDS);
const OFF = memory.data(MAX_WORDS * 2);
const LEN = memory.data(MAX_WORDS);
let indexed = false;

function buildIndex(): void {
  let w = WORDS;
  const last = new StaticArray<u8>(256); // 1 + the last word seen per first byte
  for (let k = 0; load<u8>(w) != 0 && k < MAX_WORDS; k++) {
    let wl = 0;
    while (load<u8>(w + <usize>wl) != 0) wl++;
    store<u16>(OFF + (<usize>k << 1), <u16>(w - WORDS));
    store<u8>(LEN + <usize>k, <u8>wl);
    const c = <i32>load<u8>(w);
    const prev = <i32>unchecked(last[c]);
    if (prev == 0) store<u8>(HEAD + <usize>c, <u8>(k + 1));
    else store<u8>(NEXT + <usize>(prev - 1), <u8>(k + 1));
    unchecked((last[c] = <u8>(k + 1)));
    w += <usize>wl + 1;
  }
  indexed = true;
}

/** True when a listed word occurs in the n bytes at p (case-insensitive): one pass over
 *  p, trying only the words that begin with the byte there. */
function containsWord(p: usize, n: i32): bool {
  if (!indexed) buildIndex();
  for (let i = 0; i < n; i++) {
    let k = <i32>load<u8>(HEAD + <usize>lower(<u32>load<u8>(p + <usize>i)));
    while (k != 0) {
      const wl = <i32>load<u8>(LEN + <usize>(k - 1));
      if (i + wl <= n && matchesAt(p + <usize>i, WORDS + <usize>load<u16>(OFF + (<usize>(k - 1) << 1)), wl)) return true;
      k = <i32>load<u8>(NEXT + <usize>(k - 1));
    }
  }
  return false;
}

/**
 * True for a placeholder or a reference: a listed word occurs, the value is one byte
 * repeated, begins with '<' ("<your-key>", markup), or is "$NAME".
 *
 * @example isPlaceholder(ptr("<your-api-key>"), 14) == true
 */
export function isPlaceholder(p: usize, n: i32): bool {
  if (n <= 0) return true;
  const first = <u32>load<u8>(p);
  const last = <u32>load<u8>(p + <usize>(n - 1));
  if (first == Char.LT) return true; // "<your-key>", markup
  if (first == Char.DOLLAR) {
    let i = 1;
    while (i < n && isIdent(<u32>load<u8>(p + <usize>i))) i++;
    if (i == n) return true;
  }
  let same = true;
  for (let i = 1; i < n && same; i++) same = <u32>load<u8>(p + <usize>i) == first;
  if (same) return true;
  return containsWord(p, n);
}

/**
 * True for an unquoted value that is code rather than a literal: a dotted name such as
 * `config.api_key` or `os.environ` (a function call never reaches here: '(' ends it).
 *
 * @example isCodeReference(ptr("settings.SECRET"), 15) == true
 */
export function isCodeReference(p: usize, n: i32): bool {
  let dots = 0;
  let segment = 0; // length of the current dotted segment
  for (let i = 0; i < n; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c == Char.DOT) {
      if (segment == 0) return false;
      dots++;
      segment = 0;
      continue;
    }
    // identifiers start with a letter or '_'; random tokens have long segments
    if (segment == 0 && !(lower(c) - 0x61 < 26 || c == Char.UNDERSCORE)) return false;
    if (!isIdent(c) || ++segment > MAX_IDENT) return false;
  }
  return dots > 0 && segment > 0;
}

/**
 * True when the value mixes character classes the way generated secrets do: a digit,
 * upper and lower case letters, or a symbol other than the word joiners "-_.". Values
 * of one letter case plus joiners ("notapassword", "shorter-version") are words.
 *
 * @example looksGenerated(ptr("notapassword"), 12) == false
 */
export function looksGenerated(p: usize, n: i32): bool {
  let upper = false, lower = false;
  for (let i = 0; i < n; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c - 0x30 < 10) return true;
    if (c - 0x41 < 26) upper = true;
    else if (c - 0x61 < 26) lower = true;
    else if (c != Char.UNDERSCORE && c != Char.DOT && c != Char.DASH) return true;
  }
  return upper && lower;
}
