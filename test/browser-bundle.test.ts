// The browser bundle (dist/browser.js, built by esbuild for platform "browser") loads
// and scans with no Node built-ins: here in Node, with the engine passed as bytes. The
// real-browser run (headless Chromium) belongs to the in-browser checking work.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";

describe("browser bundle", () => {
  it("has no node: imports and gives the Node binding's results", async () => {
    const src = readFileSync("dist/browser.js", "utf8");
    expect(src).not.toMatch(/from\s*["']node:/);
    expect(src).not.toMatch(/require\(["']node:/);
    const browser = await import("../dist/browser.js" as string);
    const guard = await browser.createGuard({ policy: "default", wasm: readFileSync("dist/wardline.wasm") });
    const r = guard.scan("card 4111 1111 1111 1111, mail ann@example.org");
    expect(r.text).toBe("card **** **** **** 1111, mail [EMAIL]");
    const { createGuard } = await import("../bindings/index.ts");
    const node = await createGuard({ policy: "default" });
    expect(guard.policyHash).toBe(node.policyHash);
  });
});
