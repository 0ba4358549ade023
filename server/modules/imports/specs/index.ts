import { AppError } from '../../../errors.js';
import type { AnyImportSpec } from '../import-spec.js';
import { companyPeopleSpec } from './company-people.spec.js';
import { corporateClientsSpec } from './corporate-clients.spec.js';
import { holdingsSpec } from './holdings.spec.js';
import { individualsSpec } from './individuals.spec.js';
import { orgNodesSpec } from './org-nodes.spec.js';
import { staffSpec } from './staff.spec.js';
import { developmentFiguresSpec } from './development-figures.spec.js';
import { productScoresSpec } from './product-scores.spec.js';
import { productsSpec } from './products.spec.js';
import { salesSpec } from './sales.spec.js';
import { nominationsSpec } from '../../targets/nominations.spec.js';
import { quotasSpec } from './quotas.spec.js';

/** Every importable list, by kind. A new list adds its spec here. */
export const IMPORT_SPECS: readonly AnyImportSpec[] = [orgNodesSpec, staffSpec, nominationsSpec, corporateClientsSpec, individualsSpec, companyPeopleSpec, holdingsSpec,
  // products & sales
  productsSpec, productScoresSpec, developmentFiguresSpec, salesSpec,
  // quotas (SPEC §10)
  quotasSpec];

/** The spec of a kind, or 404 IMPORT.UNKNOWN_KIND. */
export function specOf(kind: string): AnyImportSpec {
  const spec = IMPORT_SPECS.find((s) => s.kind === kind);
  if (!spec) throw new AppError('IMPORT.UNKNOWN_KIND', { kind });
  return spec;
}
