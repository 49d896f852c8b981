// Incremental text/event-stream parser (WHATWG HTML §9.2.6 "Interpreting an event stream")
// that gives the same items however the stream is chunked, and reports the raw bytes of
// each item so that a proxy re-emits the frames it does not touch byte for byte.
//
//   push(chunk) ─▶ BOM? ─▶ lines (CRLF | LF | CR; a CR ending one chunk and an LF starting
//                          │     the next are one line end) ─▶ blocks ─▶ items
//                          ▼
//   bytes   \xEF\xBB\xBF: hi\n\n event: a\ndata: 1\ndata: 2\n\n id: 7\n\n data: x\n: c\n\n data: tr
//   items   └── COMMENT ───────┘└──── EVENT a "1\n2" ─────┘└ EMPTY ┘└─── EVENT "x" ───┘└ INCOMPLETE
//                                                                                     (at finish)
//
// A block is a run of lines ended by a blank line. Comment lines before the first field
// line of a block form a COMMENT item of their own, ended by a blank line or by the start of a
// field line, so keep-alives pass through without waiting for the next event; comment lines
// after a field belong to the event. Blank lines outside any event are COMMENT items too. So
// every byte pushed lies in exactly one item's raw bytes, in order: concatenating the raw
// bytes of all items rebuilds the input.
//
// An item ends at a line end; when that is a CR, the item is reported once the next byte
// shows whether an LF follows (at the latest at finish), so its raw bytes do not depend on
// where a chunk ended. For CRLF and LF streams that costs nothing.
//
// Bounds: a block (with its terminator) may hold at most maxEventBytes bytes. A longer one is
// reported as an ERROR item holding exactly its first maxEventBytes bytes, then SKIPPED items
// (one per push) up to and including its terminating blank line, which are raw bytes only: the
// parser keeps nothing of them, and resumes at the next block. The caller decides whether to
// pass them through (fail-open) or drop them (fail-closed). Memory: the pending block (at most
// maxEventBytes, plus the same again for its data) and the items of the last push.
//
// Work: each byte is looked at once in a state machine; field values are found by a tight
// scan for CR/LF and copied as runs. Bytes are never decoded: the stream is UTF-8 (§9.2.6) and
// invalid sequences are kept as they came (a browser would show U+FFFD), which keeps pass-through
// byte-identical.
//
// Example (see assembly/entry/test/sse.ts):
//   const parser = new SseParser(DEFAULT_MAX_EVENT_BYTES);
//   parser.push(chunkPtr, chunkLen);
//   const items = parser.items;
//   for (let i = 0; i < items.count; i++) {
//     if (items.kind(i) == SseKind.EVENT) scan(items.dataPtr(i), items.dataLen(i));
//     else passThrough(items.rawPtr(i), items.rawLen(i));
//   }
//   parser.finish(); // then the same loop once more
import { SseBuffer } from "./sse_buffer";
import { SseError, SseItems, SseKind } from "./sse_items";

/** Default bound on one block's bytes: 1 MiB. */
export const DEFAULT_MAX_EVENT_BYTES: i32 = 1 << 20;
/** Smallest accepted bound (room for a BOM and a short line). */
const MIN_MAX_EVENT_BYTES: i32 = 16;

const enum Char {
  NUL = 0x00,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  COLON = 0x3a,
  ZERO = 0x30,
  NINE = 0x39,
}

/** Where the parser is inside the current line. */
const enum Line {
  START = 0,       // at the first byte of a line
  NAME = 1,        // in a field name
  VALUE_START = 2, // just after the colon: one space is dropped here (§9.2.6 "collect")
  VALUE = 3,       // in a field value
  COMMENT = 4,     // in a line starting with ':'
  SKIP = 5,        // in a line of a block cut off for its size
}

/** What the current block holds so far. */
const enum Block {
  NONE = 0,     // nothing (a BOM at most)
  COMMENTS = 1, // only comment lines
  FIELDS = 2,   // at least one field line
  SKIPPING = 3, // too large: skipping to its blank line
}

