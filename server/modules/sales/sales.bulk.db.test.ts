import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { staff } from '../../db/schema/index.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestDatabase } from '../../test/harness.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { getImport, runImport } from '../imports/import.service.js';
import { encodeGb18030 } from '../imports/testing.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { bulkImportSales, type BulkSalesInput } from './sales.bulk.js';

let database: Database;
let auth: AuthContext;
let dir: string;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);

const fx = { person: '', company: '', pf: [] as string[], corp: [] as string[], inst: [] as string[], dev: '' };
const HEADER = '交易流水号,产品代码,客户身份证号码,统一社会信用代码,楼盘编号,销售日期,数量,参与部门,营销人员';

async function counts() {
  const [r] = await q<{ sales: number; ledger: number; people: number; depts: number; audit: number }>(
    sql`SELECT (SELECT count(*) FROM sales)::int AS sales, (SELECT count(*) FROM ledger_entries)::int AS ledger,
               (SELECT count(*) FROM sale_people)::int AS people, (SELECT count(*) FROM sale_departments)::int AS depts,
               (SELECT count(*) FROM audit_log)::int AS audit`,
  );
  return r;
}

/** One CSV line of a valid 佛山 sale; `over` replaces cells by header. */
function line(id: string, over: Partial<Record<'product' | 'idNo' | 'uscc' | 'dev' | 'date' | 'qty' | 'depts' | 'people', string>> = {}) {
  const v = { product: 'WMP', idNo: fx.person, uscc: '', dev: '', date: '2026-10-15', qty: '12.5', depts: 'CORP:60,INST:40', people: `${fx.pf[0]}@PF:营销:100,${fx.corp[0]}@CORP:介绍`, ...over };
  return [id, v.product, v.idNo, v.uscc, v.dev, v.date, v.qty, v.depts, v.people].map((c) => (c.includes(',') ? `"${c}"` : c)).join(',');
}

/** A mix of shapes: ratios or equal split, buyer or company, a mortgage, people or none. */
function goodLines(tag: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `${tag}-${String(i + 1).padStart(4, '0')}`;
    switch (i % 5) {
      case 0:
        return line(id);
      case 1:
        return line(id, { product: 'FUND', depts: 'CORP、INST', people: '', qty: String(1 + (i % 7)) });
      case 2:
        return line(id, { idNo: '', uscc: fx.company, depts: 'RE', people: `${fx.pf[0]}@PF`, date: '2026-03-02' });
      case 3:
        return line(id, { product: 'MORTGAGE', dev: fx.dev, qty: '1', depts: 'RE:50,CORP:50', people: `${fx.pf[1] ?? fx.pf[0]}@PF:营销,${fx.corp[0]}@CORP:介绍:100` });
      default:
        return line(id, { product: 'CREDIT', depts: 'CORP,INST,PF', people: `${fx.corp[0]}@CORP:介绍:100,${fx.inst[0]}@INST:营销`, date: '2026-11-03', qty: '2' });
    }
  });
}

function file(name: string, lines: string[], encode: (s: string) => Buffer = (s) => Buffer.from(`\ufeff${s}`, 'utf8')): string {
  const p = path.join(dir, name);
  writeFileSync(p, encode(`${[HEADER, ...lines].join('\r\n')}\r\n`));
  return p;
}

const load = (f: string, over: Partial<BulkSalesInput> = {}) => bulkImportSales({ database, auth, file: f, today: '2026-11-20', ...over });

