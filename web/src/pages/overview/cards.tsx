import { ProCard, StatisticCard } from '@ant-design/pro-components';
import { Badge, Col, Empty, List, Progress, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Workbench } from '../../api/workbench';
import { hundredthsText } from '../../format';
import { useI18n } from '../../locales';

const empty = (text: string) => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<Typography.Text type="secondary">{text}</Typography.Text>} />;

/** 本月积分 / 本年积分, with the products behind them; `compact` (no points to show): the reason only. */
export function PointsCards({ w, compact }: { w: Workbench; compact?: boolean }) {
  const { t } = useI18n();
  const products = w.points.products;
  if (compact && products.length === 0) {
    return (
      <ProCard bordered title={t('workbench.yearPoints')} data-testid="wb-points">
        {empty(t('workbench.noPoints'))}
      </ProCard>
    );
  }
  return (
    <ProCard bordered title={t('workbench.byProduct')} data-testid="wb-points" style={{ height: '100%' }}>
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={12} data-testid="wb-month-points">
          <Statistic title={t('workbench.monthPoints')} value={w.points.month.points} />
        </Col>
        <Col span={12} data-testid="wb-year-points">
          <Statistic title={t('workbench.yearPoints')} value={w.points.year.points} />
        </Col>
      </Row>
      {products.length === 0 ? (
        empty(t('workbench.noPoints'))
      ) : (
        <Table
          size="small"
          rowKey="productId"
          pagination={false}
          scroll={products.length > 6 ? { y: 220 } : undefined}
          dataSource={products}
          columns={[
            { title: t('workbench.product'), dataIndex: 'productName', ellipsis: true },
            { title: t('workbench.month'), key: 'm', align: 'right', width: 100, render: (_, p) => p.month.points },
            { title: t('workbench.year'), key: 'y', align: 'right', width: 100, render: (_, p) => p.year.points },
          ]}
        />
      )}
    </ProCard>
  );
}

/** 部门排名 / 分行排名 by this month's points. */
export function RankCards({ w }: { w: Workbench }) {
  const { t } = useI18n();
  const rank = (r: Workbench['rank']['department'], none: string) =>
    r ? (
      <span>
        <Typography.Text strong style={{ fontSize: 24 }}>
          {r.rank}
        </Typography.Text>
        <Typography.Text type="secondary"> / {r.of}</Typography.Text>
      </span>
    ) : (
      <Typography.Text type="secondary">{none}</Typography.Text>
    );
  return (
    <Row gutter={[16, 16]} data-testid="wb-ranks">
      <Col span={12}>
        <StatisticCard
          bordered
          statistic={{
            title: <Tooltip title={t('workbench.rankHint')}>{t('workbench.deptRank')}</Tooltip>,
            valueRender: () => rank(w.rank.department, t('workbench.noDept')),
            description: w.rank.department ? <Typography.Text type="secondary">{w.rank.department.name}</Typography.Text> : null,
          }}
        />
      </Col>
      <Col span={12}>
        <StatisticCard
          bordered
          statistic={{
            title: <Tooltip title={t('workbench.rankHint')}>{t('workbench.branchRank')}</Tooltip>,
            valueRender: () => rank(w.rank.branch, t('workbench.noBranchRank')),
            description: w.rank.branch ? <Typography.Text type="secondary">{w.rank.branch.name}</Typography.Text> : null,
          }}
        />
      </Col>
      <Col span={24}>
        <QuotaCard w={w} />
      </Col>
    </Row>
  );
}

/** A bar of completion with the 50 % line drawn across it. */
function QuotaBar({ bp, reached }: { bp: number; reached: boolean }) {
  const { t } = useI18n();
  return (
    <div style={{ position: 'relative' }}>
      <Progress percent={Math.min(100, bp / 100)} showInfo={false} strokeColor={reached ? '#1677ff' : '#ff4d4f'} size="small" />
      <Tooltip title={t('workbench.quotaLine')}>
        <span data-testid="wb-quota-line" style={{ position: 'absolute', left: '50%', top: 0, bottom: 0, width: 2, background: '#faad14' }} />
      </Tooltip>
    </div>
  );
}

