import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHundredths } from './allocation.js';
import { householdRatioBp, mortgageVerdict, periodEnd, periodOf, salePoints, splitSale, type SplitInput } from './scoring.rules.js';

const lines = (r: ReturnType<typeof splitSale>) => r.lines.map((l) => [l.departmentId, l.staffId, formatHundredths(l.points)]);

describe('points of a sale (SPEC §7)', () => {
  it('quantity × unit score, exact when quantity has ≤ 2 decimals', () => {
    expect(salePoints(30_000, 1250)).toBe(3750n); // 3 件 × 12.50 = 37.50
    expect(salePoints(15_000, 200)).toBe(300n); // 1.5 万元 × 2.00 = 3.00
  });
  it('rounds half-up to 0.01 only when the product has more decimals', () => {
    expect(salePoints(12_345, 100)).toBe(123n); // 1.2345 × 1.00 = 1.2345 → 1.23
    expect(salePoints(12_350, 100)).toBe(124n); // 1.2350 → 1.24 (half-up)
    expect(salePoints(10_005, 50)).toBe(50n); // 1.0005 × 0.50 = 0.50025 → 0.50
  });
});

describe('worked example, computed by hand', () => {
  it('a three-way equal split of 100.00 points: host 20.00; participants 80.00 → 26.67 / 26.67 / 26.66', () => {
    // Weights: host 2000×3 = 6000, each participant 8000 → 6000 + 3×8000 = 30000.
    // Host 10000×6000/30000 = 2000 exactly. Each participant 10000×8000/30000 = 2666.67 → floor 2666,
    // remainder 20000/30000 each; spare = 10000 − 2000 − 3×2666 = 2 → the first two codes get one each.
    const r = splitSale({
      points: 10000n,
      hostDepartmentId: 1104,
      hostDepartmentCode: 'PF',
      hostBp: 2000,
      participantsBp: 8000,
      participants: [
        { departmentId: 1103, code: 'RE', ratioBp: null },
        { departmentId: 1101, code: 'CORP', ratioBp: null },
        { departmentId: 1102, code: 'INST', ratioBp: null },
      ],
      people: [],
    });
    expect(lines(r)).toEqual([
      [1101, null, '26.67'],
      [1102, null, '26.67'],
      [1103, null, '26.66'],
      [1104, null, '20.00'],
    ]);
  });

  it('100.01 points in three equal thirds among people of one department: 33.34 / 33.34 / 33.33', () => {
    const r = splitSale({
      points: 10001n,
      hostDepartmentId: 1,
      hostDepartmentCode: 'A',
      hostBp: 0,
      participantsBp: 10000,
      participants: [{ departmentId: 2, code: 'B', ratioBp: null }],
      people: [3, 2, 1].map((s) => ({ staffId: s, staffNo: `S00${s}`, departmentId: 2, contributionBp: null })),
    });
    expect(lines(r)).toEqual([
      [1, null, '0.00'], // the host at 0 % keeps a zero line (the ledger writes no zero entries)
      [2, 1, '33.34'],
      [2, 2, '33.34'],
      [2, 3, '33.33'],
    ]);
  });

  it('20/80 with negotiated ratios 70/30, then people by contribution 60/40', () => {
    // 12.34 points: host 20 % = 2.468 → 2.47? weights host 2000×10000, A 8000×7000, B 8000×3000 (Σ 1e8).
    // host 1234×0.2 = 246.8, A 1234×0.56 = 691.04, B 1234×0.24 = 296.16 → floors 246/691/296 = 1233,
    // spare 1 → the largest remainder (host .8) → host 2.47, A 6.91, B 2.96.
    // A's 691 to people 60/40: 414.6 / 276.4 → 414 + 276 = 690, spare 1 → .6 → 4.15 / 2.76.
    const input: SplitInput = {
      points: 1234n,
      hostDepartmentId: 1104,
      hostDepartmentCode: 'PF',
      hostBp: 2000,
      participantsBp: 8000,
      participants: [
        { departmentId: 1101, code: 'CORP', ratioBp: 7000 },
        { departmentId: 1103, code: 'RE', ratioBp: 3000 },
      ],
      people: [
        { staffId: 50, staffNo: 'F050', departmentId: 1101, contributionBp: 6000 },
        { staffId: 51, staffNo: 'F051', departmentId: 1101, contributionBp: 4000 },
        { staffId: 60, staffNo: 'F060', departmentId: 1104, contributionBp: null },
      ],
    };
    expect(lines(splitSale(input))).toEqual([
      [1101, 50, '4.15'],
      [1101, 51, '2.76'],
      [1103, null, '2.96'],
      [1104, 60, '2.47'],
    ]);
  });
});

