import { benchAuth } from './auth.js';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { loadConfig } from '../server/config.js';
import { migrateDatabase, openDatabase } from '../server/db/client.js';
import { registerAllImportKinds } from '../server/import-kinds.js';
import { makeIdNumber, usccCheckChar } from '../server/modules/customers/ids.rules.js';
import { runImport } from '../server/modules/imports/import.service.js';
import { seedCustomerReference } from '../server/seed/customers.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { writeStaffWorkbook } from './import.js';
import { freshPg } from './scoring.js';

registerAllImportKinds();

/**
 * Issue 17 goal 2: the reference-data imports (staff, corporate clients, individuals, company↔people
 * links, holdings) at `rows` rows each, one after the other in one PostgreSQL database, through the
 * real path (read the workbook, check every cell, look-ups, one transaction, audit) in a child
 * process (its own peak RSS). Beside each: raw COPY of the very rows the import wrote into the same
 * tables (dumped, deleted and copied back inside a rolled-back transaction, all indexes in place),
 * measured in the same run. Goal: import rows/s ≥ 0.5 × COPY rows/s, and ≤ 5 s for 100,000 rows.
 * The same file is then imported a second time: it must change nothing (all rows unchanged).
 */

const OUTLETS = ['4410101', '4410102', '4410201', '4410301', '4410401'];
const KINDS = ['staff', 'corporate-clients', 'individuals', 'company-people', 'holdings'] as const;
type RefKind = (typeof KINDS)[number];

/** The tables each kind writes, parents first (the COPY baseline copies them in this order). */
const TABLES: Record<RefKind, string[]> = {
  staff: ['staff', 'staff_roles'],
  'corporate-clients': ['corporate_clients'],
  individuals: ['individuals'],
  'company-people': ['company_people'],
  holdings: ['holdings'],
};

/** The kinds whose rows a kind's file names (imported first when only the later kind is recorded). */
const NEEDS: Record<RefKind, RefKind[]> = {
  staff: [],
  'corporate-clients': [],
  individuals: [],
  'company-people': ['corporate-clients', 'individuals'],
  holdings: ['individuals'],
};

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** The i-th valid 统一社会信用代码 of the bench (distinct, with its check character). */
function benchUscc(i: number): string {
  let tail = '';
  for (let n = i, k = 0; k < 8; k++, n = Math.floor(n / 31)) tail = USCC_CHARS[n % 31] + tail;
  const body = `914406040${tail}`;
  return body + usccCheckChar(body)!;
}

/** The i-th valid ID number of the bench (birth date walks the days from 1950, the sequence the rest). */
function benchIdNumber(i: number): string {
  const day = new Date(Date.UTC(1950, 0, 1) + (i % 18000) * 86_400_000).toISOString().slice(0, 10);
  return makeIdNumber('440604', day, Math.floor(i / 18000));
}

async function writeWorkbook(file: string, sheet: string, header: string[], rows: number, row: (i: number) => unknown[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: false });
  const ws = wb.addWorksheet(sheet);
  ws.addRow(header).commit();
  for (let i = 0; i < rows; i++) ws.addRow(row(i)).commit();
  ws.commit();
  await wb.commit();
}

/** A workbook of `rows` valid rows of the kind, over 佛山分行's outlets; the links and holdings name the companies and people of the earlier files. */
async function writeKindWorkbook(kind: RefKind, file: string, rows: number): Promise<void> {
  switch (kind) {
    case 'staff':
      return writeStaffWorkbook(file, rows);
    case 'corporate-clients':
      return writeWorkbook(file, '对公客户', ['统一社会信用代码', '客户名称', '客户类型', '管户机构号', '法定代表人', '授信额度(万元)'], rows, (i) => [
        benchUscc(i),
        `导入企业${i}有限公司`,
        '企业',
        OUTLETS[i % OUTLETS.length],
        `法人${i}`,
        (i % 500) * 10,
      ]);
    case 'individuals':
      return writeWorkbook(file, '个人客户', ['身份证号码', '姓名', '手机号', '管户机构号', '专属客户经理工号', '金融资产(元)', 'VIP等级'], rows, (i) => [
        benchIdNumber(i),
        `导入客户${i}`,
        `139${String(i).padStart(8, '0')}`,
        OUTLETS[i % OUTLETS.length],
        null,
        `${(i % 1000) * 1000}.50`,
        i % 10 === 0 ? '金卡' : null,
      ]);
    case 'company-people':
      return writeWorkbook(file, '企业关联人', ['统一社会信用代码', '身份证号码', '关系', '职务', '起始日期'], rows, (i) => [benchUscc(i), benchIdNumber(i), '员工', '财务', '2020-01-01']);
    case 'holdings':
      return writeWorkbook(file, '产品持有', ['身份证号码', '产品代码', '产品名称', '金额(元)', '数量'], rows, (i) => [benchIdNumber(i), `P${i}`, `理财产品${i % 50}`, `${(i % 1000) * 100}.00`, 1]);
  }
}

interface ChildFigures {
  status: string;
  message?: string;
  rows: number;
  inserted: number;
  seconds: number;
  validateSeconds: number | null;
  rowsPerSec: number;
  peakRssMiB: number;
  again: { status: string; seconds: number; inserted: number; updated: number; unchanged: number };
}

