import { BulbOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Drawer, Empty, Input, InputNumber, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useMe } from '../../../api/auth';
import type { ApiError } from '../../../api/client';
import { type ProductLine, useProductLines, useProductOptions } from '../../../api/products';
import { groupQty, type LineTarget, type Proposal, qtyOf1e4, useApplyProposal, useLineTargets, useProposal, usePutLineTarget } from '../../../api/quotas';
import { accessOf } from '../../../access';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';
import { parseNumberInput } from '../../../forms/normalize';
import { cleanQuantity } from './QuotaTable';

interface Row {
  line: ProductLine;
  target: LineTarget | undefined;
}

/**
 * 条线指标与 10 % 建议 (Art. 18): each retail product line's yearly target for the branch, and the
 * helper that proposes line target × 10 % to every department hosting or taking part in the line,
 * for each of its products in the target's unit. Preview first; applying fills only the department ×
 * product pairs without a quota; people edit the figures afterwards.
 */
export function LineTargets({ nodeId, year }: { nodeId: number; year: number }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const canWrite = accessOf(me).canWriteQuotas;
  const lines = useProductLines();
  const targets = useLineTargets(nodeId, year);
  const products = useProductOptions();
  const put = usePutLineTarget();
  const [editing, setEditing] = useState<{ lineCode: string; quantity: string; unit: string; note: string } | null>(null);
  const [proposalLine, setProposalLine] = useState<string | null>(null);

  const rows: Row[] = useMemo(() => (lines.data ?? []).filter((l) => l.retail).map((line) => ({ line, target: targets.data?.find((x) => x.lineCode === line.code) })), [lines.data, targets.data]);
  const unitsOf = (lineCode: string) => [...new Set((products.data ?? []).filter((p) => p.lineCode === lineCode && p.active).map((p) => p.unit))];
  const badQty = editing !== null && cleanQuantity(editing.quantity) === undefined;

  const save = async () => {
    if (!editing || badQty) return;
    await put.mutateAsync({ nodeId, year, lineCode: editing.lineCode, quantity: cleanQuantity(editing.quantity)!, unit: editing.unit || undefined, note: editing.note.trim() || null });
    message.success(t('common.saved'));
    setEditing(null);
  };

  if (lines.isLoading || targets.isLoading) return <Spin style={{ display: 'block', margin: 24 }} />;
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('quota.helperIntro')} />
      <Table<Row>
        rowKey={(r) => r.line.code}
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="line-targets"
        locale={{ emptyText: <Empty description={t('quota.noRetailLines')} /> }}
        columns={[
          { title: t('quota.line'), key: 'line', width: 160, render: (_, r) => `${pick(r.line.nameZh, r.line.nameEn)}（${r.line.code}）` },
          {
            title: t('quota.lineTarget', { year }),
            key: 'target',
            width: 280,
            align: 'right',
            render: (_, r) =>
              editing?.lineCode === r.line.code ? (
                <Space.Compact>
                  <Input
                    size="small"
                    autoFocus
                    value={editing.quantity}
                    status={badQty ? 'error' : undefined}
                    onChange={(e) => setEditing({ ...editing, quantity: e.target.value })}
                    onPressEnter={() => void save()}
                    style={{ width: 140 }}
                    data-testid="line-target-input"
                  />
                  <Select
                    size="small"
                    value={editing.unit || undefined}
                    onChange={(u) => setEditing({ ...editing, unit: u })}
                    style={{ width: 90 }}
                    options={unitsOf(r.line.code).map((u) => ({ value: u, label: u }))}
                    data-testid="line-target-unit"
                  />
                </Space.Compact>
              ) : r.target ? (
                <span data-testid={`line-target-${r.line.code}`}>
                  {groupQty(r.target.quantity)} {r.target.unit}
                </span>
              ) : (
                <Typography.Text type="secondary">{t('quota.notSet')}</Typography.Text>
              ),
          },
          {
            title: t('quota.proposalEach'),
            key: 'each',
            width: 160,
            align: 'right',
            render: (_, r) => (r.target ? `${qtyOf1e4(Number((BigInt(r.target.quantity1e4) * 1000n + 5000n) / 10000n))} ${r.target.unit}` : '-'),
          },
          {
            title: t('quota.note'),
            key: 'note',
            ellipsis: true,
            render: (_, r) =>
              editing?.lineCode === r.line.code ? (
                <Input size="small" value={editing.note} maxLength={200} onChange={(e) => setEditing({ ...editing, note: e.target.value })} />
              ) : (
                (r.target?.note ?? '')
              ),
          },
          { title: t('quota.updated'), key: 'updated', width: 170, render: (_, r) => (r.target ? fmtBeijing(r.target.updatedAt) : '-') },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 220,
            hidden: !canWrite,
            render: (_, r) =>
              editing?.lineCode === r.line.code ? (
                <Space size={4}>
                  <Button size="small" type="link" disabled={badQty} loading={put.isPending} onClick={() => void save()} data-testid="line-target-save">
                    {t('common.save')}
                  </Button>
                  <Button size="small" type="link" onClick={() => setEditing(null)}>
                    {t('common.cancel')}
                  </Button>
                </Space>
              ) : (
                <Space size={4}>
                  {canWrite ? (
                    <Button
                      size="small"
                      type="link"
                      icon={<EditOutlined />}
                      data-testid={`line-target-edit-${r.line.code}`}
                      onClick={() => setEditing({ lineCode: r.line.code, quantity: r.target?.quantity ?? '', unit: r.target?.unit ?? unitsOf(r.line.code)[0] ?? '', note: r.target?.note ?? '' })}
                    >
                      {r.target ? t('common.edit') : t('quota.setTarget')}
                    </Button>
                  ) : null}
                  {canWrite ? (
                    <Button size="small" type="link" icon={<BulbOutlined />} disabled={!r.target} data-testid={`proposal-open-${r.line.code}`} onClick={() => setProposalLine(r.line.code)}>
                      {t('quota.propose')}
                    </Button>
                  ) : null}
                </Space>
              ),
          },
        ]}
      />
      {proposalLine ? (
        <ProposalDrawer
          nodeId={nodeId}
          year={year}
          lineCode={proposalLine}
          lineName={pick(rows.find((r) => r.line.code === proposalLine)?.line.nameZh, rows.find((r) => r.line.code === proposalLine)?.line.nameEn)}
          onClose={() => setProposalLine(null)}
        />
      ) : null}
    </>
  );
}

