import { App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo } from 'react';
import { type Indicator, useAddIndicatorVersion, useIndicators, useWarningSources } from '../../api/warnings';
import { beijingToday } from '../../format';
import { showSaveError } from '../../forms/serverErrors';
import { useI18n } from '../../locales';
import { inputUnitOf, parseThreshold, type ThresholdKind, type ThresholdUnit, thresholdText } from './threshold';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  source: string;
  kind: ThresholdKind;
  op?: 'gt' | 'gte' | 'lt' | 'lte';
  threshold?: string;
  windowDays?: number;
  severity: 'low' | 'medium' | 'high';
  active: boolean;
  validFrom: dayjs.Dayjs;
  reason: string;
}

/**
 * 新增指标 / 修改指标 (SPEC §12): a change to an indicator is a new version from a date after the
 * current one; warnings already raised keep the version that raised them. The threshold is typed in
 * the data item's own unit (元, 天, 次, or % for a change) and saved as the integer the rules use.
 * `editing` null is a new indicator (its code is typed once and never changes).
 */
export function IndicatorModal({ open, editing, onClose }: { open: boolean; editing: Indicator | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const sources = useWarningSources();
  const history = useIndicators(true);
  const save = useAddIndicatorVersion();
  const kind = (Form.useWatch('kind', form) ?? 'threshold') as ThresholdKind;
  const source = Form.useWatch('source', form) as string | undefined;
  const code = Form.useWatch('code', form) as string | undefined;
  const unitOf = (s: string | undefined) => (sources.data?.find((x) => x.code === s)?.unit ?? 'count') as ThresholdUnit;
  const inputUnit = inputUnitOf(kind, unitOf(source));

  // The latest version of this code (a scheduled one too): the new one must start after it.
  const latest = useMemo(() => {
    const c = editing?.code ?? code;
    return (history.data ?? []).filter((i) => i.code === c).sort((a, b) => b.version - a.version)[0];
  }, [history.data, editing, code]);
  const firstDay = useMemo(() => {
    const tomorrow = dayjs(beijingToday()).add(1, 'day');
    const after = latest ? dayjs(latest.validFrom).add(1, 'day') : tomorrow;
    return after.isAfter(tomorrow) ? after : tomorrow;
  }, [latest]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) {
      const u = unitOf(editing.source);
      form.setFieldsValue({
        code: editing.code,
        nameZh: editing.nameZh,
        nameEn: editing.nameEn,
        source: editing.source,
        kind: editing.kind,
        op: editing.op ?? undefined,
        threshold: thresholdText(editing.kind, u, editing.threshold),
        windowDays: editing.windowDays ?? undefined,
        severity: editing.severity,
        active: editing.active,
      });
    } else form.setFieldsValue({ kind: 'threshold', severity: 'medium', active: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filled once per opening, not on every keystroke
  }, [open, editing, sources.data]);

  useEffect(() => {
    if (open) form.setFieldValue('validFrom', firstDay);
  }, [open, firstDay, form]);

  const sourceOptions = (sources.data ?? [])
    .filter((s) => (kind === 'boolean' ? s.unit === 'flag' : s.unit !== 'flag'))
    .map((s) => ({ value: s.code, label: `${lang === 'en' ? s.en : s.zh}（${t(`warning.unit.${s.unit as ThresholdUnit}`)}）` }));

  const submit = async () => {
    // A field the form refuses shows its message there; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const threshold = kind === 'boolean' ? null : parseThreshold(kind, unitOf(v.source), v.threshold ?? '');
    save.mutate(
      {
        code: (editing?.code ?? v.code).trim(),
        body: {
          nameZh: v.nameZh,
          nameEn: v.nameEn,
          source: v.source,
          kind: v.kind,
          op: kind === 'boolean' ? null : (v.op ?? null),
          threshold,
          windowDays: kind === 'change' ? (v.windowDays ?? null) : null,
          severity: v.severity,
          ownerRole: editing?.ownerRole ?? 'corporate_am',
          active: v.active,
          validFrom: v.validFrom.format('YYYY-MM-DD'),
          reason: v.reason,
        },
      },
      {
        onSuccess: (saved) => {
          message.success(t('warning.indicatorSaved', { code: saved.code, version: saved.version, day: saved.validFrom }));
          onClose();
        },
        onError: (e) => showSaveError(form, e, t, (text) => void message.error(text), { codeFields: { 'WARNING.VERSION_DATE': 'validFrom', 'WARNING.BAD_RULE': 'threshold' } }),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={editing ? t('warning.editIndicator', { code: editing.code }) : t('warning.newIndicator')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('warning.saveVersion')}
      okButtonProps={{ loading: save.isPending, id: 'indicator-save' }}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{editing ? t('warning.versionHint', { version: editing.version }) : t('warning.newIndicatorHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="indicator-form" requiredMark>
        {editing ? null : (
          <Form.Item name="code" label={t('warning.code')} rules={[{ required: true, pattern: /^[A-Z][A-Z0-9]{1,15}$/, message: t('warning.codeRule') }]}>
            <Input placeholder="EW21" maxLength={16} />
          </Form.Item>
        )}
        <Form.Item name="nameZh" label={t('warning.nameZh')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('warning.nameEn')} rules={[{ required: true, whitespace: true, max: 120 }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="kind" label={t('warning.kind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            onChange={() => form.setFieldsValue({ source: undefined, threshold: undefined })}
            options={(['threshold', 'change', 'boolean'] as const).map((k) => ({ value: k, label: t(`warning.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="source" label={t('warning.source')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={sourceOptions} placeholder={t('warning.sourcePlaceholder')} data-testid="indicator-source" />
        </Form.Item>
        {kind === 'change' ? (
          <Form.Item name="windowDays" label={t('warning.windowDays')} rules={[{ required: true }]} extra={t('warning.windowDaysHint')}>
            <InputNumber min={1} max={366} precision={0} addonAfter={t('warning.unit.days')} style={{ width: 200 }} />
          </Form.Item>
        ) : null}
        {kind !== 'boolean' ? (
          <Form.Item label={t('warning.condition')} required style={{ marginBottom: 0 }}>
            <div style={{ display: 'flex', gap: 8 }}>
              <Form.Item name="op" rules={[{ required: true, message: t('warning.opRequired') }]} style={{ width: 140 }}>
                <Select options={(['gt', 'gte', 'lt', 'lte'] as const).map((o) => ({ value: o, label: t(`warning.op.${o}`) }))} data-testid="indicator-op" />
              </Form.Item>
              <Form.Item
                name="threshold"
                style={{ flex: 1 }}
                extra={kind === 'change' ? t('warning.changeHint') : undefined}
                rules={[
                  {
                    validator: (_, text: string | undefined) =>
                      parseThreshold(kind, unitOf(form.getFieldValue('source') as string | undefined), text ?? '') === null
                        ? Promise.reject(new Error(t(`warning.thresholdRule.${inputUnit ?? 'count'}`)))
                        : Promise.resolve(),
                  },
                ]}
              >
                <Input addonAfter={inputUnit ? t(`warning.inputUnit.${inputUnit}`) : undefined} data-testid="indicator-threshold" />
              </Form.Item>
            </div>
          </Form.Item>
        ) : null}
        <div style={{ display: 'flex', gap: 24 }}>
          <Form.Item name="severity" label={t('warning.severity')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={(['high', 'medium', 'low'] as const).map((s) => ({ value: s, label: t(`warning.severity.${s}`) }))} />
          </Form.Item>
          <Form.Item name="active" label={t('warning.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="validFrom" label={t('warning.validFrom')} rules={[{ required: true }]} extra={latest ? t('warning.validFromHint', { day: latest.validFrom }) : undefined}>
            <DatePicker disabledDate={(d) => d.isBefore(firstDay, 'day')} allowClear={false} />
          </Form.Item>
        </div>
        <Form.Item name="reason" label={t('warning.changeReason')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('warning.changeReasonPlaceholder')} data-testid="indicator-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
