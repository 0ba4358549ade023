import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('settings, roles and committees', () => {
  it('changes a setting within its rules, audited with before and after', async () => {
    const list = (await admin.get('/api/settings')).json().items;
    expect(list.find((s: { key: string }) => s.key === 'publication.windowDays')).toMatchObject({ value: 7, labelZh: '公示期（天）' });
    const bad = await admin.put('/api/settings/publication.windowDays', { value: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([expect.objectContaining({ path: 'body.value', code: 'too_small', minimum: 1, origin: 'number' })]);
    expect((await admin.put('/api/settings/publication.windowDays', { value: 40 })).json().error.details).toEqual([expect.objectContaining({ code: 'too_big', maximum: 31 })]);
    expect((await admin.put('/api/settings/no.such', { value: 1 })).json().error.code).toBe('SETTING.UNKNOWN');
    const ok = await admin.put('/api/settings/publication.windowDays', { value: 10 });
    expect(ok.json().value).toBe(10);
    const audit = (await admin.get('/api/audit?action=setting.update')).json().items[0];
    expect(audit).toMatchObject({ entityId: 'publication.windowDays', before: 7, after: 10 });
  });

  it('offers no split percentages (the split rule is split_rules), and says how each setting is edited', async () => {
    const list = (await admin.get('/api/settings')).json().items as { key: string; control: unknown }[];
    expect(list.map((s) => s.key)).not.toContain('scoring.hostPercent');
    expect(list.map((s) => s.key)).not.toContain('scoring.participantPercent');
    for (const key of ['scoring.hostPercent', 'scoring.participantPercent']) {
      const res = await admin.put(`/api/settings/${key}`, { value: 30 });
      // Refused exactly like any unknown key.
      expect(res.statusCode).toBe((await admin.put('/api/settings/no.such', { value: 30 })).statusCode);
      expect(res.json().error.code).toBe('SETTING.UNKNOWN');
    }
    const control = (key: string) => list.find((s) => s.key === key)?.control;
    expect(control('publication.windowDays')).toEqual({ kind: 'number', min: 1, max: 31 });
    expect(control('bank.name')).toEqual({ kind: 'text', maxLength: 100 });
    expect(control('publication.holidays')).toEqual({ kind: 'dates' });
    expect(control('publication.workdays')).toEqual({ kind: 'dates' });
    const saved = await admin.put('/api/settings/publication.holidays', { value: ['2026-10-01', '2026-10-02'] });
    expect(saved.json()).toMatchObject({ value: ['2026-10-01', '2026-10-02'], control: { kind: 'dates' } });
    expect((await admin.put('/api/settings/publication.holidays', { value: '["2026-10-01"]' })).statusCode).toBe(400);
  });

  it('edits a role’s permissions, never the administrator’s, and the change takes effect', async () => {
    expect((await admin.put('/api/roles/admin', { permissions: [] })).statusCode).toBe(403);
    expect((await admin.put('/api/roles/staff', { permissions: ['org.read', 'no.such'] })).statusCode).toBe(400);
    const staff = await t.login('fs_staff');
    expect((await staff.get('/api/staff')).statusCode).toBe(403);
    expect((await admin.put('/api/roles/staff', { permissions: ['org.read', 'staff.read'] })).statusCode).toBe(200);
    expect((await staff.get('/api/staff')).statusCode).toBe(200);
    const audit = (await admin.get('/api/audit?action=role.update')).json().items[0];
    expect(audit.after.permissions).toContain('staff.read');
  });

  it('a branch committee is replaced by its chair’s office, with members from the branch only', async () => {
    const president = await t.login('fs_president');
    const current = (await president.get(`/api/org/nodes/${DEMO_NODES.foshan}/committee`)).json().items;
    expect(current.filter((m: { position: string }) => m.position === 'chair')).toHaveLength(1);
    const next = current.filter((m: { position: string }) => m.position !== 'member').map((m: { staffId: number; position: string }) => ({ staffId: m.staffId, position: m.position }));
    const res = await president.put(`/api/org/nodes/${DEMO_NODES.foshan}/committee`, { members: next });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(next.length);
    // Someone from 河源 cannot sit on 佛山's committee, and 佛山's chair cannot touch 河源's.
    const hy = (await admin.get(`/api/staff?nodeId=${DEMO_NODES.heyuan}&pageSize=1`)).json().items[0];
    const outsider = await president.put(`/api/org/nodes/${DEMO_NODES.foshan}/committee`, { members: [...next, { staffId: hy.id, position: 'member' }] });
    expect(outsider.statusCode).toBe(404);
    expect((await president.put(`/api/org/nodes/${DEMO_NODES.heyuan}/committee`, { members: [] })).statusCode).toBe(403);
    const audit = (await admin.get('/api/audit?action=committee.replace')).json().items[0];
    expect(audit.before.length).toBeGreaterThan(audit.after.length);
  });

  it('roles are granted within the grantor’s scope only', async () => {
    const fsAdmin = await t.login('fs_admin');
    const person = (await fsAdmin.get(`/api/staff?q=fs_staff`)).json().items[0];
    const wide = await fsAdmin.put(`/api/staff/${person.id}/roles`, { roles: [{ role: 'hr', scopeNodeId: DEMO_NODES.province }] });
    expect(wide.json().error.code).toBe('ROLE.SCOPE_TOO_WIDE');
    const ok = await fsAdmin.put(`/api/staff/${person.id}/roles`, {
      roles: [
        { role: 'hr', scopeNodeId: DEMO_NODES.foshan },
        { role: 'staff', scopeNodeId: DEMO_NODES.foshan },
      ],
    });
    expect(ok.statusCode).toBe(200);
    expect(
      ok
        .json()
        .roles.map((r: { role: string }) => r.role)
        .sort(),
    ).toEqual(['hr', 'staff']);
    expect((await fsAdmin.put(`/api/staff/${person.id}/roles`, { roles: [{ role: 'emperor', scopeNodeId: DEMO_NODES.foshan }] })).json().error.code).toBe('ROLE.UNKNOWN');
  });

  it('staff phone numbers are masked for readers who do not manage staff', async () => {
    const reader = await t.login('fs_compliance');
    const items = (await reader.get('/api/staff?pageSize=50')).json().items.filter((s: { phone: string | null }) => s.phone);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((s: { phone: string }) => /^\d{3}\*{4}\d{4}$/.test(s.phone))).toBe(true);
    const hr = await t.login('fs_hr');
    const full = (await hr.get('/api/staff?pageSize=50')).json().items.filter((s: { phone: string | null }) => s.phone);
    expect(full.some((s: { phone: string }) => /^1\d{10}$/.test(s.phone))).toBe(true);
  });
});
