/** Shapes of the API JSON (SPEC §1); org, staff and list envelopes are derived (contract.ts) from the server schemas, the rest still mirror each server module’s routes file by hand. */

import type { OrgNode, Department, CommitteeMember, OrgNodeDetail, Staff, Paged, Counted } from './contract';

export type { OrgNode, Department, CommitteeMember, OrgNodeDetail, Staff, Paged, Counted };

export type Lang = 'zh-CN' | 'en';
export type OrgLevel = 'head' | 'province' | 'branch' | 'subbranch' | 'outlet';
export type CommitteePosition = 'chair' | 'vice_chair' | 'member' | 'office';
export type DepartmentKind =
  | 'corporate'
  | 'institutional'
  | 'real_estate'
  | 'personal_finance'
  | 'e_banking'
  | 'credit_card'
  | 'private_banking'
  | 'hr'
  | 'finance'
  | 'compliance'
  | 'tech'
  | 'other';

export const DEPARTMENT_KINDS: DepartmentKind[] = [
  'corporate',
  'institutional',
  'real_estate',
  'personal_finance',
  'e_banking',
  'credit_card',
  'private_banking',
  'hr',
  'finance',
  'compliance',
  'tech',
  'other',
];
export const ORG_LEVELS: OrgLevel[] = ['head', 'province', 'branch', 'subbranch', 'outlet'];
export const COMMITTEE_POSITIONS: CommitteePosition[] = ['chair', 'vice_chair', 'member', 'office'];

export interface Grant {
  role: string;
  roleZh: string;
  roleEn: string;
  scopeNodeId: number;
  scopeName: string;
  scopeLevel: OrgLevel;
}

export interface Me {
  staffId: number;
  staffNo: string;
  name: string;
  nodeId: number;
  nodeName: string;
  mustChangePassword: boolean;
  csrfToken: string;
  permissions: string[];
  /** Permissions held at province level or above: what bank-wide configuration needs. */
  bankWide: string[];
  grants: Grant[];
}

export interface Role {
  code: string;
  nameZh: string;
  nameEn: string;
  permissions: string[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  nodeId: number | null;
  nodeName: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export type ChainBreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'anchor_mismatch' | 'behind_anchor';

export interface AuditVerify {
  ok: boolean;
  checked: number;
  /** The last entry verified (seq + hash). */
  head: { seq: number; hash: string } | null;
  anchors: number;
  broken: { id: number | null; seq: number; reason: ChainBreakReason; anchor?: { seq: number; hash: string; source: string } } | null;
}

export interface LedgerFigures {
  points: number;
  voided: number;
  sales: number;
}

/** GET /api/audit/ledger: a branch month's ledger against a fresh allocation and its totals. */
export interface LedgerReport {
  ok: boolean;
  sales: number;
  lines: {
    saleId: number;
    sourceId: string;
    nodeId: number;
    period: string;
    level: 'department' | 'person';
    departmentId: number;
    staffId: number | null;
    role: string | null;
    kind: 'points' | 'void';
    ledger: number;
    expected: number;
    stale: boolean;
  }[];
  totals: { nodeId: number; period: string; grain: string; k1: number; k2: number; role: string; kept: LedgerFigures; ledger: LedgerFigures; locked: boolean }[];
}

export interface Setting {
  key: string;
  value: unknown;
  labelZh: string;
  labelEn: string;
  updatedAt: string | null;
}

export type ImportStatus = 'validating' | 'writing' | 'done' | 'failed';
export type ImportMode = 'all' | 'valid_only';

export interface ImportKind {
  kind: string;
  nameZh: string;
  nameEn: string;
  permission?: string;
}

export interface ImportJob {
  id: number | string;
  kind: string;
  fileName: string;
  mode: ImportMode;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  errorRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  message: string | null;
  hasErrorReport: boolean;
  createdAt?: string;
  finishedAt?: string | null;
}
