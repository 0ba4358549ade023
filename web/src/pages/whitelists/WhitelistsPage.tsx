import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import {
  exportUrl,
  previewDistribution,
  useApplyDistribution,
  useMatchDepartment,
  useWlBatches,
  useWlBatchOutlets,
  useWlCampaigns,
  useWlOptions,
  wan,
  type WlBatch,
  type WlPreview,
  type WlRule,
  type WlStatus,
} from '../../api/whitelists';
import { accessOf } from '../../access';
import { useI18n } from '../../locales';
import { OutletRuleCard } from './OutletRuleCard';

const RULES: WlRule[] = ['weights', 'round_robin', 'keep_am'];

/** 经营快贷白名单 (SPEC §12): batches, the outlets they went to, preview → apply to staff, department matching, masked lists. */
export default function WhitelistsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const batches = useWlBatches();
  const [batchId, setBatchId] = useState<number>();
  const current = batches.data?.items.find((b) => b.id === batchId) ?? batches.data?.items[0];
  const outlets = useWlBatchOutlets(current?.id);
  const options = useWlOptions();
  const campaigns = useWlCampaigns();
  const [rule, setRule] = useState<WlRule | undefined>();
  const [preview, setPreview] = useState<WlPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const apply = useApplyDistribution();
  const match = useMatchDepartment();
  const [dept, setDept] = useState<number>();

  const runPreview = async () => {
    if (!current) return;
    setBusy(true);
    try {
      setPreview(await previewDistribution(current.id, { rule }));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageContainer title={t('wl.title')} subTitle={t('wl.subtitle')}>
      <Card size="small" title={t('wl.batches')} extra={<Typography.Text type="secondary">{t('wl.importHint')}</Typography.Text>}>
        <Table<WlBatch>
          rowKey="id"
          size="small"
          loading={batches.isLoading}
          dataSource={batches.data?.items ?? []}
          pagination={false}
          rowSelection={{ type: 'radio', selectedRowKeys: current ? [current.id] : [], onChange: (keys) => (setBatchId(Number(keys[0])), setPreview(null)) }}
          columns={[
            { title: t('wl.batch'), dataIndex: 'code', width: 150 },
            { title: t('wl.owner'), dataIndex: 'ownerName', width: 140 },
            { title: t('wl.source'), dataIndex: 'source', width: 90, render: (v: string) => t(`wl.source.${v as 'import' | 'supply_chain' | 'manual'}`) },
            { title: t('wl.entries'), dataIndex: 'entries', width: 80, align: 'right' },
            { title: t('wl.amount'), dataIndex: 'amountFen', width: 120, align: 'right', render: (v: number) => wan(v) },
            { title: t('wl.unassigned'), dataIndex: 'unassigned', width: 80, align: 'right', render: (v: number) => (v ? <Tag color="orange">{v}</Tag> : 0) },
            {
              title: t('wl.status'),
              key: 's',
              render: (_, b) => (
                <Space size={4} wrap>
                  {Object.entries(b.byStatus).map(([k, n]) => (
                    <Tag key={k}>
                      {t(`wl.status.${k as WlStatus}`)} {n}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {current ? (
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col xs={24} xl={12}>
            <Card size="small" title={`${t('wl.outlets')} · ${current.code}`}>
              <Table
                rowKey="nodeId"
                size="small"
                loading={outlets.isLoading}
                dataSource={outlets.data?.items ?? []}
                pagination={{ pageSize: 8, size: 'small' }}
                columns={[
                  { title: t('wl.node'), dataIndex: 'name' },
                  { title: t('wl.entries'), dataIndex: 'entries', align: 'right', width: 70 },
                  { title: t('wl.amount'), dataIndex: 'amountFen', align: 'right', width: 120, render: (v: number) => wan(v) },
                  { title: t('wl.assigned'), dataIndex: 'assigned', align: 'right', width: 70 },
                  { title: t('wl.contacted'), dataIndex: 'contacted', align: 'right', width: 70 },
                  { title: t('wl.drawn'), dataIndex: 'drawn', align: 'right', width: 70 },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            {access.canManageWhitelists ? (
              <Card size="small" title={t('wl.distribute')}>
                <Space wrap style={{ marginBottom: 8 }}>
                  <span>{t('wl.rule')}</span>
                  <Select<WlRule | 'outlet'>
                    style={{ width: 240 }}
                    value={rule ?? 'outlet'}
                    onChange={(v) => (setRule(v === 'outlet' ? undefined : v), setPreview(null))}
                    options={[{ value: 'outlet', label: t('wl.rule.outlet') }, ...RULES.map((r) => ({ value: r, label: t(`wl.rule.${r}`) }))]}
                  />
                  <Button onClick={() => void runPreview()} loading={busy} data-testid="wl-preview">
                    {t('wl.preview')}
                  </Button>
                  <Button
                    type="primary"
                    disabled={!preview?.outlets.length}
                    loading={apply.isPending}
                    data-testid="wl-apply"
                    onClick={() =>
                      apply
                        .mutateAsync({ batchId: current.id, rule })
                        .then((r) => (void message.success(t('wl.applied', { n: r.assigned })), setPreview(null)))
                        .catch((e: Error) => message.error(e.message))
                    }
                  >
                    {t('wl.apply')}
                  </Button>
                </Space>
                {preview && !preview.outlets.length ? <Typography.Paragraph type="secondary">{t('wl.nothingToAssign')}</Typography.Paragraph> : null}
                <Table
                  rowKey={(r) => `${r.nodeId}-${r.staffId}`}
                  size="small"
                  pagination={false}
                  scroll={{ y: 300 }}
                  dataSource={(preview?.outlets ?? []).flatMap((o) => o.people.map((p) => ({ ...p, nodeId: o.nodeId, nodeName: o.name, rule: o.rule })))}
                  columns={[
                    { title: t('wl.node'), dataIndex: 'nodeName', width: 130 },
                    { title: t('wl.rule'), dataIndex: 'rule', width: 110, render: (v: WlRule) => t(`wl.rule.${v}`) },
                    { title: t('wl.person'), dataIndex: 'name', width: 90 },
                    { title: t('wl.count'), dataIndex: 'count', align: 'right', width: 60 },
                    { title: t('wl.amount'), dataIndex: 'amountFen', align: 'right', width: 110, render: (v: number) => wan(v) },
                    { title: t('wl.current'), dataIndex: 'current', align: 'right', width: 80 },
                  ]}
                />
                <Space wrap style={{ marginTop: 12 }}>
                  <Button href={exportUrl(current.id, 'sms', 'xlsx')}>{t('wl.exportSms')}</Button>
                  <Button href={exportUrl(current.id, 'call', 'xlsx')}>{t('wl.exportCall')}</Button>
                  <Select
                    style={{ width: 220 }}
                    placeholder={t('wl.department')}
                    value={dept}
                    onChange={setDept}
                    options={(options.data?.departments ?? []).map((d) => ({ value: d.id, label: `${d.nodeName} ${d.name}` }))}
                  />
                  <Button
                    disabled={!dept}
                    loading={match.isPending}
                    onClick={() =>
                      match
                        .mutateAsync({ batchId: current.id, departmentId: dept! })
                        .then((r) => message.success(t('wl.matched', { checked: r.checked, matched: r.matched })))
                        .catch((e: Error) => message.error(e.message))
                    }
                  >
                    {t('wl.match')}
                  </Button>
                </Space>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  {t('wl.maskRule')}
                </Typography.Paragraph>
              </Card>
            ) : null}
          </Col>
        </Row>
      ) : null}
      {access.canManageWhitelists ? <OutletRuleCard /> : null}
      <Card size="small" title={t('wl.campaigns')} style={{ marginTop: 12 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={campaigns.data?.items ?? []}
          columns={[
            { title: t('wl.department'), dataIndex: 'departmentName', width: 160 },
            { title: t('wl.batch'), dataIndex: 'batchCode', width: 150 },
            { title: t('wl.members'), dataIndex: 'members', align: 'right', width: 90 },
            { title: '', dataIndex: 'name' },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
