import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * Project teams, activities and attendees by file (issue 13): every row checked and named by row
 * and cell with nothing written when one is wrong, the scope of doing it by hand (the unit, the
 * staff, the project), and a re-import of the same file changes nothing.
 */
let t: TestApp;
let fsAdmin: Client;
let hyAdmin: Client;
const FS = DEMO_NODES.foshan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let unit = { id: 0, uscc: '' };
let hyUnit = { id: 0, uscc: '' };
let corpAm = '';
let personalAm = '';
let hyStaff = '';
let outlet = { code: '', am: '' };
let people: { id: number; idNumber: string; name: string }[] = [];

/** A valid 居民身份证号码 from its first 17 digits. */
function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

beforeAll(async () => {
  t = await createTestApp();
  [fsAdmin, hyAdmin] = await Promise.all([t.login('fs_admin'), t.login('hy_admin')]);
  [unit] = await q<{ id: number; uscc: string }>(
    sql`SELECT c.id, c.uscc FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN org_nodes n ON n.id = c.node_id
         WHERE n.path LIKE ${`/1/2/${FS}/%`} GROUP BY c.id, c.uscc HAVING count(DISTINCT cp.person_id) >= 3 ORDER BY c.id LIMIT 1`,
  );
  [hyUnit] = await q<{ id: number; uscc: string }>(
    sql`SELECT c.id, c.uscc FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`} ORDER BY c.id LIMIT 1`,
  );
  people = await q(
    sql`SELECT DISTINCT i.id, i.id_number AS "idNumber", i.name FROM company_people cp JOIN individuals i ON i.id = cp.person_id WHERE cp.company_id = ${unit.id} ORDER BY i.id LIMIT 3`,
  );
  const staffWith = async (role: string, root: number) =>
    (
      await q<{ no: string }>(
        sql`SELECT s.staff_no AS no FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
             WHERE sr.role_code = ${role} AND s.active AND n.path LIKE ${`%/${root}/%`} ORDER BY s.id LIMIT 1`,
      )
    )[0].no;
  corpAm = await staffWith('corporate_am', FS);
  personalAm = await staffWith('personal_am', FS);
  hyStaff = await staffWith('personal_am', DEMO_NODES.heyuan);
  [outlet] = await q<{ code: string; am: string }>(
    sql`SELECT n.code, s.staff_no AS am FROM org_nodes n JOIN staff s ON s.node_id = n.id WHERE n.level = 'outlet' AND n.active AND s.active AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY n.id, s.id LIMIT 1`,
  );
  // Both units are on their branch's target list.
  for (const [node, company] of [
    [FS, unit.id],
    [DEMO_NODES.heyuan, hyUnit.id],
  ]) {
    const [{ dept }] = await q<{ dept: number }>(sql`SELECT id AS dept FROM departments WHERE node_id = ${node} ORDER BY id LIMIT 1`);
    const [{ id: v }] = await q<{ id: number }>(
      sql`INSERT INTO target_list_versions (node_id, department_id, version_no, created_by) VALUES (${node}, ${dept}, 1, (SELECT id FROM staff WHERE staff_no = 'fs_admin')) RETURNING id`,
    );
    await q(sql`INSERT INTO target_list_entries (version_id, company_id, criteria) VALUES (${v}, ${company}, '[]'::jsonb) RETURNING version_id`);
  }
});
afterAll(async () => t?.close());

async function upload(kind: string, csv: string, as: Client = fsAdmin) {
  const res = await as.request({ method: 'POST', url: `/api/imports/${kind}?mode=all`, payload: uploadForm(Buffer.from(csv), `${kind}.csv`, 'all') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  const job = (await as.get(`/api/imports/jobs/${res.json().id}`)).json();
  const errors = (await as.get(`/api/imports/jobs/${res.json().id}/errors`)).json().items as { row: number; columnKey: string; code: string; message: string }[];
  return { job, errors, at: (row: number) => errors.filter((e) => e.row === row) };
}

const count = async (table: string) => (await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))[0].n;
const TEAM = '目标单位,项目名称,员工号,角色,协办网点';
const ACTS = '活动编号,项目,类型,主题,开始时间,地点,状态,备注';
const ATTS = '活动,客户身份证号码,客户编号,姓名,手机,回复,是否签到,签到时间';

describe('the project imports', () => {
  it('offers the three kinds with Chinese-headed templates', async () => {
    const kinds = (await fsAdmin.get('/api/imports/kinds')).json().items.map((k: { kind: string }) => k.kind);
    expect(kinds).toEqual(expect.arrayContaining(['project-teams', 'project-activities', 'activity-attendees']));
    for (const kind of ['project-teams', 'project-activities', 'activity-attendees']) {
      const res = await fsAdmin.get(`/api/imports/templates/${kind}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain('.xlsx');
    }
  });

  it('refuses a team file with a bad row, naming row and cell, and writes nothing; another branch’s unit and staff are out of scope', async () => {
    const bad = await upload(
      'project-teams',
      [
        TEAM,
        `${unit.uscc},,${corpAm},对公客户经理,${outlet.code}`,
        `${unit.uscc},,${personalAm},个人客户经理,${outlet.code}`,
        `${unit.uscc},,${hyStaff},产品经理,${outlet.code}`,
        `${hyUnit.uscc},,${corpAm},对公客户经理,${outlet.code}`,
        `${unit.uscc},,${outlet.am},网点行长,${outlet.code}`,
      ].join('\n'),
    );
    expect(bad.job).toMatchObject({ status: 'failed', inserted: 0 });
    expect(bad.at(4)[0]).toMatchObject({ columnKey: 'staffNo', code: 'PROJECT.BAD_MEMBER' });
    expect(bad.at(4)[0].message).toMatch(/^第4行 员工号：/);
    expect(bad.at(5)[0]).toMatchObject({ columnKey: 'unit', code: 'IMPORT.REFERENCE' });
    expect(bad.at(5)[0].message).toContain('不存在或不在您的管理范围内');
    expect(bad.at(6)[0]).toMatchObject({ columnKey: 'role', code: 'IMPORT.INVALID' });
    expect(await count('projects')).toBe(0);
    expect(await count('project_members')).toBe(0);

    // 河源's administrator may not form 佛山's team, nor name 佛山's staff on 河源's unit.
    const out = await upload('project-teams', [TEAM, `${unit.uscc},,${corpAm},对公客户经理,${outlet.code}`, `${hyUnit.uscc},,${corpAm},对公客户经理,${outlet.code}`].join('\n'), hyAdmin);
    expect(out.at(2)[0]).toMatchObject({ columnKey: 'unit', code: 'IMPORT.REFERENCE' });
    expect(out.at(3).map((e) => e.columnKey)).toEqual(expect.arrayContaining(['staffNo', 'outletCode']));
    expect(await count('projects')).toBe(0);
  });

  it('forms the team of a target unit; a re-import changes nothing and a new row adds one member', async () => {
    const rowsOf = [TEAM, `${unit.uscc},佛山导入项目,${corpAm},对公客户经理,${outlet.code}`, `${unit.uscc},,${personalAm},个人客户经理,${outlet.code}`];
    const first = await upload('project-teams', rowsOf.join('\n'));
    expect(first.job).toMatchObject({ status: 'done', inserted: 2, errorRows: 0 });
    const [p] = await q<{ id: number; name: string; outlet: string }>(
      sql`SELECT p.id, p.name, o.code AS outlet FROM projects p JOIN org_nodes o ON o.id = p.co_outlet_node_id WHERE p.company_id = ${unit.id}`,
    );
    expect(p).toMatchObject({ name: '佛山导入项目', outlet: outlet.code });
    const [{ n: audits }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'project.create' AND entity_id = ${String(p.id)}`);
    expect(audits).toBe(1);
    const again = await upload('project-teams', rowsOf.join('\n'));
    expect(again.job).toMatchObject({ status: 'done', inserted: 0, unchanged: 2 });
    expect(await count('projects')).toBe(1);
    const more = await upload('project-teams', [...rowsOf, `${unit.id},,${outlet.am},网点客户经理,${outlet.code}`].join('\n'));
    expect(more.job).toMatchObject({ status: 'done', inserted: 1, unchanged: 2 });
    expect(await count('project_members')).toBe(3);
  });

  it('plans activities by project id or unit code; a bad row writes nothing; a re-import changes nothing', async () => {
    const [{ id }] = await q<{ id: number }>(sql`SELECT id FROM projects WHERE company_id = ${unit.id}`);
    const good = [`HD-001,${id},理财沙龙,年终理财沙龙,2026-12-10 14:30,会议室,计划,`, `HD-002,${unit.uscc},上门拜访,拜访财务总监,2026/12/12 09:00,,,`];
    const bad = await upload('project-activities', [ACTS, ...good, `HD-003,${id},茶话会,茶话会,2026-12-13,,,`, `HD-004,${id},路演,产品路演,12月14日,,,`].join('\n'));
    expect(bad.job).toMatchObject({ status: 'failed', inserted: 0 });
    expect(bad.at(4)[0]).toMatchObject({ columnKey: 'kind' });
    expect(bad.at(4)[0].message).toMatch(/^第4行 类型：/);
    expect(bad.at(5)[0]).toMatchObject({ columnKey: 'startsAt' });
    expect(await count('activities')).toBe(0);
    const out = await upload('project-activities', [ACTS, ...good].join('\n'), hyAdmin);
    expect(out.errors.map((e) => e.columnKey)).toEqual(['project', 'project']);
    expect(await count('activities')).toBe(0);

    const first = await upload('project-activities', [ACTS, ...good].join('\n'));
    expect(first.job).toMatchObject({ status: 'done', inserted: 2 });
    const [a] = await q<{ kind: string; startsAt: string }>(
      sql`SELECT kind, to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "startsAt" FROM activities WHERE source_key = 'HD-001'`,
    );
    expect(a).toEqual({ kind: 'salon', startsAt: '2026-12-10 14:30' });
    const again = await upload('project-activities', [ACTS, ...good].join('\n'));
    expect(again.job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 2 });
  });

  it('invites the unit’s people and new ones, checks them in, and a re-import changes nothing', async () => {
    const newcomer = idNumber('44060419900101123');
    const good = [`HD-001,${people[0].idNumber},,${people[0].name},,接受,是,2026-12-10 14:25`, `HD-001,,${people[1].id},${people[1].name},,,,`, `HD-001,${newcomer},,新来的,13800138000,,是,`];
    const bad = await upload('activity-attendees', [ATTS, ...good, `HD-001,${people[2].idNumber},,别的名字,,,,`, `HD-999,,${people[2].id},${people[2].name},,,,`].join('\n'));
    expect(bad.job).toMatchObject({ status: 'failed', inserted: 0 });
    expect(bad.at(5)[0]).toMatchObject({ columnKey: 'name' });
    expect(bad.at(6)[0]).toMatchObject({ columnKey: 'activity', code: 'IMPORT.REFERENCE' });
    expect(await count('activity_invitees')).toBe(0);
    expect((await q(sql`SELECT 1 FROM individuals WHERE id_number = ${newcomer}`)).length).toBe(0);
    const out = await upload('activity-attendees', [ATTS, ...good].join('\n'), hyAdmin);
    expect(out.errors.map((e) => e.columnKey)).toEqual(['activity', 'activity', 'activity']);

    const first = await upload('activity-attendees', [ATTS, ...good].join('\n'));
    expect(first.job).toMatchObject({ status: 'done', inserted: 3 });
    const [{ person, linked }] = await q<{ person: number; linked: number }>(
      sql`SELECT i.id AS person, (SELECT count(*)::int FROM company_people cp WHERE cp.person_id = i.id AND cp.company_id = ${unit.id}) AS linked FROM individuals i WHERE i.id_number = ${newcomer}`,
    );
    expect(linked).toBe(1);
    const list = await q<{ personId: number; rsvp: string; at: string | null; method: string | null }>(
      sql`SELECT person_id AS "personId", rsvp, to_char(checked_in_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at, check_in_method AS method FROM activity_invitees ORDER BY id`,
    );
    expect(list[0]).toEqual({ personId: people[0].id, rsvp: 'accepted', at: '2026-12-10 14:25', method: 'manual' });
    expect(list[1]).toMatchObject({ personId: people[1].id, rsvp: 'pending', at: null });
    expect(list[2]).toMatchObject({ personId: person, rsvp: 'accepted', method: 'manual' });
    const again = await upload('activity-attendees', [ATTS, ...good].join('\n'));
    expect(again.job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 3 });
    expect(await count('activity_invitees')).toBe(3);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM individuals WHERE id_number = ${newcomer}`);
    expect(n).toBe(1);
  });
});
