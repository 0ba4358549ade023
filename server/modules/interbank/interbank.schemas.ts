import { z } from 'zod';
import { IdIn } from '../../http/ids.js';
import { itemList, pagedList } from '../../http/lists.js';
import { INSTITUTION_KINDS, INSTITUTION_STATUSES, LANDING_STAGES, POOL_RESOURCES, PROSPECT_STAGES, SIGNING_KINDS } from './interbank.rules.js';

/** Request and response schemas of the inter-bank registry half (SPEC §11, issue 14). */

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Text = (max: number) => z.string().trim().min(1).max(max);
const OptText = (max: number) => z.string().trim().max(max).nullable().default(null);
const Page = { page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) };
const QueryId = z.coerce.number().int().min(1).max(2_147_483_647);

export const InstitutionBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/),
  name: Text(80),
  kind: z.enum(INSTITUTION_KINDS),
  parentId: IdIn.nullable().default(null),
  status: z.enum(INSTITUTION_STATUSES).default('active'),
  uscc: z
    .string()
    .trim()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/)
    .nullable()
    .default(null),
  note: OptText(200),
  nodeId: IdIn,
  leaderStaffId: IdIn.nullable().default(null),
  validFrom: Day.optional(),
});
export type InstitutionInput = z.infer<typeof InstitutionBody>;
export const InstitutionPatch = InstitutionBody.omit({ code: true, nodeId: true, leaderStaffId: true, validFrom: true });

export const MoveBody = z.strictObject({ nodeId: IdIn, leaderStaffId: IdIn.nullable().default(null), validFrom: Day, reason: Text(200) });
export type MoveBody = z.infer<typeof MoveBody>;

export const RegistryQuery = z.strictObject({
  nodeId: QueryId.optional(),
  kind: z.enum(INSTITUTION_KINDS).optional(),
  parentId: QueryId.optional(),
  status: z.enum(INSTITUTION_STATUSES).optional(),
  signed: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(40).optional(),
  ...Page,
});
export type RegistryQuery = z.infer<typeof RegistryQuery>;

