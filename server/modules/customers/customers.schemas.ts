import { z } from 'zod';
import { Id, IdIn } from '../../http/ids.js';
import { PERSON_ROLES } from '../../db/schema/customers.js';
import { FactsSchema } from './facts.js';

/** Chinese names of the company↔person roles (SPEC §2). */
export const PERSON_ROLE_ZH: Record<(typeof PERSON_ROLES)[number], string> = {
  legal_rep: '法定代表人',
  executive: '高管',
  middle: '中层',
  staff: '员工',
  shareholder: '股东',
};

const pageFields = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
/** An amount in 分: a non-negative safe integer. */
const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// ---- corporate clients ------------------------------------------------------------------------

export const CompanyQuery = z.strictObject({
  ...pageFields,
  /** Name fragment or (part of) the 统一社会信用代码 */
  q: z.string().trim().min(1).max(60).optional(),
  typeCode: z.string().max(40).optional(),
  industryCode: z.string().max(10).optional(),
  /** The node's whole subtree */
  nodeId: Id.optional(),
  accountManagerId: Id.optional(),
  departmentId: Id.optional(),
});
export type CompanyFilter = z.infer<typeof CompanyQuery>;

export const CompanyOut = z.object({
  id: z.number(),
  uscc: z.string(),
  name: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  industryCode: z.string().nullable(),
  industryName: z.string().nullable(),
  nodeId: z.number(),
  nodeName: z.string(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  accountManagerId: z.number().nullable(),
  accountManagerName: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  /** Amounts in 分 (integers) and in 元 as exact decimal strings. */
  creditLineFen: z.number().nullable(),
  creditLine: z.string().nullable(),
  loanBalanceFen: z.number().nullable(),
  loanBalance: z.string().nullable(),
  annualSalesFen: z.number().nullable(),
  annualSales: z.string().nullable(),
  provincialTaxRank: z.number().nullable(),
  listed: z.boolean(),
});

const LinkedCompany = z.object({ linkId: z.number(), id: z.number(), name: z.string(), uscc: z.string(), since: z.string().nullable() });

export const CompanyPersonOut = z.object({
  linkId: z.number(),
  personId: z.number(),
  name: z.string(),
  role: z.enum(PERSON_ROLES),
  roleName: z.string(),
  title: z.string().nullable(),
  since: z.string().nullable(),
  until: z.string().nullable(),
  /** Always masked: 4401**********1234 */
  idNumber: z.string(),
  vipTier: z.string().nullable(),
  aumFen: z.number(),
  aum: z.string(),
  holdingsCount: z.number(),
});

export const Company360Out = CompanyOut.extend({
  address: z.string().nullable(),
  facts: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
  parents: z.array(LinkedCompany),
  children: z.array(LinkedCompany),
  people: z.array(CompanyPersonOut),
});

const usccIn = z.string().trim().min(1).max(30);
const companyFields = {
  name: z.string().trim().min(1).max(100),
  typeCode: z.string().trim().min(1).max(40),
  industryCode: z.string().trim().max(10).nullish(),
  nodeId: IdIn,
  departmentId: IdIn.nullish(),
  accountManagerId: IdIn.nullish(),
  legalRepresentative: z.string().trim().max(50).nullish(),
  address: z.string().trim().max(200).nullish(),
  creditLineFen: fen.nullish(),
  loanBalanceFen: fen.nullish(),
  annualSalesFen: fen.nullish(),
  provincialTaxRank: z.number().int().min(1).max(1_000_000).nullish(),
  listed: z.boolean().optional(),
  facts: FactsSchema.optional(),
};

export const CreateCompanyBody = z.strictObject({ uscc: usccIn, ...companyFields });
export const UpdateCompanyBody = z.strictObject({
  uscc: usccIn.optional(),
  ...companyFields,
  name: companyFields.name.optional(),
  typeCode: companyFields.typeCode.optional(),
  nodeId: companyFields.nodeId.optional(),
});

// ---- individuals ------------------------------------------------------------------------------

export const PersonQuery = z.strictObject({
  ...pageFields,
  /** Name fragment */
  q: z.string().trim().min(1).max(30).optional(),
  /** The last four characters of the ID number */
  idSuffix: z
    .string()
    .trim()
    .regex(/^\d{3}[\dXx]$/, '应为身份证号码后4位')
    .optional(),
  /** The last four digits of the phone number */
  phoneSuffix: z
    .string()
    .trim()
    .regex(/^\d{4}$/, '应为手机号后4位')
    .optional(),
  /** The whole ID number (exact): finding someone whose number the caller already has */
  idNumber: z.string().trim().min(15).max(18).optional(),
  nodeId: Id.optional(),
  dedicatedAmId: Id.optional(),
  vipTier: z.string().trim().max(20).optional(),
});
export type PersonFilter = z.infer<typeof PersonQuery>;

export const PersonOut = z.object({
  id: z.number(),
  name: z.string(),
  gender: z.enum(['M', 'F']).nullable(),
  birthDate: z.string().nullable(),
  /** Always masked; the full number only through /reveal. */
  idNumber: z.string(),
  phone: z.string().nullable(),
  nodeId: z.number(),
  nodeName: z.string(),
  dedicatedAmId: z.number().nullable(),
  dedicatedAmName: z.string().nullable(),
  aumFen: z.number(),
  aum: z.string(),
  vipTier: z.string().nullable(),
});

export const HoldingOut = z.object({
  id: z.number(),
  productCode: z.string(),
  productName: z.string(),
  amountFen: z.number().nullable(),
  amount: z.string().nullable(),
  quantity: z.number().nullable(),
  since: z.string().nullable(),
});

export const PersonCompanyOut = z.object({
  linkId: z.number(),
  companyId: z.number(),
  companyName: z.string(),
  uscc: z.string(),
  role: z.enum(PERSON_ROLES),
  roleName: z.string(),
  title: z.string().nullable(),
  since: z.string().nullable(),
  until: z.string().nullable(),
});

export const Person360Out = PersonOut.extend({
  createdAt: z.date(),
  updatedAt: z.date(),
  companies: z.array(PersonCompanyOut),
  holdings: z.array(HoldingOut),
});

const personFields = {
  name: z.string().trim().min(1).max(50),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '应为11位手机号码')
    .nullish(),
  nodeId: IdIn,
  dedicatedAmId: IdIn.nullish(),
  aumFen: fen.optional(),
  vipTier: z.string().trim().max(20).nullish(),
};
export const CreatePersonBody = z.strictObject({ idNumber: z.string().trim().min(1).max(30), ...personFields });
export const UpdatePersonBody = z.strictObject({
  idNumber: z.string().trim().min(1).max(30).optional(),
  ...personFields,
  name: personFields.name.optional(),
  nodeId: personFields.nodeId.optional(),
});

