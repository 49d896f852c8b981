// Test helper (node --import): records every @opentelemetry/* import the process resolves in the
// file named by WL_IMPORT_LOG, so a test can prove the tracing SDK is never loaded when off.
import { register } from "node:module";

register("data:text/javascript," + encodeURIComponent(`
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  if (specifier.startsWith("@opentelemetry/") && process.env.WL_IMPORT_LOG) appendFileSync(process.env.WL_IMPORT_LOG, specifier + "\\n");
  return next(specifier, context);
}`));
