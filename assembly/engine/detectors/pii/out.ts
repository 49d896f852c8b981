// Where the PII machines send validated candidates: maps builtin codes to the policy's
// type ids (skipping disabled entities) and forwards to the engine's FindingSink.
import { FindingSink } from "../../sink";
import { PII_DISABLED } from "./codes";

export class PiiOut {
  /** builtin code -> policy type id; PII_DISABLED when the entity is off. */
  typeMap: StaticArray<u16>;
  /** Longest original span (e - start) a candidate may reach before it is abandoned. */
  maxHold: u32 = 4096;
  /** The sink of the current feed/finish call. */
  sink: FindingSink | null = null;

  constructor(typeMap: StaticArray<u16>) {
    this.typeMap = typeMap;
  }

  // @ts-ignore: decorator
  @inline enabled(code: i32): bool {
    return code < this.typeMap.length && unchecked(this.typeMap[code]) != PII_DISABLED;
  }

  emit(code: i32, start: u32, end: u32, score: f32): void {
    const sink = this.sink;
    if (sink && this.enabled(code)) sink.emit(<u32>unchecked(this.typeMap[code]), start, end, score);
  }

  overflow(start: u32): void {
    const sink = this.sink;
    if (sink) sink.overflow(start);
  }
}
