import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';

export const StaffRoleOut = z.object({ role: z.string(), roleZh: z.string(), roleEn: z.string(), scopeNodeId: z.number(), scopeName: z.string() });

export const StaffOut = z.object({
  id: z.number(),
  staffNo: z.string(),
  name: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  title: z.string().nullable(),
  /** Masked (138****5678) unless the caller may edit staff in that branch. */
  phone: z.string().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
  roles: z.array(StaffRoleOut),
  lastLoginAt: z.date().nullable(),
  lockedUntil: z.date().nullable(),
});

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const StaffQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  /** 工号 or 姓名, partial */
  q: z.string().trim().max(50).optional(),
  /** The node's whole subtree */
  nodeId: Id.optional(),
  departmentId: Id.optional(),
  role: z.string().max(50).optional(),
  active: bool.optional(),
});
export type StaffFilter = z.infer<typeof StaffQuery>;

const phone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '应为11位手机号码');
const staffNo = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[0-9A-Za-z_.-]+$/, '工号只能包含字母、数字、下划线、点和短横线');

export const CreateStaffBody = z.strictObject({
  staffNo,
  name: z.string().trim().min(1).max(50),
  nodeId: IdIn,
  departmentId: IdIn.nullish(),
  title: z.string().trim().max(50).nullish(),
  phone: phone.nullish(),
  email: z.email().nullish(),
});

export const UpdateStaffBody = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  nodeId: IdIn.optional(),
  departmentId: IdIn.nullish(),
  title: z.string().trim().max(50).nullish(),
  phone: phone.nullish(),
  email: z.email().nullish(),
  active: z.boolean().optional(),
});

export const PutRolesBody = z.strictObject({
  roles: z.array(z.strictObject({ role: z.string().min(1).max(50), scopeNodeId: IdIn })).max(50),
});

export const ResetPasswordBody = z.strictObject({ temporary: z.string().min(1).max(256) });
