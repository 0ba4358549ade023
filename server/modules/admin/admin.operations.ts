import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../../db/client.js';
import { staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import type { AuthContext } from '../access/context.js';
import { type ChainReport, SYSTEM_ACTOR, verifyAuditChain } from '../audit/audit.service.js';
import { loadGrants } from '../auth/auth.service.js';
import { type ImportPhase, runImport } from '../imports/import.service.js';
import { canImport } from '../imports/imports.policy.js';
import { specOf } from '../imports/registry.js';
import { bulkImportSales } from '../sales/sales.bulk.js';
import { repairLedger } from '../scoring/ledger.repair.js';
import { type LedgerReport, type LedgerScope, verifyLedger } from '../scoring/ledger.verify.js';
import { settle, statementNodeByCode } from '../statements/settle.js';
import { monthPeriod } from '../statements/statement.service.js';

/**
 * The operator commands the CLI needs while the server runs (issue 10): one definition each, run
 * either on a database the CLI opened itself or, when a server holds the PGlite directory, inside
 * that server through `POST /api/admin/ops/:name` (admin.routes.ts). The result is the same value
 * both ways (wire.ts keeps Buffers and Dates), so a command prints it one way.
 */
export interface OperationContext {
  database: Database;
  /** A line for the operator (streamed to a remote CLI as it happens). */
  log(line: string): void;
  /** Progress of a long step (an import), for a bar or a line. */
  progress(p: OperationProgress): void;
  /** The operation's input file: the CLI's own path locally, the uploaded copy on a server. */
  file?: string;
}

export interface OperationProgress {
  phase: ImportPhase | 'scoring';
  processedRows: number;
  totalRows: number;
  /** The bulk sales path's running counts. */
  errorRows?: number;
  inserted?: number;
}

export interface Operation<A> {
  args: z.ZodType<A>;
  /** Takes an input file (uploaded first when remote). */
  needsFile?: boolean;
  run(ctx: OperationContext, args: A): Promise<unknown>;
}

const op = <S extends z.ZodType>(o: { args: S; needsFile?: boolean; run(ctx: OperationContext, args: z.output<S>): Promise<unknown> }) => o;

/** The person an import runs as (`--as`, default admin): active, allowed the kind (imports.policy.ts, as in the console). */
async function actAs(database: Database, staffNo: string, spec: { permission: Permission }): Promise<AuthContext> {
  const db = database.db;
  const [person] = await db.select().from(staff).where(eq(staff.staffNo, staffNo)).limit(1);
  if (!person) throw new Error(`员工 ${staffNo} 不存在 / no staff member ${staffNo}`);
  if (!person.active) throw new Error(`员工 ${staffNo} 已停用 / ${staffNo} is disabled`);
  const auth: AuthContext = {
    staffId: person.id,
    staffNo: person.staffNo,
    name: person.name,
    nodeId: person.nodeId,
    sessionId: 'cli',
    csrfToken: 'cli',
    mustChangePassword: false,
    grants: await loadGrants(db, person.id),
  };
  if (!canImport(auth, spec)) throw new Error(`${staffNo} 没有 ${spec.permission} 权限 / ${staffNo} lacks ${spec.permission}`);
  return auth;
}

/** `--ledger` with an optional branch and month: the scope and the label a repair is audited under. */
async function ledgerScope(db: Db, opts: { branch?: string; month?: string }): Promise<LedgerScope & { label: string }> {
  if (!opts.branch) {
    if (opts.month) throw new Error('--month 须与 --branch 同用 / --month needs --branch');
    return { label: 'all' };
  }
  const node = await statementNodeByCode(db, opts.branch);
  if (!opts.month) return { nodeId: node.id, label: node.code };
  return { nodeId: node.id, period: monthPeriod(opts.month), label: `${node.code}/${opts.month}` };
}

export interface VerifyAllReport {
  chain: ChainReport;
  /** Present with `ledger`: the ledger as found (before any repair). */
  ledger: LedgerReport | null;
  /** Present when a repair ran: what it wrote, and the ledger after it. */
  repair: { entries: number; totals: number; after: LedgerReport } | null;
}

/** `audit verify [--ledger [--branch --month] [--repair]]`: the chain, then (if asked) the ledger. */
async function verifyAll(db: Db, opts: { ledger?: boolean; branch?: string; month?: string; repair?: boolean }): Promise<VerifyAllReport> {
  const chain = await verifyAuditChain(db);
  if (!opts.ledger) return { chain, ledger: null, repair: null };
  const scope = await ledgerScope(db, opts);
  const ledger = await verifyLedger(db, scope);
  if (ledger.ok || !opts.repair) return { chain, ledger, repair: null };
  const r = await repairLedger(db, SYSTEM_ACTOR, scope);
  return { chain, ledger, repair: { entries: r.entries, totals: r.totals, after: r.after } };
}

const ImportArgs = z.strictObject({
  kind: z.string().min(1).max(40),
  fileName: z.string().min(1).max(255),
  mode: z.enum(['all', 'valid_only']).default('all'),
  as: z.string().min(1).max(64).default('admin'),
  /** A .csv of sales through the streaming bulk path (no row limit). */
  bulk: z.boolean().default(false),
  /** Send every error back as JSON items (`--errors json`); otherwise they stay in import_errors only. */
  errors: z.boolean().default(false),
});

export const OPERATIONS = {
  /** `audit verify`: the hash chain, first broken entry. */
  'audit.verify': op({
    args: z.strictObject({
      /** Also compare the points ledger with a fresh allocation and the statement totals. */
      ledger: z.boolean().optional(),
      branch: z.string().min(1).max(32).optional(),
      month: z
        .string()
        .regex(/^\d{4}-\d{2}$/)
        .optional(),
      /** Write correcting entries and totals when the ledger differs (one audited transaction). */
      repair: z.boolean().optional(),
    }),
    run: ({ database }, args) => verifyAll(database.db, args),
  }),

  /** `settle`: a branch-month's statement, optionally recomputed or verified first. */
  settle: op({
    args: z.strictObject({
      branch: z.string().min(1).max(32),
      month: z.string().regex(/^\d{4}-\d{2}$/),
      recompute: z.boolean().optional(),
      verify: z.boolean().optional(),
      repair: z.boolean().optional(),
    }),
    run: async ({ database, log }, args) => {
      const s = await settle(database.db, args, log);
      return { node: s.node, month: s.month, totals: s.totals };
    },
  }),

  /** `import <kind> <file>` and `sales import <file>`: the import framework, or the bulk sales path. */
  import: op({
    args: ImportArgs,
    needsFile: true,
    run: async ({ database, progress, file }, args) => {
      if (!file) throw new AppError('IMPORT.NO_FILE');
      const spec = specOf(args.kind);
      const auth = await actAs(database, args.as, spec);
      if (args.bulk && spec.kind === 'sales') {
        // The bulk path streams every error to a CSV; it travels back with the result.
        const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-errors-'));
        try {
          const errorCsvPath = path.join(dir, 'errors.csv');
          const result = await bulkImportSales({
            database,
            auth,
            file,
            fileName: args.fileName,
            mode: args.mode,
            errorCsvPath,
            onProgress: (p) => {
              if (p.phase !== 'done' && p.phase !== 'failed') progress({ phase: p.phase, processedRows: p.processedRows, totalRows: p.totalRows, errorRows: p.errorRows, inserted: p.inserted });
            },
          });
          let errorCsv: Buffer | null = null;
          try {
            if (result.errorRows > 0) errorCsv = readFileSync(errorCsvPath);
          } catch {
            errorCsv = null;
          }
          return { ...result, errorCsv };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const result = await runImport({
        db: database.db,
        auth,
        kind: spec.kind,
        fileName: args.fileName,
        bytes: readFileSync(file),
        mode: args.mode,
        onProgress: (p) => progress(p),
      });
      // A file of 200 k bad rows has as many items: they travel back only when asked for.
      return args.errors ? result : { ...result, errors: [] };
    },
  }),
};

export type OperationName = keyof typeof OPERATIONS;
export type OperationArgs<N extends OperationName> = z.input<(typeof OPERATIONS)[N]['args']>;
export type OperationResult<N extends OperationName> = Awaited<ReturnType<(typeof OPERATIONS)[N]['run']>>;

export function operationOf(name: string): Operation<unknown> {
  // Own keys only: `constructor` or `__proto__` are not operations (decision 0022).
  const o = Object.hasOwn(OPERATIONS, name) ? (OPERATIONS as Record<string, Operation<unknown>>)[name] : undefined;
  if (!o) throw new AppError('ADMIN.UNKNOWN_OPERATION', { name });
  return o;
}

/** Runs an operation here, on this process's database (the CLI's own, or the server's). */
export async function runOperation(name: string, rawArgs: unknown, ctx: OperationContext): Promise<unknown> {
  const o = operationOf(name);
  const parsed = o.args.safeParse(rawArgs ?? {});
  if (!parsed.success)
    throw new AppError(
      'REQUEST.INVALID',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  if (o.needsFile && !ctx.file) throw new AppError('IMPORT.NO_FILE');
  return o.run(ctx, parsed.data);
}