const enum Field { OTHER = 0, DATA = 1, EVENT = 2, ID = 3, RETRY = 4 }

// Field names packed little-endian into a u64 (first 8 bytes of the name).
const NAME_DATA: u64 = 0x61746164;      // "data"
const NAME_EVENT: u64 = 0x746e657665;   // "event"
const NAME_ID: u64 = 0x6469;            // "id"
const NAME_RETRY: u64 = 0x7972746572;   // "retry"

/** The UTF-8 byte order mark, skipped once at the start of the stream (§9.2.6). */
const BOM: usize = memory.data<u8>([0xef, 0xbb, 0xbf]);

// @ts-ignore: decorator
@inline function isLineEnd(b: u32): bool { return b == Char.LF || b == Char.CR; }

export class SseParser {
  /** The items of the last push or finish; cleared by the next one. */
  readonly items: SseItems = new SseItems();
  readonly maxEventBytes: i32;

  // the pending block
  private raw: SseBuffer = new SseBuffer(1024);
  private data: SseBuffer = new SseBuffer(1024);
  private type: SseBuffer = new SseBuffer(64);
  private id: SseBuffer = new SseBuffer(64);
  private idLine: SseBuffer = new SseBuffer(64); // id of the current line, until it proves free of NUL
  private dataLines: i32 = 0;
  private hasEventField: bool = false;
  private hasId: bool = false;
  private retry: i32 = -1;

  // the current line
  private line: Line = Line.START;
  private block: Block = Block.NONE;
  private field: Field = Field.OTHER;
  private nameBits: u64 = 0;
  private nameLen: i32 = 0;
  private idNul: bool = false;
  private retryValue: i64 = 0;
  private retryOk: bool = false;
  private retryDigits: i32 = 0;

  // the last line ended in CR: an LF next is part of that line end
  private afterCr: bool = false;
  // ... and that line was the blank line ending a block, reported once the LF question is settled
  private endAfterCr: bool = false;

  private bom: i32 = 0; // BOM bytes matched so far; -1 once past the start
  private finished: bool = false;

  // within the buffer being scanned: bytes [seg, …) belong to the pending item and are not yet
  // in `raw`; a VALUE line's value started at valStart
  private seg: i32 = 0;
  private valStart: i32 = 0;

  /** maxEventBytes ≤ 0 selects DEFAULT_MAX_EVENT_BYTES. */
  constructor(maxEventBytes: i32 = DEFAULT_MAX_EVENT_BYTES) {
    if (maxEventBytes <= 0) maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    this.maxEventBytes = maxEventBytes < MIN_MAX_EVENT_BYTES ? MIN_MAX_EVENT_BYTES : maxEventBytes;
  }

  /** Number of items from the last push or finish. */
  get count(): i32 { return this.items.count; }

  /**
   * Parses n bytes at p, split anywhere. The parser copies what it keeps: the caller may reuse
   * the bytes once push returns. Returns the number of items now in `items`.
   */
  push(p: usize, n: i32): i32 {
    this.items.clear();
    if (this.finished) {
      this.items.open(SseKind.ERROR, SseError.AFTER_FINISH);
      this.items.appendRaw(p, n);
      return this.items.count;
    }
    if (n <= 0) return 0;
    let i = 0;
    if (this.bom >= 0) i = this.skipBom(p, n);
    this.scan(p + <usize>i, n - i);
    return this.items.count;
  }