describe('ties go to the code that sorts first, never the creation order (SPEC §7, issue 12)', () => {
  // S8-like: 2.00 points (1 point × 2), host PF, participants CORP / INST / RE equal. Weights: host
  // 2000×3 = 6000, each participant 8000 (Σ 30000): host 0.40 exactly; each participant 53.33… →
  // floor 53, equal remainders; the one spare hundredth goes to the code that sorts first: CORP.
  const byCode = (r: ReturnType<typeof splitSale>, codeOf: Map<number, string>) => Object.fromEntries(r.departments.map((d) => [codeOf.get(d.departmentId)!, formatHundredths(d.points)]));
  const orders = [
    ['CORP', 'INST', 'RE', 'PF'],
    ['RE', 'INST', 'CORP', 'PF'],
    ['PF', 'RE', 'CORP', 'INST'],
    ['INST', 'PF', 'RE', 'CORP'],
  ];
  it.each(orders)('departments created in the order %s, %s, %s, %s: CORP 0.54, INST 0.53, RE 0.53, PF 0.40', (...created) => {
    // ids in creation order (the first created has the smallest id).
    const idOf = new Map(created.map((code, i) => [code, 501 + i]));
    const codeOf = new Map([...idOf].map(([c, id]) => [id, c]));
    const r = splitSale({
      points: 200n,
      hostDepartmentId: idOf.get('PF')!,
      hostDepartmentCode: 'PF',
      hostBp: 2000,
      participantsBp: 8000,
      participants: ['RE', 'CORP', 'INST'].map((code) => ({ departmentId: idOf.get(code)!, code, ratioBp: null })),
      people: [],
    });
    expect(byCode(r, codeOf)).toEqual({ CORP: '0.54', INST: '0.53', RE: '0.53', PF: '0.40' });
  });

  it('people: equal contributions tie to the staff number that sorts first (as text), not the staff id', () => {
    // 1.00 point to one department's three people: 33.33… each; the spare hundredth to staff number
    // "F001", although that person was created last (largest id).
    const r = splitSale({
      points: 100n,
      hostDepartmentId: 1,
      hostDepartmentCode: 'PF',
      hostBp: 0,
      participantsBp: 10000,
      participants: [{ departmentId: 2, code: 'CORP', ratioBp: null }],
      people: [
        { staffId: 10, staffNo: 'F003', departmentId: 2, contributionBp: null },
        { staffId: 11, staffNo: 'F002', departmentId: 2, contributionBp: null },
        { staffId: 12, staffNo: 'F001', departmentId: 2, contributionBp: null },
      ],
    });
    expect(lines(r)).toEqual([
      [1, null, '0.00'],
      [2, 10, '0.33'],
      [2, 11, '0.33'],
      [2, 12, '0.34'],
    ]);
  });
});

