/**
 * Where every table would live on Citus, the distributed PostgreSQL engine (issue 17 goal 6,
 * decision 0043). ONE entry per table of the migrated schema: server/test/distribution.test.ts
 * fails on a table that is not classified here, and checks the rules Citus imposes.
 *
 * - `distributed`: province-scoped facts at volume, sharded on `province_id` (the tier-1 branch,
 *   org_nodes.province_id, migration 0039) and co-located with `sales`. Every primary key and
 *   unique index includes `province_id`; a foreign key from one goes to a reference table or to a
 *   co-located distributed table through `province_id`.
 * - `reference`: bank-wide configuration, catalogue and master data, copied to every node so a
 *   shard joins them locally. A reference table references only reference tables.
 * - `local`: stays on the coordinator (a Citus local table once it references a reference table):
 *   module data of low volume, sessions and logs. Never referenced by, nor referencing, a
 *   distributed table. `why` says why it is not distributed (yet).
 *
 * Generated from this manifest: the `create_reference_table` / `create_distributed_table` calls of
 * docs/deploy/citus.md (`citusCalls`, checked by the same test).
 */
export type Placement = { kind: 'distributed' } | { kind: 'reference' } | { kind: 'local'; why: string };

/** The distribution column of every distributed table. */
export const DISTRIBUTION_COLUMN = 'province_id';
/** The table every distributed table is co-located with (same shard count, same hash ranges). */
export const COLOCATION_ANCHOR = 'sales';

const D: Placement = { kind: 'distributed' };
const R: Placement = { kind: 'reference' };
const local = (why: string): Placement => ({ kind: 'local', why });

// Reasons shared by several tables.
const MODULE = 'module workflow of one province at human volume (thousands of rows a month); joins only reference tables — distribute with province_id when a module outgrows the coordinator';
const SYSTEM = 'the application’s own bookkeeping (sessions, jobs, imports, secrets): read by key on the coordinator';
const AUDIT = 'the hash-chained audit trail must be appended in one order (audit_anchors): one table on the coordinator';
const DAILY = 'daily early-warning run of one province (clients × indicators): the largest module table, but its runs and hits are keyed by run, not province — next candidate for distribution';