/** My department's quotas (and mine) against the 50 % line. */
export function QuotaCard({ w }: { w: Workbench }) {
  const { t } = useI18n();
  const rows = w.quotas;
  const reason = w.me.departmentId === null ? t('workbench.noQuotaDept') : rows === null ? t('workbench.noQuotaAccess') : t('workbench.noQuotas');
  return (
    <ProCard bordered title={t('workbench.quotas', { year: w.year })} data-testid="wb-quotas" extra={rows !== null ? <Link to="/dashboards">{t('workbench.allQuotas')}</Link> : null}>
      {!rows || rows.length === 0 ? (
        empty(reason)
      ) : (
        <List
          size="small"
          dataSource={rows}
          renderItem={(r) => (
            <List.Item key={r.quotaId ?? `${r.productId}`} style={{ display: 'block' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Typography.Text ellipsis>
                  {r.productName}
                  {r.staffId !== null ? <Tag style={{ marginInlineStart: 6 }}>{t('workbench.quotaMine')}</Tag> : null}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                  {t('workbench.quotaOf', { done: r.completion, quota: r.quota ?? '-', unit: r.unit })} · {r.completionBp === null ? '-' : `${hundredthsText(r.completionBp)}%`}{' '}
                  <Tag color={r.reached50 ? 'blue' : 'red'}>{r.reached50 ? t('workbench.reached50') : t('workbench.below50')}</Tag>
                </Typography.Text>
              </div>
              <QuotaBar bp={r.completionBp ?? 0} reached={!!r.reached50} />
            </List.Item>
          )}
        />
      )}
    </ProCard>
  );
}

/** My sales dated this month, each one click from its split. */
export function SalesCard({ w, monthText }: { w: Workbench; monthText: string }) {
  const { t } = useI18n();
  return (
    <ProCard bordered title={t('workbench.mySalesN', { n: w.salesTotal })} data-testid="wb-sales" extra={<Link to="/sales?mine=true">{t('workbench.allMySales')}</Link>}>
      {w.sales.length === 0 ? (
        empty(t('workbench.noSales', { month: monthText }))
      ) : (
        <Table
          size="small"
          rowKey="id"
          pagination={w.sales.length > 8 ? { pageSize: 8, size: 'small' } : false}
          dataSource={w.sales}
          columns={[
            {
              title: t('workbench.sourceId'),
              dataIndex: 'sourceId',
              ellipsis: true,
              render: (v: string, s) => (
                <Link to={`/sales/${s.id}`} data-testid="wb-sale-link">
                  {v}
                </Link>
              ),
            },
            { title: t('workbench.saleDate'), dataIndex: 'saleDate', width: 100 },
            { title: t('workbench.product'), dataIndex: 'productName', ellipsis: true },
            { title: t('workbench.client'), dataIndex: 'clientName', ellipsis: true, render: (v: string | null) => v ?? '-' },
            { title: t('workbench.role'), dataIndex: 'role', width: 90, ellipsis: true },
            { title: t('workbench.myPoints'), key: 'mine', align: 'right', width: 90, render: (_, s) => s.mine.points },
          ]}
        />
      )}
    </ProCard>
  );
}

/** 待办: the work my roles give me, each a link. */
export function TodoCard({ w }: { w: Workbench }) {
  const { t } = useI18n();
  return (
    <ProCard bordered title={t('workbench.todos')} data-testid="wb-todos">
      {w.todos.length === 0 ? (
        empty(t('workbench.noTodos'))
      ) : (
        <List
          size="small"
          dataSource={w.todos}
          renderItem={(x) => (
            <List.Item
              key={x.kind}
              actions={[
                <Link key="go" to={x.link}>
                  {t('workbench.go')}
                </Link>,
              ]}
              data-testid={`wb-todo-${x.kind}`}
            >
              <span>
                <Badge count={x.count} showZero={false} overflowCount={999} style={{ marginInlineEnd: 8 }} />
                <Typography.Text type={x.count === 0 ? 'secondary' : undefined}>{t(`workbench.todo.${x.kind}`)}</Typography.Text>
                {x.count === 0 ? <Typography.Text type="secondary">（{t('workbench.todoNone')}）</Typography.Text> : null}
              </span>
            </List.Item>
          )}
        />
      )}
    </ProCard>
  );
}

/** Objections I raised that are still open. */
export function ObjectionsCard({ w }: { w: Workbench }) {
  const { t } = useI18n();
  return (
    <ProCard bordered title={t('workbench.myObjections')} data-testid="wb-objections" extra={<Link to="/objections?mine=true">{t('menu.objections')}</Link>}>
      {w.objections.length === 0 ? (
        empty(t('workbench.noObjections'))
      ) : (
        <List
          size="small"
          dataSource={w.objections}
          renderItem={(o) => (
            <List.Item key={o.id}>
              <List.Item.Meta title={<Link to={`/objections/${o.id}`}>{o.reason}</Link>} description={t('workbench.objectionOn', { month: o.month, node: o.nodeName })} />
            </List.Item>
          )}
        />
      )}
    </ProCard>
  );
}
