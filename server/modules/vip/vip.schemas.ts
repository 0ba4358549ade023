import { z } from 'zod';
import { IdIn } from '../../http/ids.js';
import { itemList, pagedList } from '../../http/lists.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/)
  .transform((s) => s.toUpperCase());

/** A tier version as configured (SPEC §5): AUM threshold in 分, other criteria, the AM grade it needs. */
export const TierBody = z.strictObject({
  code: Code,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(60),
  rank: z.number().int().min(1).max(99),
  /** 金融资产门槛 in 分 (integer). */
  aumThresholdFen: z.number().int().min(1).max(1e15),
  minProducts: z.number().int().min(0).max(50).default(0),
  requiredProductCode: Code.nullable().default(null),
  requiredGrade: z.number().int().min(1).max(5),
  validFrom: Day,
  validTo: Day.nullable().default(null),
  note: z.string().trim().max(200).nullable().default(null),
});
export type TierInput = z.infer<typeof TierBody>;

export const TierOut = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  rank: z.number(),
  aumThresholdFen: z.number(),
  minProducts: z.number(),
  requiredProductCode: z.string().nullable(),
  requiredGrade: z.number(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  note: z.string().nullable(),
  inForce: z.boolean(),
});
export const TierQuery = z.strictObject({ history: z.enum(['true', 'false']).default('false'), asOf: Day.optional() });
export const TierListOut = itemList(TierOut);

export const GradeBody = z.strictObject({ grade: z.number().int().min(1).max(5), validFrom: Day, note: z.string().trim().max(200).nullable().default(null) });
export const GradeQuery = z.strictObject({ q: z.string().trim().max(40).optional(), page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) });
export const GradeOut = z.object({
  staffId: z.number(),
  staffNo: z.string(),
  name: z.string(),
  nodeName: z.string(),
  grade: z.number().nullable(),
  validFrom: z.string().nullable(),
  vipClients: z.number(),
});
export const GradeListOut = pagedList(GradeOut);

export const ScreeningQuery = z.strictObject({
  projectId: z.coerce.number().int().min(1).optional(),
  /** qualifying: meets a tier and not registered; all: everyone reached. */
  show: z.enum(['qualifying', 'all']).default('qualifying'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const ScreeningRow = z.object({
  personId: z.number(),
  name: z.string(),
  projectId: z.number(),
  projectName: z.string(),
  nodeName: z.string(),
  aumFen: z.number(),
  products: z.number(),
  tierCode: z.string().nullable(),
  tierName: z.string().nullable(),
  requiredGrade: z.number().nullable(),
  registered: z.boolean(),
});
export const ScreeningOut = pagedList(ScreeningRow).extend({ asOf: z.string(), qualifying: z.number() });
export const ScreenRunBody = z.strictObject({ projectId: IdIn.optional() });
export const ScreenRunOut = z.object({ asOf: z.string(), screened: z.number(), qualifying: z.number(), written: z.number() });

export const RegisterBody = z.strictObject({
  items: z
    .array(z.strictObject({ personId: IdIn, projectId: IdIn }))
    .min(1)
    .max(500),
});
export const RegistrationQuery = z.strictObject({
  status: z.enum(['active', 'ended', 'all']).default('active'),
  pending: z.enum(['sign', 'am', 'any']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const RegistrationOut = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  tierCode: z.string(),
  tierName: z.string(),
  requiredGrade: z.number(),
  projectId: z.number(),
  projectName: z.string(),
  nodeName: z.string(),
  aumFen: z.number(),
  registeredAt: z.string(),
  registeredBy: z.string(),
  signedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  amStaffId: z.number().nullable(),
  amName: z.string().nullable(),
  amStaffNo: z.string().nullable(),
  amAssignedAt: z.string().nullable(),
  status: z.enum(['active', 'ended']),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
  endReason: z.string().nullable(),
});
export const EndBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export const RegistrationListOut = pagedList(RegistrationOut);
export const RegisterOut = itemList(RegistrationOut);
export const AssignBody = z.strictObject({ staffId: IdIn });
export const AmCandidatesOut = itemList(z.object({ staffId: z.number(), staffNo: z.string(), name: z.string(), nodeName: z.string(), grade: z.number() }));

export const NearQuery = z.strictObject({
  tierCode: z.string().trim().max(32).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const NearRow = z.object({
  rank: z.number(),
  personId: z.number(),
  name: z.string(),
  nodeName: z.string(),
  aumFen: z.number(),
  currentTierCode: z.string().nullable(),
  currentTierName: z.string().nullable(),
  nearTierCode: z.string(),
  nearTierName: z.string(),
  thresholdFen: z.number(),
  gapFen: z.number(),
  closenessBp: z.number(),
  amName: z.string().nullable(),
});
export const NearOut = pagedList(NearRow).extend({ asOf: z.string(), bandPercent: z.number() });
