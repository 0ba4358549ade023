import type { ButtonProps } from 'antd';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useClientTypes, useFactsCatalogue } from '../../../api/customers';
import { type Criterion, type Rule, useChangeCriterion } from '../../../api/targets';
import { fenOfWan, wanNumber } from '../../../components/money';
import { quietly } from '../../../components/quietly';
import { useI18n } from '../../../locales';
import { factLabel, type RuleContext, ruleText } from './ruleText';
import { beijingToday } from '../../../format';

interface Props {
  criterion: Criterion | null;
  /** The server's today (Beijing): a change takes effect today or later. */
  today?: string;
  onClose(): void;
}

type Path = number[];

function at(rule: Rule, path: Path): Rule {
  return path.reduce<Rule>((r, i) => (r.kind === 'all' || r.kind === 'any' ? r.rules[i] : r), rule);
}

function replaceAt(rule: Rule, path: Path, next: Rule): Rule {
  if (!path.length) return next;
  if (rule.kind !== 'all' && rule.kind !== 'any') return rule;
  const [i, ...rest] = path;
  return { ...rule, rules: rule.rules.map((r, j) => (j === i ? replaceAt(r, rest, next) : r)) };
}

/** Every leaf of a rule with its path, in order. */
function leaves(rule: Rule, path: Path = []): { path: Path; rule: Rule }[] {
  if (rule.kind === 'all' || rule.kind === 'any') return rule.rules.flatMap((r, i) => leaves(r, [...path, i]));
  return [{ path, rule }];
}

/**
 * 调整标准: thresholds, names and status change from an effective date as a new version; the row
 * in force until then stays (SPEC §3: criteria are configuration, effective-dated and audited).
 */
export function CriterionEditor({ criterion, today, onClose }: Props) {
  const day0 = today ? dayjs(today) : dayjs(beijingToday());
  const { t, pick, lang } = useI18n();
  const { message } = App.useApp();
  const catalogue = useFactsCatalogue();
  const types = useClientTypes();
  const change = useChangeCriterion();
  const [form] = Form.useForm<{ nameZh: string; nameEn: string; active: boolean; effectiveFrom: Dayjs }>();
  const row = criterion?.current ?? criterion?.history[0] ?? null;
  const [rule, setRule] = useState<Rule | null>(row?.rule ?? null);
  useEffect(() => setRule(row?.rule ?? null), [row]);
  const ctx: RuleContext = { t, pick, catalogue: catalogue.data ?? [], types: types.data ?? [], lang };

  const leafEditor = (path: Path, leaf: Rule) => {
    const set = (next: Rule) => setRule((r) => (r ? replaceAt(r, path, next) : r));
    switch (leaf.kind) {
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const isFen = leaf.fact.endsWith('Fen');
        return (
          <Space>
            <span>
              {factLabel(leaf.fact, ctx)} {t(`rule.${leaf.kind}`)}
            </span>
            <InputNumber
              min={0}
              precision={isFen ? 2 : 0}
              value={isFen ? wanNumber(leaf.value) : leaf.value}
              onChange={(v) => set({ ...leaf, value: v === null ? 0 : isFen ? (fenOfWan(v) ?? 0) : Math.round(v) })}
              addonAfter={isFen ? t('unit.wan') : /Rank/.test(leaf.fact) ? t('rule.rankUnit') : undefined}
              style={{ width: 220 }}
              data-testid={`threshold-${leaf.fact}`}
            />
          </Space>
        );
      }
      case 'in': {
        const options = catalogue.data?.find((f) => f.key === leaf.fact)?.options;
        return (
          <Space>
            <span>
              {factLabel(leaf.fact, ctx)} {t('rule.in')}
            </span>
            <Select
              mode={options ? 'multiple' : 'tags'}
              style={{ minWidth: 300 }}
              value={leaf.values.map(String)}
              options={options?.map((o) => ({ value: o.value, label: pick(o.zh, o.en) }))}
              onChange={(v: string[]) => set({ ...leaf, values: v.map((x) => (/^\d+$/.test(x) && !options ? Number(x) : x)) })}
            />
          </Space>
        );
      }
      case 'typeIs':
        return (
          <Space>
            <span>
              {t('customer.type')} {t('rule.in')}
            </span>
            <Select
              mode="multiple"
              style={{ minWidth: 300 }}
              value={leaf.types}
              options={(types.data ?? []).map((x) => ({ value: x.code, label: pick(x.nameZh, x.nameEn) }))}
              onChange={(v: string[]) => set({ ...leaf, types: v })}
            />
          </Space>
        );
      default:
        return <Typography.Text type="secondary">{ruleText(leaf, ctx)}</Typography.Text>;
    }
  };

  return (
    <Modal
      open={!!criterion}
      width={720}
      title={t('target.editCriterionTitle', { code: criterion?.code ?? '' })}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'criterion-save' } as ButtonProps}
      confirmLoading={change.isPending}
      destroyOnHidden
      onCancel={onClose}
      onOk={quietly(async () => {
        const v = await form.validateFields();
        await change.mutateAsync({
          code: criterion!.code,
          effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
          nameZh: v.nameZh,
          nameEn: v.nameEn,
          active: v.active,
          rule: rule ?? undefined,
        });
        message.success(t('target.criterionSaved', { date: v.effectiveFrom.format('YYYY-MM-DD') }));
        onClose();
      })}
    >
      {row ? (
        <Form form={form} layout="vertical" preserve={false} initialValues={{ nameZh: row.nameZh, nameEn: row.nameEn, active: row.active, effectiveFrom: day0.add(1, 'day') }}>
          <Typography.Paragraph type="secondary">{t('target.editCriterionHint')}</Typography.Paragraph>
          <Form.Item name="nameZh" label={t('target.nameZh')} rules={[{ required: true, message: t('form.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('target.nameEn')} rules={[{ required: true, message: t('form.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={t('target.thresholds')}>
            <Space direction="vertical">
              {rule && (rule.kind === 'all' || rule.kind === 'any') ? <Typography.Text>{t(`rule.${rule.kind}`)}：</Typography.Text> : null}
              {rule ? leaves(rule).map((l) => <div key={l.path.join('.') || 'root'}>{leafEditor(l.path, at(rule, l.path))}</div>) : null}
            </Space>
          </Form.Item>
          <Space size="large">
            <Form.Item name="effectiveFrom" label={t('target.effectiveFrom')} rules={[{ required: true, message: t('form.required') }]}>
              <DatePicker disabledDate={(d) => d.isBefore(day0, 'day')} data-testid="criterion-effective" />
            </Form.Item>
            <Form.Item name="active" label={t('target.criterionActive')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      ) : null}
    </Modal>
  );
}
