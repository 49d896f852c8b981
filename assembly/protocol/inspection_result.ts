// The packed result header shared by request and response inspection (docs/abi.md,
// "Request inspection"): one writer, so the two layouts cannot drift apart
// (bindings/inspection-result.ts is the one reader).
import { JsonOut } from "./json_out";
import { Findings } from "../engine/findings";
import { RequestParts } from "./request_parts";

/** Bytes of one finding in a result: 8 u32, as in the scan result. */
const F_BYTES: i32 = 32;

export function putU32(out: JsonOut, v: u32): void {
  store<u32>(out.ensure(4), v);
  out.len += 4;
}

/** status | action | flags | parts | skipped | rule (i32: block or stop, -1 none) | errorAt | bodyLen */
export function header(out: JsonOut, status: u32, action: u32, flags: u32, parts: u32, skipped: u32, rule: i32, errorAt: u32, bodyLen: u32): void {
  const h = out.ptr;
  store<u32>(h, status);
  store<u32>(h, action, 4);
  store<u32>(h, flags, 8);
  store<u32>(h, parts, 12);
  store<u32>(h, skipped, 16);
  store<i32>(h, rule, 20);
  store<u32>(h, errorAt, 24);
  store<u32>(h, bodyLen, 28);
}

/** One part's entry: u32 pathLen, path, u32 action, u32 findingCount, u32 textLen, text, findings. */
export function putPart(out: JsonOut, parts: RequestParts, i: i32, action: u32, text: JsonOut, f: Findings): void {
  const pathAt = out.len;
  putU32(out, 0);
  parts.writePath(i, out);
  store<u32>(out.ptr + <usize>pathAt, <u32>(out.len - pathAt - 4));
  putU32(out, action);
  putU32(out, <u32>f.n);
  putU32(out, <u32>text.len);
  out.bytes(text.ptr, <usize>text.len);
  out.bytes(changetype<usize>(f.data), <usize>(f.n * F_BYTES));
}
