// Encodes one event as text/event-stream bytes, for frames the guard rewrites (frames it leaves
// alone go out as the parser's raw bytes). The output, with LF line ends:
//
//   event: <type>\n          only if typeLen > 0 (no event line means "message", §9.2.6)
//   id: <id>\n               only if idLen >= 0 (an empty id resets the last event ID)
//   retry: <digits>\n        only if retry >= 0
//   data: <line>\n           one per line of data; empty data gives one "data: \n"
//   \n                       the blank line that dispatches it
//
// One space always follows the colon, so a value that itself starts with a space survives
// (the parser drops exactly one, §9.2.6). The format cannot carry a CR in data: CRLF, CR and
// LF in data all start a new data line, so parsing the output gives data with LF only. A type
// or id containing CR or LF, or an id containing NUL, cannot be encoded at all.
//
// Example:
//   const n = eventLength(t, tn, d, dn, 0, -1, -1);   // check n >= 0 (else an SseWriteError)
//   writeEvent(dst, t, tn, d, dn, 0, -1, -1);         // dst has room for n bytes

/** Negative results of eventLength and writeEvent. */
export const enum SseWriteError {
  /** The type or id holds a CR or LF, or the id a NUL. */
  BAD_FIELD = -1,
  /** The encoded event would not fit in an i32 length. */
  TOO_LARGE = -2,
}

const enum Char {
  NUL = 0x00,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  COLON = 0x3a,
  ZERO = 0x30,
}

// "event: ", "id: ", "retry: ", "data: " (static data, 7 + 4 + 7 + 6 bytes)
const EVENT_PREFIX: usize = memory.data<u8>([0x65, 0x76, 0x65, 0x6e, 0x74, 0x3a, 0x20]);
const ID_PREFIX: usize = memory.data<u8>([0x69, 0x64, 0x3a, 0x20]);
const RETRY_PREFIX: usize = memory.data<u8>([0x72, 0x65, 0x74, 0x72, 0x79, 0x3a, 0x20]);
const DATA_PREFIX: usize = memory.data<u8>([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20]);

/** True if [p, p+n) holds a CR or LF (or, with nul, a NUL). */
function hasBreak(p: usize, n: i32, nul: bool): bool {
  for (let k = 0; k < n; k++) {
    const b = load<u8>(p + <usize>k);
    if (b == Char.LF || b == Char.CR || (nul && b == Char.NUL)) return true;
  }
  return false;
}

function digitCount(v: i32): i32 {
  let d = 1;
  while (v >= 10) {
    v /= 10;
    d++;
  }
  return d;
}

/**
 * Data lines (CRLF, CR and LF each end one) and the line-break bytes they drop, in one pass:
 * lines in the high half, break bytes in the low half. Most events are one JSON line.
 */
function dataBreaks(p: usize, n: i32): u64 {
  let lines: u64 = 1;
  let breaks: u64 = 0;
  for (let k = 0; k < n; k++) {
    const b = load<u8>(p + <usize>k);
    if (<i32>b > Char.CR) continue;
    if (b == Char.LF) { lines++; breaks++; }
    else if (b == Char.CR) {
      lines++; breaks++;
      if (k + 1 < n && load<u8>(p + <usize>(k + 1)) == Char.LF) { k++; breaks++; }
    }
  }
  return (lines << 32) | breaks;
}

/**
 * Bytes writeEvent will write for this event, or an SseWriteError (negative).
 * typeLen 0: no event line; idLen < 0: no id line; retry < 0: no retry line.
 */
export function eventLength(
  typePtr: usize, typeLen: i32, dataPtr: usize, dataLen: i32, idPtr: usize, idLen: i32, retry: i32,
): i32 {
  if (hasBreak(typePtr, typeLen, false) || hasBreak(idPtr, idLen, true)) return SseWriteError.BAD_FIELD;
  let total: i64 = 1; // the blank line
  if (typeLen > 0) total += 7 + <i64>typeLen + 1;
  if (idLen >= 0) total += 4 + <i64>idLen + 1;
  if (retry >= 0) total += 7 + <i64>digitCount(retry) + 1;
  // each data line costs "data: " and LF; the line breaks in data are replaced by those LFs
  const lb = dataBreaks(dataPtr, dataLen);
  const lines = <i64>(lb >>> 32), breakBytes = <i64>(lb & 0xffffffff);
  total += lines * 7 + (<i64>dataLen - breakBytes);
  return total > <i64>i32.MAX_VALUE ? SseWriteError.TOO_LARGE : <i32>total;
}

/**
 * Writes the event at dst (which must have room for eventLength(...) bytes); returns the
 * number of bytes written, or an SseWriteError (negative) with nothing written.
 */
// @ts-ignore: decorator
@unsafe export function writeEvent(
  dst: usize, typePtr: usize, typeLen: i32, dataPtr: usize, dataLen: i32, idPtr: usize, idLen: i32, retry: i32,
): i32 {
  const total = eventLength(typePtr, typeLen, dataPtr, dataLen, idPtr, idLen, retry);
  if (total < 0) return total;
  return writeEventSized(dst, total, typePtr, typeLen, dataPtr, dataLen, idPtr, idLen, retry);
}

/**
 * writeEvent for a caller that already has eventLength's (non-negative) result for the same
 * fields: the fields are not checked or measured again. A one-line data field (the size says
 * so: no break bytes) is copied whole.
 */
// @ts-ignore: decorator
@unsafe export function writeEventSized(
  dst: usize, total: i32, typePtr: usize, typeLen: i32, dataPtr: usize, dataLen: i32, idPtr: usize, idLen: i32, retry: i32,
): i32 {
  let q = dst;
  if (typeLen > 0) q = field(q, EVENT_PREFIX, 7, typePtr, typeLen);
  if (idLen >= 0) q = field(q, ID_PREFIX, 4, idPtr, idLen);
  if (retry >= 0) {
    memory.copy(q, RETRY_PREFIX, 7);
    q += 7;
    const digits = digitCount(retry);
    let v = retry;
    for (let k = digits - 1; k >= 0; k--) {
      store<u8>(q + <usize>k, <u8>(Char.ZERO + v % 10));
      v /= 10;
    }
    q += <usize>digits;
    store<u8>(q++, Char.LF);
  }
  // data lines; one line (no break bytes: the rest of the size is exactly one "data: " line)
  // is the common case, copied whole
  const single = <i32>(dst + <usize>total - q) == 6 + dataLen + 1 + 1;
  if (single) {
    q = field(q, DATA_PREFIX, 6, dataPtr, dataLen);
    store<u8>(q++, Char.LF);
    return <i32>(q - dst);
  }
  let start = 0;
  let k = 0;
  while (k <= dataLen) {
    const b: u32 = k < dataLen ? <u32>load<u8>(dataPtr + <usize>k) : Char.LF; // the end ends the last line
    if (b == Char.LF || b == Char.CR) {
      q = field(q, DATA_PREFIX, 6, dataPtr + <usize>start, k - start);
      if (b == Char.CR && k + 1 < dataLen && load<u8>(dataPtr + <usize>(k + 1)) == Char.LF) k++;
      start = k + 1;
    }
    k++;
  }
  store<u8>(q++, Char.LF);
  return <i32>(q - dst);
}

/** prefix, value, LF at q; returns the address after them. */
function field(q: usize, prefix: usize, prefixLen: i32, p: usize, n: i32): usize {
  memory.copy(q, prefix, <usize>prefixLen);
  q += <usize>prefixLen;
  memory.copy(q, p, <usize>n);
  q += <usize>n;
  store<u8>(q, Char.LF);
  return q + 1;
}
