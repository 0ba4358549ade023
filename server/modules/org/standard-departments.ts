import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { type DeptKind, departments } from '../../db/schema/index.js';

export interface StandardDepartment {
  code: string;
  name: string;
  kind: DeptKind;
  committeeOffice?: boolean;
}

/**
 * The departments every branch-level node (省分行, 二级分行) opens with (SPEC §1): the marketing
 * departments that score, and the functions (HR, finance, compliance, tech) whose roles sit in
 * them. The demo bank is built from the same list; an administrator may rename or add more.
 */
export const STANDARD_DEPARTMENTS: readonly StandardDepartment[] = [
  { code: 'CORP', name: '公司业务部', kind: 'corporate' },
  { code: 'INST', name: '机构业务部', kind: 'institutional' },
  { code: 'RE', name: '房地产信贷部', kind: 'real_estate' },
  { code: 'PF', name: '个人金融部', kind: 'personal_finance', committeeOffice: true },
  { code: 'EB', name: '电子银行部', kind: 'e_banking' },
  { code: 'CC', name: '信用卡中心', kind: 'credit_card' },
  { code: 'PB', name: '私人银行部', kind: 'private_banking' },
  { code: 'HR', name: '人力资源部', kind: 'hr' },
  { code: 'FIN', name: '财务会计部', kind: 'finance' },
  { code: 'ICC', name: '内控合规部', kind: 'compliance' },
  { code: 'TECH', name: '科技部', kind: 'tech' },
];

/**
 * Opens the standard departments of a new province or branch node (those whose code it does not
 * have yet) in the caller's transaction; returns the rows it inserted.
 */
export async function addStandardDepartments(tx: DbOrTx, nodeId: number) {
  const have = await tx
    .select({ code: departments.code })
    .from(departments)
    .where(
      and(
        eq(departments.nodeId, nodeId),
        inArray(
          departments.code,
          STANDARD_DEPARTMENTS.map((d) => d.code),
        ),
      ),
    );
  const taken = new Set(have.map((d) => d.code));
  const missing = STANDARD_DEPARTMENTS.filter((d) => !taken.has(d.code));
  if (missing.length === 0) return [];
  return tx
    .insert(departments)
    .values(missing.map((d) => ({ nodeId, code: d.code, name: d.name, kind: d.kind, committeeOffice: d.committeeOffice ?? false })))
    .returning();
}
