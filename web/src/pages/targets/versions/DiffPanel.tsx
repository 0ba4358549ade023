import { MinusCircleOutlined, PlusCircleOutlined, SwapOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Select, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { type CriterionName, type DiffEntry, useDiff, type Version } from '../../../api/targets';
import { useI18n } from '../../../locales';

interface Props {
  nodeId: number;
  departmentId: number;
  versions: Version[];
  from?: number;
  to?: number;
  onChange(from: number | undefined, to: number | undefined): void;
  /** Names of every criterion code seen in this list (for the "changed" rows). */
  names: Map<string, CriterionName>;
}

const ADDED = '#389e0d';
const REMOVED = '#cf1322';
const CHANGED = '#d46b08';

/** 版本对比: added (green), removed (red) and changed criteria (orange) between any two versions. */
export function DiffPanel({ nodeId, departmentId, versions, from, to, onChange, names }: Props) {
  const { t, pick } = useI18n();
  const diff = useDiff(nodeId, departmentId, from, to);
  const options = [{ value: 0, label: t('target.emptyList') }, ...versions.map((v) => ({ value: v.versionNo, label: t('target.versionNo', { n: v.versionNo }) }))];
  const name = (code: string) => {
    const n = names.get(code);
    return n ? pick(n.nameZh, n.nameEn) : code;
  };
  const entryColumns = (color: string) => [
    {
      title: t('target.client'),
      dataIndex: 'name',
      render: (_: unknown, e: DiffEntry) => (
        <Link to={`/customers/companies/${e.companyId}`} style={{ color }}>
          {e.name}
        </Link>
      ),
    },
    { title: t('customer.uscc'), dataIndex: 'uscc', width: 190 },
    {
      title: t('target.metCriteria'),
      dataIndex: 'criteria',
      render: (_: unknown, e: DiffEntry) => e.criteriaNames.map((c) => <Tag key={c.code}>{pick(c.nameZh, c.nameEn)}</Tag>),
    },
  ];

  return (
    <div data-testid="diff-panel">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select style={{ width: 160 }} value={from} options={options} onChange={(v) => onChange(v, to)} data-testid="diff-from" placeholder={t('target.diffFrom')} />
        <SwapOutlined />
        <Select style={{ width: 160 }} value={to} options={options} onChange={(v) => onChange(from, v)} data-testid="diff-to" placeholder={t('target.diffTo')} />
      </Space>
      {from === undefined || to === undefined ? (
        <Empty description={t('target.diffPick')} />
      ) : diff.isLoading || !diff.data ? (
        <Spin />
      ) : (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={8}>
              <Card size="small" style={{ borderColor: ADDED }}>
                <Statistic title={t('target.diffAdded')} value={diff.data.added.length} valueStyle={{ color: ADDED }} prefix={<PlusCircleOutlined />} />
              </Card>
            </Col>
            <Col span={8}>
              <Card size="small" style={{ borderColor: REMOVED }}>
                <Statistic title={t('target.diffRemoved')} value={diff.data.removed.length} valueStyle={{ color: REMOVED }} prefix={<MinusCircleOutlined />} />
              </Card>
            </Col>
            <Col span={8}>
              <Card size="small" style={{ borderColor: CHANGED }}>
                <Statistic title={t('target.diffChanged')} value={diff.data.changed.length} valueStyle={{ color: CHANGED }} prefix={<SwapOutlined />} />
              </Card>
            </Col>
          </Row>
          <Typography.Title level={5} style={{ color: ADDED }}>
            {t('target.diffAdded')}
          </Typography.Title>
          <Table<DiffEntry>
            rowKey="companyId"
            size="small"
            pagination={false}
            dataSource={diff.data.added}
            columns={entryColumns(ADDED)}
            data-testid="diff-added"
            style={{ marginBottom: 16, background: '#f6ffed' }}
          />
          <Typography.Title level={5} style={{ color: REMOVED }}>
            {t('target.diffRemoved')}
          </Typography.Title>
          <Table<DiffEntry> rowKey="companyId" size="small" pagination={false} dataSource={diff.data.removed} columns={entryColumns(REMOVED)} data-testid="diff-removed" style={{ marginBottom: 16 }} />
          <Typography.Title level={5} style={{ color: CHANGED }}>
            {t('target.diffChanged')}
          </Typography.Title>
          <Table
            rowKey="companyId"
            size="small"
            pagination={false}
            dataSource={diff.data.changed}
            data-testid="diff-changed"
            columns={[
              { title: t('target.client'), dataIndex: 'name', render: (_, e) => <Link to={`/customers/companies/${e.companyId}`}>{e.name}</Link> },
              { title: t('customer.uscc'), dataIndex: 'uscc', width: 190 },
              {
                title: t('target.criteriaChange'),
                key: 'change',
                render: (_, e) => (
                  <Space wrap size={[4, 4]}>
                    {e.criteriaAdded.map((c) => (
                      <Tag key={`+${c}`} color="green">
                        + {name(c)}
                      </Tag>
                    ))}
                    {e.criteriaRemoved.map((c) => (
                      <Tag key={`-${c}`} color="red">
                        − {name(c)}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
