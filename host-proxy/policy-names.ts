// Rule ids and entity type names by index, for labelling midstream results (the provider
// stream reports rule and type numbers). Read once from a spare engine instance that loads
// the guard's compiled policy bytes.
import { Engine } from "../bindings/engine.ts";
import { engineModule, type Guard } from "../bindings/index.ts";

export interface PolicyNames { rules: string[]; types: string[] }

export function policyNames(guard: Guard): PolicyNames {
  const engine = new Engine(engineModule());
  const info = engine.policyInfo(engine.loadPolicy(guard.policyBytes));
  return { rules: info.rules.map((r) => r.id), types: info.types.map((t) => t.name) };
}
