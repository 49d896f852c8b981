// Test-only entry for request inspection (test/protocol-request.test.ts): the full engine
// ABI plus wl_request_inspect, until assembly/entry/js.ts re-exports js_request.
export * from "../js";
export * from "../js_request";
