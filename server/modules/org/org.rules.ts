import type { OrgLevel } from '../../db/schema/org.js';

/** SPEC §1: each level sits directly under the one before it. */
const PARENT_LEVEL: Record<OrgLevel, OrgLevel | null> = {
  head: null,
  province: 'head',
  branch: 'province',
  subbranch: 'branch',
  outlet: 'subbranch',
};

export function parentLevelOf(level: OrgLevel): OrgLevel | null {
  return PARENT_LEVEL[level];
}

/** Departments exist at branch level: 总行, 省分行 and 二级分行 (SPEC §1 "departments per branch"). */
export function holdsDepartments(level: OrgLevel): boolean {
  return level === 'head' || level === 'province' || level === 'branch';
}

/** Levels that open with the standard departments (standard-departments.ts), as the demo bank does. */
export function opensStandardDepartments(level: OrgLevel): boolean {
  return level === 'province' || level === 'branch';
}

export { pathIds } from '../../../shared/org-path.js';

/** The path of a child node. */
export function childPath(parentPath: string, id: number): string {
  return `${parentPath}${id}/`;
}
