import { Button, Card, Checkbox, Form, Input, Radio, Result, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { type SurveyQuestion, type SurveySubmit, usePublicSurvey, useSubmitSurvey } from '../../api/surveys';
import { useI18n } from '../../locales';

type Values = Record<string, unknown> & { consent?: boolean; name?: string; phone?: string };

/**
 * 金融需求调查表 on a phone (issue 13): opened from a QR code or link, no login. Shows only the
 * person's own name and the questions; a used, expired or unknown link is refused with its reason.
 */
export default function SurveyPage() {
  const { t, pick } = useI18n();
  const token = useParams().token ?? '';
  const s = usePublicSurvey(token);
  const submit = useSubmitSurvey(token);
  const [form] = Form.useForm<Values>();
  const [refused, setRefused] = useState<string | null>(null);
  const loanIntent = Form.useWatch('loanIntent', form);
  const wrap = (node: React.ReactNode) => (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: '16px 12px 32px' }} data-testid="survey-page">
      {node}
    </div>
  );
  if (s.isLoading) return wrap(<Spin size="large" style={{ display: 'block', margin: 48 }} />);
  if (s.error || !s.data) return wrap(<Result status="warning" title={t('survey.refused')} subTitle={<span data-testid="survey-error">{s.error instanceof Error ? s.error.message : ''}</span>} />);
  if (submit.isSuccess) return wrap(<Result status="success" title={<span data-testid="survey-done">{t('survey.thanks')}</span>} subTitle={t('survey.thanksHint')} />);
  if (refused) return wrap(<Result status="warning" title={t('survey.refused')} subTitle={<span data-testid="survey-error">{refused}</span>} />);
  const d = s.data;
  const shown = (q: SurveyQuestion) => !q.unless || loanIntent !== q.unless.value;
  const send = async () => {
    const v = await form.validateFields();
    const body: SurveySubmit = {
      answers: {
        interests: (v.interests as SurveySubmit['answers']['interests']) ?? [],
        loanIntent: v.loanIntent as SurveySubmit['answers']['loanIntent'],
        loanHorizon: v.loanIntent === 'none' ? null : ((v.loanHorizon as SurveySubmit['answers']['loanHorizon']) ?? null),
        investBand: v.investBand as SurveySubmit['answers']['investBand'],
        contactTime: v.contactTime as SurveySubmit['answers']['contactTime'],
        note: typeof v.note === 'string' && v.note.trim() ? v.note.trim() : null,
      },
      consent: Boolean(v.consent),
      ...(d.kind === 'generic' ? { name: v.name, phone: v.phone } : {}),
    };
    try {
      await submit.mutateAsync(body);
    } catch (e) {
      if (e instanceof ApiError && [404, 409, 410].includes(e.status)) setRefused(e.message);
    }
  };
  return wrap(
    <>
      <Typography.Title level={4} style={{ textAlign: 'center', marginBottom: 4 }}>
        {t('survey.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        {d.bankName} · {d.activityTitle}
      </Typography.Paragraph>
      {d.personName ? (
        <Typography.Paragraph data-testid="survey-hello">{t('survey.hello', { name: d.personName })}</Typography.Paragraph>
      ) : (
        <Typography.Paragraph>{t('survey.walkInHello')}</Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" initialValues={{ interests: [], consent: true }} requiredMark={false}>
        {d.kind === 'generic' ? (
          <Card size="small" style={{ marginBottom: 12 }}>
            <Form.Item name="name" label={t('survey.name')} rules={[{ required: true, whitespace: true, max: 40, message: t('survey.nameRequired') }]}>
              <Input size="large" autoComplete="name" data-testid="survey-name" />
            </Form.Item>
            <Form.Item name="phone" label={t('survey.phone')} rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t('survey.phoneRequired') }]}>
              <Input size="large" inputMode="tel" maxLength={11} autoComplete="tel" data-testid="survey-phone" />
            </Form.Item>
          </Card>
        ) : null}
        {d.questions.filter(shown).map((q) => (
          <Card size="small" key={q.key} style={{ marginBottom: 12 }}>
            <Form.Item name={q.key} label={<b>{pick(q.zh, q.en)}</b>} rules={q.required ? [{ required: true, message: t('survey.pick') }] : []} style={{ marginBottom: 0 }}>
              {q.kind === 'multi' ? (
                <Checkbox.Group data-testid={`survey-q-${q.key}`}>
                  <Space direction="vertical">
                    {q.options.map((o) => (
                      <Checkbox key={o.value} value={o.value}>
                        {pick(o.zh, o.en)}
                      </Checkbox>
                    ))}
                  </Space>
                </Checkbox.Group>
              ) : q.kind === 'single' ? (
                <Radio.Group data-testid={`survey-q-${q.key}`}>
                  <Space direction="vertical">
                    {q.options.map((o) => (
                      <Radio key={o.value} value={o.value}>
                        {pick(o.zh, o.en)}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              ) : (
                <Input.TextArea rows={3} maxLength={200} showCount data-testid={`survey-q-${q.key}`} />
              )}
            </Form.Item>
          </Card>
        ))}
        <Form.Item name="consent" valuePropName="checked">
          <Checkbox data-testid="survey-consent">{t('survey.consent')}</Checkbox>
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('survey.privacy')}
        </Typography.Paragraph>
        <Button type="primary" size="large" block loading={submit.isPending} onClick={() => void send().catch(() => undefined)} data-testid="survey-submit">
          {t('survey.submit')}
        </Button>
        {submit.error && !refused ? (
          <Typography.Paragraph type="danger" style={{ marginTop: 8 }}>
            {submit.error.message}
          </Typography.Paragraph>
        ) : null}
      </Form>
    </>,
  );
}
