import { describe, expect, it } from 'vitest';
import type { Permission } from '../../../shared/access.js';
import { AppError } from '../../errors.js';
import type { ImportSpec } from '../imports/import-spec.js';
import { productScoresSpec } from '../products/product-scores.import.js';
import { productsSpec } from '../products/products.import.js';
import { assertCatalogueWriter } from '../products/products.service.js';
import { addSplitRule } from '../scoring/split-rules.service.js';
import { assertCanConfigure } from '../targets/targets.policy.js';
import type { AuthContext, Grant } from './context.js';

/** A caller holding `perms` over one node, described by its path and org level. */
function caller(perms: Permission[], scopePath: string, scopeLevel: Grant['scopeLevel']): AuthContext {
  const ids = scopePath.split('/').filter(Boolean).map(Number);
  return {
    staffId: 1,
    staffNo: 't',
    name: 't',
    nodeId: ids[ids.length - 1],
    sessionId: 's',
    csrfToken: 'c',
    mustChangePassword: false,
    grants: [{ role: 'admin', permissions: new Set(perms), scopeNodeId: ids[ids.length - 1], scopePath, scopeLevel }],
  };
}

const codeOf = async (f: () => unknown): Promise<string | null> => {
  try {
    await f();
    return null;
  } catch (e) {
    // Past the scope check the split rule reaches for the (absent) database: a TypeError, not a refusal.
    return e instanceof AppError ? e.code : 'not-an-app-error';
  }
};

// Each bank-wide check with the code it has always answered (published codes never change).
const CHECKS: { name: string; perm: Permission; code: string; run: (a: AuthContext) => unknown }[] = [
  { name: 'Article 9 criteria', perm: 'target.configure', code: 'TARGET.CONFIGURE_SCOPE', run: (a) => assertCanConfigure(a) },
  { name: 'product catalogue', perm: 'product.write', code: 'PRODUCT.WRITE_SCOPE', run: (a) => assertCatalogueWriter(a) },
  // The scope check comes before any database work, so no database is needed to see it refuse.
  { name: 'split rule', perm: 'scoring.configure', code: 'SCORING.CONFIGURE_SCOPE', run: (a) => addSplitRule(null as never, a, { effectiveFrom: '2099-01-01', hostBp: 2000, participantsBp: 8000 }) },
];

describe('bank-wide configuration is judged by the level of the grant’s node, not the depth of its path', () => {
  for (const c of CHECKS) {
    it(`${c.name}: a tier-2 branch of a bank whose tree starts at the province is refused (${c.code})`, async () => {
      // Province 2 is the root here, so 佛山分行's path has two ids, like a province under a head office.
      expect(await codeOf(() => c.run(caller([c.perm], '/2/11/', 'branch')))).toBe(c.code);
      expect(await codeOf(() => c.run(caller([c.perm], '/1/2/11/101/', 'subbranch')))).toBe(c.code);
    });

    it(`${c.name}: the province or the head office may change it`, async () => {
      for (const [path, level] of [
        ['/2/', 'province'],
        ['/1/2/', 'province'],
        ['/1/', 'head'],
      ] as const) {
        const got = await codeOf(() => c.run(caller([c.perm], path, level)));
        expect(got, `${path} ${level}`).not.toBe(c.code);
      }
    });

    it(`${c.name}: holding another permission at the province does not count`, async () => {
      expect(await codeOf(() => c.run(caller(['org.read'], '/1/2/', 'province')))).toBe(c.code);
    });
  }
});

describe('the catalogue imports apply the same rule, row by row', () => {
  // prepare() only looks things up: an empty database answers every look-up with no rows.
  const emptyDb = { execute: async () => ({ rows: [] }) } as never;
  const SPECS: [string, ImportSpec<never>, unknown][] = [
    ['products', productsSpec as ImportSpec<never>, { code: 'FS_P', name: '佛山产品', line: '理财', hostDepartmentCode: 'PF', unit: '件', mortgage: false }],
    ['product-scores', productScoresSpec as ImportSpec<never>, { code: 'DEBIT', scoreHundredths: 9900, effectiveFrom: '2026-01-01', note: null }],
  ];
  const bankWideRefusal = async (spec: ImportSpec<never>, value: unknown, auth: AuthContext) => {
    const errors = await spec.prepare(emptyDb, [{ rowNumber: 2, value: { ...(value as object) } as never }], { auth, actor: { id: 1, name: 't' } });
    return (errors.get(2) ?? []).some((e) => e.en.includes('bank-wide'));
  };
  for (const [kind, spec, value] of SPECS) {
    it(`${kind}: a tier-2 branch of a province-rooted tree is refused, the province is not`, async () => {
      expect(await bankWideRefusal(spec, value, caller(['product.write'], '/2/11/', 'branch'))).toBe(true);
      expect(await bankWideRefusal(spec, value, caller(['product.write'], '/2/', 'province'))).toBe(false);
    });
  }
});
