import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { Form, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { type Call, renderPage } from '../../../test/render';
import { split } from '../../../test/fixtures';
import { SaleForm } from './SaleForm';
import { quantityInRange, type SaleFormValues } from './saleFormValues';

const product = {
  id: 3,
  code: 'P-CARD',
  name: '信用卡',
  lineCode: 'L',
  lineName: '卡',
  hostDepartmentCode: 'CARD',
  unit: '张',
  mortgage: false,
  active: true,
  score: '100.00',
  scoreFrom: '2026-01-01',
};
const departments = [
  { id: 1, code: 'CARD', name: '信用卡部', nodeId: 11, nodeCode: '4411', nodeName: '佛山分行' },
  { id: 2, code: 'CORP', name: '公司业务部', nodeId: 11, nodeCode: '4411', nodeName: '佛山分行' },
  { id: 3, code: 'INST', name: '机构业务部', nodeId: 11, nodeCode: '4411', nodeName: '佛山分行' },
];

/** The API as the form sees it; `record` answers POST /sales (a 400 with field details here). */
function stubApi(record: (c: Call) => Response) {
  const calls: Call[] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const call: Call = { method: init.method ?? 'GET', path: url.pathname.replace(/^\/api/, ''), query: url.searchParams, body: init.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      const key = `${call.method} ${call.path}`;
      if (key === 'GET /products') return json({ items: [product], total: 1, page: 1, pageSize: 500 });
      if (key === 'GET /sales/pickers/departments') return json({ items: departments });
      if (key === 'GET /developments') return json({ items: [], total: 0, page: 1, pageSize: 200 });
      if (key === 'POST /sales/preview') return json({ status: 'created', saleId: null, period: '2026-10', split });
      if (key === 'POST /sales') return record(call);
      return json({ error: { code: 'NOT_FOUND', message: key } }, 404);
    }),
  );
  return calls;
}

let form: FormInstance<SaleFormValues> | undefined;
function Harness() {
  const [f] = Form.useForm<SaleFormValues>();
  useEffect(() => {
    form = f;
  }, [f]);
  return <SaleForm mode="record" form={f} />;
}

async function fill(ratios: [string, string]) {
  await waitFor(() => expect(form).toBeDefined());
  await waitFor(() => expect(form!.getFieldValue('nodeId')).toBe(11));
  act(() => {
    form!.setFieldsValue({
      productCode: 'P-CARD',
      client: 'individual:12',
      saleDate: dayjs('2026-10-12'),
      departments: [
        { departmentId: 2, ratio: ratios[0] },
        { departmentId: 3, ratio: ratios[1] },
      ],
      people: [{ staffNo: 'S021', departmentId: 2, role: '营销人员' }],
    });
  });
  // Typed with a Chinese IME: full-width digits, normalised as the imports read them.
  fireEvent.change(screen.getByTestId('sale-form-quantity'), { target: { value: '１' } });
  await waitFor(() => expect(form!.getFieldValue('quantity')).toBe('1'));
}

describe('SaleForm (登记销售)', () => {
  it('checks the ratios to 100 % as they are typed, and shows the split the server previews', async () => {
    const calls = stubApi(() => new Response(null, { status: 500 }));
    renderPage(<Harness />);
    await fill(['60', '30']);
    expect(await screen.findByText('分成比例合计 90%，应为 100%')).toBeTruthy();
    expect(screen.getByTestId('sale-form-save').closest('button')!.hasAttribute('disabled')).toBe(true);

    act(() => form!.setFieldValue(['departments', 1, 'ratio'], '40'));
    expect(await screen.findByText('分成比例合计 100% ✓')).toBeTruthy();

    // The preview: the server's split of the sale as filled in (debounced).
    await waitFor(() => expect(screen.getByTestId('sale-form-preview-table').textContent).toContain('公司业务部'), { timeout: 3000 });
    expect(screen.getByTestId('sale-form-preview').textContent).toContain('本笔积分 100.00');
    expect(screen.getByTestId('sale-form-preview').textContent).toContain('48.00');
    const preview = calls.filter((c) => c.path === '/sales/preview').at(-1)!;
    expect(preview.body).toMatchObject({
      productCode: 'P-CARD',
      personId: 12,
      saleDate: '2026-10-12',
      quantity: '1',
      branchCode: '4411',
      departments: [
        { code: 'CORP', ratio: '60' },
        { code: 'INST', ratio: '40' },
      ],
      people: [{ staffNo: 'S021', departmentCode: 'CORP', role: '营销人员' }],
    });
  });

  it('takes ratios as weights (权重 1:2) and people by weight, and sends them as integer weights', async () => {
    const calls = stubApi(() => new Response(null, { status: 500 }));
    renderPage(<Harness />);
    await fill(['1', '2']);
    act(() => form!.setFieldsValue({ ratioKind: 'weight', contributionKind: 'weight', people: [{ staffNo: 'S021', departmentId: 2, role: '营销人员', contribution: '3' }] }));
    expect(await screen.findByText('按权重 1:2 分配 ✓')).toBeTruthy();
    expect(screen.getByTestId('sale-form-save').closest('button')!.hasAttribute('disabled')).toBe(false);
    await waitFor(
      () =>
        expect(calls.filter((c) => c.path === '/sales/preview').at(-1)?.body).toMatchObject({
          departments: [
            { code: 'CORP', weight: 1 },
            { code: 'INST', weight: 2 },
          ],
          people: [{ staffNo: 'S021', departmentCode: 'CORP', weight: 3 }],
        }),
      { timeout: 3000 },
    );
    // A weight is a whole number: 1.5 is refused as typed.
    act(() => form!.setFieldValue(['departments', 0, 'ratio'], '1.5'));
    expect(await screen.findAllByText('权重应为 1–10000 的整数')).not.toHaveLength(0);
  });

  it('puts the server’s refusal on the field it is about, in Chinese', async () => {
    stubApi(
      () =>
        new Response(
          JSON.stringify({
            error: {
              code: 'SALE.STAFF_DEPARTMENT_NOT_ON_SALE',
              message: '营销人员 S021 所列部门 PF 不是该笔销售的主办或参与部门',
              details: [
                { path: 'body.people', field: 'people', code: 'SALE.STAFF_DEPARTMENT_NOT_ON_SALE', message: '营销人员 S021 所列部门 PF 不是该笔销售的主办或参与部门' },
                { path: 'body.quantity', code: 'too_big', maximum: 1000, origin: 'number' },
              ],
            },
          }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        ),
    );
    renderPage(<Harness />);
    await fill(['60', '40']);
    fireEvent.click(screen.getByTestId('sale-form-save'));
    await waitFor(() => expect(form!.getFieldError('peopleCheck')).toEqual(['营销人员 S021 所列部门 PF 不是该笔销售的主办或参与部门']));
    expect(form!.getFieldError('quantity')).toEqual(['不能大于 1000']);
    expect(await screen.findByText('不能大于 1000')).toBeTruthy();
  });
});

it('the quantity is above 0 and at most 100,000,000, decided from the digits', () => {
  expect(quantityInRange('1')).toBe(true);
  expect(quantityInRange('0.0001')).toBe(true);
  expect(quantityInRange('100000000')).toBe(true);
  expect(quantityInRange('100000000.0000')).toBe(true);
  expect(quantityInRange('100000000.0001')).toBe(false);
  expect(quantityInRange('100000001')).toBe(false);
  expect(quantityInRange('0.000')).toBe(false);
});