  /**
   * Ends the stream: reports what is pending (an unterminated block as INCOMPLETE, trailing
   * comment lines as COMMENT). Later pushes report AFTER_FINISH errors until reset().
   */
  finish(): i32 {
    this.items.clear();
    if (this.finished) return 0;
    this.finished = true;
    if (this.bom > 0) this.scan(BOM, this.bom); // a stream cut inside a would-be BOM
    this.bom = -1;
    this.seg = 0; // everything pending is in `raw` now; emits below add no chunk bytes
    this.afterCr = false;
    if (this.endAfterCr) {
      this.endAfterCr = false;
      this.endBlock(0, 0);
    }
    const line = this.line;
    if (this.block == Block.SKIPPING) {
      // its bytes went out as SKIPPED items already
    } else if (line != Line.START) {
      // the stream ended inside a line: close it as a line end would, for the report only
      if (line == Line.NAME) this.beginField();
      if (line == Line.NAME || line == Line.VALUE_START || line == Line.VALUE) this.endField();
      this.emit(SseKind.INCOMPLETE, 0, 0);
    } else if (this.block == Block.FIELDS) {
      this.emit(SseKind.INCOMPLETE, 0, 0);
    } else if (this.block == Block.COMMENTS || this.raw.length > 0) {
      this.emit(SseKind.COMMENT, 0, 0);
    }
    this.line = Line.START;
    this.block = Block.NONE;
    this.resetBlock();
    return this.items.count;
  }

  /** Makes the parser ready for a new stream (buffers are kept). */
  reset(): void {
    this.items.clear();
    this.raw.clear();
    this.resetBlock();
    this.line = Line.START;
    this.block = Block.NONE;
    this.afterCr = false;
    this.endAfterCr = false;
    this.bom = 0;
    this.finished = false;
  }

  /** Matches a leading BOM across chunks; returns the bytes consumed from p. */
  private skipBom(p: usize, n: i32): i32 {
    let i = 0;
    while (i < n) {
      const k = this.bom;
      if (load<u8>(p + <usize>i) != load<u8>(BOM + <usize>k)) {
        // not a BOM: the bytes held back are ordinary content
        this.bom = -1;
        if (k > 0) this.scan(BOM, k);
        return i;
      }
      i++;
      if (k == 2) {
        this.bom = -1;
        this.raw.append(BOM, 3); // raw bytes of the first item
        return i;
      }
      this.bom = k + 1;
    }
    return i;
  }

  /** The state machine over one buffer. */
  private scan(p: usize, n: i32): void {
    this.seg = 0;
    this.valStart = 0;
    let i = 0;
    while (i < n) {
      const b = <u32>load<u8>(p + <usize>i);
      if (this.afterCr) {
        this.afterCr = false;
        if (b == Char.LF) {
          i++;
          if (this.endAfterCr) {
            this.endAfterCr = false;
            this.endBlock(p, i);
          } else {
            this.checkBound(p, i);
          }
          continue;
        }
        if (this.endAfterCr) {
          this.endAfterCr = false;
          this.endBlock(p, i);
        }
      }
      switch (this.line) {
        case Line.START: {
          if (isLineEnd(b)) {
            // a blank line ends the block (§9.2.6 "If the line is empty … dispatch the event")
            i++;
            if (b == Char.CR) {
              this.afterCr = true;
              this.endAfterCr = true;
            } else {
              this.endBlock(p, i);
            }
            break;
          }
          if (this.block == Block.SKIPPING) {
            this.line = Line.SKIP;
            break;
          }
          if (b == Char.COLON) {
            // a comment (§9.2.6 "If the line starts with a U+003A COLON character")
            if (this.block == Block.NONE) this.block = Block.COMMENTS;
            this.line = Line.COMMENT;
            i++;
            break;
          }
          // a field line: comment lines before it are an item of their own
          if (this.block == Block.COMMENTS) this.emitComments(p, i);
          this.block = Block.FIELDS;
          this.nameBits = 0;
          this.nameLen = 0;
          this.line = Line.NAME;
          i = this.scanName(p, i, n);
          break;
        }
        case Line.NAME: {
          i = this.scanName(p, i, n);
          break;
        }
        case Line.VALUE_START: {
          // "If value starts with a U+0020 SPACE character, remove it from value."
          if (b == Char.SPACE) i++;
          this.line = Line.VALUE;
          this.valStart = i;
          break;
        }
        default: {
          // VALUE, COMMENT, SKIP: run to the line end
          let j = i;
          while (j < n && !isLineEnd(<u32>load<u8>(p + <usize>j))) j++;
          i = j < n ? this.endLine(p, j, <u32>load<u8>(p + <usize>j)) : n;
        }
      }
    }
    this.flush(p, n);
  }