const InstitutionRow = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  uscc: z.string().nullable(),
  parentId: z.number().nullable(),
  parentName: z.string().nullable(),
  nodeId: z.number(),
  nodeName: z.string(),
  nodeCode: z.string(),
  leaderStaffId: z.number().nullable(),
  leaderName: z.string().nullable(),
  leaderNo: z.string().nullable(),
  framework: z.boolean(),
  products: z.number(),
  lastSignedOn: z.string().nullable(),
});
export const InstitutionListOut = pagedList(InstitutionRow);
export const InstitutionOut = InstitutionRow.extend({
  note: z.string().nullable(),
  history: z.array(
    z.object({
      id: z.number(),
      nodeId: z.number(),
      nodeName: z.string(),
      nodeCode: z.string(),
      leaderStaffId: z.number().nullable(),
      leaderName: z.string().nullable(),
      leaderNo: z.string().nullable(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      reason: z.string().nullable(),
      setAt: z.string(),
    }),
  ),
});

export const SigningBody = z
  .strictObject({
    institutionId: IdIn,
    kind: z.enum(SIGNING_KINDS),
    productName: z.string().trim().min(1).max(80).nullable().default(null),
    sidedness: z.enum(['bilateral', 'unilateral']).default('bilateral'),
    signedOn: Day,
    note: OptText(200),
  })
  .refine((b) => b.kind === 'framework' || b.productName !== null, { path: ['productName'], message: 'a product agreement names its product' });
export type SigningBody = z.infer<typeof SigningBody>;
export const CorrectBody = z
  .strictObject({
    kind: z.enum(SIGNING_KINDS),
    productName: z.string().trim().min(1).max(80).nullable().default(null),
    sidedness: z.enum(['bilateral', 'unilateral']).default('bilateral'),
    signedOn: Day,
    note: OptText(200),
    reason: Text(200),
  })
  .refine((b) => b.kind === 'framework' || b.productName !== null, { path: ['productName'], message: 'a product agreement names its product' });
export const VoidBody = z.strictObject({ reason: Text(200) });

export const SigningQuery = z.strictObject({
  institutionId: QueryId.optional(),
  nodeId: QueryId.optional(),
  kind: z.enum(SIGNING_KINDS).optional(),
  status: z.enum(['active', 'superseded', 'void']).optional(),
  from: Day.optional(),
  to: Day.optional(),
  ...Page,
});
export type SigningQuery = z.infer<typeof SigningQuery>;
export const SigningOut = z.object({
  id: z.number(),
  institutionId: z.number(),
  institutionCode: z.string(),
  institutionName: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  kind: z.string(),
  productName: z.string().nullable(),
  sidedness: z.string(),
  signedOn: z.string(),
  status: z.string(),
  supersedesId: z.number().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  recordedByName: z.string().nullable(),
  grantAmount: z.number().nullable(),
  documents: z.number(),
});
export const SigningListOut = pagedList(SigningOut);

export const FileOut = z.object({
  id: z.number(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  takenAt: z.string().nullable(),
  uploadedAt: z.string(),
});
export const FileListOut = itemList(FileOut);

export const PoolBody = z
  .strictObject({
    quarter: z.string().regex(/^\d{4}Q[1-4]$/),
    resource: z.enum(POOL_RESOURCES),
    name: Text(60),
    unit: Text(20),
    totalAmount: z.number().int().min(0).max(1e15),
    grantAmount: z.number().int().min(1).max(1e15),
    signingKinds: z.array(z.enum(SIGNING_KINDS)).min(1).default(['framework', 'product']),
  })
  .refine((b) => b.grantAmount <= b.totalAmount || b.totalAmount === 0, { path: ['grantAmount'], message: 'the grant is larger than the pool' });
export type PoolBody = z.infer<typeof PoolBody>;
export const PoolPatch = z.strictObject({ totalAmount: z.number().int().min(0).max(1e15).optional(), grantAmount: z.number().int().min(1).max(1e15).optional() });
export type PoolPatch = z.infer<typeof PoolPatch>;
export const PoolOut = z.object({
  id: z.number(),
  quarter: z.string(),
  resource: z.string(),
  name: z.string(),
  unit: z.string(),
  totalAmount: z.number(),
  grantAmount: z.number(),
  grantedAmount: z.number(),
  remainingAmount: z.number(),
  signingKinds: z.string(),
  grants: z.number(),
});
export const PoolListOut = itemList(PoolOut);
export const GrantListOut = itemList(
  z.object({
    id: z.number(),
    seq: z.number(),
    amount: z.number(),
    grantedAt: z.string(),
    signingId: z.number(),
    recordedAt: z.string(),
    signedOn: z.string(),
    kind: z.string(),
    productName: z.string().nullable(),
    institutionId: z.number(),
    institutionName: z.string(),
    nodeId: z.number(),
    nodeName: z.string(),
    returnedAt: z.string().nullable(),
    returnReason: z.string().nullable(),
  }),
);

export const ProspectBody = z.strictObject({ stage: z.enum(PROSPECT_STAGES), nextStep: OptText(120), nextStepOn: Day.nullable().default(null), note: OptText(200) });
export const ProspectQuery = z.strictObject({ nodeId: QueryId.optional(), stage: z.enum(PROSPECT_STAGES).optional(), ...Page });
export type ProspectBody = z.infer<typeof ProspectBody>;
export type ProspectQuery = z.infer<typeof ProspectQuery>;
export const ProspectOut = z.object({
  id: z.number(),
  institutionId: z.number(),
  institutionName: z.string(),
  institutionCode: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  stage: z.string(),
  nextStep: z.string().nullable(),
  nextStepOn: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string(),
  updatedByName: z.string().nullable(),
});
export const ProspectListOut = pagedList(ProspectOut);

export const VisitBody = z.strictObject({ institutionId: IdIn, visitedOn: Day, peopleMet: Text(200), ourPeople: OptText(200), summary: Text(2000) });
export type VisitBody = z.infer<typeof VisitBody>;
export const VisitQuery = z.strictObject({ nodeId: QueryId.optional(), institutionId: QueryId.optional(), ...Page });
export type VisitQuery = z.infer<typeof VisitQuery>;
export const VisitOut = z.object({
  id: z.number(),
  institutionId: z.number(),
  institutionName: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  visitedOn: z.string(),
  peopleMet: z.string(),
  ourPeople: z.string().nullable(),
  summary: z.string(),
  recordedAt: z.string(),
  recordedByName: z.string().nullable(),
  photos: z.array(FileOut),
});
export const VisitListOut = pagedList(VisitOut);

export const LandingBody = z.strictObject({ product: Text(80), stage: z.enum(LANDING_STAGES), stageOn: Day, note: OptText(200) });
export const LandingCreate = LandingBody.extend({ institutionId: IdIn });
export type LandingBody = z.infer<typeof LandingBody>;
export const LandingQuery = z.strictObject({ nodeId: QueryId.optional(), institutionId: QueryId.optional(), stage: z.enum(LANDING_STAGES).optional(), ...Page });
export type LandingQuery = z.infer<typeof LandingQuery>;
export const LandingOut = z.object({
  id: z.number(),
  institutionId: z.number(),
  institutionName: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  product: z.string(),
  stage: z.string(),
  stageOn: z.string(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export const LandingListOut = pagedList(LandingOut);
export const GapListOut = itemList(
  z.object({ institutionId: z.number(), institutionCode: z.string(), institutionName: z.string(), nodeId: z.number(), nodeName: z.string(), firstSignedOn: z.string(), openLandings: z.number() }),
);

export const BranchOptionsOut = itemList(z.object({ id: z.number(), code: z.string(), name: z.string(), staff: z.array(z.object({ id: z.number(), staffNo: z.string(), name: z.string() })) }));
