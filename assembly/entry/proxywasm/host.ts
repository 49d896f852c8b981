// The proxy-wasm ABI 0.2.1 host functions the filter uses (and only those: a host refuses a
// module that imports a function it does not provide). Spec: github.com/proxy-wasm/spec,
// abi-versions/v0.2.1. Every function returns a proxy_status_t.
import { JsonOut } from "../../protocol/json_out";

export const enum ProxyStatus { OK = 0, NOT_FOUND = 1, BAD_ARGUMENT = 2 }
export const enum LogLevel { TRACE = 0, DEBUG = 1, INFO = 2, WARN = 3, ERROR = 4, CRITICAL = 5 }
export const enum BufferType { HTTP_REQUEST_BODY = 0, HTTP_RESPONSE_BODY = 1, VM_CONFIGURATION = 6, PLUGIN_CONFIGURATION = 7 }
export const enum MapType { HTTP_REQUEST_HEADERS = 0, HTTP_RESPONSE_HEADERS = 2 }
export const enum Action { CONTINUE = 0, PAUSE = 1 }

// @ts-ignore: decorator
@external("env", "proxy_log")
export declare function proxy_log(level: u32, data: usize, size: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_get_buffer_bytes")
export declare function proxy_get_buffer_bytes(buffer: u32, start: usize, maxSize: usize, retData: usize, retSize: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_set_buffer_bytes")
export declare function proxy_set_buffer_bytes(buffer: u32, start: usize, size: usize, data: usize, dataSize: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_get_header_map_value")
export declare function proxy_get_header_map_value(map: u32, key: usize, keySize: usize, retData: usize, retSize: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_remove_header_map_value")
export declare function proxy_remove_header_map_value(map: u32, key: usize, keySize: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_send_local_response")
export declare function proxy_send_local_response(status: u32, details: usize, detailsSize: usize, body: usize, bodySize: usize, headers: usize, headersSize: usize, grpcStatus: i32): u32;

// @ts-ignore: decorator
@external("env", "proxy_define_metric")
export declare function proxy_define_metric(type: u32, name: usize, nameSize: usize, retId: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_increment_metric")
export declare function proxy_increment_metric(id: u32, delta: i64): u32;

/** Scratch for the host's (pointer, size) return values. */
const ret = memory.data(8);

/** Logs a message (UTF-8 encoded). */
export function log(level: LogLevel, message: string): void {
  const b = String.UTF8.encode(message);
  proxy_log(level, changetype<usize>(b), <usize>b.byteLength);
}

/**
 * Bytes [start, start + max) of a buffer, copied into `into` (reset first); false when the
 * buffer is not available. The host wrote them into memory it got from proxy_on_memory_allocate:
 * freed here.
 */
export function getBuffer(type: BufferType, start: usize, max: usize, into: Bytes): bool {
  into.len = 0;
  store<usize>(ret, 0);
  store<usize>(ret + 4, 0);
  const st = proxy_get_buffer_bytes(type, start, max, ret, ret + 4);
  const p = load<usize>(ret);
  const n = load<usize>(ret + 4);
  if (st != ProxyStatus.OK) { if (p) heap.free(p); return false; }
  if (n > 0) into.bytes(p, n);
  if (p) heap.free(p);
  return true;
}

/** A header's value copied into `into`; false when absent. */
export function getHeader(map: MapType, name: string, into: Bytes): bool {
  into.len = 0;
  const k = String.UTF8.encode(name);
  store<usize>(ret, 0);
  store<usize>(ret + 4, 0);
  const st = proxy_get_header_map_value(map, changetype<usize>(k), <usize>k.byteLength, ret, ret + 4);
  const p = load<usize>(ret);
  const n = load<usize>(ret + 4);
  if (st != ProxyStatus.OK) { if (p) heap.free(p); return false; }
  if (n > 0) into.bytes(p, n);
  if (p) heap.free(p);
  return true;
}

export function removeHeader(map: MapType, name: string): void {
  const k = String.UTF8.encode(name);
  proxy_remove_header_map_value(map, changetype<usize>(k), <usize>k.byteLength);
}

/** Defines a counter; returns its id (0 when the host refused it). */
export function counter(name: string): u32 {
  const k = String.UTF8.encode(name);
  store<u32>(ret, 0);
  if (proxy_define_metric(0, changetype<usize>(k), <usize>k.byteLength, ret) != ProxyStatus.OK) return 0;
  return load<u32>(ret);
}

export function bump(id: u32, delta: i64 = 1): void {
  if (id != 0) proxy_increment_metric(id, delta);
}

/** A growable byte buffer (host copies in, frames out): the protocol layer's JsonOut plus host helpers. */
export class Bytes extends JsonOut {
  str(s: string): void {
    const b = String.UTF8.encode(s);
    this.bytes(changetype<usize>(b), <usize>b.byteLength);
  }
  u32(v: u32): void { store<u32>(this.ensure(4), v); this.len += 4; }
  toString(): string { return String.UTF8.decodeUnsafe(this.ptr, <usize>this.len); }
}
