// What a deployment ships: the engine builds and bundles, raw and gzip (level 9).
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

export const SHIPPED = ["build/wardline.wasm", "dist/wardline-filter.wasm", "dist/wardline.wasi.wasm", "dist/browser-inline.js", "dist/default.wlp"];

export function sizes(root: string) {
  return SHIPPED.map((file) => {
    const path = `${root}/${file}`;
    if (!existsSync(path)) return { file, bytes: 0, gzip: 0, missing: true };
    const b = readFileSync(path);
    return { file, bytes: b.length, gzip: gzipSync(b, { level: 9 }).length };
  });
}
