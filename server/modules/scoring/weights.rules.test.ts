import { describe, expect, it } from 'vitest';
import { formatHundredths } from './allocation.js';
import { splitSale, type SplitInput } from './scoring.rules.js';

/**
 * Ratios written as weights (issue 18 part 4, decision 0026), computed by hand. Host PF 20 %,
 * participants 80 %, one largest-remainder pass over weights host = 2000 × Σw, participant i =
 * 8000 × w_i; ties of equal remainders to the department code (staff number) that sorts first.
 */
const lines = (r: ReturnType<typeof splitSale>) => r.lines.map((l) => [l.departmentId, l.staffId, formatHundredths(l.points)]);
const base = (points: bigint, participants: SplitInput['participants'], people: SplitInput['people'] = []): SplitInput => ({
  points,
  hostDepartmentId: 10,
  hostDepartmentCode: 'PF',
  hostBp: 2000,
  participantsBp: 8000,
  participants,
  people,
});
// Ids run against the codes' order so that only the code can break a tie: CORP 3, INST 2, RE 1.
const CORP = 3;
const INST = 2;
const RE = 1;

describe('weights as the bank writes them (1:2, 3:1, 1:1:1)', () => {
  it('12.50 points, CORP:INST = 1:2 → host 2.50, participants 10.00 as 3.33 / 6.67', () => {
    // Σw = 3: host 2000×3 = 6000, CORP 8000, INST 16000; total 30000.
    // Host 1250×6000/30000 = 250 exactly; CORP 333.33 → 333 (rem 1/3); INST 666.67 → 666 (rem 2/3).
    // Spare 1250 − 250 − 333 − 666 = 1 → INST (the larger remainder): 6.67.
    const r = splitSale(
      base(1250n, [
        { departmentId: CORP, code: 'CORP', ratioBp: null, weight: 1 },
        { departmentId: INST, code: 'INST', ratioBp: null, weight: 2 },
      ]),
    );
    expect(lines(r)).toEqual([
      [INST, null, '6.67'],
      [CORP, null, '3.33'],
      [10, null, '2.50'],
    ]);
  });

  it('1000.00 points, 1:2 is exact thirds (266.67 / 533.33), not the 33.33 % / 66.67 % rounding (266.64 / 533.36)', () => {
    // Participants 80000: CORP 26666.67 → 26666 (rem 2/3), INST 53333.33 → 53333 (rem 1/3); spare 1 → CORP.
    const byWeight = splitSale(
      base(100000n, [
        { departmentId: CORP, code: 'CORP', ratioBp: null, weight: 1 },
        { departmentId: INST, code: 'INST', ratioBp: null, weight: 2 },
      ]),
    );
    expect(lines(byWeight)).toEqual([
      [INST, null, '533.33'],
      [CORP, null, '266.67'],
      [10, null, '200.00'],
    ]);
    // The same sale with the percentages a bank would have had to type before: 80000 × 33.33 % = 26664 exactly.
    const byPercent = splitSale(
      base(100000n, [
        { departmentId: CORP, code: 'CORP', ratioBp: 3333 },
        { departmentId: INST, code: 'INST', ratioBp: 6667 },
      ]),
    );
    expect(lines(byPercent)).toEqual([
      [INST, null, '533.36'],
      [CORP, null, '266.64'],
      [10, null, '200.00'],
    ]);
  });

  it('0.37 points, CORP:INST = 3:1 → PF 0.07, CORP 0.22, INST 0.08 (the tie PF/INST goes to INST, the code that sorts first)', () => {
    // Σw = 4: host 8000, CORP 24000, INST 8000; total 40000. Host 37×8000/40000 = 7.4 → 7 (rem .4);
    // CORP 22.2 → 22 (rem .2); INST 7.4 → 7 (rem .4). Spare 37 − 36 = 1; PF and INST tie at .4 → "INST" < "PF".
    const r = splitSale(
      base(37n, [
        { departmentId: CORP, code: 'CORP', ratioBp: null, weight: 3 },
        { departmentId: INST, code: 'INST', ratioBp: null, weight: 1 },
      ]),
    );
    expect(lines(r)).toEqual([
      [INST, null, '0.08'],
      [CORP, null, '0.22'],
      [10, null, '0.07'],
    ]);
  });

  it('12.50 points, 1:1:1 → host 2.50; 3.34 to CORP (first code), 3.33 to INST and RE — whatever the ids', () => {
    // Each participant 1250×8000/30000 = 333.33 → 333, all remainders equal; spare 1 → CORP.
    const r = splitSale(
      base(1250n, [
        { departmentId: RE, code: 'RE', ratioBp: null, weight: 1 },
        { departmentId: INST, code: 'INST', ratioBp: null, weight: 1 },
        { departmentId: CORP, code: 'CORP', ratioBp: null, weight: 1 },
      ]),
    );
    expect(lines(r)).toEqual([
      [RE, null, '3.33'],
      [INST, null, '3.33'],
      [CORP, null, '3.34'],
      [10, null, '2.50'],
    ]);
  });

  it("a department's 3.34 to its people by weight 1:2 → 1.11 / 2.23; equal weights tie to the first staff number", () => {
    // CORP 334: person w1 111.33 → 111 (rem 1/3), person w2 222.67 → 222 (rem 2/3); spare 1 → the w2 person.
    const r = splitSale(
      base(
        1250n,
        [
          { departmentId: RE, code: 'RE', ratioBp: null, weight: 1 },
          { departmentId: INST, code: 'INST', ratioBp: null, weight: 1 },
          { departmentId: CORP, code: 'CORP', ratioBp: null, weight: 1 },
        ],
        [
          { staffId: 7, staffNo: 'S002', departmentId: CORP, contributionBp: null, weight: 1 },
          { staffId: 8, staffNo: 'S001', departmentId: CORP, contributionBp: null, weight: 2 },
          // INST 3.33 between two equal weights: 166.5 each → 166 + 166, spare 1 → S003 (sorts before S004).
          { staffId: 5, staffNo: 'S004', departmentId: INST, contributionBp: null, weight: 5 },
          { staffId: 6, staffNo: 'S003', departmentId: INST, contributionBp: null, weight: 5 },
        ],
      ),
    );
    expect(lines(r)).toEqual([
      [RE, null, '3.33'],
      [INST, 5, '1.66'],
      [INST, 6, '1.67'],
      [CORP, 7, '1.11'],
      [CORP, 8, '2.23'],
      [10, null, '2.50'],
    ]);
  });

  it('a percentage is the weight of its basis points: 40 % / 60 % and 2:3 split alike', () => {
    const pct = splitSale(
      base(12345n, [
        { departmentId: CORP, code: 'CORP', ratioBp: 4000 },
        { departmentId: INST, code: 'INST', ratioBp: 6000 },
      ]),
    );
    const wt = splitSale(
      base(12345n, [
        { departmentId: CORP, code: 'CORP', ratioBp: null, weight: 2 },
        { departmentId: INST, code: 'INST', ratioBp: null, weight: 3 },
      ]),
    );
    expect(lines(wt)).toEqual(lines(pct));
  });
});
