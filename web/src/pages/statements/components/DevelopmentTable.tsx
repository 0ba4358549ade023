import { Card, Table, Tag, Typography } from 'antd';
import { type DevelopmentLine, percentOfBp, type Statement } from '../../../api/statements';
import { useI18n } from '../../../locales';

/** 楼盘按揭户数达标情况 (SPEC §8): ratio, threshold, verdict and the points each development voided. */
export function DevelopmentTable({ statement: s }: { statement: Statement }) {
  const { t, has } = useI18n();
  const reasonText = (r: string) => {
    const key = `statement.reason.${r}`;
    return has(key) ? t(key) : r;
  };
  return (
    <Card title={t('statement.developments')} size="small" style={{ marginBottom: 16 }} extra={<Typography.Text type="secondary">{t('statement.developmentsHint')}</Typography.Text>}>
      <Table<DevelopmentLine>
        rowKey="developmentId"
        size="small"
        pagination={false}
        dataSource={s.developments}
        data-testid="development-table"
        onRow={(d) => ({ style: d.voided.pointsHundredths ? { background: '#fff1f0' } : undefined, 'data-verdict': d.verdict }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('development.name'), dataIndex: 'name', width: 220, render: (v: string, d) => `${v}（${d.code}）` },
          { title: t('development.lenderMode'), dataIndex: 'lenderMode', width: 130, render: (m: DevelopmentLine['lenderMode']) => t(`development.mode.${m}`) },
          { title: t('development.threshold'), dataIndex: 'thresholdBp', width: 90, align: 'right', render: (v: number | null) => (v === null ? '-' : `≥ ${percentOfBp(v)}%`) },
          {
            title: t('statement.households'),
            key: 'households',
            width: 130,
            align: 'right',
            render: (_, d) => (d.totalHouseholds === null ? '-' : `${d.bankHouseholds} / ${d.totalHouseholds}`),
          },
          {
            title: t('development.ratio'),
            dataIndex: 'ratioBp',
            width: 90,
            align: 'right',
            render: (v: number | null, d) =>
              v === null ? (
                '-'
              ) : (
                <Typography.Text type={d.verdict === 'void' ? 'danger' : undefined} strong>
                  {percentOfBp(v)}%
                </Typography.Text>
              ),
          },
          { title: t('development.asOf'), dataIndex: 'asOf', width: 110, render: (v: string | null) => v ?? '-' },
          {
            title: t('statement.verdict'),
            dataIndex: 'verdict',
            width: 160,
            render: (v: DevelopmentLine['verdict'], d) => (v === 'pass' ? <Tag color="green">{t('development.pass')}</Tag> : <Tag color="red">{reasonText(d.reason)}</Tag>),
          },
          { title: t('statement.mortgageSales'), dataIndex: 'mortgageSales', width: 90, align: 'right' },
          { title: t('statement.points'), dataIndex: ['points', 'points'], width: 100, align: 'right' },
          {
            title: t('statement.voidedPoints'),
            dataIndex: ['voided', 'points'],
            width: 100,
            align: 'right',
            render: (v: string, d) =>
              d.voided.pointsHundredths ? (
                <Typography.Text type="danger" strong>
                  {v}
                </Typography.Text>
              ) : (
                v
              ),
          },
        ]}
      />
    </Card>
  );
}
