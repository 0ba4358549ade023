import { and, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { auditLog, orgNodes } from '../../db/schema/index.js';
import { type AuthContext, isBankWide, scopePaths } from '../access/context.js';
import { inPaths } from '../../db/org-paths.js';
import { pathIds } from '../../../shared/org-path.js';
import { CONFIGURATION_ENTITIES } from './audit.service.js';

/**
 * What an auditor sees (issue 10, finding 1): the entries of the nodes in their `audit.read`
 * subtrees; on the nodes above those subtrees (the root, the province), the configuration that
 * applies below them — roles, settings, the catalogue, the criteria, award rules — because a
 * bank-wide change affects their branch; never a sibling branch's entries. Entries written before
 * every entry had to name a node carry none: they are shown at bank-wide scope only.
 */
export function auditScopeSql(auth: AuthContext): SQL {
  const paths = scopePaths(auth, 'audit.read');
  const above = [...new Set(paths.flatMap((p) => pathIds(p).slice(0, -1)))];
  const parts: SQL[] = [inPaths(orgNodes.path, paths)];
  if (above.length) parts.push(and(inArray(auditLog.nodeId, above), inArray(auditLog.entity, [...CONFIGURATION_ENTITIES]))!);
  if (isBankWide(auth, 'audit.read')) parts.push(isNull(auditLog.nodeId));
  return or(...parts)!;
}
