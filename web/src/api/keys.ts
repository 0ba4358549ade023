/** Query-key factory: one place that names every cached query, so invalidation is precise. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  setup: ['setup'] as const,
  org: {
    all: ['org'] as const,
    nodes: () => ['org', 'nodes'] as const,
    node: (id: number) => ['org', 'node', id] as const,
    departments: (nodeId: number | undefined) => ['org', 'departments', nodeId ?? null] as const,
    committee: (nodeId: number) => ['org', 'committee', nodeId] as const,
  },
  staff: {
    all: ['staff'] as const,
    list: (filters: object) => ['staff', 'list', filters] as const,
    one: (id: number) => ['staff', 'one', id] as const,
    roles: ['roles'] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (filters: object) => ['audit', 'list', filters] as const,
  },
  settings: ['settings'] as const,
  splitRules: ['scoring', 'split-rules'] as const,
  imports: {
    all: ['imports'] as const,
    kinds: ['imports', 'kinds'] as const,
    job: (id: string | number) => ['imports', 'job', String(id)] as const,
    mine: ['imports', 'mine'] as const,
  },
  customers: {
    all: ['customers'] as const,
    company: (id: number) => ['customers', 'company', id] as const,
    person: (id: number) => ['customers', 'person', id] as const,
    graph: (of: object) => ['customers', 'graph', of] as const,
    types: ['customers', 'types'] as const,
    industries: ['customers', 'industries'] as const,
    facts: ['customers', 'facts'] as const,
  },
  targets: {
    all: ['targets'] as const,
    criteria: (kind?: string, on?: string) => ['targets', 'criteria', kind ?? null, on ?? null] as const,
    evaluation: (companyId: number, departmentId: number, reason: string) => ['targets', 'evaluation', companyId, departmentId, reason] as const,
    nominations: (filters: object) => ['targets', 'nominations', filters] as const,
    lists: (nodeId?: number) => ['targets', 'lists', nodeId ?? null] as const,
    versions: (nodeId: number, departmentId: number) => ['targets', 'versions', nodeId, departmentId] as const,
    entries: (nodeId: number, departmentId: number, versionNo: number) => ['targets', 'entries', nodeId, departmentId, versionNo] as const,
    diff: (nodeId: number, departmentId: number, from: number, to: number) => ['targets', 'diff', nodeId, departmentId, from, to] as const,
    reminders: ['targets', 'reminders'] as const,
  },
  // Products, developments, cross-sales and statements (SPEC §6–§9)
  products: {
    all: ['products'] as const,
    lines: ['products', 'lines'] as const,
    one: (id: number) => ['products', 'one', id] as const,
    scores: (id: number) => ['products', 'scores', id] as const,
    options: ['products', 'options'] as const,
  },
  sales: {
    all: ['sales'] as const,
    one: (id: number) => ['sales', 'one', id] as const,
    split: (id: number) => ['sales', 'split', id] as const,
    developments: (filters: object) => ['sales', 'developments', filters] as const,
    figures: (id: number) => ['sales', 'figures', id] as const,
  },
  statements: {
    all: ['statements'] as const,
    one: (nodeId: number, month: string) => ['statements', nodeId, month] as const,
    months: (nodeId: number) => ['statements', nodeId, 'months'] as const,
    branches: (nodeId: number, month: string) => ['statements', nodeId, month, 'branches'] as const,
    department: (nodeId: number, month: string, departmentId: number) => ['statements', nodeId, month, 'department', departmentId] as const,
    person: (nodeId: number, month: string, staffId: number) => ['statements', nodeId, month, 'person', staffId] as const,
  },
  // The month's life (SPEC §9): publication, objections, spot checks, notifications
  periods: {
    all: ['periods'] as const,
    list: (month: string) => ['periods', 'list', month] as const,
    one: (nodeId: number, month: string) => ['periods', 'one', nodeId, month] as const,
    notice: (nodeId: number, month: string) => ['periods', 'notice', nodeId, month] as const,
    notices: (limit: number) => ['periods', 'notices', limit] as const,
  },
  objections: {
    all: ['objections'] as const,
    list: (filters: object) => ['objections', 'list', filters] as const,
    one: (id: number) => ['objections', 'one', id] as const,
  },
  spotChecks: {
    all: ['spotChecks'] as const,
    one: (nodeId: number, month: string) => ['spotChecks', 'one', nodeId, month] as const,
    summaries: (month: string) => ['spotChecks', 'summaries', month] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    unread: ['notifications', 'unread'] as const,
    list: (filters: object) => ['notifications', 'list', filters] as const,
  },
  // Quotas, dashboards and the year-end assessment (SPEC §10)
  quotas: {
    all: ['quotas'] as const,
    list: (nodeId: number, year: number) => ['quotas', 'list', nodeId, year] as const,
    lineTargets: (nodeId: number, year: number) => ['quotas', 'lineTargets', nodeId, year] as const,
    proposal: (nodeId: number, year: number, lineCode: string, percentBp: number) => ['quotas', 'proposal', nodeId, year, lineCode, percentBp] as const,
    version: (nodeId: number, year: number, versionNo: number) => ['quotas', 'version', nodeId, year, versionNo] as const,
  },
  dashboards: {
    all: ['dashboards'] as const,
    board: (board: string, filters: object) => ['dashboards', board, filters] as const,
  },
  assessment: {
    all: ['assessment'] as const,
    runs: (nodeId: number, year?: number) => ['assessment', 'runs', nodeId, year ?? null] as const,
    run: (id: number) => ['assessment', 'run', id] as const,
    rules: (nodeId: number, year: number) => ['assessment', 'rules', nodeId, year] as const,
  },
};
