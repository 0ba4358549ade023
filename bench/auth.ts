import { eq } from 'drizzle-orm';
import type { Db } from '../server/db/client.js';
import { staff } from '../server/db/schema/index.js';
import type { AuthContext } from '../server/modules/access/context.js';
import { loadGrants } from '../server/modules/auth/auth.service.js';

/** A signed-in caller for a benchmark that calls the services directly, as `staffNo` with their grants. */
export async function benchAuth(db: Db, staffNo: string): Promise<AuthContext> {
  const [s] = await db.select().from(staff).where(eq(staff.staffNo, staffNo));
  if (!s) throw new Error(`bench: no staff ${staffNo}`);
  return { staffId: s.id, staffNo: s.staffNo, name: s.name, nodeId: s.nodeId, sessionId: 'bench', csrfToken: 'bench', mustChangePassword: false, grants: await loadGrants(db, s.id) };
}
