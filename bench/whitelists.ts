import { sql } from 'drizzle-orm';
import { migrateDatabase, rows } from '../server/db/client.js';
import { DEMO_NODES } from '../server/seed/demo-ids.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import type { AuthContext } from '../server/modules/access/context.js';
import { loadGrants } from '../server/modules/auth/auth.service.js';
import { applyDistribution, previewDistribution } from '../server/modules/whitelists/distribution.service.js';
import { addWhitelistEntries, type WhitelistEntryInput } from '../server/modules/whitelists/entries.service.js';
import { fakeIdNo, fakeUscc } from '../server/modules/whitelists/whitelists.fixtures.js';
import { freshPg } from './scoring.js';

const secs = (ms: number) => Math.round(ms / 10) / 100;

/**
 * 经营快贷白名单 at branch scale (SPEC §12) on PostgreSQL: `clients` pre-approved clients in one
 * batch owned by 佛山分行, spread over its outlets by settlement code (one in twenty without one),
 * added through addWhitelistEntries (validation, one set-based upsert, routed to outlets), then the
 * staff distribution previewed and applied (one UPDATE over unnest). Goal: add + apply ≤ 10 s.
 * Baseline in the same run: one bare UPDATE touching every entry.
 */
export async function benchWhitelists(opts: { clients: number; pgBase: string }) {
  const database = await freshPg(opts.pgBase, 'linkage_bench_whitelists');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    const db = database.db;
    const [s] = await rows<{ id: number; name: string; nodeId: number }>(db, sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = 'fs_admin'`);
    const auth: AuthContext = {
      staffId: s.id,
      staffNo: 'fs_admin',
      name: s.name,
      nodeId: s.nodeId,
      sessionId: 'bench',
      csrfToken: 'bench',
      mustChangePassword: false,
      grants: await loadGrants(db, s.id),
    };
    const outlets = await rows<{ code: string }>(
      db,
      sql`SELECT o.code FROM org_nodes o JOIN org_nodes b ON o.path LIKE b.path || '%' WHERE b.id = ${DEMO_NODES.foshan} AND o.level = 'outlet' AND o.active ORDER BY o.id`,
    );
    const [{ staff }] = await rows<{ staff: number }>(
      db,
      sql`SELECT count(*)::int AS staff FROM staff s JOIN org_nodes o ON o.id = s.node_id WHERE s.active AND o.level = 'outlet' AND o.path LIKE (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}) || '%'`,
    );
    const entries: WhitelistEntryInput[] = Array.from({ length: opts.clients }, (_, i) => ({
      clientName: i % 3 === 2 ? `个体户${i}` : `佛山市基准商户${i}`,
      idNo: i % 3 === 2 ? fakeIdNo(i, String(440604 + Math.floor(i / 20_000))) : fakeUscc(i),
      phone: `139${String(i).padStart(8, '0')}`,
      amountFen: (10 + (i % 190)) * 1_000_000,
      product: '经营快贷',
      expiresOn: '2099-06-30',
      settlementCode: i % 20 === 19 ? null : outlets[i % outlets.length].code,
    }));
    // Built ID numbers repeat after lcm(40, 12, 28, 1000) = 21 000 (the region code changes every 20 000): keep them unique.
    const seen = new Set<string>();
    const list = entries.filter((e) => (seen.has(e.idNo) ? false : (seen.add(e.idNo), true)));
    const t0 = performance.now();
    const added = await db.transaction((tx) => addWhitelistEntries(tx, auth, { code: 'BENCH-WL', ownerNodeId: DEMO_NODES.foshan, source: 'import', entries: list }));
    const t1 = performance.now();
    const preview = await previewDistribution(db, auth, { batchId: added.batchId });
    const t2 = performance.now();
    const applied = await applyDistribution(db, auth, { batchId: added.batchId });
    const t3 = performance.now();
    await db.execute(sql`UPDATE whitelist_entries SET updated_at = now() WHERE batch_id = ${added.batchId}`);
    const t4 = performance.now();
    const result = {
      clients: list.length,
      outlets: outlets.length,
      outletStaff: staff,
      nodesWithEntries: preview.outlets.length,
      assigned: applied.assigned,
      addSeconds: secs(t1 - t0),
      previewSeconds: secs(t2 - t1),
      applySeconds: secs(t3 - t2),
      addAndApplySeconds: secs(t3 - t2 + (t1 - t0)),
      goalSeconds: 10,
      baselineBareUpdateSeconds: secs(t4 - t3),
      measuredAt: new Date().toISOString(),
    };
    console.log(result);
    return result;
  } finally {
    await database.close();
  }
}