describe('mortgage rule (SPEC §8, Art. 20)', () => {
  it('sole lender: exactly 85 % passes, just below voids', () => {
    expect(mortgageVerdict({ lenderMode: 'sole', loanShareBp: null, totalHouseholds: 200, bankHouseholds: 170 })).toEqual({ pass: true, thresholdBp: 8500, reason: 'ok' });
    expect(mortgageVerdict({ lenderMode: 'sole', loanShareBp: null, totalHouseholds: 200, bankHouseholds: 169 })).toEqual({ pass: false, thresholdBp: 8500, reason: 'below' });
    // 84.99…%: 1699/1999 = 84.99 % — floats would be tempting, the integers are not fooled.
    expect(mortgageVerdict({ lenderMode: 'sole', loanShareBp: null, totalHouseholds: 1999, bankHouseholds: 1699 }).pass).toBe(false);
  });
  it('partial lender: exactly at its loan share passes', () => {
    expect(mortgageVerdict({ lenderMode: 'partial', loanShareBp: 6000, totalHouseholds: 150, bankHouseholds: 90 }).pass).toBe(true);
    expect(mortgageVerdict({ lenderMode: 'partial', loanShareBp: 6000, totalHouseholds: 150, bankHouseholds: 89 }).pass).toBe(false);
    expect(mortgageVerdict({ lenderMode: 'partial', loanShareBp: 3333, totalHouseholds: 3, bankHouseholds: 1 }).pass).toBe(true); // 33.33… ≥ 33.33
  });
  it('no figures, a zero total, or a partial lender without a loan share: not met', () => {
    expect(mortgageVerdict({ lenderMode: 'sole', loanShareBp: null, totalHouseholds: null, bankHouseholds: null })).toEqual({ pass: false, thresholdBp: 8500, reason: 'no_figures' });
    expect(mortgageVerdict({ lenderMode: 'sole', loanShareBp: null, totalHouseholds: 0, bankHouseholds: 0 }).reason).toBe('no_figures');
    expect(mortgageVerdict({ lenderMode: 'partial', loanShareBp: null, totalHouseholds: 10, bankHouseholds: 10 }).reason).toBe('no_loan_share');
  });
  it('ratio for display', () => {
    expect(householdRatioBp(170, 200)).toBe(8500);
    expect(householdRatioBp(null, 200)).toBe(null);
  });
});

describe('periods', () => {
  it('month → period and its last day', () => {
    expect(periodOf('2026-10')).toBe('2026-10-01');
    expect(periodEnd('2026-02-01')).toBe('2026-02-28');
    expect(periodEnd('2028-02-01')).toBe('2028-02-29');
    expect(() => periodOf('2026-13')).toThrow();
  });
});

// ------------------------------------------------------------------------------------------------
const arbSale = fc
  .record({
    points: fc.bigInt({ min: 0n, max: 10_000_000_000n }),
    hostBp: fc.integer({ min: 0, max: 10000 }),
    nParts: fc.integer({ min: 0, max: 6 }),
    ratios: fc.boolean(),
    seed: fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 20, maxLength: 20 }),
    peopleDepts: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 10 }),
    contrib: fc.boolean(),
    // Codes and staff numbers in no relation to the ids (numeric-looking staff numbers of different
    // lengths: text order "10" < "9" is the order that counts).
    codes: fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,4}$/), { minLength: 7, maxLength: 7 }),
    staffNos: fc.uniqueArray(fc.stringMatching(/^[0-9]{1,5}$/), { minLength: 10, maxLength: 10 }),
  })
  .map(({ points, hostBp, nParts, ratios, seed, peopleDepts, contrib, codes, staffNos }) => {
    const host = 100;
    const depts = Array.from({ length: nParts }, (_, i) => 101 + i);
    const input: SplitInput = {
      points,
      hostDepartmentId: host,
      hostDepartmentCode: codes[0],
      hostBp,
      participantsBp: 10000 - hostBp,
      participants: depts.map((d, i) => ({ departmentId: d, code: codes[i + 1], ratioBp: ratios ? seed[i] : null })),
      people: peopleDepts.map((k, i) => ({
        staffId: 1000 + i,
        staffNo: staffNos[i],
        departmentId: k === 0 ? host : (depts[(k - 1) % Math.max(1, nParts)] ?? host),
        contributionBp: contrib ? seed[10 + (i % 10)] : null,
      })),
    };
    return input;
  });

