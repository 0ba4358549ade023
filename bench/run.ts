import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, migrateDatabase, openDatabase } from '../server/db/client.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { benchClientSearch, benchIndividualsImport, seedClientSearch } from './client-search.js';
import { benchCompletion } from './completion.js';
import { benchDashboards } from './dashboards.js';
import { benchImport } from './import.js';
import { benchRefImports } from './ref-imports.js';
import { benchLeads } from './leads.js';
import { benchProjects } from './projects.js';
import { benchScoring } from './scoring.js';
import { benchSurvey } from './survey.js';
import { benchStaffPage, padStaff } from './staff-page.js';
import { benchVip } from './vip.js';
import { benchInterbank } from './interbank.js';
import { benchWhitelists } from './whitelists.js';
import { benchReports } from './reports.js';
import { benchWarnings } from './warnings.js';
import { benchPglite } from './pglite.js';
import { benchYear } from './year.js';

/**
 * `npm run bench`: deterministic data, the hot paths under load, one JSON file of figures — each
 * beside a lower bound measured in the same run so ratios mean something on a noisy machine.
 * Sections (BENCH_ONLY=staffPage,staffImport,refImports,clientSearch,individualsImport,scoring,completion,dashboards,leads,projects,survey,vip,interbank,whitelists,reports,warnings,pglite,year; default all):
 * BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_STAFF (20000), BENCH_IMPORT_ROWS (100000),
 * BENCH_SALES (1000000; the province scale is 5000000; BENCH_FLOOR_VERIFY (500000): up to this many
 * sales the scoring floor is compared row for row with the import's), BENCH_COMPLETION_SALES (200000,
 * all in one branch's year: the completion dashboard before/after decision 0018), BENCH_DASH_SALES (600000, one
 * branch's year: every dashboard under BENCH_CONNECTIONS, app beside the service call; decision 0047), BENCH_LEADS (100000)
 * and BENCH_LEAD_AMS (20: the account managers they are routed over); BENCH_IB_INSTITUTIONS (5000),
 * BENCH_IB_BRANCHES (30) and BENCH_IB_WEEKS (156) for the inter-bank weekly briefing; BENCH_WL_CLIENTS (100000) for the whitelist distribution;
 * BENCH_REPORT_SALES (5000000) and BENCH_REPORT_EXPORT_ROWS (1000000) for the reporting calendar (section reports);
 * BENCH_EW_CLIENTS (200000) for the daily early-warning run; BENCH_REF_ROWS (100000) rows of each reference
 * import (section refImports: staff, corporate clients, individuals, links, holdings, each beside raw COPY;
 * BENCH_REF_KINDS narrows the kinds recorded); BENCH_PGLITE_SALES (200000: a branch-scale month imported
 * on PGlite and PostgreSQL) and BENCH_PGLITE_USERS (10 users on the main pages, BENCH_SECONDS;
 * BENCH_PGLITE_THINK_MS, 0, between a user's pages) for the embedded default; BENCH_YEAR_SALES (1000000 a
 * month: twelve months of 2025 loaded and scored month by month, section year, decision 0042). Results are merged into
 * bench/results/latest.json, so one section can be re-run alone.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const staffRows = Number(process.env.BENCH_STAFF ?? 20000);
const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 100000);
const salesCount = Number(process.env.BENCH_SALES ?? 1_000_000);
const completionSales = Number(process.env.BENCH_COMPLETION_SALES ?? 200_000);
const leadCount = Number(process.env.BENCH_LEADS ?? 100_000);
const leadAms = Number(process.env.BENCH_LEAD_AMS ?? 20);
const only = new Set(
  (
    process.env.BENCH_ONLY ??
    'staffPage,staffImport,refImports,clientSearch,individualsImport,scoring,completion,dashboards,leads,projects,survey,vip,interbank,whitelists,reports,warnings,pglite,year'
  ).split(','),
);
const pgBase = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freshPg(name: string): Promise<Database> {
  name = `${name}${process.env.BENCH_DB_SUFFIX ?? ''}`;
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgBase);
  u.pathname = `/${name}`;
  return openDatabase({ url: u.toString(), poolSize: 20 });
}

async function prepared(kind: 'pg' | 'pglite', dir: string): Promise<Database> {
  const database = kind === 'pg' ? await freshPg('linkage_bench') : await openDatabase({ dataDir: path.join(dir, 'pglite') });
  await migrateDatabase(database);
  await seedDemoBank(database.db);
  return database;
}

const out = 'bench/results/latest.json';
const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { results?: Record<string, unknown> }) : {};
const results: Record<string, unknown> = { ...(previous.results ?? {}) };
const save = () => {
  mkdirSync('bench/results', { recursive: true });
  const doc = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    results,
  };
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
};
const record = (key: string, value: unknown) => {
  results[key] = { ...(value as object), measuredAt: new Date().toISOString() };
  console.log(key, JSON.stringify(value));
  save();
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-bench-'));
try {
  if (only.has('staffPage')) {
    for (const kind of ['pg', 'pglite'] as const) {
      const database = await prepared(kind, dir);
      await padStaff(database, staffRows);
      console.log(`[${kind}] staff page: ${seconds}s × ${connections} connections over ${staffRows} extra staff…`);
      record(`staffPage.${kind}`, { staffRows, seconds, connections, ...(await benchStaffPage(database, { seconds, connections })) });
      await database.close();
    }
  }
  if (only.has('staffImport')) {
    for (const kind of ['pg', 'pglite'] as const) {
      console.log(`[${kind}] import of ${importRows} staff rows…`);
      record(`import.staff.${kind}`, await benchImport(kind, { rows: importRows, dir, pgBase }));
    }
  }
  if (only.has('refImports')) {
    const refRows = Number(process.env.BENCH_REF_ROWS ?? 100_000);
    console.log(`[pg] reference imports: ${refRows} rows of each kind beside raw COPY…`);
    record('refImports', await benchRefImports({ rows: refRows, dir, pgBase }));
  }
  if (only.has('individualsImport')) {
    for (const kind of ['pg', 'pglite'] as const) {
      console.log(`[${kind}] import of ${importRows} individuals…`);
      record(`import.individuals.${kind}`, await benchIndividualsImport(kind, { rows: importRows, dir, pgBase }));
    }
  }
  if (only.has('clientSearch')) {
    const database = await prepared('pg', dir);
    console.log('[pg] client search: seeding the province scale (1,000,000 individuals, 100,000 companies)…');
    const seeded = await seedClientSearch(database);
    record('clientSearch.pg', { seed: seeded, ...(await benchClientSearch(database, { seconds, connections: 20 })) });
    await database.close();
  }
  if (only.has('scoring')) {
    console.log(`[pg] scoring: ${salesCount} sales…`);
    record('scoring', await benchScoring({ sales: salesCount, pgBase, dir }));
  }
  if (only.has('completion')) {
    console.log(`[pg] completion dashboard: ${completionSales} sales in one branch-year…`);
    record('completion', await benchCompletion({ sales: completionSales, pgBase, seconds, connections }));
  }
  if (only.has('dashboards')) {
    const sales = Number(process.env.BENCH_DASH_SALES ?? 600_000);
    console.log(`[pg] dashboards: ${sales} sales in one branch-year, every board under ${connections} connections…`);
    record('dashboards', await benchDashboards({ sales, pgBase, seconds, connections }));
  }
  if (only.has('leads')) {
    console.log(`[pg] leads: ${leadCount} imported leads routed over ${leadAms} account managers…`);
    record('leads', await benchLeads({ leads: leadCount, ams: leadAms, pgBase }));
  }
  if (only.has('projects')) {
    const people = Number(process.env.BENCH_PROJECT_PEOPLE ?? 5000);
    console.log(`[pg] projects: the board of a unit with ${people} people…`);
    record('projects', await benchProjects({ people, activities: 10, runs: 50, pgBase }));
  }
  if (only.has('survey')) {
    // BENCH_SURVEY_RATE (300 a second) for BENCH_SURVEY_SECONDS (60), BENCH_SURVEY_POOL (20 connections).
    const rate = Number(process.env.BENCH_SURVEY_RATE ?? 300);
    const secs = Number(process.env.BENCH_SURVEY_SECONDS ?? 60);
    console.log(`[pg] survey: ${rate} submissions a second for ${secs} s…`);
    record('survey', await benchSurvey({ rate, seconds: secs, pgBase, poolSize: Number(process.env.BENCH_SURVEY_POOL ?? 20) }));
  }
  if (only.has('vip')) {
    const people = Number(process.env.BENCH_VIP_PEOPLE ?? 200_000);
    const reached = Number(process.env.BENCH_VIP_REACHED ?? 20_000);
    console.log(`[pg] vip: the 临界 list over ${people} individuals, screening of ${reached} people reached by 140 projects…`);
    record('vip', await benchVip({ people, projects: 140, reached, runs: 20, pgBase }));
  }
  if (only.has('interbank')) {
    const institutions = Number(process.env.BENCH_IB_INSTITUTIONS ?? 5000);
    const branches = Number(process.env.BENCH_IB_BRANCHES ?? 30);
    const weeks = Number(process.env.BENCH_IB_WEEKS ?? 156);
    console.log(`[pg] interbank: ${institutions} institutions × ${branches} branches, ${weeks} weekly snapshots; the briefing page and PDF…`);
    record('interbank', await benchInterbank({ institutions, branches, weeks, runs: 50, pdfRuns: 10, pgBase }));
  }
  if (only.has('whitelists')) {
    const clients = Number(process.env.BENCH_WL_CLIENTS ?? 100_000);
    console.log(`[pg] whitelists: ${clients} clients added, routed to outlets and distributed to staff…`);
    record('whitelists', await benchWhitelists({ clients, pgBase }));
  }
  if (only.has('reports')) {
    const sales = Number(process.env.BENCH_REPORT_SALES ?? 5_000_000);
    const exportRows = Number(process.env.BENCH_REPORT_EXPORT_ROWS ?? 1_000_000);
    console.log(`[pg] reports: ${sales} sales over 2026, each daily own-data view, the stored issue page, an export of ${exportRows} detail rows…`);
    record('reports', await benchReports({ sales, runs: 20, exportRows, pgBase, dir }));
  }
  if (only.has('warnings')) {
    const clients = Number(process.env.BENCH_EW_CLIENTS ?? 200_000);
    console.log(`[pg] warnings: the daily early-warning run over ${clients} loan clients × 20 indicators…`);
    record('warnings', await benchWarnings({ clients, pgBase }));
  }
  if (only.has('pglite')) {
    const sales = Number(process.env.BENCH_PGLITE_SALES ?? 200_000);
    const users = Number(process.env.BENCH_PGLITE_USERS ?? 10);
    console.log(`[pglite] embedded default: ${sales} sales imported on PGlite and PostgreSQL, then ${users} users on the main pages for ${seconds} s…`);
    const thinkMs = Number(process.env.BENCH_PGLITE_THINK_MS ?? 0);
    record('pglite', await benchPglite({ sales, users, seconds, thinkMs, pgBase, dir }));
  }
  if (only.has('year')) {
    const perMonth = Number(process.env.BENCH_YEAR_SALES ?? 1_000_000);
    console.log(`[pg] a year of data: ${perMonth} sales in each month of 2025, loaded and scored month by month…`);
    record('year', await benchYear({ perMonth, pgBase }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`wrote ${out}`);
process.exit(0);
