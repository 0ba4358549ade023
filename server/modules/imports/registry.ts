import { AppError } from '../../errors.js';
import type { AnyImportSpec } from './import-spec.js';

/**
 * The kinds of list the framework can import. The framework knows none of them: each domain
 * defines its own (`<domain>.import.ts`) and the application's edge (`server/import-kinds.ts`)
 * registers them once at start, so `imports/` never imports a domain and no domain import
 * depends on another's through the framework.
 */
const kinds = new Map<string, AnyImportSpec>();

/** Registers the importable kinds (idempotent: the same spec may be registered again). */
export function registerImportKinds(specs: readonly AnyImportSpec[]): void {
  for (const spec of specs) {
    const known = kinds.get(spec.kind);
    if (known && known !== spec) throw new Error(`import kind ${spec.kind} registered twice`);
    kinds.set(spec.kind, spec);
  }
}

/** Every registered kind, in registration order. */
export function importKinds(): readonly AnyImportSpec[] {
  return [...kinds.values()];
}

/** The spec of a kind, or 404 IMPORT.UNKNOWN_KIND. */
export function specOf(kind: string): AnyImportSpec {
  const spec = Object.hasOwn(Object.fromEntries(kinds), kind) ? kinds.get(kind) : undefined;
  if (!spec) throw new AppError('IMPORT.UNKNOWN_KIND', { kind });
  return spec;
}
