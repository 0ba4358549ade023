import { ProCard } from '@ant-design/pro-components';
import { Button, Space, Table, message } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { download } from '../../../api/client';
import { type IssueTableData, useIssueTable } from '../../../api/report-drill';
import { hundredthsText } from '../../../format';
import { useI18n } from '../../../locales';
import { drillNodeLink } from '../drill-links';
import { bpText, e4Text } from './labels';

/**
 * Issue 16 part B on the issue page: the export buttons (Excel streamed, print PDF), the drill-down
 * entry, and the figures of the views the page has no dedicated chart for (points, leads, projects,
 * VIP, assessment) as a table built from the server's column definitions.
 */
type Unit = NonNullable<IssueTableData['table']>['columns'][number]['unit'];

function cell(unit: Unit, v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || unit === 'text') return String(v);
  if (unit === 'hundredths' || unit === 'fen') return hundredthsText(v);
  if (unit === 'bp') return bpText(v);
  if (unit === 'e4') return e4Text(v);
  return String(v);
}

export function IssueExportButtons({ id, drill }: { id: number; drill: string | null }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'xlsx' | 'pdf' | null>(null);
  const get = async (kind: 'xlsx' | 'pdf') => {
    setBusy(kind);
    try {
      await download(`/reports/issues/${id}/export.${kind}`, undefined, `report-${id}.${kind}`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space>
      {drill ? (
        <Link to={drill}>
          <Button type="primary" data-testid="report-drill">
            {t('reportDrill.open')}
          </Button>
        </Link>
      ) : null}
      <Button onClick={() => void get('xlsx')} loading={busy === 'xlsx'} data-testid="report-export-xlsx">
        {t('reportDrill.exportXlsx')}
      </Button>
      <Button onClick={() => void get('pdf')} loading={busy === 'pdf'} data-testid="report-export-pdf">
        {t('reportDrill.exportPdf')}
      </Button>
    </Space>
  );
}

/** The issue's print PDF, filtered by the server to the reader's subtree (a delivery's second attachment). */
export function IssuePdfButton({ id }: { id: number }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const get = async () => {
    setBusy(true);
    try {
      await download(`/reports/issues/${id}/export.pdf`, undefined, `report-${id}.pdf`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={() => void get()} loading={busy} data-testid="delivery-pdf">
      {t('reportDrill.exportPdf')}
    </Button>
  );
}

export function GenericIssueTable({ id }: { id: number }) {
  const { t, pick } = useI18n();
  const q = useIssueTable(id);
  const d = q.data;
  if (!d?.table) return null;
  const tbl = d.table;
  return (
    <ProCard title={t('reportDrill.table')} bordered headerBordered size="small">
      <Table
        rowKey={(r) => JSON.stringify(r)}
        size="small"
        data-testid="report-generic-table"
        dataSource={tbl.rows}
        pagination={tbl.rows.length > 50 ? { pageSize: 50 } : false}
        locale={{ emptyText: t('reports.noLines') }}
        scroll={{ x: 'max-content' }}
        columns={tbl.columns.map((c) => ({
          title: pick(c.zh, c.en),
          dataIndex: c.key,
          key: c.key,
          align: c.unit === 'text' ? ('left' as const) : ('right' as const),
          render: (v: string | number | null, r: Record<string, string | number | null>) =>
            c.key === 'nodeName' && d.drillable ? <Link to={drillNodeLink({ from: d.periodFrom, to: d.periodTo, nodeId: Number(r.nodeId) })}>{cell(c.unit, v)}</Link> : cell(c.unit, v),
        }))}
      />
    </ProCard>
  );
}
