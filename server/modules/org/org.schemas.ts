import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { COMMITTEE_POSITIONS } from '../../db/schema/staff.js';
import { DEPT_KINDS, ORG_LEVELS } from '../../db/schema/org.js';

export const IdParams = z.strictObject({ id: Id });

export const OrgNodeOut = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  level: z.enum(ORG_LEVELS),
  parentId: z.number().nullable(),
  path: z.string(),
  address: z.string().nullable(),
  sort: z.number(),
  active: z.boolean(),
  staffCount: z.number(),
});

const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[0-9A-Za-z_-]+$/, '只能包含字母、数字、下划线和短横线');

export const CreateNodeBody = z.strictObject({
  /** 机构号 */
  code,
  name: z.string().trim().min(1).max(100),
  level: z.enum(ORG_LEVELS),
  parentId: IdIn,
  address: z.string().trim().max(200).nullish(),
  sort: z.number().int().min(0).max(1_000_000).optional(),
});

export const UpdateNodeBody = z.strictObject({
  code: code.optional(),
  name: z.string().trim().min(1).max(100).optional(),
  address: z.string().trim().max(200).nullish(),
  sort: z.number().int().min(0).max(1_000_000).optional(),
  active: z.boolean().optional(),
});

export const DepartmentOut = z.object({
  id: z.number(),
  nodeId: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(DEPT_KINDS),
  committeeOffice: z.boolean(),
  active: z.boolean(),
  staffCount: z.number(),
});

export const CreateDepartmentBody = z.strictObject({
  nodeId: IdIn,
  code,
  name: z.string().trim().min(1).max(100),
  kind: z.enum(DEPT_KINDS),
  committeeOffice: z.boolean().optional(),
});

export const UpdateDepartmentBody = z.strictObject({
  code: code.optional(),
  name: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(DEPT_KINDS).optional(),
  committeeOffice: z.boolean().optional(),
  active: z.boolean().optional(),
});

export const CommitteeMemberOut = z.object({
  staffId: z.number(),
  staffNo: z.string(),
  name: z.string(),
  position: z.enum(COMMITTEE_POSITIONS),
  departmentName: z.string().nullable(),
});

export const PutCommitteeBody = z.strictObject({
  members: z.array(z.strictObject({ staffId: IdIn, position: z.enum(COMMITTEE_POSITIONS) })).max(100),
});

export const NodeDetailOut = OrgNodeOut.extend({
  departments: z.array(DepartmentOut),
  committee: z.array(CommitteeMemberOut),
});
