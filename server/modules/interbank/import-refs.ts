import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { canAt, type AuthContext } from '../access/context.js';
import { currentJurisdiction } from './interbank.access.js';

/** Look-ups the inter-bank imports share: branches by 机构号, staff by 工号, institutions by code. */

export const KIND_WORDS = {
  省农信联社: 'association',
  联社: 'association',
  农村商业银行: 'rural_commercial',
  农商行: 'rural_commercial',
  农村合作银行: 'rural_cooperative',
  农村信用社: 'rural_credit_coop',
  农信社: 'rural_credit_coop',
  村镇银行: 'village_bank',
  城市商业银行: 'city_bank',
  城商行: 'city_bank',
  股份制银行分行: 'joint_stock_branch',
  政策性银行: 'policy_bank',
  其他: 'other',
  association: 'association',
  rural_commercial: 'rural_commercial',
  rural_cooperative: 'rural_cooperative',
  rural_credit_coop: 'rural_credit_coop',
  village_bank: 'village_bank',
  city_bank: 'city_bank',
  joint_stock_branch: 'joint_stock_branch',
  policy_bank: 'policy_bank',
  other: 'other',
} as const;

export interface BranchRef {
  id: number;
  code: string;
  path: string;
}

export async function branchesByCode(db: DbOrTx): Promise<Map<string, BranchRef>> {
  const list = await rows<BranchRef>(db, sql`SELECT id, code, path FROM org_nodes WHERE level = 'branch'`);
  return new Map(list.map((b) => [b.code.toUpperCase(), b]));
}

export async function staffByNo(db: DbOrTx, numbers: string[]): Promise<Map<string, { id: number; path: string; active: boolean }>> {
  if (!numbers.length) return new Map();
  const list = await rows<{ staffNo: string; id: number; path: string; active: boolean }>(
    db,
    sql`SELECT s.staff_no AS "staffNo", s.id, n.path, s.active FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE upper(s.staff_no) IN (${sql.join(
      numbers.map((n) => n.toUpperCase()),
      sql`, `,
    )})`,
  );
  return new Map(list.map((s) => [s.staffNo.toUpperCase(), s]));
}

export interface InstitutionByCode {
  id: number;
  code: string;
  kind: string;
  nodeId: number;
  nodePath: string;
  leaderStaffId: number | null;
  openFrom: string;
}

export async function institutionsByCode(db: DbOrTx, codes: string[], today: string): Promise<Map<string, InstitutionByCode>> {
  if (!codes.length) return new Map();
  const list = await rows<InstitutionByCode>(
    db,
    sql`SELECT i.id, i.code, i.kind, j.node_id AS "nodeId", n.path AS "nodePath", j.leader_staff_id AS "leaderStaffId",
               (SELECT valid_from::text FROM fi_jurisdictions o WHERE o.institution_id = i.id AND o.valid_to IS NULL) AS "openFrom"
          FROM fi_institutions i JOIN (${currentJurisdiction(today)}) j ON j.institution_id = i.id JOIN org_nodes n ON n.id = j.node_id
         WHERE upper(i.code) IN (${sql.join(
           codes.map((c) => c.toUpperCase()),
           sql`, `,
         )})`,
  );
  return new Map(list.map((i) => [i.code.toUpperCase(), i]));
}

/** The institution is kept today by a branch where the caller holds interbank.manage. */
export const manages = (auth: AuthContext, inst: { nodePath: string }): boolean => canAt(auth, 'interbank.manage', inst.nodePath);