function runChild(kind: RefKind, file: string, env: Record<string, string>): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(process.env.BENCH_REF_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_REF_PROF}`] : []), '--import', 'tsx', fileURLToPath(import.meta.url), '--ref-import-child', kind, file],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(buf.trim().split('\n').pop()!) as ChildFigures) : reject(new Error(`ref import child exited ${code}: ${buf}`))));
  });
}

async function maxIds(client: pg.Client, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await client.query(`SELECT coalesce(max(id), 0)::bigint AS m FROM ${t}`)).rows[0].m);
  return out;
}

/**
 * Raw COPY of the rows the import wrote (ids above `before`): dumped as COPY text, then in one
 * transaction deleted (foreign-key triggers off: no table refers to them yet) and copied back into
 * the same tables with every index and check in place; timed, rolled back.
 */
async function copyBaseline(client: pg.Client, tables: string[], before: Record<string, number>): Promise<{ rows: number; seconds: number; rowsPerSec: number }> {
  const dumps: { table: string; text: string; rows: number }[] = [];
  for (const t of tables) {
    const chunks: Buffer[] = [];
    await pipeline(
      client.query(copyTo(`COPY (SELECT * FROM ${t} WHERE id > ${before[t]} ORDER BY id) TO STDOUT`)),
      new Writable({
        write(c: Buffer, _e, cb) {
          chunks.push(c);
          cb();
        },
      }),
    );
    const text = Buffer.concat(chunks).toString('utf8');
    dumps.push({ table: t, text, rows: text ? text.split('\n').length - 1 : 0 });
  }
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    for (const d of [...dumps].reverse()) await client.query(`DELETE FROM ${d.table} WHERE id > ${before[d.table]}`);
    await client.query('SET LOCAL session_replication_role = origin');
    const t0 = performance.now();
    for (const d of dumps) await pipeline(Readable.from([d.text]), client.query(copyFrom(`COPY ${d.table} FROM STDIN`)));
    const seconds = (performance.now() - t0) / 1000;
    const rows = dumps[0].rows;
    return { rows, seconds: round(seconds), rowsPerSec: Math.round(rows / seconds) };
  } finally {
    await client.query('ROLLBACK');
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The section: every kind at `rows` rows on PostgreSQL, each beside its COPY baseline. */
export async function benchRefImports(opts: { rows: number; dir: string; pgBase: string }) {
  const db = await freshPg(opts.pgBase, 'linkage_bench_refimp');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent', DATABASE_URL: db.url! };
  await migrateDatabase(db);
  await seedDemoBank(db.db);
  await seedCustomerReference(db.db);
  await db.close();

  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const kinds: Record<string, unknown> = {};
  try {
    const only = new Set((process.env.BENCH_REF_KINDS ?? KINDS.join(',')).split(','));
    for (const kind of KINDS) {
      const file = path.join(opts.dir, `ref-${kind}-${opts.rows}.xlsx`);
      // The links need the companies and people, the holdings the people: those files are imported for them.
      if (!only.has(kind) && !KINDS.some((k) => only.has(k) && NEEDS[k].includes(kind))) continue;
      await writeKindWorkbook(kind, file, opts.rows);
      const before = await maxIds(client, TABLES[kind]);
      console.log(`  [pg] ${kind}: import of ${opts.rows} rows…`);
      const imp = await runChild(kind, file, env);
      if (imp.status !== 'done') throw new Error(`${kind} import ${imp.status}: ${imp.message}`);
      if (!only.has(kind)) continue;
      await client.query('CHECKPOINT');
      const copy = await copyBaseline(client, TABLES[kind], before);
      kinds[kind] = {
        rows: imp.rows,
        import: { seconds: imp.seconds, validateSeconds: imp.validateSeconds, rowsPerSec: imp.rowsPerSec, peakRssMiB: imp.peakRssMiB },
        copy: { tables: TABLES[kind], ...copy },
        ratio: round(imp.rowsPerSec / copy.rowsPerSec),
        goalRatio: 0.5,
        goalSeconds: (5 * imp.rows) / 100_000,
        reimport: imp.again,
      };
      console.log(`  [pg] ${kind}:`, JSON.stringify(kinds[kind]));
    }
  } finally {
    await client.end();
  }
  return { database: 'pg', rowsPerKind: opts.rows, fileType: 'xlsx', kinds };
}

/** The child: the import as the province administrator, then the same file again (must change nothing). */
async function importChild(kind: RefKind, file: string) {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const auth = await benchAuth(database.db, 'admin');
  const bytes = readFileSync(file);
  const t0 = performance.now();
  let validatedAt = 0;
  const res = await runImport({
    db: database.db,
    auth,
    kind,
    fileName: path.basename(file),
    bytes,
    onProgress: (p) => {
      if (p.phase === 'writing' && !validatedAt) validatedAt = performance.now();
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const t1 = performance.now();
  const again = await runImport({ db: database.db, auth, kind, fileName: path.basename(file), bytes });
  const againSeconds = (performance.now() - t1) / 1000;
  await database.close();
  console.log(
    JSON.stringify({
      status: res.status,
      message: res.status === 'done' ? undefined : res.message.zh,
      rows: res.totalRows,
      inserted: res.inserted,
      seconds: round(seconds),
      validateSeconds: validatedAt ? round((validatedAt - t0) / 1000) : null,
      rowsPerSec: Math.round(res.totalRows / seconds),
      peakRssMiB,
      again: { status: again.status, seconds: round(againSeconds), inserted: again.inserted, updated: again.updated, unchanged: again.unchanged },
    }),
  );
}

if (process.argv[2] === '--ref-import-child' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await importChild(process.argv[3] as RefKind, process.argv[4]);
  process.exit(0);
}