/** Ledger lines of the sales whose source ids start with `prefix`, keyed by the rest of the id. */
async function ledgerOf(prefix: string) {
  const list = await q<{ k: string; d: number; st: number | null; kind: string; pts: number; rule: string }>(
    sql`SELECT substr(s.source_id, ${prefix.length + 1}) AS k, l.department_id AS d, l.staff_id AS st, l.kind, l.points_hundredths::int AS pts, l.rule_version AS rule
        FROM ledger_entries l JOIN sales s ON s.id = l.sale_id WHERE s.source_id LIKE ${`${prefix}%`}
        ORDER BY 1, 2, 3 NULLS FIRST, 4, 5`,
  );
  return list.map((r) => `${r.k}|${r.d}|${r.st}|${r.kind}|${r.pts}|${r.rule}`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-bulk-'));
  const [admin] = await database.db.select().from(staff).where(eq(staff.staffNo, 'admin'));
  auth = {
    staffId: admin.id,
    staffNo: admin.staffNo,
    name: admin.name,
    nodeId: admin.nodeId,
    sessionId: 't',
    csrfToken: 't',
    mustChangePassword: false,
    grants: await loadGrants(database.db, admin.id),
  };
  fx.person = (
    await q<{ v: string }>(sql`SELECT i.id_number AS v FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY i.id LIMIT 1`)
  )[0].v;
  fx.company = (await q<{ v: string }>(sql`SELECT uscc AS v FROM corporate_clients WHERE id = 1`))[0].v;
  const staffOf = async (code: string) =>
    (await q<{ v: string }>(sql`SELECT staff_no AS v FROM staff WHERE department_id = ${demoDepartmentId(DEMO_NODES.foshan, code)} AND active ORDER BY id`)).map((r) => r.v);
  fx.pf = await staffOf('PF');
  fx.corp = await staffOf('CORP');
  fx.inst = await staffOf('INST');
  fx.dev = (await q<{ v: string }>(sql`SELECT code AS v FROM developments WHERE node_id = ${DEMO_NODES.foshan} ORDER BY id LIMIT 1`))[0].v;
});
afterAll(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bulk CSV import of cross-sales (SPEC §7, issue 4)', () => {
  it('writes and scores the rows like the framework import, one audit entry per branch; the same file again changes nothing', async () => {
    const before = await counts();
    const lines = goodLines('BK1', 10);
    const good = file('good.csv', lines);
    const res = await load(good);
    expect(res, JSON.stringify(res.message)).toMatchObject({ status: 'done', totalRows: 10, errorRows: 0, inserted: 10, unchanged: 0 });
    expect(res.ledgerEntries).toBeGreaterThan(0);
    expect(res.writeSeconds).toBeGreaterThan(0);
    expect(res.scoreSeconds).toBeGreaterThan(0);
    const mid = await counts();
    expect(mid.sales).toBe(before.sales + 10);
    expect(mid.ledger).toBe(before.ledger + res.ledgerEntries);
    // One audit entry per branch the load wrote to (the rows without people fall to the caller's
    // branch, the province): each names the node it affects (issue 10, finding 1).
    const [{ branches }] = await q<{ branches: number }>(sql`SELECT count(DISTINCT node_id)::int AS branches FROM sales WHERE source_id LIKE 'BK1-%'`);
    expect(branches).toBe(2);
    expect(mid.audit).toBe(before.audit + branches);

    // The ledger is what scoreSales makes of these sales: scoring them again writes nothing …
    const ids = (await q<{ id: number }>(sql`SELECT id FROM sales WHERE source_id LIKE 'BK1-%'`)).map((r) => r.id);
    expect(await database.db.transaction((tx) => scoreSales(tx, ids))).toMatchObject({ entries: 0 });
    // … and the same rows through the framework import (Drizzle inserts + scoreSales) score the same.
    const framework = await runImport({ db: database.db, auth, kind: 'sales', fileName: 'fw.csv', bytes: readFileSync(file('fw.csv', goodLines('FW1', 10))) });
    expect(framework.status, JSON.stringify(framework.message)).toBe('done');
    expect(await ledgerOf('BK1')).toEqual(await ledgerOf('FW1'));
    // The province key the COPY and the first scoring send (decision 0043) is the node's own, on
    // every row they wrote: a wrong map would put rows on another shard.
    const [{ wrong }] = await q<{ wrong: number }>(sql`
      SELECT ((SELECT count(*) FROM sales s JOIN org_nodes n ON n.id = s.node_id WHERE s.source_id LIKE 'BK1-%' AND s.province_id <> n.province_id)
            + (SELECT count(*) FROM sale_people p JOIN sales s ON s.id = p.sale_id WHERE s.source_id LIKE 'BK1-%' AND p.province_id <> s.province_id)
            + (SELECT count(*) FROM sale_departments d JOIN sales s ON s.id = d.sale_id WHERE s.source_id LIKE 'BK1-%' AND d.province_id <> s.province_id)
            + (SELECT count(*) FROM ledger_entries l JOIN sales s ON s.id = l.sale_id WHERE s.source_id LIKE 'BK1-%' AND l.province_id <> s.province_id))::int AS wrong`);
    expect(wrong).toBe(0);

    const entries = await q<{ nodeId: number; after: { count: number; fileName: string; sha256: string; firstId: number; lastId: number } }>(
      sql`SELECT node_id AS "nodeId", after FROM audit_log WHERE entity = 'sale' AND action = 'sale.import' AND after->>'fileName' = 'good.csv' ORDER BY id`,
    );
    expect(entries.map((e) => e.nodeId).sort((a, b) => a - b)).toEqual([DEMO_NODES.province, DEMO_NODES.foshan]);
    expect(entries.reduce((n, e) => n + e.after.count, 0)).toBe(10);
    expect(Math.min(...entries.map((e) => e.after.firstId))).toBe(Math.min(...ids));
    expect(Math.max(...entries.map((e) => e.after.lastId))).toBe(Math.max(...ids));
    for (const e of entries) expect(e.after.sha256).toBe(createHash('sha256').update(readFileSync(good)).digest('hex'));
    expect((await getImport(database.db, res.id))?.status).toBe('done');

    const after = await counts();
    const again = await load(file('good.csv', lines));
    expect(again).toMatchObject({ status: 'done', inserted: 0, unchanged: 10, errorRows: 0 });
    expect(await counts()).toEqual(after);
  });

  it("'all': one bad row writes nothing and names its row and column; 'valid_only' writes the rest", async () => {
    const lines = goodLines('BK2', 4);
    lines[1] = line('BK2-BAD', { depts: 'CORP:60,INST:30' });
    const before = await counts();
    const errorCsv = path.join(dir, 'bad.errors.csv');
    const res = await load(file('bad.csv', lines), { errorCsvPath: errorCsv });
    expect(res).toMatchObject({ status: 'failed', totalRows: 4, errorRows: 1, inserted: 0, message: { code: 'IMPORT.ROW_ERRORS' } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]).toMatchObject({ rowNumber: 3, column: 'departments', header: '参与部门', code: 'SALE.RATIOS_NOT_100' });
    expect(res.errors[0].zh).toMatch(/^第3行 参与部门：.*（SALE\.RATIOS_NOT_100）$/);
    expect(res.errors[0].en).toMatch(/^Row 3 Participating departments: /);
    expect(res.errorReport).not.toBeNull();
    expect(readFileSync(errorCsv, 'utf8')).toMatch(/^\ufeff行号,列,错误说明\n3,参与部门,第3行 参与部门：/);
    expect(await counts()).toEqual(before);
    expect(await getImport(database.db, res.id)).toMatchObject({ status: 'failed', errorRows: 1, hasErrorReport: true });

    const valid = await load(file('bad.csv', lines), { mode: 'valid_only' });
    expect(valid).toMatchObject({ status: 'done', totalRows: 4, errorRows: 1, inserted: 3 });
    expect((await counts()).sales).toBe(before.sales + 3);
  });

  it('names parse errors, unknown clients and a source id repeated in the file', async () => {
    const lines = [line('BK3-1'), line('BK3-2', { idNo: '110101199003074477' }), line('BK3-3', { qty: '-1', date: '2026-13-01' }), line('BK3-1'), line('BK3-5', { date: '2026-12-01' })];
    const res = await load(file('mixed.csv', lines), { mode: 'valid_only' });
    expect(res).toMatchObject({ status: 'done', totalRows: 5, errorRows: 4, inserted: 1 });
    const by = (row: number) => res.errors.filter((e) => e.rowNumber === row);
    expect(by(3)).toMatchObject([{ column: 'idNumber', code: 'SALE.UNKNOWN_CLIENT' }]);
    expect(
      by(4)
        .map((e) => e.column)
        .sort(),
    ).toEqual(['quantity', 'saleDate']);
    expect(by(5)).toMatchObject([{ column: 'sourceId' }]);
    expect(by(5)[0].zh).toContain('与第2行重复');
    expect(by(6)).toMatchObject([{ column: 'saleDate', code: 'SALE.FUTURE_DATE' }]);
  });

  it('reads GB18030, also when the head of the file is plain ASCII', async () => {
    const res = await load(file('gbk.csv', goodLines('BK4', 5), encodeGb18030));
    expect(res, JSON.stringify(res.message)).toMatchObject({ status: 'done', inserted: 5 });
    const [p] = await q<{ role: string }>(sql`SELECT p.role FROM sale_people p JOIN sales s ON s.id = p.sale_id WHERE s.source_id = 'BK4-0001' ORDER BY p.role LIMIT 1`);
    expect(p.role).toBe('介绍人');

    // English headers and ASCII rows first: the head looks like UTF-8, a later row is GB18030.
    const english = 'Source transaction id,Product code,Client ID number,Participating departments,People,Sale date,Quantity';
    const ascii = Array.from({ length: 30 }, (_, i) => `BK5-${i},DEBIT,${fx.person},CORP,${fx.pf[0]}@PF,2026-10-01,1`);
    const text = `${[english, ...ascii, `BK5-cn,DEBIT,${fx.person},CORP,${fx.pf[0]}@PF:营销人员,2026-10-01,1`].join('\n')}\n`;
    writeFileSync(path.join(dir, 'late.csv'), encodeGb18030(text));
    const late = await load(path.join(dir, 'late.csv'), { headBytes: 256 });
    expect(late, JSON.stringify(late.message)).toMatchObject({ status: 'done', inserted: 31, errorRows: 0 });
  });

  it('refuses a line over IMPORT_MAX_LINE_KB and a cell over 32,767 characters, by row, writing nothing (issue 10, finding 4)', async () => {
    const before = await counts();
    const lines = goodLines('BKL', 5);
    lines[3] = line('BKL-LONG', { people: `"${'x'.repeat(300 * 1024)}` });
    const long = await load(file('long-line.csv', lines));
    expect(long).toMatchObject({ status: 'failed', inserted: 0, message: { code: 'IMPORT.LINE_TOO_LONG' } });
    expect(long.message.zh).toContain('第5行');
    const cells = goodLines('BKC', 5);
    cells[2] = line('BKC-CELL', { people: 'y'.repeat(40_000) });
    const cell = await load(file('long-cell.csv', cells));
    expect(cell).toMatchObject({ status: 'failed', inserted: 0, message: { code: 'IMPORT.CELL_TOO_LONG' } });
    expect(cell.message.en).toContain('cell I4');
    expect(cell.errorReport).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('refuses a file whose header is not the template', async () => {
    const p = path.join(dir, 'nohead.csv');
    writeFileSync(p, '流水,产品\nX,Y\n');
    const res = await load(p);
    expect(res).toMatchObject({ status: 'failed', message: { code: 'IMPORT.NO_HEADER' } });
  });

  it('gives the same result in chunks of 50 as in one chunk; a source id met again in a later chunk is unchanged', async () => {
    const make = (tag: string) => {
      const lines = goodLines(tag, 120);
      lines[7] = line(`${tag}-BAD`, { product: 'NOPE' });
      lines[88] = line(`${tag}-BAD2`, { depts: 'PF' });
      return lines;
    };
    const one = await load(file('one.csv', make('BK6')), { mode: 'valid_only' });
    const many = await load(file('many.csv', make('BK7')), { mode: 'valid_only', chunkSize: 50 });
    const ahead = await load(file('ahead.csv', make('BKA7')), { mode: 'valid_only', chunkSize: 50, lookupsAhead: true });
    expect(ahead.errors.map((e) => [e.rowNumber, e.column, e.code])).toEqual(one.errors.map((e) => [e.rowNumber, e.column, e.code]));
    expect(await ledgerOf('BKA7')).toEqual(await ledgerOf('BK6'));
    for (const r of [one, many, ahead]) expect(r).toMatchObject({ status: 'done', totalRows: 120, errorRows: 2, inserted: 118, unchanged: 0 });
    expect(many.errors.map((e) => [e.rowNumber, e.column, e.code])).toEqual(one.errors.map((e) => [e.rowNumber, e.column, e.code]));
    expect(many.ledgerEntries).toBe(one.ledgerEntries);
    expect(await ledgerOf('BK7')).toEqual(await ledgerOf('BK6'));

    // 'all': the chunks written before the bad one are rolled back with it.
    const late = goodLines('BK9', 120);
    late[99] = line('BK9-BAD', { qty: 'x' });
    const before = await counts();
    const failed = await load(file('late-bad.csv', late), { chunkSize: 50 });
    expect(failed).toMatchObject({ status: 'failed', totalRows: 120, errorRows: 1, inserted: 0 });
    expect(failed.errors).toMatchObject([{ rowNumber: 101, column: 'quantity' }]);
    expect(await counts()).toEqual(before);

    const repeated = goodLines('BK8', 60);
    repeated[55] = repeated[3];
    const res = await load(file('repeat.csv', repeated), { chunkSize: 50 });
    expect(res).toMatchObject({ status: 'done', errorRows: 0, inserted: 59, unchanged: 1 });
    const repeatedAhead = goodLines('BKA8', 60);
    repeatedAhead[55] = repeatedAhead[3];
    const resAhead = await load(file('repeat-ahead.csv', repeatedAhead), { chunkSize: 50, lookupsAhead: true });
    expect(resAhead).toMatchObject({ status: 'done', errorRows: 0, inserted: 59, unchanged: 1 });

    // The same with other content in a later chunk: a conflict with the row the earlier chunk wrote
    // (its look-up on the reader cannot see it: decision 0049 asks the load's own connection again).
    for (const [tag, lookupsAhead] of [
      ['BKX0', false],
      ['BKX1', true],
    ] as const) {
      const other = goodLines(tag, 60);
      other[55] = line(`${tag}-0001`, { qty: '9' });
      const conflict = await load(file(`repeat-other-${tag}.csv`, other), { mode: 'valid_only', chunkSize: 50, lookupsAhead });
      expect(conflict).toMatchObject({ status: 'done', errorRows: 1, inserted: 59, unchanged: 0 });
      expect(conflict.errors).toMatchObject([{ rowNumber: 57, column: 'quantity', code: 'SALE.CONFLICT' }]);
      expect(conflict.errors[0].zh).toContain('本次 9');
    }
  });

  it('parses in a worker thread (large files) with the same rows, errors and ledger as on the load thread; its failures cross unchanged', async () => {
    const make = (tag: string) => {
      const lines = goodLines(tag, 120);
      lines[7] = line(`${tag}-BAD`, { product: 'NOPE' });
      lines[40] = line(`${tag}-BAD2`, { qty: '-1', date: '2026-13-01' });
      lines[88] = lines[2];
      return lines;
    };
    const here = await load(file('here.csv', make('BKW1')), { mode: 'valid_only', chunkSize: 50, parseInWorker: false });
    const there = await load(file('there.csv', make('BKW2')), { mode: 'valid_only', chunkSize: 50, parseInWorker: true });
    for (const r of [here, there]) expect(r, JSON.stringify(r.message)).toMatchObject({ status: 'done', totalRows: 120, errorRows: 2, inserted: 117, unchanged: 1 });
    expect(there.errors.map((e) => [e.rowNumber, e.column, e.code, e.zh.replace('BKW2', 'BKW1')])).toEqual(here.errors.map((e) => [e.rowNumber, e.column, e.code, e.zh]));
    expect(there.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(path.join(dir, 'there.csv')))
        .digest('hex'),
    );
    expect(await ledgerOf('BKW2')).toEqual(await ledgerOf('BKW1'));

    // A line over the cap (an AppError in the worker) and a late GB18030 row (read again as GB18030).
    const lines = goodLines('BKWL', 5);
    lines[3] = line('BKWL-LONG', { people: `"${'x'.repeat(300 * 1024)}` });
    expect(await load(file('w-long.csv', lines), { parseInWorker: true })).toMatchObject({ status: 'failed', inserted: 0, message: { code: 'IMPORT.LINE_TOO_LONG' } });
    const english = 'Source transaction id,Product code,Client ID number,Participating departments,People,Sale date,Quantity';
    const ascii = Array.from({ length: 30 }, (_, i) => `BKW5-${i},DEBIT,${fx.person},CORP,${fx.pf[0]}@PF,2026-10-01,1`);
    writeFileSync(path.join(dir, 'w-late.csv'), encodeGb18030(`${[english, ...ascii, `BKW5-cn,DEBIT,${fx.person},CORP,${fx.pf[0]}@PF:营销人员,2026-10-01,1`].join('\n')}\n`));
    const late = await load(path.join(dir, 'w-late.csv'), { headBytes: 256, parseInWorker: true });
    expect(late, JSON.stringify(late.message)).toMatchObject({ status: 'done', inserted: 31, errorRows: 0 });
  });

  it('a source id on file with other content is an error row naming the cell; the same sale written differently is unchanged (issue 12, rule 3)', async () => {
    const first = await load(file('conflict-1.csv', goodLines('BKC', 3)));
    expect(first).toMatchObject({ status: 'done', inserted: 3 });
    const before = await counts();
    const lines = [
      // The first sale again in other forms: 2026/10/15, 全角 digits, participants and people in another order, long role names.
      line('BKC-0001', { date: '2026/10/15', qty: '１２.５０', depts: 'INST:40，CORP:60', people: `${fx.corp[0]}@corp:介绍人，${fx.pf[0]}@PF:营销人员:100` }),
      // The second with another quantity (FUND, equal split, no people): a conflict.
      line('BKC-0002', { product: 'FUND', depts: 'CORP、INST', people: '', qty: '9' }),
      goodLines('BKC', 3)[2],
      line('BKC-NEW'),
    ];
    const all = await load(file('conflict-2.csv', lines), { chunkSize: 2 });
    expect(all).toMatchObject({ status: 'failed', totalRows: 4, errorRows: 1, inserted: 0 });
    expect(all.errors).toMatchObject([{ rowNumber: 3, column: 'quantity', header: '数量', code: 'SALE.CONFLICT' }]);
    expect(all.errors[0].zh).toContain('已登记 2，本次 9');
    expect(await counts()).toEqual(before);

    const valid = await load(file('conflict-2.csv', lines), { mode: 'valid_only' });
    expect(valid).toMatchObject({ status: 'done', totalRows: 4, errorRows: 1, inserted: 1, unchanged: 2 });
    const [{ qty }] = await q<{ qty: number }>(sql`SELECT quantity_1e4::int AS qty FROM sales WHERE source_id = 'BKC-0002'`);
    expect(qty).toBe(20_000);
    const fps = await q<{ fp: string | null }>(sql`SELECT content_sha256 AS fp FROM sales WHERE source_id LIKE 'BKC-%'`);
    expect(fps.every((r) => r.fp?.length === 64)).toBe(true);
  });
});