export const DISTRIBUTION: Record<string, Placement> = {
  // Province-scoped facts at volume (5 M sales a month in a province): the reason Citus is needed.
  sales: D,
  // One narrow row per sale (source-id key across the months, id probes): sharded with its sales.
  sale_keys: D,
  sale_departments: D,
  sale_people: D,
  sale_scoring: D,
  ledger_entries: D,
  statement_totals: D,
  completion_totals: D,
  product_points_totals: D,

  // The org tree, people and departments: every statement, scope check and reference check joins them.
  org_nodes: R,
  departments: R,
  staff: R,
  roles: R,
  staff_roles: R,
  committee_members: R,
  settings: R,
  // Customers: bank-wide master data (a company banks in several provinces); the sales' reference
  // checks (migration 0009) probe them from every shard.
  client_types: R,
  industries: R,
  corporate_clients: R,
  individuals: R,
  company_links: R,
  company_people: R,
  holdings: R,
  // The scoring catalogue and rules: read by the scoring statement on every shard.
  product_lines: R,
  products: R,
  product_scores: R,
  split_rules: R,
  developments: R,
  development_figures: R,
  award_rule_sets: R,
  // Period states: the ledger's and totals' period-lock triggers read them on every shard.
  periods: R,
  // The years detached from the month partitions (migration 0048): read on the coordinator before a past year's figures.
  archived_years: R,
  // Quotas: the assessment joins them with completion_totals on every shard.
  quota_plans: R,
  quota_plan_versions: R,
  quotas: R,
  quota_line_targets: R,
  // Small catalogues of the modules.
  vip_tiers: R,
  am_grades: R,
  fi_institutions: R,
  ew_indicators: R,
  report_definitions: R,

  audit_log: local(AUDIT),
  audit_anchors: local(AUDIT),
  sessions: local(SYSTEM),
  login_throttle: local(SYSTEM),
  app_secrets: local(SYSTEM),
  job_runs: local(SYSTEM),
  imports: local(SYSTEM),
  import_errors: local('the rejected lines of one import file, read with it by import id'),
  notifications: local(SYSTEM),
  notice_versions: local('published statement notices: a few per period'),
  objections: local(MODULE),
  spot_checks: local(MODULE),
  spot_check_items: local(MODULE),
  spot_check_evidence: local(MODULE),
  assessment_runs: local('one year-end assessment run per branch and year'),
  assessment_run_lines: local('the lines of an assessment run: people × indicators of one branch, once a year'),
  target_criteria: local(MODULE),
  target_list_versions: local(MODULE),
  target_list_entries: local(MODULE),
  target_nominations: local(MODULE),
  leads: local(MODULE),
  lead_events: local(MODULE),
  lead_capacities: local(MODULE),
  phase_goals: local(MODULE),
  projects: local(MODULE),
  project_members: local(MODULE),
  activities: local(MODULE),
  activity_invitees: local(MODULE),
  handovers: local(MODULE),
  marketing_plans: local(MODULE),
  survey_tokens: local(MODULE),
  survey_responses: local(MODULE),
  vip_screenings: local(MODULE),
  vip_registrations: local(MODULE),
  fi_jurisdictions: local(MODULE),
  fi_signings: local(MODULE),
  fi_prospects: local(MODULE),
  fi_visits: local(MODULE),
  fi_files: local(MODULE),
  fi_landings: local(MODULE),
  fi_calibers: local(MODULE),
  fi_step_rules: local(MODULE),
  fi_plans: local(MODULE),
  fi_plan_adjustments: local(MODULE),
  fi_pools: local(MODULE),
  fi_grants: local(MODULE),
  fi_weekly_snapshots: local(MODULE),
  fi_snapshot_lines: local(MODULE),
  fi_submissions: local(MODULE),
  report_issues: local(MODULE),
  report_feed_rows: local('rows of the report feeds, read per issue'),
  report_subscriptions: local(MODULE),
  report_deliveries: local(MODULE),
  report_job_runs: local(SYSTEM),
  whitelist_batches: local(MODULE),
  whitelist_entries: local(MODULE),
  whitelist_contacts: local(MODULE),
  whitelist_outlet_rules: local(MODULE),
  whitelist_campaigns: local(MODULE),
  whitelist_campaign_members: local(MODULE),
  incl_group_members: local(MODULE),
  incl_measures: local(MODULE),
  incl_quarter_results: local(MODULE),
  incl_quarter_lines: local(MODULE),
  incl_visits: local(MODULE),
  incl_visit_actions: local(MODULE),
  ew_feed: local(DAILY),
  ew_guarantees: local(MODULE),
  ew_runs: local(DAILY),
  ew_run_counts: local(DAILY),
  ew_hits: local(DAILY),
  ew_warnings: local(MODULE),
  ew_recipients: local(MODULE),
  ew_actions: local(MODULE),
  ew_escalation_steps: local(MODULE),
  sc_programmes: local(MODULE),
  sc_clients: local(MODULE),
  sc_orders: local(MODULE),
  sc_draws: local(MODULE),
  sc_compensations: local(MODULE),
  sc_npl_days: local(MODULE),
  sc_reassessments: local(MODULE),
};

export const tablesOf = (kind: Placement['kind']) =>
  Object.entries(DISTRIBUTION)
    .filter(([, p]) => p.kind === kind)
    .map(([t]) => t)
    .sort();

/**
 * The Citus calls that place the schema, in an order Citus accepts: reference tables parents
 * first (a foreign key between reference tables needs its target placed), then the anchor, then
 * the tables co-located with it. `references` maps each table to the tables its foreign keys name.
 */
export function citusCalls(references: Map<string, string[]>): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (t: string) => {
    if (placed.has(t)) return;
    placed.add(t);
    for (const r of (references.get(t) ?? []).sort()) if (r !== t && DISTRIBUTION[r]?.kind === 'reference') visit(r);
    ordered.push(t);
  };
  for (const t of tablesOf('reference')) visit(t);
  const colocated = tablesOf('distributed').filter((t) => t !== COLOCATION_ANCHOR);
  return [
    ...ordered.map((t) => `SELECT create_reference_table('${t}');`),
    `SELECT create_distributed_table('${COLOCATION_ANCHOR}', '${DISTRIBUTION_COLUMN}');`,
    ...colocated.map((t) => `SELECT create_distributed_table('${t}', '${DISTRIBUTION_COLUMN}', colocate_with => '${COLOCATION_ANCHOR}');`),
  ];
}
