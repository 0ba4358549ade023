import { AppError } from '../../../errors.js';
import type { AnyImportSpec } from '../import-spec.js';
import { orgNodesSpec } from './org-nodes.spec.js';
import { staffSpec } from './staff.spec.js';

/** Every importable list, by kind. A new list adds its spec here. */
export const IMPORT_SPECS: readonly AnyImportSpec[] = [orgNodesSpec, staffSpec];

/** The spec of a kind, or 404 IMPORT.UNKNOWN_KIND. */
export function specOf(kind: string): AnyImportSpec {
  const spec = IMPORT_SPECS.find((s) => s.kind === kind);
  if (!spec) throw new AppError('IMPORT.UNKNOWN_KIND', { kind });
  return spec;
}
