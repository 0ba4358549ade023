import { Col, Row, Table, Tag, Typography } from 'antd';
import type { LedgerEntry, SaleSplit } from '../../../api/statements';
import { percentOfBp } from '../../../api/statements';
import { useI18n } from '../../../locales';
import { fmtBeijing } from '../../../format';
import { ruleVersionText } from './ruleVersion';

const KIND_COLOR = { allocation: 'blue', reversal: 'orange', void: 'red' } as const;

/** Points as the server wrote them; a voided part shown beside it in red. */
export function PointsCell({ points, voided }: { points: string; voided?: { points: string; pointsHundredths: number } }) {
  const { t } = useI18n();
  return (
    <span>
      {points}
      {voided && voided.pointsHundredths !== 0 ? (
        <Typography.Text type="danger" style={{ marginInlineStart: 6 }}>
          {t('split.voidedN', { points: voided.points })}
        </Typography.Text>
      ) : null}
    </span>
  );
}

/**
 * One sale's split (SPEC §7): host 20 % and participants 80 % by ratio, then people by contribution;
 * with `entries`, the ledger trace (allocations, reversals, voids) under it.
 */
export function SaleSplitView({ split, entries }: { split: SaleSplit; entries?: LedgerEntry[] }) {
  const { t } = useI18n();
  const deptName = new Map(split.departments.map((d) => [d.departmentId, d.name]));
  const staffName = new Map(split.people.map((p) => [p.staffId, `${p.name}（${p.staffNo}）`]));
  return (
    <div data-testid="sale-split">
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Table
            rowKey="departmentId"
            size="small"
            pagination={false}
            title={() => <Typography.Text strong>{t('split.departments')}</Typography.Text>}
            dataSource={split.departments}
            data-testid="split-departments"
            columns={[
              {
                title: t('split.department'),
                dataIndex: 'name',
                render: (v: string, d) => (
                  <span>
                    {v} {d.host ? <Tag color="red">{t('split.host')}</Tag> : <Tag>{t('split.participant')}</Tag>}
                  </span>
                ),
              },
              {
                title: t('split.ratio'),
                dataIndex: 'ratioBp',
                align: 'right',
                width: 90,
                render: (v: number | null, d) => (d.host ? '-' : d.weight !== null ? t('split.weight', { weight: d.weight }) : v === null ? t('split.equal') : `${percentOfBp(v)}%`),
              },
              { title: t('split.points'), dataIndex: 'points', align: 'right', width: 150, render: (v: string, d) => <PointsCell points={v} voided={d.voided} /> },
            ]}
          />
        </Col>
        <Col xs={24} xl={14}>
          <Table
            rowKey={(p) => `${p.departmentId}-${p.staffId}`}
            size="small"
            pagination={false}
            title={() => <Typography.Text strong>{t('split.people')}</Typography.Text>}
            dataSource={split.people}
            data-testid="split-people"
            columns={[
              { title: t('split.person'), dataIndex: 'name', render: (v: string, p) => `${v}（${p.staffNo}）` },
              { title: t('split.department'), dataIndex: 'departmentId', render: (v: number) => deptName.get(v) ?? v },
              { title: t('split.role'), dataIndex: 'role', width: 90 },
              {
                title: t('split.contribution'),
                dataIndex: 'contributionBp',
                align: 'right',
                width: 90,
                render: (v: number | null, p) => (p.weight !== null ? t('split.weight', { weight: p.weight }) : v === null ? t('split.equal') : `${percentOfBp(v)}%`),
              },
              { title: t('split.points'), dataIndex: 'points', align: 'right', width: 150, render: (v: string, p) => <PointsCell points={v} voided={p.voided} /> },
            ]}
          />
        </Col>
      </Row>
      {entries ? (
        <Table<LedgerEntry>
          style={{ marginTop: 16 }}
          rowKey="id"
          size="small"
          pagination={false}
          title={() => <Typography.Text strong>{t('split.trace')}</Typography.Text>}
          dataSource={entries}
          data-testid="split-trace"
          onRow={(e) => ({ style: e.kind === 'allocation' ? undefined : { background: '#fff1f0' } })}
          columns={[
            { title: t('split.entryId'), dataIndex: 'id', width: 80 },
            { title: t('split.kind'), dataIndex: 'kind', width: 100, render: (k: LedgerEntry['kind']) => <Tag color={KIND_COLOR[k]}>{t(`split.kind.${k}`)}</Tag> },
            { title: t('split.period'), dataIndex: 'period', width: 100, render: (v: string) => v.slice(0, 7) },
            { title: t('split.department'), dataIndex: 'departmentId', render: (v: number) => deptName.get(v) ?? v },
            { title: t('split.person'), dataIndex: 'staffId', render: (v: number | null) => (v === null ? t('split.departmentLevel') : (staffName.get(v) ?? v)) },
            { title: t('split.points'), dataIndex: 'points', align: 'right', width: 100 },
            { title: t('split.reverses'), dataIndex: 'reversesId', width: 90, render: (v: number | null) => (v === null ? '-' : `#${v}`) },
            { title: t('split.ruleVersion'), dataIndex: 'ruleVersion', ellipsis: true, render: (v: string | null) => ruleVersionText(v, t) },
            { title: t('product.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtBeijing(v) },
          ]}
        />
      ) : null}
    </div>
  );
}
