import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Divider, Form, Input, InputNumber, Modal, Space, Switch, Typography } from 'antd';
import { type AwardRules, useSaveAwardRules } from '../../../api/assessment';
import { fenOfYuan } from '../../../components/money';
import { useI18n } from '../../../locales';
import { hundredthsText } from '../../../format';

/** "50" / "50.5" / 50.25 → 5025: any ×100 quantity typed with up to two decimals, exactly (no float maths). */
const hundredths = (v: string | number | null | undefined): number => fenOfYuan(v ?? 0) ?? 0;

interface FormValues {
  effectiveYear: number;
  kpiDeductions: { below: string; points: string; label?: string }[];
  specialAwards: { atLeast: string; amount: string; label?: string }[];
  keyProjects: { projectId: number; amount: string; label: string }[];
  outletAttribution: boolean;
}

/**
 * 编辑奖励规则 (Art. 17): tiers as percentages of quota, points and 元 typed with two decimals and
 * sent as integer basis points, hundredths and 分. The server validates and audits; the rules
 * apply from the chosen year on, to runs made after saving.
 */
export function AwardRulesEditor({ nodeId, year, rules, open, onClose }: { nodeId: number; year: number; rules: AwardRules; open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveAwardRules();
  const initial: FormValues = {
    effectiveYear: year,
    kpiDeductions: rules.kpiDeductions.map((k) => ({ below: hundredthsText(k.belowBp), points: hundredthsText(k.deductHundredths), label: k.label })),
    specialAwards: rules.specialAwards.map((a) => ({ atLeast: hundredthsText(a.atLeastBp), amount: hundredthsText(a.amountFen), label: a.label })),
    keyProjects: rules.keyProjects.map((k) => ({ projectId: k.projectId, amount: hundredthsText(k.amountFen), label: k.label })),
    outletAttribution: rules.outletAttribution,
  };
  const submit = async (v: FormValues) => {
    const body: AwardRules = {
      kpiDeductions: (v.kpiDeductions ?? []).map((k) => ({ belowBp: hundredths(k.below), deductHundredths: hundredths(k.points), ...(k.label ? { label: k.label } : {}) })),
      specialAwards: (v.specialAwards ?? []).map((a) => ({ atLeastBp: hundredths(a.atLeast), amountFen: hundredths(a.amount), ...(a.label ? { label: a.label } : {}) })),
      keyProjects: (v.keyProjects ?? []).map((k) => ({ projectId: k.projectId, amountFen: hundredths(k.amount), label: k.label })),
      outletAttribution: v.outletAttribution,
    };
    await save.mutateAsync({ nodeId, effectiveYear: v.effectiveYear, rules: body });
    message.success(t('assessment.rulesSaved'));
    onClose();
  };
  const decimalRule = { pattern: /^\d+(\.\d{1,2})?$/, message: t('assessment.rulesDecimal') };
  return (
    <Modal open={open} title={t('assessment.editRules')} width={760} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden okText={t('common.save')}>
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="award-rules-form">
        <Form.Item name="effectiveYear" label={t('assessment.rulesEffectiveYear')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <RuleList
          name="kpiDeductions"
          title={t('assessment.kpiRules')}
          addLabel={t('assessment.rulesAddTier')}
          blank={{ below: '50', points: '1.00' }}
          fields={[
            { key: 'below', label: t('assessment.rulesBelowPct'), decimal: true, suffix: '%', width: 120 },
            { key: 'points', label: t('assessment.rulesDeductPoints'), decimal: true, width: 120 },
            { key: 'label', label: t('assessment.rulesLabel'), optional: true, width: 200 },
          ]}
          decimalRule={decimalRule}
        />
        <RuleList
          name="specialAwards"
          title={t('assessment.specialRules')}
          addLabel={t('assessment.rulesAddTier')}
          blank={{ atLeast: '100', amount: '1000.00' }}
          fields={[
            { key: 'atLeast', label: t('assessment.rulesAtLeastPct'), decimal: true, suffix: '%', width: 120 },
            { key: 'amount', label: t('assessment.rulesAmountYuan'), decimal: true, width: 160 },
            { key: 'label', label: t('assessment.rulesLabel'), optional: true, width: 200 },
          ]}
          decimalRule={decimalRule}
        />
        <RuleList
          name="keyProjects"
          title={t('assessment.keyProjects')}
          addLabel={t('assessment.rulesAddProject')}
          fields={[
            { key: 'projectId', label: t('assessment.rulesProjectId'), integer: true, width: 120 },
            { key: 'label', label: t('assessment.rulesLabel'), width: 200 },
            { key: 'amount', label: t('assessment.rulesAmountYuan'), decimal: true, width: 160 },
          ]}
          decimalRule={decimalRule}
        />
        <Divider />
        <Form.Item name="outletAttribution" label={t('assessment.outletAttribution')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('assessment.rulesHint')}</Typography.Paragraph>
      </Form>
    </Modal>
  );
}

interface RuleField {
  key: string;
  label: string;
  width: number;
  /** Typed with up to two decimals (%, points, 元). */
  decimal?: boolean;
  integer?: boolean;
  optional?: boolean;
  suffix?: string;
}

/** One list of rule rows (tiers or projects): a row of fields each, a remove icon, an add button. */
function RuleList({
  name,
  title,
  addLabel,
  blank,
  fields,
  decimalRule,
}: {
  name: string;
  title: string;
  addLabel: string;
  blank?: Record<string, string>;
  fields: RuleField[];
  decimalRule: { pattern: RegExp; message: string };
}) {
  return (
    <>
      <Divider orientation="left" plain>
        {title}
      </Divider>
      <Form.List name={name}>
        {(rows, { add, remove }) => (
          <>
            {rows.map((row) => (
              <Space key={row.key} align="baseline" wrap>
                {fields.map((f) => (
                  <Form.Item key={f.key} name={[row.name, f.key]} label={f.label} rules={[...(f.optional ? [] : [{ required: true }]), ...(f.decimal ? [decimalRule] : [])]}>
                    {f.integer ? <InputNumber min={1} precision={0} style={{ width: f.width }} /> : <Input suffix={f.suffix} maxLength={f.decimal ? undefined : 40} style={{ width: f.width }} />}
                  </Form.Item>
                ))}
                <MinusCircleOutlined onClick={() => remove(row.name)} />
              </Space>
            ))}
            <div>
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(blank)}>
                {addLabel}
              </Button>
            </div>
          </>
        )}
      </Form.List>
    </>
  );
}
