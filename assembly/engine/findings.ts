// Accepted findings and fired rules, in the order they were decided. A stream reports
// each push's new findings (a batch) and forgets them; a one-shot scan keeps them all.

const F_FIELDS: i32 = 8; // typeId, detector, action, rule, start, end, score bits, aux

export class Findings {
  data: StaticArray<u32> = new StaticArray<u32>(64 * F_FIELDS);
  n: i32 = 0;
  /** findings decided before the current batch */
  base: u32 = 0;
  firedData: StaticArray<u32> = new StaticArray<u32>(64);
  firedN: i32 = 0;
  streaming: bool = false;

  clear(): void { this.n = 0; this.base = 0; this.firedN = 0; }

  beginBatch(): void {
    if (!this.streaming) return;
    this.base += <u32>this.n;
    this.n = 0;
    this.firedN = 0;
  }

  /** Index of the next finding, counted from the start of the stream. */
  count(): u32 { return this.base + <u32>this.n; }

  add(typeId: u32, detector: u32, action: u32, rule: i32, start: u32, end: u32, score: f32, aux: u32): void {
    let i = this.n * F_FIELDS;
    if (i + F_FIELDS > this.data.length) this.data = grow(this.data);
    unchecked((this.data[i] = typeId));
    unchecked((this.data[i + 1] = detector));
    unchecked((this.data[i + 2] = action));
    unchecked((this.data[i + 3] = <u32>rule));
    unchecked((this.data[i + 4] = start));
    unchecked((this.data[i + 5] = end));
    unchecked((this.data[i + 6] = reinterpret<u32>(score)));
    unchecked((this.data[i + 7] = aux));
    this.n++;
  }

  fired(rule: i32, action: u32, mode: u32, finding: u32): void {
    let i = this.firedN * 4;
    if (i + 4 > this.firedData.length) this.firedData = grow(this.firedData);
    unchecked((this.firedData[i] = <u32>rule));
    unchecked((this.firedData[i + 1] = action));
    unchecked((this.firedData[i + 2] = mode));
    unchecked((this.firedData[i + 3] = finding));
    this.firedN++;
  }

  // @ts-ignore: decorator
  @inline get(i: i32, field: i32): u32 { return unchecked(this.data[i * F_FIELDS + field]); }
}

function grow(a: StaticArray<u32>): StaticArray<u32> {
  const next = new StaticArray<u32>(a.length << 1);
  memory.copy(changetype<usize>(next), changetype<usize>(a), <usize>a.length << 2);
  return next;
}
