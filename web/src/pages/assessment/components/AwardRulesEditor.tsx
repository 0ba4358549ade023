import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Divider, Form, Input, InputNumber, Modal, Space, Switch, Typography } from 'antd';
import { type AwardRules, useSaveAwardRules } from '../../../api/assessment';
import { fenOfYuan } from '../../../components/money';
import { useI18n } from '../../../locales';

/** "50" / "50.5" / 50.25 → 5025: any ×100 quantity typed with up to two decimals, exactly (no float maths). */
const hundredths = (v: string | number | null | undefined): number => fenOfYuan(v ?? 0) ?? 0;
/** 5025 → "50.25" for the form. */
const decimal = (h: number): string => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;

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
    kpiDeductions: rules.kpiDeductions.map((k) => ({ below: decimal(k.belowBp), points: decimal(k.deductHundredths), label: k.label })),
    specialAwards: rules.specialAwards.map((a) => ({ atLeast: decimal(a.atLeastBp), amount: decimal(a.amountFen), label: a.label })),
    keyProjects: rules.keyProjects.map((k) => ({ projectId: k.projectId, amount: decimal(k.amountFen), label: k.label })),
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
        <Divider orientation="left" plain>
          {t('assessment.kpiRules')}
        </Divider>
        <Form.List name="kpiDeductions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'below']} label={t('assessment.rulesBelowPct')} rules={[{ required: true }, decimalRule]}>
                    <Input suffix="%" style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'points']} label={t('assessment.rulesDeductPoints')} rules={[{ required: true }, decimalRule]}>
                    <Input style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'label']} label={t('assessment.rulesLabel')}>
                    <Input maxLength={40} style={{ width: 200 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <div>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ below: '50', points: '1.00' })}>
                  {t('assessment.rulesAddTier')}
                </Button>
              </div>
            </>
          )}
        </Form.List>
        <Divider orientation="left" plain>
          {t('assessment.specialRules')}
        </Divider>
        <Form.List name="specialAwards">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'atLeast']} label={t('assessment.rulesAtLeastPct')} rules={[{ required: true }, decimalRule]}>
                    <Input suffix="%" style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amount']} label={t('assessment.rulesAmountYuan')} rules={[{ required: true }, decimalRule]}>
                    <Input style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'label']} label={t('assessment.rulesLabel')}>
                    <Input maxLength={40} style={{ width: 200 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <div>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ atLeast: '100', amount: '1000.00' })}>
                  {t('assessment.rulesAddTier')}
                </Button>
              </div>
            </>
          )}
        </Form.List>
        <Divider orientation="left" plain>
          {t('assessment.keyProjects')}
        </Divider>
        <Form.List name="keyProjects">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'projectId']} label={t('assessment.rulesProjectId')} rules={[{ required: true }]}>
                    <InputNumber min={1} precision={0} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'label']} label={t('assessment.rulesLabel')} rules={[{ required: true }]}>
                    <Input maxLength={40} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amount']} label={t('assessment.rulesAmountYuan')} rules={[{ required: true }, decimalRule]}>
                    <Input style={{ width: 160 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <div>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                  {t('assessment.rulesAddProject')}
                </Button>
              </div>
            </>
          )}
        </Form.List>
        <Divider />
        <Form.Item name="outletAttribution" label={t('assessment.outletAttribution')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('assessment.rulesHint')}</Typography.Paragraph>
      </Form>
    </Modal>
  );
}
