import { staff } from './staff.js';
import { bigint, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** Server-side sessions; the cookie carries a random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_staff_idx').on(t.staffId)],
);

/** Append-only, hash-chained audit log (SPEC §14). Rows are never updated or deleted. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Position in the chain: 1, 2, 3 … without gaps (ids skip on rollback), under the append lock. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    nodeId: integer('node_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_entity_idx').on(t.entity, t.entityId),
    index('audit_at_idx').on(t.at),
    index('audit_node_idx').on(t.nodeId),
    // The PII reveal limit counts one person's entries of one action in the last hour.
    index('audit_actor_action_at_idx').on(t.actorId, t.action, t.at),
    uniqueIndex('audit_log_seq_uq').on(t.seq),
  ],
);

/**
 * The lockout counter of sign-in names that are not accounts (or have no password): they lock
 * exactly like real ones, so the answers never tell whether a 工号 exists (auth/lockout.ts).
 */
export const loginThrottle = pgTable('login_throttle', {
  login: text('login').primaryKey(),
  failedLogins: integer('failed_logins').notNull().default(0),
  loginWindowStart: timestamp('login_window_start', { withTimezone: true }),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/**
 * The audit head (seq + hash) seen at a milestone — a month locked, an assessment approved, an
 * import finished (decision 0016). Append-only. A chain that ends before an anchor lost its tail;
 * one whose entry at `seq` has another hash was rewritten.
 */
export const auditAnchors = pgTable(
  'audit_anchors',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** period.lock | assessment.approve | import */
    kind: text('kind').notNull(),
    /** What was anchored: 44100/2026-10, the run id, the import id. */
    ref: text('ref').notNull(),
    nodeId: integer('node_id'),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_anchors_seq_idx').on(t.seq)],
);

/** Branch-independent settings as key → JSON value; changes are audited. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer('updated_by'),
});

export const IMPORT_STATUSES = ['validating', 'writing', 'done', 'failed'] as const;

/** One uploaded file's journey; progress lives here so any server process can report it. */
export const imports = pgTable(
  'imports',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    mode: text('mode', { enum: ['all', 'valid_only'] }).notNull(),
    status: text('status', { enum: IMPORT_STATUSES }).notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    errorRows: integer('error_rows').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    message: text('message'),
    errorReport: bytea('error_report'),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** The audit head when it finished (an anchor, decision 0016). */
    auditSeq: bigint('audit_seq', { mode: 'number' }),
    auditHash: text('audit_hash'),
    /** Touched by the running process while validating/writing; a stale one means it died. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('imports_created_by_idx').on(t.createdBy)],
);

/** An import's errors, one a refused cell (or row; the file as a whole: rowNumber null), in report order. */
export const importErrors = pgTable(
  'import_errors',
  {
    importId: text('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    rowNumber: integer('row_number'),
    columnKey: text('column_key'),
    /** The column as the uploaded sheet names it (证件号码). */
    columnHeader: text('column_header'),
    /** The template's name of the column (客户身份证号码). */
    templateHeader: text('template_header'),
    code: text('code').notNull(),
    messageZh: text('message_zh').notNull(),
    messageEn: text('message_en').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);
