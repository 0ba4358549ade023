import { describe, expect, it } from 'vitest';
import { formatParticipantsCell, formatPeopleCell } from './objections';

describe("a correction's before / after in the cell form", () => {
  it('shows percentages as before and weights as 1:2 (decision 0026)', () => {
    expect(
      formatParticipantsCell([
        { code: 'CORP', ratioBp: 6000 },
        { code: 'INST', ratioBp: 4000 },
      ]),
    ).toBe('CORP:60,INST:40');
    expect(
      formatParticipantsCell([
        { code: 'CORP', ratioBp: null, weight: 1 },
        { code: 'INST', ratioBp: null, weight: 2 },
      ]),
    ).toBe('CORP,INST（1:2）');
    expect(formatParticipantsCell([{ code: 'CORP', ratioBp: null }])).toBe('CORP');
    expect(formatPeopleCell([{ staffNo: '1', departmentCode: 'PF', role: '营销人员', contributionBp: null, weight: 2 }])).toBe('1@PF:营销人员:w2');
  });
});
