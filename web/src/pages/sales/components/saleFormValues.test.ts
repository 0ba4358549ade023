import { describe, expect, it } from 'vitest';
import { ratioCheck, valuesOfSale } from './saleFormValues';
import type { Sale } from '../../../api/sales';

describe('ratios in the form: percentages or weights (decision 0026)', () => {
  it('checks percentages to 100 % and weights as whole numbers, all or none', () => {
    expect(ratioCheck([{ ratio: '60' }, { ratio: '40' }])).toEqual({ sum: 10_000, given: 2, ok: true });
    expect(ratioCheck([{ ratio: '1' }, { ratio: '2' }])).toMatchObject({ ok: false });
    expect(ratioCheck([{ ratio: '1' }, { ratio: '2' }], 'weight')).toEqual({ sum: 3, given: 2, ok: true });
    expect(ratioCheck([{ ratio: '1' }, {}], 'weight')).toMatchObject({ ok: false });
    expect(ratioCheck([{ ratio: '0' }, { ratio: '1' }], 'weight')).toMatchObject({ ok: false });
    expect(ratioCheck([{ ratio: '9000' }, { ratio: '1001' }], 'weight')).toMatchObject({ ok: false });
  });

  it('reads a recorded sale with weights back as 权重', () => {
    const sale = {
      sourceId: 'S1',
      productCode: 'CARD',
      personId: 1,
      companyId: null,
      quantity: '1',
      nodeId: 11,
      developmentCode: null,
      departments: [
        { departmentId: 2, code: 'CORP', name: '公司业务部', ratioBp: null, ratio: null, weight: 1 },
        { departmentId: 3, code: 'INST', name: '机构业务部', ratioBp: null, ratio: null, weight: 2 },
      ],
      people: [
        {
          staffId: 1,
          staffNo: 'S021',
          name: '张三',
          departmentId: 2,
          departmentCode: 'CORP',
          departmentName: '公司业务部',
          role: '营销人员',
          contributionBp: 6000,
          contribution: '60.00',
          weight: null,
        },
      ],
    } as unknown as Sale;
    expect(valuesOfSale(sale)).toMatchObject({
      ratioKind: 'weight',
      contributionKind: 'percent',
      departments: [
        { departmentId: 2, ratio: '1' },
        { departmentId: 3, ratio: '2' },
      ],
      people: [{ staffNo: 'S021', contribution: '60' }],
    });
  });
});
