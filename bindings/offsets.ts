// Byte offsets (what the engine reports) to UTF-16 indices (what JavaScript strings
// use). One left-to-right walk for a sorted batch of offsets; the encoding rules are
// TextEncoder's: a lone surrogate is encoded as U+FFFD (3 bytes).

/** Maps ascending-or-not byte offsets within `text` to UTF-16 indices. */
export function byteOffsetsToUtf16(text: string, offsets: number[], baseByte = 0, baseUnit = 0): Map<number, number> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let byte = baseByte;
  let unit = 0;
  let k = 0;
  while (k < wanted.length && wanted[k] <= byte) out.set(wanted[k++], baseUnit);
  while (unit < text.length && k < wanted.length) {
    const c = text.charCodeAt(unit);
    let units = 1;
    let bytes: number;
    if (c < 0x80) bytes = 1;
    else if (c < 0x800) bytes = 2;
    else if (c >= 0xd800 && c <= 0xdbff && unit + 1 < text.length && (text.charCodeAt(unit + 1) & 0xfc00) === 0xdc00) {
      bytes = 4;
      units = 2;
    } else bytes = 3;
    byte += bytes;
    unit += units;
    while (k < wanted.length && wanted[k] <= byte) {
      // an offset inside a code point maps to its start (cannot happen for engine spans)
      out.set(wanted[k], wanted[k] === byte ? baseUnit + unit : baseUnit + unit - units);
      k++;
    }
  }
  for (; k < wanted.length; k++) out.set(wanted[k], baseUnit + text.length);
  return out;
}

/** UTF-8 length of a JS string as TextEncoder would encode it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
