/** Query-key factory: one place that names every cached query, so invalidation is precise. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
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
  imports: {
    all: ['imports'] as const,
    kinds: ['imports', 'kinds'] as const,
    job: (id: string | number) => ['imports', 'job', String(id)] as const,
    mine: ['imports', 'mine'] as const,
  },
};
