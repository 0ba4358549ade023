import { App, Button, Card, Checkbox, Descriptions, Form, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { type EscalationStep, useEscalationSteps, useSetEscalationSteps } from '../../api/warnings';
import { showSaveError } from '../../forms/serverErrors';
import { useI18n } from '../../locales';

interface Values {
  days1: number;
  target1: EscalationStep['target'];
  second: boolean;
  days2?: number;
  target2?: EscalationStep['target'];
}

/**
 * 升级规则 (SPEC §12: 3 天未办结升级至支行, 7 天升级至分行): the steps in force, and for a bank-wide
 * configurer a form to change them. The server keeps each change in the audit log with before and
 * after, and refuses days that do not grow level by level.
 */
export function EscalationCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const steps = useEscalationSteps();
  const save = useSetEscalationSteps();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const second = Form.useWatch('second', form) as boolean | undefined;
  const list = [...(steps.data ?? [])].sort((a, b) => a.level - b.level);

  const edit = () => {
    const [a, b] = list;
    form.setFieldsValue({ days1: a?.afterDays ?? 3, target1: a?.target ?? 'subbranch', second: !!b, days2: b?.afterDays ?? 7, target2: b?.target ?? 'branch' });
    setOpen(true);
  };
  const submit = async () => {
    // A field the form refuses shows its message there; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const items: EscalationStep[] = [{ level: 1, afterDays: v.days1, target: v.target1 }];
    if (v.second) items.push({ level: 2, afterDays: v.days2!, target: v.target2! });
    save.mutate(items, {
      onSuccess: () => {
        message.success(t('warning.done'));
        setOpen(false);
      },
      onError: (e) => showSaveError(form, e, t, (text) => void message.error(text), { codeFields: { 'WARNING.BAD_STEPS': 'days2' } }),
    });
  };
  const targets = (['subbranch', 'branch'] as const).map((x) => ({ value: x, label: t(`warning.target.${x}`) }));

  return (
    <Card
      size="small"
      title={t('warning.escalationRules')}
      extra={
        canEdit ? (
          <Button size="small" onClick={edit} data-testid="escalation-edit">
            {t('common.edit')}
          </Button>
        ) : null
      }
      data-testid="escalation-card"
    >
      <Descriptions size="small" column={1}>
        {list.map((s) => (
          <Descriptions.Item key={s.level} label={t('warning.level', { level: s.level })}>
            {t('warning.stepText', { days: s.afterDays, target: t(`warning.target.${s.target}`) })}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {list.length === 0 && !steps.isLoading ? <Typography.Text type="secondary">{t('warning.noEscalation')}</Typography.Text> : null}
      <Modal open={open} title={t('warning.escalationRules')} onCancel={() => setOpen(false)} onOk={() => void submit()} okButtonProps={{ loading: save.isPending, id: 'escalation-save' }}>
        <Form form={form} layout="vertical" data-testid="escalation-form">
          <Form.Item label={t('warning.level', { level: 1 })} required>
            <Space>
              <Form.Item name="days1" noStyle rules={[{ required: true }]}>
                <InputNumber min={1} max={365} precision={0} addonAfter={t('warning.daysOpen')} />
              </Form.Item>
              <Form.Item name="target1" noStyle>
                <Select options={targets} style={{ width: 140 }} />
              </Form.Item>
            </Space>
          </Form.Item>
          <Form.Item name="second" valuePropName="checked">
            <Checkbox>{t('warning.secondStep')}</Checkbox>
          </Form.Item>
          {second ? (
            <Form.Item label={t('warning.level', { level: 2 })} required>
              <Space>
                <Form.Item
                  name="days2"
                  noStyle
                  rules={[
                    { required: true },
                    {
                      validator: (_, d: number | undefined) =>
                        d !== undefined && d <= (form.getFieldValue('days1') as number) ? Promise.reject(new Error(t('warning.stepsGrow'))) : Promise.resolve(),
                    },
                  ]}
                >
                  <InputNumber min={1} max={365} precision={0} addonAfter={t('warning.daysOpen')} data-testid="escalation-days2" />
                </Form.Item>
                <Form.Item name="target2" noStyle>
                  <Select options={targets} style={{ width: 140 }} />
                </Form.Item>
              </Space>
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </Card>
  );
}
