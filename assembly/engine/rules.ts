// Rules: which findings trigger which action, per phase. A rule whose condition is a
// single leaf acts on each finding it selects (redact that span, block on it…); a rule
// whose condition combines leaves (any / all / max / weighted) acts on the whole text
// once the combination first holds. Leaf values only grow as findings arrive (the best
// score so far), so a combination that held stays held: verdicts are monotone, which is
// what keeps them independent of how a stream was chunked.
//
// RULES section layout (all u32 little-endian unless f32), written by encode/rules.ts:
//   ruleCount | leafCount | nodeCount | childCount | typePoolCount
//   rules  × 8: idStr | action | phases | mode | repl (kind | count<<8 | char<<16) | messageStr | replTextStr | rootNode
//   leaves × 4: detector (0 = any) | minScore f32 | typeCount | typePoolIndex
//   nodes  × 4: kind | childCount | threshold f32 | first (leaf index, or child index)
//   children × 2: node | weight f32
//   typePool × 1: type id
import { Action } from "./constants";

export const enum NodeKind { LEAF = 0, ANY = 1, ALL = 2, MAX = 3, WEIGHTED = 4 }
export const enum Mode { ENFORCE = 0, FLAG = 1, SHADOW = 2 }
export const enum ReplKind { TYPE = 0, MASK = 1, KEEP_LAST = 2, TEXT = 3 }

export const NO_STRING: u32 = 0xffffffff;

export class Rules {
  ruleCount: i32 = 0;
  leafCount: i32 = 0;
  private rules: usize = 0;
  private leaves: usize = 0;
  private nodes: usize = 0;
  private children: usize = 0;
  private typePool: usize = 0;

  constructor(section: usize, len: i32) {
    if (section == 0 || len < 20) return this;
    this.ruleCount = <i32>load<u32>(section);
    this.leafCount = <i32>load<u32>(section, 4);
    const nodeCount = load<u32>(section, 8);
    const childCount = load<u32>(section, 12);
    const poolCount = load<u32>(section, 16);
    this.rules = section + 20;
    this.leaves = this.rules + <usize>this.ruleCount * 32;
    this.nodes = this.leaves + <usize>this.leafCount * 16;
    this.children = this.nodes + <usize>nodeCount * 16;
    this.typePool = this.children + <usize>childCount * 8;
    // a damaged section must be refused at load time, never read out of bounds later
    const need = <u64>20 + <u64>this.ruleCount * 32 + <u64>this.leafCount * 16 + <u64>nodeCount * 16 + <u64>childCount * 8 + <u64>poolCount * 4;
    if (this.ruleCount < 0 || this.leafCount < 0 || need > <u64>len) { this.ruleCount = 0; this.leafCount = 0; this.valid = false; return this; }
    for (let r = 0; r < this.ruleCount; r++) if (this.root(r) >= nodeCount) this.valid = false;
    for (let n: u32 = 0; n < nodeCount; n++) {
      const p = this.node(n);
      const kind = load<u32>(p);
      if (kind > <u32>NodeKind.WEIGHTED) this.valid = false;
      else if (kind == NodeKind.LEAF) { if (load<u32>(p, 12) >= <u32>this.leafCount) this.valid = false; }
      else {
        // children must come later in the node list: no cycles, so value() terminates
        const first = load<u32>(p, 12), count = load<u32>(p, 4);
        if (<u64>first + <u64>count > <u64>childCount) { this.valid = false; continue; }
        for (let c: u32 = 0; c < count; c++) {
          const child = load<u32>(this.children + <usize>(first + c) * 8);
          if (child >= n) this.valid = false;
        }
      }
    }
    for (let l = 0; l < this.leafCount; l++) {
      const p = this.leaves + <usize>l * 16;
      if (<u64>load<u32>(p, 12) + <u64>load<u32>(p, 8) > <u64>poolCount) this.valid = false;
    }
    if (!this.valid) { this.ruleCount = 0; this.leafCount = 0; }
  }

  /** false when the section is inconsistent (the policy is refused at load time) */
  valid: bool = true;

  // @ts-ignore: decorator
  @inline private rule(i: i32): usize { return this.rules + <usize>i * 32; }
  idString(i: i32): u32 { return load<u32>(this.rule(i)); }
  action(i: i32): Action { return <Action>load<u32>(this.rule(i), 4); }
  phases(i: i32): u32 { return load<u32>(this.rule(i), 8); }
  mode(i: i32): Mode { return <Mode>load<u32>(this.rule(i), 12); }
  replKind(i: i32): ReplKind { return <ReplKind>(load<u32>(this.rule(i), 16) & 0xff); }
  replCount(i: i32): i32 { return <i32>((load<u32>(this.rule(i), 16) >> 8) & 0xff); }
  replChar(i: i32): u8 { return <u8>((load<u32>(this.rule(i), 16) >> 16) & 0xff); }
  messageString(i: i32): u32 { return load<u32>(this.rule(i), 20); }
  replTextString(i: i32): u32 { return load<u32>(this.rule(i), 24); }
  root(i: i32): u32 { return load<u32>(this.rule(i), 28); }

  // @ts-ignore: decorator
  @inline private node(i: u32): usize { return this.nodes + <usize>i * 16; }
  nodeKind(n: u32): NodeKind { return <NodeKind>load<u32>(this.node(n)); }
  /** leaf index of a LEAF node */
  nodeLeaf(n: u32): i32 { return <i32>load<u32>(this.node(n), 12); }

  /** Does a finding (detector, type, score) satisfy leaf l? */
  leafMatches(l: i32, detector: u32, typeId: u32, score: f32): bool {
    const p = this.leaves + <usize>l * 16;
    const d = load<u32>(p);
    if (d != 0 && d != detector) return false;
    if (score < load<f32>(p, 4)) return false;
    const n = load<u32>(p, 8);
    if (n == 0) return true;
    let t = this.typePool + <usize>load<u32>(p, 12) * 4;
    for (let i: u32 = 0; i < n; i++, t += 4) if (load<u32>(t) == typeId) return true;
    return false;
  }

  /** Value of node n given the best score per leaf (0 where none matched). */
  value(n: u32, best: StaticArray<f32>): f32 {
    const p = this.node(n);
    const kind = load<u32>(p);
    if (kind == NodeKind.LEAF) return unchecked(best[<i32>load<u32>(p, 12)]);
    const count = load<u32>(p, 4);
    const threshold = load<f32>(p, 8);
    let c = this.children + <usize>load<u32>(p, 12) * 8;
    if (kind == NodeKind.ANY) {
      for (let i: u32 = 0; i < count; i++, c += 8) if (this.value(load<u32>(c), best) > 0) return 1;
      return 0;
    }
    if (kind == NodeKind.ALL) {
      for (let i: u32 = 0; i < count; i++, c += 8) if (this.value(load<u32>(c), best) <= 0) return 0;
      return 1;
    }
    if (kind == NodeKind.MAX) {
      let m: f32 = 0;
      for (let i: u32 = 0; i < count; i++, c += 8) { const v = this.value(load<u32>(c), best); if (v > m) m = v; }
      return m >= threshold ? 1 : 0;
    }
    let sum: f32 = 0;
    for (let i: u32 = 0; i < count; i++, c += 8) sum += load<f32>(c, 4) * this.value(load<u32>(c), best);
    return sum >= threshold ? 1 : 0;
  }
}
