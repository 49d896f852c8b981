// The floor: what touching every byte once costs in JavaScript. Nothing can scan faster than
// reading its input, so every other case is also reported as a fraction of these.
const enc = new TextEncoder();
const scratch = new Uint8Array(1 << 16);

/** Sums every byte (the result is checked, so the loop cannot be optimised away). */
export function byteLoop(bytes: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i++) h = (h + bytes[i]) | 0;
  return h;
}

/** UTF-16 → UTF-8 into a reused buffer: the conversion every string scan pays first. */
export function encodeInto(text: string): number {
  return enc.encodeInto(text, scratch).written;
}
