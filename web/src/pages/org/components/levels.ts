import type { OrgLevel } from '../../../api/types';

/** SPEC §1: 总行 → 省分行 → 二级分行 → 支行 → 网点. */
export const CHILD_LEVEL: Record<OrgLevel, OrgLevel | null> = {
  head: 'province',
  province: 'branch',
  branch: 'subbranch',
  subbranch: 'outlet',
  outlet: null,
};

/** Departments and the committee live at branch level and above. */
export const holdsDepartments = (level: OrgLevel) => level === 'head' || level === 'province' || level === 'branch';