  /** Field name bytes up to ':' or the line end. */
  private scanName(p: usize, i: i32, n: i32): i32 {
    let bits = this.nameBits;
    let len = this.nameLen;
    while (i < n) {
      const b = <u32>load<u8>(p + <usize>i);
      if (b == Char.COLON) {
        this.nameBits = bits;
        this.nameLen = len;
        this.beginField();
        this.line = Line.VALUE_START;
        return i + 1;
      }
      if (isLineEnd(b)) {
        // a line without a colon: the whole line is the name, the value is empty (§9.2.6)
        this.nameBits = bits;
        this.nameLen = len;
        return this.endLine(p, i, b);
      }
      if (len < 8) bits |= <u64>b << (<u64>len << 3);
      if (len < 9) len++; // only "longer than any known name" matters
      i++;
    }
    this.nameBits = bits;
    this.nameLen = len;
    return n;
  }

  /** The line end b at i: finishes the line; returns the index after b. */
  private endLine(p: usize, i: i32, b: u32): i32 {
    const end = i + 1;
    const line = this.line;
    this.line = Line.START;
    if (b == Char.CR) this.afterCr = true;
    if (this.checkBound(p, end)) return end; // cut off: nothing of this line is kept
    if (line == Line.NAME) this.beginField();
    if (line == Line.VALUE) this.appendValue(p + <usize>this.valStart, i - this.valStart);
    if (line == Line.NAME || line == Line.VALUE_START || line == Line.VALUE) this.endField();
    return end;
  }

  /** Sets up the field named by nameBits/nameLen (§9.2.6 "process the field"). */
  private beginField(): void {
    const bits = this.nameBits;
    const len = this.nameLen;
    let f = Field.OTHER; // unknown fields are ignored
    if (len == 4 && bits == NAME_DATA) f = Field.DATA;
    else if (len == 5 && bits == NAME_EVENT) f = Field.EVENT;
    else if (len == 2 && bits == NAME_ID) f = Field.ID;
    else if (len == 5 && bits == NAME_RETRY) f = Field.RETRY;
    this.field = f;
    switch (f) {
      case Field.DATA: {
        // data lines are joined by LF; the spec appends LF after each and drops the last one
        if (this.dataLines > 0) this.data.appendByte(<u8>Char.LF);
        this.dataLines++;
        break;
      }
      case Field.EVENT: {
        this.type.clear(); // the last event line wins
        this.hasEventField = true;
        break;
      }
      case Field.ID: {
        this.idLine.clear();
        this.idNul = false;
        break;
      }
      case Field.RETRY: {
        this.retryValue = 0;
        this.retryOk = true;
        this.retryDigits = 0;
        break;
      }
    }
  }

  /** Part of the current field's value (a value may arrive in several pushes). */
  private appendValue(p: usize, n: i32): void {
    if (n <= 0) return;
    switch (this.field) {
      case Field.DATA: {
        this.data.append(p, n);
        break;
      }
      case Field.EVENT: {
        this.type.append(p, n);
        break;
      }
      case Field.ID: {
        for (let k = 0; k < n; k++) {
          if (load<u8>(p + <usize>k) == Char.NUL) this.idNul = true;
        }
        this.idLine.append(p, n);
        break;
      }
      case Field.RETRY: {
        let v = this.retryValue;
        for (let k = 0; k < n; k++) {
          const d = <u32>load<u8>(p + <usize>k) - Char.ZERO;
          if (d > 9) {
            this.retryOk = false;
            break;
          }
          v = v * 10 + <i64>d;
          if (v > <i64>i32.MAX_VALUE) v = <i64>i32.MAX_VALUE; // saturate: hours are as good as forever
        }
        this.retryValue = v;
        this.retryDigits += n;
        break;
      }
    }
  }

