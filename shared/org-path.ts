/**
 * The org tree's materialised path ('/1/4/17/': ids from the root down), read without a database.
 * Here rather than in org/ because access, audit, sales and quotas all need it and org itself
 * writes audit entries: a shared leaf keeps those modules out of a cycle.
 */

/** The ids on a path, root first. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** The branch of a node by its path: org levels sit at fixed depths, branches at depth ≤ 3. */
export function branchPathOf(path: string): string {
  const ids = path.split('/').filter(Boolean);
  return `/${ids.slice(0, Math.min(ids.length, 3)).join('/')}/`;
}
