// The floor and the peers as cases on the same corpus, each with its quality on the quality corpus.
import type { Case, Data } from "./case.ts";
import { byteLoop, encodeInto } from "./floor.ts";
import { score } from "./quality.ts";
import type { Peer } from "./peers/peer.ts";
import { regexpUnion } from "./peers/regexp-union.ts";
import { redactPiiPeer } from "./peers/redact-pii.ts";
import { obscenityPeer } from "./peers/obscenity.ts";
import { openaiGuardrailsPeer } from "./peers/openai-guardrails.ts";

export const PEERS: Peer[] = [regexpUnion, redactPiiPeer, obscenityPeer, openaiGuardrailsPeer];

export function floorCases(data: Data): Case[] {
  const expect = data.bytes.reduce((h, b) => (h + byteLoop(b)) | 0, 0);
  let i = 0, j = 0;
  const deltaBytes = data.deltas.map((d) => new TextEncoder().encode(d));
  return [
    {
      id: "floor_byte_loop", name: "Floor: JS loop over the bytes", group: "floor", bytes: data.totalBytes,
      run: () => { let h = 0; for (const b of data.bytes) h = (h + byteLoop(b)) | 0; if (h !== expect) throw new Error("byte loop checksum"); },
      prompt4k: () => byteLoop(data.bytes[i++ % data.bytes.length]),
      delta40: () => byteLoop(deltaBytes[j++ % deltaBytes.length]),
    },
    {
      id: "floor_encode_into", name: "Floor: TextEncoder.encodeInto", group: "floor", bytes: data.totalBytes,
      run: () => { let n = 0; for (const t of data.texts) n += encodeInto(t); if (n !== data.totalBytes) throw new Error("encodeInto length"); },
      prompt4k: () => encodeInto(data.texts[i++ % data.texts.length]),
      delta40: () => encodeInto(data.deltas[j++ % data.deltas.length]),
    },
  ];
}

const idOf = (p: Peer) => "peer_" + p.name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");

export async function peerCases(data: Data): Promise<Case[]> {
  const cases: Case[] = [];
  for (const peer of PEERS) {
    const spans = [];
    for (const p of data.quality) spans.push(peer.spans(p.text, await peer.call(p.text)));
    const quality = score(data.quality, spans, peer.kinds);
    // a peer that finds nothing at all is mis-wired, not slow or fast
    const error = quality.detections === 0 ? `${peer.name}: no detections at all` : undefined;
    let i = 0, j = 0;
    const isAsync = peer.call("x") instanceof Promise;
    cases.push({
      id: idOf(peer), name: peer.name, group: "peer", bytes: data.totalBytes,
      run: isAsync ? async () => { for (const t of data.texts) await peer.call(t); } : () => { for (const t of data.texts) peer.call(t); },
      prompt4k: () => peer.call(data.texts[i++ % data.texts.length]),
      delta40: () => peer.call(data.deltas[j++ % data.deltas.length]),
      quality, error,
    });
  }
  return cases;
}