  private endField(): void {
    const f = this.field;
    if (f == Field.ID) {
      // "If the field value does not contain U+0000 NULL, then set the last event ID buffer"
      if (!this.idNul) {
        const t = this.id;
        this.id = this.idLine;
        this.idLine = t;
        this.hasId = true;
      }
    } else if (f == Field.RETRY) {
      // "If the field value consists of only ASCII digits" — an empty value is ignored too, as
      // browsers do: it names no reconnection time.
      if (this.retryOk && this.retryDigits > 0) this.retry = <i32>this.retryValue;
    }
    this.field = Field.OTHER;
  }

  /** The pending block's bytes end at end: if it is now too large, cuts it off. Returns true if
   *  the block is (now or already) being skipped. */
  private checkBound(p: usize, end: i32): bool {
    const block = this.block;
    if (block == Block.SKIPPING) return true;
    if (block == Block.NONE) return false;
    if (this.raw.length + (end - this.seg) <= this.maxEventBytes) return false;
    this.cutOff(p);
    return true;
  }

  /** ERROR with the block's first maxEventBytes bytes; the rest goes out as SKIPPED. */
  private cutOff(p: usize): void {
    const cut = this.seg + (this.maxEventBytes - this.raw.length); // raw.length ≤ max always
    const items = this.items;
    items.open(SseKind.ERROR, SseError.EVENT_TOO_LARGE);
    items.appendRawBuffer(this.raw);
    items.appendRaw(p + <usize>this.seg, cut - this.seg);
    this.raw.clear();
    this.resetBlock();
    this.block = Block.SKIPPING;
    if (this.line != Line.START) this.line = Line.SKIP;
    this.seg = cut;
  }

  /** The blank line ending the block ends just before end. */
  private endBlock(p: usize, end: i32): void {
    const block = this.block;
    if (block == Block.SKIPPING || this.checkBound(p, end)) {
      this.emitSkipped(p, end);
    } else if (block == Block.FIELDS) {
      // §9.2.6 "dispatch the event": nothing is dispatched if the data buffer is empty
      this.emit(this.dataLines > 0 ? SseKind.EVENT : SseKind.EMPTY, p, end);
    } else {
      this.emit(SseKind.COMMENT, p, end);
    }
    this.block = Block.NONE;
    this.resetBlock();
  }

  /** Comment lines, ended by the field line that starts at i. */
  private emitComments(p: usize, i: i32): void {
    this.emit(SseKind.COMMENT, p, i);
    this.block = Block.NONE;
  }

  /** Reports the pending block (raw plus chunk bytes [seg, end)) as one item. */
  private emit(kind: SseKind, p: usize, end: i32): void {
    const items = this.items;
    items.open(kind, SseError.NONE);
    items.appendRawBuffer(this.raw);
    items.appendRaw(p + <usize>this.seg, end - this.seg);
    if (this.block == Block.FIELDS) {
      items.setFields(this.type, this.hasEventField, this.data, this.id, this.hasId, this.retry);
    }
    this.raw.clear();
    this.seg = end;
  }

  private emitSkipped(p: usize, end: i32): void {
    if (end > this.seg) {
      this.items.open(SseKind.SKIPPED, SseError.NONE);
      this.items.appendRaw(p + <usize>this.seg, end - this.seg);
    }
    this.seg = end;
  }

  /** End of a buffer: keeps what the pending block needs. */
  private flush(p: usize, n: i32): void {
    if (!this.checkBound(p, n)) {
      if (this.line == Line.VALUE) this.appendValue(p + <usize>this.valStart, n - this.valStart);
      this.raw.append(p + <usize>this.seg, n - this.seg);
      this.seg = n;
    } else {
      this.emitSkipped(p, n);
    }
  }

  private resetBlock(): void {
    this.data.clear();
    this.type.clear();
    this.id.clear();
    this.dataLines = 0;
    this.hasEventField = false;
    this.hasId = false;
    this.retry = -1;
    this.field = Field.OTHER;
  }
}
