// The PII matcher the engine drives: one byte of the pattern view at a time, each with
// the original span of the code point it came from. Three machines run side by side —
// e-mail addresses, IPv6 texts, and the number run (every entity written with digits) —
// and pending() is the earliest original offset any of them may still start a finding
// at, so the engine can release everything before it.
//
// @example
//   const m = new PiiMatcher(typeMap);          // typeMap[PiiCode.EMAIL] = policy type id …
//   for (…each byte b with span [s, e)…) { m.feed(b, s, e, sink); release(min(m.pending(), …)); }
//   m.finish(sink);
import { FindingSink } from "../../sink";
import { byteClass } from "./chars";
import { PII_CODE_COUNT, PII_DISABLED, PiiCode } from "./codes";
import { EmailMachine } from "./email";
import { Ipv6Machine } from "./ipv6";
import { NumberRun } from "./run";
import { PiiOut } from "./out";

export class PiiMatcher {
  private out: PiiOut;
  private email: EmailMachine = new EmailMachine();
  private ipv6: Ipv6Machine = new Ipv6Machine();
  private run: NumberRun = new NumberRun();
  private emailOn: bool;
  private ipOn: bool;
  private runOn: bool;

  /** typeMap: builtin PII code -> policy type id; 0xFFFF = entity disabled. */
  constructor(typeMap: StaticArray<u16>) {
    this.out = new PiiOut(typeMap);
    let mask: u32 = 0;
    for (let code = 0; code < PII_CODE_COUNT && code < typeMap.length; code++) {
      if (unchecked(typeMap[code]) != PII_DISABLED) mask |= 1 << code;
    }
    this.emailOn = (mask & (1 << PiiCode.EMAIL)) != 0;
    this.ipOn = (mask & (1 << PiiCode.IP_ADDRESS)) != 0;
    this.runOn = (mask & ~(<u32>1 << PiiCode.EMAIL)) != 0;
    this.run.setEnabled(mask);
  }

  /** Longest original span (e - start) a candidate may reach; set by the engine from the policy. */
  get maxHold(): u32 {
    return this.out.maxHold;
  }
  set maxHold(v: u32) {
    this.out.maxHold = v;
  }

  /** Forgets every candidate: a new text or stream begins. */
  reset(): void {
    this.email.reset();
    this.ipv6.reset();
    this.run.reset();
  }

  /** One byte of the pattern view, from original span [s, e). */
  feed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const out = this.out;
    out.sink = sink;
    const c = byteClass(b);
    if (this.emailOn) this.email.feed(b, c, s, e, out);
    if (this.ipOn) this.ipv6.feed(b, c, s, e, out);
    if (this.runOn) this.run.feed(b, c, s, e, out, this.ipOn && this.ipv6.inAddress());
  }

  /** End of text: every candidate still open is final now. */
  finish(sink: FindingSink): void {
    const out = this.out;
    out.sink = sink;
    this.email.finish(out);
    this.ipv6.finish(out);
    this.run.finish(out);
    out.sink = null;
  }

  /** Earliest original offset at which a finding may still be emitted; NONE when none. */
  pending(): u32 {
    const a = this.email.pending();
    const b = this.ipv6.pending();
    const c = this.run.pending();
    return min(a, min(b, c));
  }
}

