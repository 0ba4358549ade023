/** Shapes of the API JSON (SPEC §1) shared across areas; the response types are derived (contract.ts) from the server's *.schemas.ts. */

import type { OrgNode, Department, CommitteeMember, OrgNodeDetail, Staff, Paged, Counted, Grant, Me, AuditEntry, AuditVerify, LedgerReport, Setting, Role, ImportJob } from './contract';

export type { OrgNode, Department, CommitteeMember, OrgNodeDetail, Staff, Paged, Counted, Grant, Me, AuditEntry, AuditVerify, LedgerReport, Setting, Role, ImportJob };

export type Lang = 'zh-CN' | 'en';
export type OrgLevel = 'head' | 'province' | 'branch' | 'subbranch' | 'outlet';
export type CommitteePosition = 'chair' | 'vice_chair' | 'member' | 'office';
export type DepartmentKind = 'corporate' | 'institutional' | 'real_estate' | 'personal_finance' | 'e_banking' | 'credit_card' | 'private_banking' | 'hr' | 'finance' | 'compliance' | 'tech' | 'other';

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

export type ChainBreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'anchor_mismatch' | 'behind_anchor';

export type LedgerFigures = LedgerReport['totals'][number]['kept'];

export type ImportStatus = 'validating' | 'writing' | 'done' | 'failed';
export type ImportMode = 'all' | 'valid_only';

export interface ImportKind {
  kind: string;
  nameZh: string;
  nameEn: string;
  permission?: string;
}
