// The items one SseParser.push or finish produced: fixed-size records plus one byte arena
// holding every item's raw bytes, event type, data and id. Both are cleared at the start of
// the next push, so their memory is bounded by the largest chunk (plus one pending event)
// and nothing is allocated per item once they have grown.
//
//   records  [kind code rawOff rawLen typeOff typeLen flags dataOff dataLen idOff idLen retry] × count
//   arena    |raw 0|type 0|data 0|id 0|raw 1|...        (offsets, not addresses: the arena
//                                                        may move while items are added)
import { SseBuffer } from "./sse_buffer";

/** What an item is. Every byte pushed belongs to exactly one item's raw bytes. */
export const enum SseKind {
  /** A block ended by a blank line with at least one `data` line: the spec dispatches it. */
  EVENT = 1,
  /** A block ended by a blank line with fields but no `data` line: the spec dispatches nothing
   *  (§9.2.6 "dispatch the event", step 2), but its `id` and `retry` still apply. */
  EMPTY = 2,
  /** Comment lines (`: keep-alive`) and blank lines outside any event. */
  COMMENT = 3,
  /** At finish: a block the stream ended inside (no terminating blank line). The spec discards
   *  it; its fields are reported as if its last line had ended, so a guard can still scan it. */
  INCOMPLETE = 4,
  /** A block was cut off: see code(). raw holds its first maxEventBytes bytes. */
  ERROR = 5,
  /** Further bytes of a block cut off by ERROR (at most one item per push), up to and
   *  including its terminating blank line; raw only. */
  SKIPPED = 6,
}

/** code() of an ERROR item. */
export const enum SseError {
  NONE = 0,
  /** The block grew past maxEventBytes; the parser skips to the next blank line. */
  EVENT_TOO_LARGE = 1,
  /** push() after finish(); the bytes are reported as raw and otherwise ignored. */
  AFTER_FINISH = 2,
}

/** Record layout (i32 slots). */
const enum Slot {
  KIND = 0, CODE = 1, RAW_OFF = 2, RAW_LEN = 3, TYPE_OFF = 4, TYPE_LEN = 5, FLAGS = 6,
  DATA_OFF = 7, DATA_LEN = 8, ID_OFF = 9, ID_LEN = 10, RETRY = 11, STRIDE = 12,
}

export const enum SseFlag { HAS_EVENT_FIELD = 1, HAS_ID = 2 }

export class SseItems {
  private records: StaticArray<i32> = new StaticArray<i32>(<i32>Slot.STRIDE * 16);
  readonly arena: SseBuffer = new SseBuffer(4096);
  count: i32 = 0;

  clear(): void {
    this.count = 0;
    this.arena.clear();
  }

  /** Starts item `count` (complete it with the set* calls below, raw first); returns its index. */
  open(kind: SseKind, code: SseError): i32 {
    const i = this.count;
    let r = this.records;
    if ((i + 1) * <i32>Slot.STRIDE > r.length) {
      const next = new StaticArray<i32>(r.length << 1);
      memory.copy(changetype<usize>(next), changetype<usize>(r), <usize>r.length << 2);
      this.records = r = next;
    }
    const at = i * <i32>Slot.STRIDE;
    unchecked((r[at + Slot.KIND] = kind));
    unchecked((r[at + Slot.CODE] = code));
    const end = this.arena.length;
    unchecked((r[at + Slot.RAW_OFF] = end));
    unchecked((r[at + Slot.RAW_LEN] = 0));
    unchecked((r[at + Slot.TYPE_OFF] = end));
    unchecked((r[at + Slot.TYPE_LEN] = 0));
    unchecked((r[at + Slot.FLAGS] = 0));
    unchecked((r[at + Slot.DATA_OFF] = end));
    unchecked((r[at + Slot.DATA_LEN] = 0));
    unchecked((r[at + Slot.ID_OFF] = end));
    unchecked((r[at + Slot.ID_LEN] = -1));
    unchecked((r[at + Slot.RETRY] = -1));
    this.count = i + 1;
    return i;
  }

  /** Appends raw bytes to the last opened item (before any other field of it). */
  appendRaw(p: usize, n: i32): void {
    if (n <= 0) return;
    this.arena.append(p, n);
    this.add(Slot.RAW_LEN, n);
  }

  appendRawBuffer(b: SseBuffer): void {
    this.appendRaw(b.base, b.length);
  }

  /** Sets the fields of the last opened item; `type` empty means "message" (§9.2.6 step 4). */
  setFields(type: SseBuffer, hasEventField: bool, data: SseBuffer, id: SseBuffer, hasId: bool, retry: i32): void {
    const a = this.arena;
    const at = (this.count - 1) * <i32>Slot.STRIDE;
    const r = this.records;
    unchecked((r[at + Slot.TYPE_OFF] = a.length));
    if (type.length > 0) {
      a.appendBuffer(type);
      unchecked((r[at + Slot.TYPE_LEN] = type.length));
    } else {
      a.append(MESSAGE, 7);
      unchecked((r[at + Slot.TYPE_LEN] = 7));
    }
    unchecked((r[at + Slot.DATA_OFF] = a.length));
    unchecked((r[at + Slot.DATA_LEN] = data.length));
    a.appendBuffer(data);
    if (hasId) {
      unchecked((r[at + Slot.ID_OFF] = a.length));
      unchecked((r[at + Slot.ID_LEN] = id.length));
      a.appendBuffer(id);
    }
    unchecked((r[at + Slot.FLAGS] = (hasEventField ? SseFlag.HAS_EVENT_FIELD : 0) | (hasId ? SseFlag.HAS_ID : 0)));
    unchecked((r[at + Slot.RETRY] = retry));
  }

  // @ts-ignore: decorator
  @inline private add(slot: Slot, n: i32): void {
    const at = (this.count - 1) * <i32>Slot.STRIDE + <i32>slot;
    unchecked((this.records[at] += n));
  }

  // @ts-ignore: decorator
  @inline get(i: i32, slot: Slot): i32 { return unchecked(this.records[i * <i32>Slot.STRIDE + <i32>slot]); }

  kind(i: i32): SseKind { return this.get(i, Slot.KIND); }
  code(i: i32): SseError { return this.get(i, Slot.CODE); }
  rawPtr(i: i32): usize { return this.arena.base + <usize>this.get(i, Slot.RAW_OFF); }
  rawLen(i: i32): i32 { return this.get(i, Slot.RAW_LEN); }
  typePtr(i: i32): usize { return this.arena.base + <usize>this.get(i, Slot.TYPE_OFF); }
  typeLen(i: i32): i32 { return this.get(i, Slot.TYPE_LEN); }
  hasEventField(i: i32): bool { return (this.get(i, Slot.FLAGS) & SseFlag.HAS_EVENT_FIELD) != 0; }
  dataPtr(i: i32): usize { return this.arena.base + <usize>this.get(i, Slot.DATA_OFF); }
  dataLen(i: i32): i32 { return this.get(i, Slot.DATA_LEN); }
  hasId(i: i32): bool { return (this.get(i, Slot.FLAGS) & SseFlag.HAS_ID) != 0; }
  idPtr(i: i32): usize { return this.arena.base + <usize>this.get(i, Slot.ID_OFF); }
  idLen(i: i32): i32 { return this.get(i, Slot.ID_LEN); }
  retry(i: i32): i32 { return this.get(i, Slot.RETRY); }
}

/** "message": the event type when a block has no (or an empty) `event` field (§9.2.6). */
const MESSAGE: usize = memory.data<u8>([0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65]);
