/** Factories for the target-list tests (not a test file itself): companies and staff with one line each. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { clientTypes, corporateClients, staff, staffRoles } from '../../db/schema/index.js';
import { usccCheckChar } from '../customers/ids.rules.js';

let serial = 0;

/** A valid 统一社会信用代码 (GB 32100-2015) that no seed uses: registration prefix 91, region 4406, body X… (deterministic). */
export function testUscc(n: number): string {
  const body = `914406X${String(n).padStart(10, '0')}`;
  return body + usccCheckChar(body)!;
}

/** Inserts a corporate client; missing parents (the client type) are created. */
export async function makeCompany(db: DbOrTx, over: Partial<typeof corporateClients.$inferInsert> & { nodeId: number }) {
  await db
    .insert(clientTypes)
    .values({ code: over.typeCode ?? 'enterprise', nameZh: '企业', nameEn: 'Enterprise' })
    .onConflictDoNothing();
  serial++;
  const [c] = await db
    .insert(corporateClients)
    .values({ uscc: testUscc(serial), name: `测试企业${serial}有限公司`, typeCode: 'enterprise', ...over })
    .returning();
  return c;
}

/** Inserts a staff member (demo password) holding one role over a scope. */
export async function makeStaff(db: DbOrTx, p: { staffNo: string; name: string; nodeId: number; departmentId?: number | null; role: string; scopeNodeId?: number }) {
  const [template] = await db.select({ passwordHash: staff.passwordHash }).from(staff).where(eq(staff.staffNo, 'admin'));
  const [s] = await db
    .insert(staff)
    .values({ staffNo: p.staffNo, name: p.name, nodeId: p.nodeId, departmentId: p.departmentId ?? null, passwordHash: template.passwordHash, mustChangePassword: false })
    .returning();
  await db.insert(staffRoles).values({ staffId: s.id, roleCode: p.role, scopeNodeId: p.scopeNodeId ?? p.nodeId });
  return s;
}
