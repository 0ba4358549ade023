import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { clientTypes, corporateClients, developmentFigures, developments, productLines, products, productScores, saleDepartments, salePeople, sales, staff } from '../../db/schema/index.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';

/**
 * Test factories for scoring (products, scores, developments, sales written directly: the sales
 * module's recording path is another engineer's). Each builds what it needs; ids are returned.
 */
let seq = 0;
const next = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

export async function makeProduct(db: DbOrTx, o: { score: number; from?: string; mortgage?: boolean; host?: string; unit?: string; name?: string }) {
  await db.insert(productLines).values({ code: 'T_LINE', nameZh: '测试产品线', nameEn: 'Test line' }).onConflictDoNothing();
  const code = `P${next()}`;
  const [p] = await db
    .insert(products)
    .values({ code, name: o.name ?? `测试产品${code}`, lineCode: 'T_LINE', hostDepartmentCode: o.host ?? 'PF', unit: o.unit ?? '件', mortgage: o.mortgage ?? false })
    .returning();
  await db.insert(productScores).values({ productId: p.id, scoreHundredths: o.score, effectiveFrom: o.from ?? '2020-01-01' });
  return p;
}

export async function addScore(db: DbOrTx, productId: number, score: number, from: string) {
  const [r] = await db.insert(productScores).values({ productId, scoreHundredths: score, effectiveFrom: from }).returning();
  return r;
}

export async function makeDevelopment(
  db: DbOrTx,
  o: { nodeId: number; lenderMode: 'sole' | 'partial'; loanShareBp?: number; figures?: { asOf: string; total: number; bank: number }[]; name?: string },
) {
  await db.insert(clientTypes).values({ code: 'T_TYPE', nameZh: '测试类型', nameEn: 'Test' }).onConflictDoNothing();
  const code = next();
  const [c] = await db
    .insert(corporateClients)
    .values({ uscc: `T${code}`.padEnd(18, '0').slice(0, 18), name: `测试房地产开发有限公司${code}`, typeCode: 'T_TYPE', nodeId: o.nodeId })
    .returning();
  const [d] = await db
    .insert(developments)
    .values({ code: `D${code}`, name: o.name ?? `测试楼盘${code}`, developerId: c.id, nodeId: o.nodeId, lenderMode: o.lenderMode, loanShareBp: o.loanShareBp ?? null })
    .returning();
  for (const f of o.figures ?? []) await addFigures(db, d.id, f);
  return d;
}

export async function addFigures(db: DbOrTx, developmentId: number, f: { asOf: string; total: number; bank: number }) {
  await db.insert(developmentFigures).values({ developmentId, asOf: f.asOf, totalHouseholds: f.total, bankHouseholds: f.bank });
}

/** Staff of a branch department, in id order (the demo bank has 1–4 per department). */
export async function staffOf(db: DbOrTx, nodeId: number, deptCode: string): Promise<number[]> {
  const r = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.departmentId, demoDepartmentId(nodeId, deptCode)), isNotNull(staff.departmentId)))
    .orderBy(asc(staff.id));
  return r.map((x) => x.id);
}

export interface SaleSpec {
  productId: number;
  nodeId: number;
  saleDate: string;
  quantity1e4: number;
  host: string;
  participants: { dept: string; ratioBp?: number | null }[];
  people?: { staffId: number; dept: string; role?: string; contributionBp?: number | null }[];
  developmentId?: number | null;
  projectId?: number | null;
}

/** Inserts a sale with its departments and people (no scoring). */
export async function makeSale(db: DbOrTx, o: SaleSpec) {
  const [s] = await db
    .insert(sales)
    .values({
      sourceId: `T-${next()}`,
      productId: o.productId,
      saleDate: o.saleDate,
      quantity1e4: o.quantity1e4,
      hostDepartmentId: demoDepartmentId(o.nodeId, o.host),
      nodeId: o.nodeId,
      developmentId: o.developmentId ?? null,
      projectId: o.projectId ?? null,
    })
    .returning();
  if (o.participants.length) {
    await db.insert(saleDepartments).values(o.participants.map((p) => ({ saleId: s.id, departmentId: demoDepartmentId(o.nodeId, p.dept), ratioBp: p.ratioBp ?? null })));
  }
  if (o.people?.length) {
    await db
      .insert(salePeople)
      .values(o.people.map((p) => ({ saleId: s.id, staffId: p.staffId, departmentId: demoDepartmentId(o.nodeId, p.dept), role: p.role ?? '营销人员', contributionBp: p.contributionBp ?? null })));
  }
  return s;
}
