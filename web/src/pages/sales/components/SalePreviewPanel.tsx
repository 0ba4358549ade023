import { Alert, Card, Spin, Table, Tag, Typography } from 'antd';
import type { CorrectionPreview, SalePreview } from '../../../api/salesForm';
import { hundredthsText } from '../../../format';
import { useI18n } from '../../../locales';

export type PreviewState =
  | { kind: 'idle'; hint?: string; loading?: boolean }
  | { kind: 'sale'; data: SalePreview; loading?: boolean }
  | { kind: 'correction'; data: CorrectionPreview; loading?: boolean }
  | { kind: 'error'; messages: string[]; loading?: boolean };

/** The split the server would give (record) or the before/after points (correction), as the form is filled. */
export function SalePreviewPanel({ state }: { state: PreviewState }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('saleForm.previewTitle')} extra={state.loading ? <Spin size="small" /> : null} data-testid="sale-form-preview">
      {state.kind === 'idle' ? <Typography.Text type="secondary">{state.hint ?? t('saleForm.previewNeeds')}</Typography.Text> : null}
      {state.kind === 'error' ? (
        <Alert
          type="warning"
          showIcon
          message={t('saleForm.previewRefused')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {state.messages.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          }
          data-testid="sale-form-preview-error"
        />
      ) : null}
      {state.kind === 'sale' ? <SaleSplitPreview data={state.data} /> : null}
      {state.kind === 'correction' ? <CorrectionTable data={state.data} /> : null}
    </Card>
  );
}

function SaleSplitPreview({ data }: { data: SalePreview }) {
  const { t } = useI18n();
  const s = data.split;
  const saleMonth = s.saleDate.slice(0, 7);
  const rows = s.departments.map((d) => ({
    key: `d${d.departmentId}`,
    name: `${d.name}${d.host ? `（${t('saleForm.hostTag')}）` : ''}`,
    points: d.points,
    children: s.people.filter((p) => p.departmentId === d.departmentId).map((p) => ({ key: `p${p.staffId}:${p.departmentId}`, name: `${p.name} ${p.staffNo} · ${p.role}`, points: p.points })),
  }));
  return (
    <>
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        {t('saleForm.previewTotal', { points: s.total.points, qty: s.quantity, unit: s.product.unit })}
        {data.status === 'duplicate' ? (
          <Tag color="orange" style={{ marginLeft: 8 }}>
            {t('saleForm.previewDuplicate')}
          </Tag>
        ) : null}
        {data.period && data.period !== saleMonth ? (
          <Tag color="blue" style={{ marginLeft: 8 }}>
            {t('saleForm.previewAdjustment', { month: data.period })}
          </Tag>
        ) : null}
      </Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        dataSource={rows}
        columns={[
          { title: t('saleForm.previewWho'), dataIndex: 'name' },
          { title: t('sale.points'), dataIndex: 'points', align: 'right', width: 120 },
        ]}
        data-testid="sale-form-preview-table"
      />
    </>
  );
}

/** Before → after per department and person (correction-preview). */
export function CorrectionTable({ data }: { data: CorrectionPreview }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(l) => `${l.kind}${l.staffId ?? ''}:${l.departmentId}`}
      dataSource={data.lines}
      data-testid="correction-preview-table"
      columns={[
        { title: t('saleForm.previewWho'), key: 'who', render: (_, l) => (l.kind === 'department' ? <b>{l.departmentName}</b> : `${l.name} ${l.staffNo ?? ''} · ${l.departmentName}`) },
        { title: t('saleForm.before'), dataIndex: 'beforeHundredths', align: 'right', width: 110, render: (v: number) => hundredthsText(v) },
        {
          title: t('saleForm.after'),
          dataIndex: 'afterHundredths',
          align: 'right',
          width: 110,
          render: (v: number, l) => <Typography.Text type={v === l.beforeHundredths ? undefined : v > l.beforeHundredths ? 'success' : 'danger'}>{hundredthsText(v)}</Typography.Text>,
        },
      ]}
    />
  );
}
