import { PageContainer } from '@ant-design/pro-components';
import { Alert, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { bpText, type IbCoverageLine, useIbCoverage } from '../../api/interbankCoverage';
import { beijingToday } from '../../format';
import { useI18n } from '../../locales';

/** 覆盖率 (SPEC §11): as of any day, per tier-2 branch with the supervision flag. */
export default function CoveragePage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const asOf = search.get('asOf') ?? beijingToday();
  const q = useIbCoverage(asOf);
  const c = q.data;
  const line = bpText(c?.thresholdBp ?? 6000);
  return (
    <PageContainer title={t('ibc.coverage.title')} subTitle={t('ibc.coverage.subtitle')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <span>{t('ibc.asOf')}</span>
          <DatePicker
            allowClear={false}
            value={dayjs(asOf)}
            disabledDate={(d) => d.format('YYYY-MM-DD') > beijingToday()}
            onChange={(d) => d && setSearch({ asOf: d.format('YYYY-MM-DD') }, { replace: true })}
            data-testid="ibc-asof"
          />
          <Typography.Text type="secondary">{t('ibc.line', { line })}</Typography.Text>
        </Space>
        {c && !c.provinceLevel && <Alert type="info" showIcon message={t('ibc.ownLinesOnly')} />}
        {c && (
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Card size="small" title={t('ibc.province')}>
                <Space size="large" wrap>
                  <Statistic title={t('ibc.coverage')} value={bpText(c.province.coverageBp)} valueStyle={{ color: '#c7000b' }} />
                  <Statistic title={t('ibc.signed')} value={c.province.signed} suffix={`/ ${c.province.institutions}`} />
                  <Statistic title={t('ibc.unilateral')} value={c.province.unilateral} />
                  <Statistic title={t('ibc.framework')} value={c.province.framework} />
                  <Statistic title={t('ibc.productOnly')} value={c.province.productOnly} />
                </Space>
              </Card>
            </Col>
            <Col xs={24} md={10}>
              <Card size="small" title={t('ibc.association')}>
                <Space size="large" wrap>
                  <Statistic title={t('ibc.coverage')} value={bpText(c.association.coverageBp)} />
                  <Statistic title={t('ibc.signed')} value={c.association.signed} suffix={`/ ${c.association.institutions}`} />
                  <Statistic title={t('ibc.unsigned')} value={c.association.unsigned} />
                </Space>
              </Card>
            </Col>
          </Row>
        )}
        <Table<IbCoverageLine>
          data-testid="ibc-coverage-table"
          rowKey="nodeId"
          size="small"
          loading={q.isLoading}
          pagination={false}
          dataSource={c?.lines ?? []}
          onRow={(l) => ({ style: l.flagged ? { background: '#fff1f0' } : undefined })}
          columns={[
            { title: t('ibc.branch'), dataIndex: 'nodeName' },
            { title: t('ibc.institutions'), dataIndex: 'institutions', align: 'right' },
            { title: t('ibc.signed'), dataIndex: 'signed', align: 'right' },
            { title: t('ibc.framework'), dataIndex: 'framework', align: 'right' },
            { title: t('ibc.productOnly'), dataIndex: 'productOnly', align: 'right' },
            { title: t('ibc.coverage'), dataIndex: 'coverageBp', align: 'right', render: (v: number | null) => bpText(v), sorter: (a, b) => (a.coverageBp ?? -1) - (b.coverageBp ?? -1) },
            {
              title: t('ibc.flag'),
              dataIndex: 'flagged',
              render: (f: boolean, l) => (l.institutions === 0 ? '—' : f ? <Tag color="red">{t('ibc.flagged', { line })}</Tag> : <Tag color="green">{t('ibc.notFlagged')}</Tag>),
            },
            { title: t('ibc.plan'), dataIndex: 'planCount', align: 'right', render: (v: number | null) => v ?? '—' },
            {
              title: t('ibc.score'),
              dataIndex: 'scoreBp',
              align: 'right',
              render: (v: number | null, l) => (
                <span title={l.scoreBasis === 'plan' ? t('ibc.byPlan', { fw: bpText(c?.caliber.frameworkBp), pr: bpText(c?.caliber.productBp) }) : t('ibc.bySteps')}>
                  {bpText(v)}
                  {l.scoreBasis === 'steps' && v !== null ? ' *' : ''}
                </span>
              ),
            },
          ]}
        />
        <Typography.Text type="secondary">* {t('ibc.bySteps')}</Typography.Text>
      </Space>
    </PageContainer>
  );
}
