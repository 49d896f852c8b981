// Test-only entry for guarded provider streams (test/protocol-stream.test.ts): the whole
// byte ABI of entry/js.ts (policies, and the wl_proto_* exports of entry/js_protocol.ts),
// built with the incremental runtime like every test entry.
export * from "../js";
