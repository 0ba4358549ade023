import { Card, Col, Empty, List, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useDepartments } from '../../../api/org';
import { useProductOptions } from '../../../api/products';
import { type PlanVersion, qtyOf1e4, type Quota, type QuotaPlan, usePlanVersion } from '../../../api/quotas';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

const CHANGE_COLOR = { added: 'green', removed: 'red', changed: 'orange' } as const;

/**
 * 审批历史: every approved version of the year's plan (who approved, when, how many quotas) and, for
 * the one chosen, what changed against the version before it.
 */
export function Versions({ nodeId, year, plan, items }: { nodeId: number; year: number; plan: QuotaPlan; items: Quota[] }) {
  const { t } = useI18n();
  const [versionNo, setVersionNo] = useState<number | undefined>(plan.versions[0]?.versionNo);
  const latest = plan.versions[0]?.versionNo;
  useEffect(() => setVersionNo(latest), [nodeId, year, latest]);
  const version = usePlanVersion(nodeId, year, versionNo);

  if (!plan.versions.length) return <Empty description={t('quota.noVersions')} />;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={8}>
        <List
          size="small"
          bordered
          dataSource={plan.versions}
          data-testid="quota-versions"
          renderItem={(v) => (
            <List.Item
              onClick={() => setVersionNo(v.versionNo)}
              style={{ cursor: 'pointer', background: v.versionNo === versionNo ? '#fff1f0' : undefined }}
              data-testid={`quota-version-${v.versionNo}`}
            >
              <List.Item.Meta
                title={
                  <Space>
                    {t('quota.versionN', { n: v.versionNo })}
                    {v.versionNo === plan.approvedVersion && plan.state === 'approved' ? <Tag color="green">{t('quota.inForce')}</Tag> : null}
                  </Space>
                }
                description={`${v.approvedBy?.name ?? '-'} · ${fmtBeijing(v.approvedAt)} · ${t('quota.nQuotas', { n: v.quotas })}`}
              />
            </List.Item>
          )}
        />
      </Col>
      <Col xs={24} lg={16}>
        {version.isLoading ? <Spin style={{ display: 'block', margin: 24 }} /> : version.data ? <VersionDiff nodeId={nodeId} version={version.data} items={items} /> : null}
      </Col>
    </Row>
  );
}

function VersionDiff({ nodeId, version: v, items }: { nodeId: number; version: PlanVersion; items: Quota[] }) {
  const { t } = useI18n();
  const departments = useDepartments(nodeId);
  const products = useProductOptions();
  const deptName = (id: number) => departments.data?.find((d) => d.id === id)?.name ?? `#${id}`;
  const product = (id: number) => products.data?.find((p) => p.id === id);
  const narrowing = (c: { staffId: number | null; outletNodeId: number | null }) => {
    if (c.staffId) return items.find((q) => q.staffId === c.staffId)?.staffName ?? `#${c.staffId}`;
    if (c.outletNodeId) return items.find((q) => q.outletNodeId === c.outletNodeId)?.outletName ?? `#${c.outletNodeId}`;
    return t('quota.narrowing.department');
  };
  return (
    <Card
      size="small"
      title={t('quota.versionChanges', { n: v.versionNo })}
      extra={<Typography.Text type="secondary">{t('quota.versionBy', { editor: v.lastEditedBy?.name ?? '-', approver: v.approvedBy?.name ?? '-' })}</Typography.Text>}
      data-testid="quota-version-diff"
    >
      <Table
        rowKey={(c) => `${c.departmentId}-${c.productId}-${c.staffId ?? 0}-${c.outletNodeId ?? 0}`}
        size="small"
        dataSource={v.changes}
        pagination={{ defaultPageSize: 10, showTotal: (n) => t('common.totalN', { n }) }}
        locale={{ emptyText: t('quota.noChanges') }}
        columns={[
          { title: t('quota.change'), dataIndex: 'change', width: 90, render: (c: keyof typeof CHANGE_COLOR) => <Tag color={CHANGE_COLOR[c]}>{t(`quota.change.${c}`)}</Tag> },
          { title: t('quota.department'), dataIndex: 'departmentId', render: deptName },
          { title: t('quota.product'), dataIndex: 'productId', render: (id: number) => product(id)?.name ?? `#${id}` },
          { title: t('quota.narrowing'), key: 'n', render: (_, c) => narrowing(c) },
          {
            title: t('quota.before'),
            dataIndex: 'before1e4',
            align: 'right',
            render: (q: number | null, c) => (q === null ? '-' : `${qtyOf1e4(q)} ${product(c.productId)?.unit ?? ''}`),
          },
          {
            title: t('quota.after'),
            dataIndex: 'after1e4',
            align: 'right',
            render: (q: number | null, c) => (q === null ? '-' : `${qtyOf1e4(q)} ${product(c.productId)?.unit ?? ''}`),
          },
        ]}
      />
    </Card>
  );
}
