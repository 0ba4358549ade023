import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/client.js';
import { DEMO_NODES } from '../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../test/harness.js';
import { runPublicationJob } from './publication.job.js';
import { useTestClock } from '../calendar/index.js';

/**
 * Issue 12 rule 5: missed publications are made up. The demo bank has sales in October and
 * November 2026, all months still drafts, as after a first start. On Saturday 2026-12-05 both
 * October (due 2026-11-02) and November (due 2026-12-01) are past their day.
 */
let t: TestApp;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const FS = DEMO_NODES.foshan;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the publication job makes up missed months, oldest first', () => {
  it('a draft past its publication day says it is overdue, and why (the console shows it)', async () => {
    const { restore } = useTestClock('2026-12-05T02:00:00Z');
    const off = await createTestApp({ JOBS_ENABLED: 'false' });
    try {
      const admin = await t.login('fs_admin');
      const oct = (await admin.get(`/api/periods/${FS}/2026-10`)).json();
      expect(oct).toMatchObject({ state: 'draft', scheduledPublicationDay: '2026-11-02', publicationOverdue: 'not_run_yet' });
      // December's month is not over: nothing is overdue.
      expect((await admin.get(`/api/periods/${FS}/2026-12`)).json().publicationOverdue).toBeNull();
      const offAdmin = await off.login('fs_admin');
      expect((await offAdmin.get(`/api/periods/${FS}/2026-10`)).json().publicationOverdue).toBe('jobs_disabled');
    } finally {
      await off.close();
      restore();
    }
  });

  it('before October’s day nothing of it is published; afterwards October goes out before November', async () => {
    // Sunday 2026-11-01: October publishes on Monday the 2nd.
    expect((await runPublicationJob(t.database.db, new Date('2026-11-01T02:00:00Z'))).done.filter((d) => d.period === '2026-10-01')).toEqual([]);

    const out = await runPublicationJob(t.database.db, new Date('2026-12-05T02:00:00Z'));
    expect(out.failed).toEqual([]);
    const fs = out.done.filter((d) => d.nodeId === FS).map((d) => d.period);
    expect(fs).toEqual(['2026-10-01', '2026-11-01']);

    const states = await q<{ period: string; state: string; published_at: string }>(
      sql`SELECT period::text AS period, state, published_at::text AS published_at FROM periods WHERE node_id = ${FS} ORDER BY period`,
    );
    expect(states.map((s) => [s.period, s.state])).toEqual([
      ['2026-10-01', 'published'],
      ['2026-11-01', 'published'],
    ]);
    // Every branch with October figures got October; every active branch got November.
    const [{ oct }] = await q<{ oct: number }>(sql`SELECT count(*)::int AS oct FROM (SELECT DISTINCT node_id FROM statement_totals WHERE grain = 'B' AND period = '2026-10-01') x`);
    expect(out.done.filter((d) => d.period === '2026-10-01').length).toBe(Number(oct));
    const [{ branches }] = await q<{ branches: number }>(sql`SELECT count(*)::int AS branches FROM org_nodes WHERE level IN ('province', 'branch') AND active`);
    expect(out.done.filter((d) => d.period === '2026-11-01').length).toBe(Number(branches));
    // In order: the audit trail has October's publication of 佛山 before November's.
    const trail = await q<{ entity_id: string }>(sql`SELECT entity_id FROM audit_log WHERE action = 'period.publish' AND node_id = ${FS} ORDER BY id`);
    expect(trail.map((r) => r.entity_id.slice(-7))).toEqual(['2026-10', '2026-11']);
    // A second round finds nothing left.
    expect((await runPublicationJob(t.database.db, new Date('2026-12-05T03:00:00Z'))).done).toEqual([]);
    // Published: no longer overdue.
    const { restore } = useTestClock('2026-12-05T04:00:00Z');
    try {
      expect((await (await t.login('fs_admin')).get(`/api/periods/${FS}/2026-10`)).json().publicationOverdue).toBeNull();
    } finally {
      restore();
    }
  });
});
