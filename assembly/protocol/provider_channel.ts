// One text channel of a provider stream (choice 0's content, tool call 1's arguments, block
// 2's thinking …): its own engine stream, its own string decoder (a surrogate pair split
// across two deltas decodes to one character), and a template for the delta event that
// carries the channel's last words when it ends.
//
// The template is the payload of the channel's last delta event with every guarded text value
// emptied to "" and the offset of this channel's "" kept, so a tail event repeats the ids,
// index and type fields of a real delta and no other channel's text.
import { Policy } from "../engine/policy";
import { Scanner } from "../engine/scanner";
import { ScannerPool } from "../engine/scanner_pool";
import { JsonStringDecoder } from "./json_decode";
import { JsonOut } from "./json_out";
import { Phase } from "../engine/constants";

export class Channel {
  readonly key: u32;
  readonly scanner: Scanner;
  readonly decoder: JsonStringDecoder = new JsonStringDecoder();
  /** Text may still arrive (false once the channel's scanner finished). */
  open: bool = true;
  /** The last delta event's payload, text values emptied (see above). */
  readonly template: JsonOut = new JsonOut(128);
  /** Offset of this channel's opening quote in `template`, or -1 before any delta. */
  valueAt: i32 = -1;
  /** The SSE event type of that delta (Anthropic sends `event:` lines; OpenAI does not). */
  readonly type: JsonOut = new JsonOut(32);
  /** OpenAI Responses: every byte the channel released so far, for the snapshot rewrites
   *  (.done events, response.completed); null for the other providers. It survives reopen():
   *  a reopened channel continues the same text. */
  kept: JsonOut | null = null;
  /** The kept text outgrew the stream's bound; its snapshots go out as "". */
  keptOver: bool = false;

  /** pool: where the scanner comes from (warm caches) and goes back to, see scanner_pool.ts */
  constructor(key: u32, policy: Policy, pool: ScannerPool | null = null) {
    this.key = key;
    let s: Scanner;
    if (pool) {
      s = pool.take(Phase.MIDSTREAM);
    } else {
      s = new Scanner(policy, Phase.MIDSTREAM);
      s.findings.streaming = true;
      s.out.streaming = true;
      s.reset(Phase.MIDSTREAM);
    }
    this.scanner = s;
  }

  /** Text after the channel ended (a provider that reopens a block): a fresh engine stream,
   *  whose finding offsets count from 0 again. */
  reopen(): void {
    this.scanner.reset(Phase.MIDSTREAM);
    this.decoder.reset();
    this.open = true;
  }
}
