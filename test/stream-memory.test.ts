// Wasm memory per open stream. Every stream's scanner used to build private copies of what
// its policy fixes (regex programs and DFA caches, secrets automata): ≈ 2.1 MiB of wasm
// memory per open stream with the default policy, so one instance trapped at ≈ 2,360
// concurrent streams. They are shared per policy now; this keeps it so.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { createGuardWith } from "../bindings/guard.ts";
import { SHIPPED_POLICIES } from "../bindings/policy/builtin/shipped-policies.ts";
import { measure } from "../bench/stream-wasm-memory.ts";

const module = new WebAssembly.Module(readFileSync("build/wardline.wasm"));

test("an open stream of the default policy costs under 128 KiB of wasm memory", async () => {
  const guard = await createGuardWith({ module, policy: (SHIPPED_POLICIES as Record<string, string>).default });
  const { perStream } = measure(module, guard.policyBytes, 2000);
  expect(perStream).toBeLessThan(128 * 1024);
  expect(perStream).toBeGreaterThan(0);
});
