// Scanners of closed streams, kept per policy for the next stream to reuse. A new Scanner
// builds every matcher and starts its regex DFA caches empty (built lazily, a state per
// new byte context, up to 2 MiB each), so a fresh stream paid for rebuilding the same
// states that the previous stream had already built: the first kilobytes of every
// stream ran at a fraction of the warm speed. A reused scanner is reset() — the same
// reset a one-shot scan relies on — and keeps only its caches, which are a function of
// the policy alone, so a stream's output cannot depend on which scanner it got.
import { Policy } from "./policy";
import { Scanner } from "./scanner";

/** Scanners kept per policy: bounds the memory closed streams retain (caches included). */
const MAX_FREE = 32;

export class ScannerPool {
  readonly policy: Policy;
  private free: Array<Scanner> = new Array<Scanner>();

  constructor(policy: Policy) { this.policy = policy; }

  /** A stream scanner in `phase`, reset: reused when one is free. */
  take(phase: u32): Scanner {
    let s: Scanner;
    if (this.free.length > 0) {
      s = this.free.pop();
      s.dropStreamContext();
    } else {
      s = new Scanner(this.policy, phase);
      s.findings.streaming = true;
      s.out.streaming = true;
    }
    s.reset(phase);
    return s;
  }

  /** Returns a closed stream's scanner. */
  give(s: Scanner): void {
    if (this.free.length < MAX_FREE) this.free.push(s);
  }
}
