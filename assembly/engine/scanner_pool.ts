// Scanners of closed streams, kept per policy for the next stream to reuse. A new Scanner
// allocates its per-stream state (rings, buffers, candidates); what the policy fixes —
// regex programs and their DFA caches, secrets automata, the lexicon — is shared by every
// scanner of the policy anyway (Policy.regexProgram, regex_program.ts). A reused scanner
// is reset() — the same reset a one-shot scan relies on — so a stream's output cannot
// depend on which scanner it got.
import { Policy } from "./policy";
import { Scanner } from "./scanner";

/** Scanners kept per policy: bounds the memory closed streams retain. */
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
