import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { jpegWithExif, pngRgba } from './testing.js';

/**
 * 机构名录, 签约, 意向, 拜访, 落地 through the API (SPEC §11, issue 14): the province imports a registry
 * (every bad row and cell named, all-or-nothing, a re-import changes nothing, a changed branch is a
 * move with its reason and history); 佛山 keeps only its own jurisdiction and every record it names
 * is checked; signings are corrected and voided with reasons and imported idempotently; visits take
 * checked, downscaled photos with their EXIF time; landings need a signed institution.
 */
let t: TestApp;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
let hyAdmin: Client;
const FS = DEMO_NODES.foshan;
const HY = DEMO_NODES.heyuan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let fsLeader = '';
let hyLeader = '';
const idOf = async (code: string) => (await q<{ id: number }>(sql`SELECT id FROM fi_institutions WHERE code = ${code}`))[0].id;

async function importCsv(who: Client, kind: string, csv: string) {
  const res = await who.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(Buffer.from(csv), `${kind}.csv`, 'all') });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
}

const HEADER = '机构编码,机构名称,机构类型,上级联社编码,所属二级分行机构号,联动负责人工号,状态,管辖生效日期,调整原因\n';
let registryCsv = '';

beforeAll(async () => {
  restore = useTestClock('2026-12-01T02:00:00Z').restore;
  t = await createTestApp();
  [admin, fsAdmin, hyAdmin] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('hy_admin')]);
  const leader = async (node: number) =>
    (await q<{ staffNo: string }>(sql`SELECT s.staff_no AS "staffNo" FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND n.path LIKE ${`/1/2/${node}/%`} ORDER BY s.id LIMIT 1`))[0]
      .staffNo;
  [fsLeader, hyLeader] = [await leader(FS), await leader(HY)];
  registryCsv =
    HEADER +
    `GDRCU,广东省农村信用社联合社,省农信联社,,44100,,正常,2026-01-01,\n` +
    `FS-RCB,佛山农村商业银行,农村商业银行,GDRCU,44100,${fsLeader},正常,2026-01-01,\n` +
    `FS-VB,佛山高明村镇银行,村镇银行,GDRCU,44100,,正常,2026-01-01,\n` +
    `HY-RCB,河源农村商业银行,农商行,GDRCU,44200,${hyLeader},正常,2026-01-01,\n`;
});

afterAll(async () => {
  restore();
  await t?.close();
});

describe('the registry import', () => {
  it('names every bad row and cell and writes nothing', async () => {
    const bad = HEADER + `X1,坏类型,信托公司,,44100,,,,\nX2,坏分行,村镇银行,,441,,,,\nX3,坏负责人,村镇银行,,44100,${hyLeader},,,\nX4,坏上级,村镇银行,NOPE,44100,,,,\n`;
    const { job, errors } = await importCsv(admin, 'interbank-registry', bad);
    expect(job).toMatchObject({ status: 'failed', errorRows: 4, inserted: 0 });
    const cells = errors.items.map((e: { row: number; columnKey: string }) => `${e.row}:${e.columnKey}`);
    expect(cells).toEqual(expect.arrayContaining(['2:kind', '3:branchCode', '4:leaderNo', '5:parentCode']));
    expect(await q(sql`SELECT id FROM fi_institutions WHERE code LIKE 'X%'`)).toEqual([]);
  });

  it('imports, and the same file again changes nothing', async () => {
    expect((await importCsv(admin, 'interbank-registry', registryCsv)).job).toMatchObject({ status: 'done', inserted: 4, unchanged: 0 });
    const [{ audits }] = await q<{ audits: number }>(sql`SELECT count(*)::int AS audits FROM audit_log WHERE action LIKE 'interbank.%'`);
    expect((await importCsv(admin, 'interbank-registry', registryCsv)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 4 });
    const [{ again }] = await q<{ again: number }>(sql`SELECT count(*)::int AS again FROM audit_log WHERE action LIKE 'interbank.%'`);
    expect(again).toBe(audits);
    const list = (await fsAdmin.get('/api/interbank/institutions')).json();
    expect(list.items.map((i: { code: string }) => i.code).sort()).toEqual(['FS-RCB', 'FS-VB', 'GDRCU']);
    expect(list.items.find((i: { code: string }) => i.code === 'FS-RCB')).toMatchObject({ kind: 'rural_commercial', parentName: '广东省农村信用社联合社', nodeId: FS, leaderNo: fsLeader });
    expect((await admin.get(`/api/interbank/institutions?nodeId=${HY}`)).json().items.map((i: { code: string }) => i.code)).toEqual(['HY-RCB']);
    expect((await admin.get('/api/interbank/institutions?kind=village_bank')).json().total).toBe(1);
  });

  it('a changed branch is a move: needs a reason, closes the open row the day before, shows the history', async () => {
    const moved = HEADER + `FS-VB,佛山高明村镇银行,村镇银行,GDRCU,44200,,正常,2026-12-01,\n`;
    const refused = await importCsv(admin, 'interbank-registry', moved);
    expect(refused.errors.items[0]).toMatchObject({ row: 2, columnKey: 'reason', code: 'FI.REASON_REQUIRED' });
    // 佛山 cannot move it into 河源: the new branch is outside its scope.
    const fsTry = await importCsv(fsAdmin, 'interbank-registry', moved.replace(/,\n$/, ',划转河源管辖\n'));
    expect(fsTry.errors.items[0]).toMatchObject({ columnKey: 'branchCode', code: 'AUTH.OUT_OF_SCOPE' });
    expect((await importCsv(admin, 'interbank-registry', moved.replace(/,\n$/, ',划转河源管辖\n'))).job).toMatchObject({ status: 'done', updated: 1 });
    const id = await idOf('FS-VB');
    const detail = (await hyAdmin.get(`/api/interbank/institutions/${id}`)).json();
    expect(detail.nodeId).toBe(HY);
    expect(detail.history.map((h: { nodeId: number; validFrom: string; validTo: string | null; reason: string | null }) => [h.nodeId, h.validFrom, h.validTo, h.reason])).toEqual([
      [HY, '2026-12-01', null, '划转河源管辖'],
      [FS, '2026-01-01', '2026-11-30', null],
    ]);
    expect((await fsAdmin.get(`/api/interbank/institutions/${id}`)).statusCode).toBe(404);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.jurisdiction.move' AND entity_id = ${String(id)}`);
    expect(n).toBe(2); // on the branch it left and the one it joined
  });
});