/** 建议目标预览与采用: the preview (writes nothing), then "采用" for the departments ticked. */
function ProposalDrawer({ nodeId, year, lineCode, lineName, onClose }: { nodeId: number; year: number; lineCode: string; lineName: string; onClose(): void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [percent, setPercent] = useState<string>('10');
  const percentBp = percentToBp(percent) ?? 1000;
  const preview = useProposal(nodeId, year, lineCode, percentBp);
  const apply = useApplyProposal();
  const p = preview.data;
  const departments = useMemo(() => {
    const m = new Map<number, string>();
    for (const l of p?.lines ?? []) m.set(l.departmentId, l.departmentName);
    return [...m.entries()];
  }, [p]);
  const [chosen, setChosen] = useState<number[] | null>(null);
  useEffect(() => setChosen(null), [p?.lineCode, p?.percentBp]);
  const picked = chosen ?? departments.map(([id]) => id);
  const fresh = (p?.lines ?? []).filter((l) => l.existing1e4 === null && picked.includes(l.departmentId)).length;

  return (
    <Drawer open width={920} title={t('quota.proposalTitle', { line: lineName, year })} onClose={onClose} data-testid="proposal-drawer" destroyOnHidden>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('quota.proposalPercent')}</span>
        <InputNumber<string>
          stringMode
          min="0.01"
          max="100"
          step="1"
          precision={2}
          value={percent}
          parser={parseNumberInput}
          onChange={(v) => v && setPercent(v)}
          addonAfter="%"
          style={{ width: 140 }}
          data-testid="proposal-percent"
        />
      </Space>
      {preview.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : preview.error ? (
        <Alert type="error" showIcon message={(preview.error as ApiError).message} />
      ) : p ? (
        <ProposalBody
          proposal={p}
          departments={departments}
          picked={picked}
          onPick={setChosen}
          fresh={fresh}
          applying={apply.isPending}
          onApply={async () => {
            const r = await apply.mutateAsync({ nodeId, year, lineCode, percentBp, departmentIds: picked });
            message.success(t('quota.proposalApplied', { n: r.applied ?? 0 }));
            onClose();
          }}
          pick={pick}
        />
      ) : null}
    </Drawer>
  );
}

