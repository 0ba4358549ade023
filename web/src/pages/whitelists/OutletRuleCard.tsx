import { App, Button, Card, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { previewRebalance, useApplyRebalance, useSetOutletRule, useWlOptions, useWlOutletRule, type WlPreview, type WlRule } from '../../api/whitelists';
import { useI18n } from '../../locales';

const RULES: WlRule[] = ['weights', 'round_robin', 'keep_am'];

/** An outlet's (or sub-branch's) distribution rule and capacity weights, and the re-balance of departed staff's clients. */
export function OutletRuleCard() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const options = useWlOptions();
  const places = (options.data?.nodes ?? []).filter((n) => n.level === 'outlet' || n.level === 'subbranch');
  const [nodeId, setNodeId] = useState<number>();
  const current = useWlOutletRule(nodeId);
  const save = useSetOutletRule();
  const rebalance = useApplyRebalance();
  const [rule, setRule] = useState<WlRule>('weights');
  const [weights, setWeights] = useState<Record<number, number>>({});
  const [plan, setPlan] = useState<WlPreview | null>(null);
  useEffect(() => {
    if (!current.data) return;
    setRule(current.data.rule);
    setWeights(Object.fromEntries(current.data.staff.map((s) => [s.id, s.weight])));
    setPlan(null);
  }, [current.data]);
  return (
    <Card size="small" title={t('wl.ruleCard')} style={{ marginTop: 12 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: 260 }}
          placeholder={t('wl.node')}
          value={nodeId}
          onChange={setNodeId}
          options={places.map((n) => ({ value: n.id, label: `${n.code} ${n.name}` }))}
        />
        <Select<WlRule> style={{ width: 240 }} value={rule} onChange={setRule} disabled={!nodeId} options={RULES.map((r) => ({ value: r, label: t(`wl.rule.${r}`) }))} />
        <Button
          type="primary"
          disabled={!nodeId}
          loading={save.isPending}
          onClick={() =>
            save
              .mutateAsync({ nodeId: nodeId!, rule, weights: Object.entries(weights).map(([staffId, weight]) => ({ staffId: Number(staffId), weight })) })
              .then(() => message.success(t('wl.saved')))
              .catch((e: Error) => message.error(e.message))
          }
        >
          {t('wl.saveRule')}
        </Button>
        <Button disabled={!nodeId} onClick={() => void previewRebalance(nodeId!).then(setPlan, (e: Error) => message.error(e.message))}>
          {t('wl.rebalancePreview')}
        </Button>
        <Button
          danger
          disabled={!plan?.outlets.length}
          loading={rebalance.isPending}
          onClick={() =>
            rebalance
              .mutateAsync(nodeId!)
              .then((r) => (void message.success(t('wl.applied', { n: r.assigned })), setPlan(null)))
              .catch((e: Error) => message.error(e.message))
          }
        >
          {t('wl.rebalanceApply')}
        </Button>
      </Space>
      {plan ? (
        <Typography.Paragraph type="secondary">{plan.outlets.length ? t('wl.rebalanceN', { n: plan.outlets.reduce((a, o) => a + o.entries, 0) }) : t('wl.nothingToRebalance')}</Typography.Paragraph>
      ) : null}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={current.isLoading && !!nodeId}
        dataSource={current.data?.staff ?? []}
        columns={[
          { title: t('wl.person'), dataIndex: 'name', width: 120 },
          { title: '', dataIndex: 'title', width: 140, render: (v: string | null) => v ?? '' },
          {
            title: t('wl.weight'),
            key: 'w',
            width: 120,
            render: (_, s) => <InputNumber min={0} max={100} precision={0} size="small" value={weights[s.id] ?? 1} onChange={(v) => setWeights({ ...weights, [s.id]: v ?? 0 })} />,
          },
          {
            title: t('wl.count'),
            key: 'n',
            render: (_, s) => plan?.outlets.flatMap((o) => o.people).find((p) => p.staffId === s.id)?.count ?? '',
          },
        ]}
      />
    </Card>
  );
}