function shuffle<T>(xs: readonly T[], by: number[]): T[] {
  return xs
    .map((x, i) => ({ x, k: by[i % by.length] * 31 + i }))
    .sort((a, b) => a.k - b.k)
    .map((p) => p.x);
}

describe('split properties (fast-check)', () => {
  it('department parts and people parts sum exactly to the points; never negative', () => {
    fc.assert(
      fc.property(arbSale, (input) => {
        const r = splitSale(input);
        expect(r.departments.reduce((a, d) => a + d.points, 0n)).toBe(input.points);
        expect(r.lines.reduce((a, l) => a + l.points, 0n)).toBe(input.points);
        for (const d of r.departments) {
          expect(d.points >= 0n).toBe(true);
          expect(r.lines.filter((l) => l.departmentId === d.departmentId).reduce((a, l) => a + l.points, 0n)).toBe(d.points);
        }
        for (const l of r.lines) expect(l.points >= 0n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('independent of input order and deterministic', () => {
    fc.assert(
      fc.property(arbSale, fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }), (input, by) => {
        const a = splitSale(input);
        const b = splitSale({ ...input, participants: shuffle(input.participants, by), people: shuffle(input.people, by.reverse()) });
        expect(b).toEqual(a);
        expect(splitSale(input)).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('permuting the creation order (ids) and the input order never changes a single allocation', () => {
    // The same sale with its departments and people given other ids (created in another order) and
    // listed in another order: every department (by code) and person (by staff number) gets the same.
    const permutation = (n: number, by: number[]) =>
      shuffle(
        Array.from({ length: n }, (_, i) => i),
        by,
      );
    fc.assert(
      fc.property(
        arbSale,
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        (input, byD, byP) => {
          const deptIds = [input.hostDepartmentId, ...input.participants.map((p) => p.departmentId)];
          const dPerm = permutation(deptIds.length, byD);
          const newDept = new Map(deptIds.map((id, i) => [id, 700 + dPerm[i]]));
          const pPerm = permutation(input.people.length, byP);
          const newStaff = new Map(input.people.map((p, i) => [p.staffId, 9000 + pPerm[i]]));
          const renumbered: SplitInput = {
            ...input,
            hostDepartmentId: newDept.get(input.hostDepartmentId)!,
            participants: shuffle(
              input.participants.map((p) => ({ ...p, departmentId: newDept.get(p.departmentId)! })),
              byP,
            ),
            people: shuffle(
              input.people.map((p) => ({ ...p, staffId: newStaff.get(p.staffId)!, departmentId: newDept.get(p.departmentId)! })),
              byD,
            ),
          };
          const keyed = (i: SplitInput) => {
            const code = new Map([[i.hostDepartmentId, i.hostDepartmentCode], ...i.participants.map((p) => [p.departmentId, p.code] as const)]);
            const no = new Map(i.people.map((p) => [p.staffId, p.staffNo]));
            const r = splitSale(i);
            return {
              departments: Object.fromEntries(r.departments.map((d) => [code.get(d.departmentId)!, d.points])),
              lines: Object.fromEntries(r.lines.map((l) => [`${code.get(l.departmentId)}/${l.staffId === null ? '-' : no.get(l.staffId)}`, l.points])),
            };
          };
          expect(keyed(renumbered)).toEqual(keyed(input));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('each department is within 0.01 of its exact share (one largest-remainder pass)', () => {
    fc.assert(
      fc.property(arbSale, (input) => {
        const r = splitSale(input);
        const total = r.departments.reduce((a, d) => a + d.weight, 0n);
        for (const d of r.departments) {
          const exactTimesTotal = input.points * d.weight; // exact share × total weight
          const diff = d.points * total - exactTimesTotal;
          expect(diff < total && diff > -total).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