export const RevealBody = z.strictObject({
  field: z.enum(['idNumber', 'phone']),
  /** Why the full value is needed; kept in the audit log. */
  reason: z.string().trim().min(4, '请填写查看原因（至少4个字）').max(200),
});
export const RevealOut = z.object({ field: z.enum(['idNumber', 'phone']), value: z.string() });

// ---- relationships ----------------------------------------------------------------------------

export const CreatePersonLinkBody = z.strictObject({
  companyId: IdIn,
  personId: IdIn,
  role: z.enum(PERSON_ROLES),
  title: z.string().trim().max(50).nullish(),
  since: isoDate.nullish(),
  until: isoDate.nullish(),
});
export const UpdatePersonLinkBody = z.strictObject({
  role: z.enum(PERSON_ROLES).optional(),
  title: z.string().trim().max(50).nullish(),
  since: isoDate.nullish(),
  until: isoDate.nullish(),
});
export const PersonLinkOut = z.object({
  id: z.number(),
  companyId: z.number(),
  personId: z.number(),
  role: z.enum(PERSON_ROLES),
  title: z.string().nullable(),
  since: z.string().nullable(),
  until: z.string().nullable(),
});

export const CreateGroupLinkBody = z.strictObject({
  parentId: IdIn,
  childId: IdIn,
  since: isoDate.nullish(),
});
export const UpdateGroupLinkBody = z.strictObject({ since: isoDate.nullish() });
export const GroupLinkOut = z.object({ id: z.number(), parentId: z.number(), childId: z.number(), since: z.string().nullable() });

// ---- graph and reference lists ------------------------------------------------------------------

export const GraphQuery = z
  .strictObject({
    companyId: Id.optional(),
    personId: Id.optional(),
    depth: z.coerce.number().int().min(1).max(2).default(1),
    /** At most this many nodes (the graph says when it was cut). */
    limit: z.coerce.number().int().min(10).max(500).default(200),
  })
  .refine((q) => (q.companyId === undefined) !== (q.personId === undefined), { message: '请指定 companyId 或 personId 之一' });

export const GraphOut = z.object({
  nodes: z.array(
    z.object({
      /** 'c12' for a company, 'p34' for a person */
      id: z.string(),
      kind: z.enum(['company', 'person']),
      entityId: z.number(),
      name: z.string(),
      /** The node the graph was asked about */
      root: z.boolean(),
      /** Company type or person VIP tier, for colouring */
      category: z.string().nullable(),
    }),
  ),
  edges: z.array(z.object({ source: z.string(), target: z.string(), kind: z.enum([...PERSON_ROLES, 'group']), label: z.string() })),
  truncated: z.boolean(),
});

export const RefOut = z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }));