function ProposalBody({
  proposal: p,
  departments,
  picked,
  onPick,
  fresh,
  applying,
  onApply,
  pick,
}: {
  proposal: Proposal;
  departments: [number, string][];
  picked: number[];
  onPick(ids: number[]): void;
  fresh: number;
  applying: boolean;
  onApply(): Promise<void>;
  pick(zh: string, en: string): string;
}) {
  const { t } = useI18n();
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={
          <span data-testid="proposal-each">
            {t('quota.proposalFigure', { target: `${groupQty(p.lineTarget.quantity)} ${p.lineTarget.unit}`, percent: bpText(p.percentBp), each: `${groupQty(p.quantity)} ${p.lineTarget.unit}` })}
          </span>
        }
        description={pick(p.rule.zh, p.rule.en)}
      />
      {departments.length ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text strong>{t('quota.proposalDepartments')}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            <Checkbox.Group value={picked} onChange={(v) => onPick(v as number[])} options={departments.map(([id, name]) => ({ value: id, label: name }))} />
          </div>
        </div>
      ) : null}
      <Table
        rowKey={(l) => `${l.departmentId}-${l.productId}`}
        size="small"
        dataSource={p.lines}
        data-testid="proposal-table"
        pagination={{ defaultPageSize: 10, showTotal: (n) => t('common.totalN', { n }) }}
        rowClassName={(l) => (picked.includes(l.departmentId) ? '' : 'ant-table-row-disabled')}
        locale={{ emptyText: t('quota.proposalNone') }}
        columns={[
          { title: t('quota.department'), dataIndex: 'departmentName', width: 130 },
          { title: t('quota.product'), dataIndex: 'productName', render: (v: string, l) => `${v}（${l.productCode}）` },
          { title: t('quota.proposed'), dataIndex: 'quantity', align: 'right', width: 140, render: (v: string, l) => `${groupQty(v)} ${l.unit}` },
          {
            title: t('quota.existing'),
            dataIndex: 'existing1e4',
            width: 220,
            render: (v: number | null, l) =>
              v === null ? (
                picked.includes(l.departmentId) ? (
                  <Tag color="green">{t('quota.willAdd')}</Tag>
                ) : (
                  <Tag>{t('quota.notChosen')}</Tag>
                )
              ) : (
                <Tag color="default">{t('quota.keepExisting', { q: `${qtyOf1e4(v)} ${l.unit}` })}</Tag>
              ),
          },
        ]}
      />
      {p.skipped.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          message={t('quota.skipped')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {p.skipped.map((s) => (
                <li key={s.productId}>
                  {s.productName}（{s.productCode}）：{pick(s.reason.zh, s.reason.en)}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" disabled={fresh === 0} loading={applying} onClick={() => void onApply()} data-testid="proposal-apply">
          {t('quota.applyProposal', { n: fresh })}
        </Button>
        <Typography.Text type="secondary">{t('quota.applyHint')}</Typography.Text>
      </Space>
    </>
  );
}

/** "10" / "12.5" (%) → basis points; undefined when not a percentage with two decimals at most. */
export function percentToBp(v: string | number | null | undefined): number | undefined {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(String(v ?? '').trim());
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  return bp >= 0 && bp <= 10_000 ? bp : undefined;
}

/** 1000 → "10%", 1250 → "12.5%". */
export function bpText(bp: number): string {
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${Math.floor(bp / 100)}${frac ? `.${frac}` : ''}%`;
}