describe('scope: a branch keeps only its own jurisdiction', () => {
  it('every record a write names is checked', async () => {
    const fsRcb = await idOf('FS-RCB');
    const hyRcb = await idOf('HY-RCB');
    const [{ id: hyStaff }] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = ${hyLeader}`);
    expect((await hyAdmin.get(`/api/interbank/institutions/${fsRcb}`)).statusCode).toBe(404);
    expect((await hyAdmin.post('/api/interbank/signings', { institutionId: fsRcb, kind: 'framework', signedOn: '2026-11-20' })).json().error.code).toBe('FI.INSTITUTION_NOT_FOUND');
    expect((await fsAdmin.post(`/api/interbank/institutions/${fsRcb}/move`, { nodeId: HY, validFrom: '2026-12-02', reason: 'x' })).json().error.code).toBe('FI.NODE_NOT_BRANCH');
    expect((await fsAdmin.post(`/api/interbank/institutions/${fsRcb}/move`, { nodeId: FS, leaderStaffId: hyStaff, validFrom: '2026-12-02', reason: 'x' })).json().error.code).toBe(
      'FI.LEADER_NOT_IN_BRANCH',
    );
    expect((await fsAdmin.post('/api/interbank/institutions', { code: 'FS-NEW', name: '新机构', kind: 'city_bank', nodeId: HY })).json().error.code).toBe('FI.NODE_NOT_BRANCH');
    expect((await fsAdmin.post('/api/interbank/visits', { institutionId: hyRcb, visitedOn: '2026-11-30', peopleMet: '行长', summary: '拜访' })).statusCode).toBe(404);
    expect((await fsAdmin.put(`/api/interbank/prospects/${hyRcb}`, { stage: 'contacted' })).statusCode).toBe(404);
    const created = await fsAdmin.post('/api/interbank/institutions', { code: 'FS-CITY', name: '佛山某城商行分行', kind: 'city_bank', nodeId: FS, parentId: null });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ nodeId: FS, history: [{ nodeId: FS, validFrom: '2026-12-01', validTo: null }] });
  });
});

describe('signings', () => {
  it('records, corrects with a reason, voids; the branch is the one on the signing date', async () => {
    const fsRcb = await idOf('FS-RCB');
    const rec = await fsAdmin.post('/api/interbank/signings', { institutionId: fsRcb, kind: 'framework', signedOn: '2026-11-20' });
    expect(rec.statusCode, rec.body).toBe(201);
    const s = rec.json();
    expect(s).toMatchObject({ nodeId: FS, status: 'active', recordedAt: '2026-12-01T02:00:00.000Z' });
    expect((await fsAdmin.post(`/api/interbank/signings/${s.id}/correct`, { kind: 'framework', signedOn: '2026-11-21' })).statusCode).toBe(400);
    const fixed = (await fsAdmin.post(`/api/interbank/signings/${s.id}/correct`, { kind: 'product', productName: '同业招标APP', signedOn: '2026-11-21', reason: '协议类型录错' })).json();
    expect(fixed).toMatchObject({ supersedesId: s.id, kind: 'product', productName: '同业招标APP', reason: '协议类型录错' });
    expect((await fsAdmin.get(`/api/interbank/signings/${s.id}`)).json().status).toBe('superseded');
    expect((await fsAdmin.post(`/api/interbank/signings/${s.id}/void`, { reason: 'x' })).json().error.code).toBe('FI.SIGNING_NOT_ACTIVE');
    // 河源 cannot void 佛山's signing, nor see it.
    expect((await hyAdmin.post(`/api/interbank/signings/${fixed.id}/void`, { reason: 'x' })).statusCode).toBe(404);
    // A signing dated before FS-VB moved belongs to 佛山 even though 河源 keeps it now.
    const vb = (await admin.post('/api/interbank/signings', { institutionId: await idOf('FS-VB'), kind: 'framework', signedOn: '2026-11-15' })).json();
    expect(vb.nodeId).toBe(FS);
    const docs = await fsAdmin.request({ method: 'POST', url: `/api/interbank/signings/${fixed.id}/documents`, payload: uploadForm(Buffer.from('%PDF-1.4\n%%EOF'), '框架协议.pdf') });
    expect(docs.statusCode, docs.body).toBe(201);
    const fake = await fsAdmin.request({ method: 'POST', url: `/api/interbank/signings/${fixed.id}/documents`, payload: uploadForm(Buffer.from('MZ executable'), 'agreement.pdf') });
    expect(fake.json().error.code).toBe('FI.FILE_TYPE');
    const file = await fsAdmin.get(`/api/interbank/files/${docs.json().id}`);
    expect([file.statusCode, file.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect((await hyAdmin.get(`/api/interbank/files/${docs.json().id}`)).statusCode).toBe(404);
    const list = (await fsAdmin.get(`/api/interbank/signings?institutionId=${fsRcb}`)).json();
    expect(list.items.map((x: { status: string; documents: number }) => [x.status, x.documents])).toEqual([
      ['active', 1],
      ['superseded', 0],
    ]);
    const audit = await q<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'fi_signing' AND entity_id IN (${String(s.id)}, ${String(fixed.id)}) ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(['interbank.signing.create', 'interbank.signing.correct', 'interbank.signing.file']);
  });

  it('the signings import is idempotent by 协议编号 (or by content) and refuses a changed agreement', async () => {
    const csv = `协议编号,机构编码,协议类型,产品名称,签约方式,签约日期\nKJ-001,FS-CITY,框架协议,,双边,2026-12-01\n,FS-CITY,产品协议,零售智能风控数据测试,单边,2026-12-01\n`;
    expect((await importCsv(fsAdmin, 'interbank-signings', csv)).job).toMatchObject({ status: 'done', inserted: 2 });
    expect((await importCsv(fsAdmin, 'interbank-signings', csv)).job).toMatchObject({ status: 'done', inserted: 0, unchanged: 2 });
    const changed = await importCsv(fsAdmin, 'interbank-signings', csv.replace('KJ-001,FS-CITY,框架协议,,双边', 'KJ-001,FS-CITY,框架协议,,单边'));
    expect(changed.errors.items[0]).toMatchObject({ row: 2, columnKey: 'agreementNo', code: 'FI.SIGNING_CONFLICT' });
    const hy = await importCsv(hyAdmin, 'interbank-signings', csv);
    expect(hy.job).toMatchObject({ status: 'failed', errorRows: 2 });
    expect((await fsAdmin.get(`/api/interbank/institutions?signed=true&q=佛山某`)).json().items[0]).toMatchObject({ code: 'FS-CITY', framework: true, products: 1 });
  });
});

describe('visits, pipeline and landings', () => {
  it('a visit takes up to 10 checked photos, downscaled, with their EXIF time', async () => {
    const fsRcb = await idOf('FS-RCB');
    const v = await fsAdmin.post('/api/interbank/visits', { institutionId: fsRcb, visitedOn: '2026-11-30', peopleMet: '张行长', ourPeople: '王经理', summary: '介绍同业合作平台' });
    expect(v.statusCode, v.body).toBe(201);
    const up = (bytes: Buffer, name: string) => fsAdmin.request({ method: 'POST', url: `/api/interbank/visits/${v.json().id}/photos`, payload: uploadForm(bytes, name) });
    const big = await up(jpegWithExif(2000, 1000, '2026:11:30 10:15:00'), 'IMG_0001.JPG');
    expect(big.statusCode, big.body).toBe(201);
    expect(big.json()).toMatchObject({ width: 1600, height: 800, mime: 'image/jpeg', takenAt: '2026-11-30T02:15:00.000Z' });
    expect((await up(Buffer.from('%PDF-1.4'), 'photo.jpg')).json().error.code).toBe('FI.FILE_TYPE');
    for (let i = 0; i < 9; i++) expect((await up(pngRgba(8, 8), `p${i}.png`)).statusCode).toBe(201);
    expect((await up(pngRgba(8, 8), 'eleven.png')).json().error.code).toBe('FI.TOO_MANY_PHOTOS');
    const listed = (await fsAdmin.get(`/api/interbank/visits?institutionId=${fsRcb}`)).json().items[0];
    expect(listed.photos).toHaveLength(10);
    expect((await hyAdmin.get(`/api/interbank/visits?institutionId=${fsRcb}`)).json().total).toBe(0);
    const visitsCsv = `机构编码,拜访日期,会见人员,我方人员,拜访情况\nFS-RCB,2026-11-28,李部长,陈经理,商谈产品协议\n`;
    expect((await importCsv(fsAdmin, 'interbank-visits', visitsCsv)).job).toMatchObject({ inserted: 1 });
    expect((await importCsv(fsAdmin, 'interbank-visits', visitsCsv)).job).toMatchObject({ inserted: 0, unchanged: 1 });
  });

  it('the pipeline and a landing at a signed institution; the signed-but-nothing-landed list', async () => {
    const fsRcb = await idOf('FS-RCB');
    const p = await fsAdmin.put(`/api/interbank/prospects/${fsRcb}`, { stage: 'negotiating', nextStep: '提交审批材料', nextStepOn: '2026-12-10' });
    expect(p.json()).toMatchObject({ stage: 'negotiating', nextStepOn: '2026-12-10', nodeId: FS });
    expect((await fsAdmin.get('/api/interbank/prospects')).json().total).toBe(1);
    expect((await admin.post('/api/interbank/landings', { institutionId: await idOf('HY-RCB'), product: '同业招标APP', stage: 'intent', stageOn: '2026-12-01' })).json().error.code).toBe(
      'FI.NOT_SIGNED',
    );
    const gapsBefore = (await fsAdmin.get('/api/interbank/landings/gaps')).json().items.map((g: { institutionCode: string }) => g.institutionCode);
    expect(gapsBefore).toEqual(expect.arrayContaining(['FS-RCB', 'FS-CITY']));
    const l = (await fsAdmin.post('/api/interbank/landings', { institutionId: fsRcb, product: '零售智能风控数据测试', stage: 'testing', stageOn: '2026-12-01' })).json();
    expect((await fsAdmin.patch(`/api/interbank/landings/${l.id}`, { product: '零售智能风控数据测试', stage: 'landed', stageOn: '2026-12-01' })).json().stage).toBe('landed');
    const gapsAfter = (await fsAdmin.get('/api/interbank/landings/gaps')).json().items.map((g: { institutionCode: string }) => g.institutionCode);
    expect(gapsAfter).not.toContain('FS-RCB');
    expect((await hyAdmin.patch(`/api/interbank/landings/${l.id}`, { product: 'x', stage: 'dropped', stageOn: '2026-12-01' })).statusCode).toBe(404);
  });
});

describe('closing an institution (撤并)', () => {
  it('ends its jurisdiction: coverage stops counting it the next day, its branch still sees it; reopened, it counts again', async () => {
    const id = await idOf('FS-CITY');
    const fsLine = async (asOf: string) => (await admin.get(`/api/interbank/coverage?asOf=${asOf}`)).json().lines.find((l: { nodeId: number }) => l.nodeId === FS);
    const before = (await fsLine('2026-12-02')).institutions;
    const fields = { name: '佛山某城商行分行', kind: 'city_bank', parentId: null, uscc: null, note: null };
    const closed = await fsAdmin.patch(`/api/interbank/institutions/${id}`, { ...fields, status: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', nodeId: FS, history: [{ nodeId: FS, validFrom: '2026-12-01', validTo: '2026-12-01' }] });
    expect((await fsLine('2026-12-01')).institutions).toBe(before);
    expect((await fsLine('2026-12-02')).institutions).toBe(before - 1);
    // Still in its branch's registry, shown as closed; another branch still cannot read it.
    expect((await fsAdmin.get('/api/interbank/institutions?status=closed')).json().items.map((i: { code: string }) => i.code)).toContain('FS-CITY');
    expect((await hyAdmin.get(`/api/interbank/institutions/${id}`)).statusCode).toBe(404);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.jurisdiction.end' AND entity_id = ${String(id)}`);
    expect(n).toBe(1);
    const reopened = await fsAdmin.patch(`/api/interbank/institutions/${id}`, { ...fields, status: 'active' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().history[0]).toMatchObject({ nodeId: FS, validFrom: '2026-12-02', validTo: null });
    expect((await fsLine('2026-12-02')).institutions).toBe(before);
  });
});
