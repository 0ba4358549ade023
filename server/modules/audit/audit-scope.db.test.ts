import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { DEFAULT_AWARD_RULES } from '../assessment/assessment.rules.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { appendAudit, type AuditEntryInput } from './audit.service.js';

/**
 * Issue 10, finding 1: every audit entry names the node it affects (the tree's root for bank-wide
 * changes), and a branch's auditors see what touches their branch — bank-wide changes included —
 * but never a sibling branch's entries, nor the people and clients of the nodes above them.
 */
let t: TestApp;
let admin: Client;
let fsCompliance: Client;
let firstId = 0;

const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
type Entry = { action: string; entity: string; entityId: string; nodeId: number | null };
const seen = async (c: Client, query: string): Promise<Entry[]> => {
  const res = await c.get(`/api/audit?pageSize=200&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  fsCompliance = await t.login('fs_compliance'); // audit.read over 佛山分行 only
  firstId = (await q<{ id: number }>(sql`SELECT COALESCE(max(id), 0)::int AS id FROM audit_log`))[0].id;
});
afterAll(() => t.close());

describe('audit entries name their node; branch auditors see bank-wide changes and nothing of their siblings', () => {
  it('a role change is audited on the tree’s root and a 佛山 auditor sees it', async () => {
    const res = await admin.put('/api/roles/staff', { permissions: ['org.read', 'product.read', 'objection.raise', 'dashboard.read'] });
    expect(res.statusCode, res.body).toBe(200);
    const [entry] = await q<{ nodeId: number | null }>(sql`SELECT node_id AS "nodeId" FROM audit_log WHERE action = 'role.update' ORDER BY id DESC LIMIT 1`);
    expect(entry.nodeId).toBe(DEMO_NODES.head);
    expect((await seen(fsCompliance, 'action=role.update')).map((e) => e.entityId)).toContain('staff');
  });

  it('a setting change is audited on the root and seen by the branch auditor', async () => {
    expect((await admin.put('/api/settings/publication.windowDays', { value: 8 })).statusCode).toBe(200);
    const items = await seen(fsCompliance, 'action=setting.update');
    expect(items[0]).toMatchObject({ entityId: 'publication.windowDays', nodeId: DEMO_NODES.head });
  });

  it('the province’s award rules (every branch’s default) are seen by the 佛山 auditor', async () => {
    const res = await admin.put('/api/assessment/rules', { nodeId: DEMO_NODES.province, effectiveYear: 2031, rules: DEFAULT_AWARD_RULES });
    expect(res.statusCode, res.body).toBe(200);
    const items = await seen(fsCompliance, 'entity=award_rule_set');
    expect(items.some((e) => e.nodeId === DEMO_NODES.province)).toBe(true);
  });

  it('a 河源 change stays invisible to the 佛山 auditor', async () => {
    const hyAdmin = await t.login('hy_admin');
    expect((await hyAdmin.patch(`/api/org/nodes/${DEMO_NODES.heyuan}`, { address: '广东省河源市源城区越王大道1号' })).statusCode).toBe(200);
    expect((await seen(admin, `action=org.update&entityId=${DEMO_NODES.heyuan}`)).length).toBeGreaterThan(0);
    expect(await seen(fsCompliance, `action=org.update&entityId=${DEMO_NODES.heyuan}`)).toEqual([]);
  });

  it('the people of the province itself stay invisible to the 佛山 auditor (only configuration flows down)', async () => {
    const [p] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE node_id = ${DEMO_NODES.province} AND staff_no <> 'admin' ORDER BY id LIMIT 1`);
    expect((await admin.patch(`/api/staff/${p.id}`, { title: '审计可见性测试' })).statusCode).toBe(200);
    expect((await seen(admin, `action=staff.update&entityId=${p.id}`)).length).toBe(1);
    expect(await seen(fsCompliance, `action=staff.update&entityId=${p.id}`)).toEqual([]);
  });

  it('every entry written through the API names a node', async () => {
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE id > ${firstId} AND node_id IS NULL`);
    expect(n).toBe(0);
    const [{ m }] = await q<{ m: number }>(sql`SELECT count(*)::int AS m FROM audit_log WHERE id > ${firstId}`);
    expect(m).toBeGreaterThanOrEqual(5);
  });

  it('an entry without a node is refused even when a caller casts around the type', async () => {
    const nameless = { action: 'test.nameless', entity: 'test', entityId: 1 } as unknown as AuditEntryInput;
    await expect(t.database.db.transaction((tx) => appendAudit(tx, { id: null, name: 'test' }, nameless))).rejects.toThrow(/names no org node/);
    // @ts-expect-error nodeId is required: the compiler refuses an entry that names no node.
    const typed: AuditEntryInput = { action: 'test.nameless', entity: 'test', entityId: 1 };
    expect(typed.nodeId).toBeUndefined();
  });
});
