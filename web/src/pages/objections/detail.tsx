import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Alert, App, Button, Checkbox, Descriptions, Form, Input, Radio, Result, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import {
  type AnswerBody,
  type CorrectionBody,
  formatParticipantsCell,
  formatPeopleCell,
  formatQuantity1e4,
  type Objection,
  OBJECTION_STATUS_COLORS,
  type ObjectionCorrection,
  useAnswerObjection,
  useObjection,
} from '../../api/objections';
import { useSale } from '../../api/sales';
import { useDrillDown, useSaleSplit } from '../../api/statements';
import { accessOf } from '../../access';
import { fmtBeijing, hundredthsText } from '../../format';
import { applyServerErrors } from '../../forms/serverErrors';
import { previewCorrection, usePickDepartments } from '../../api/salesForm';
import { SaleForm } from '../sales/components/SaleForm';
import { CorrectionTable } from '../sales/components/SalePreviewPanel';
import { correctionOf, type SaleFormValues } from '../sales/components/saleFormValues';
import { quietly } from '../../components/quietly';
import { useI18n } from '../../locales';
import { monthText } from '../../components/month';
import { SaleSplitView } from '../sales/components/SaleSplitView';
import { ObjectionTargetText } from './components/ObjectionTargetText';

/** 异议详情: the line, the reason, the answer; the answer form for the committee office; the correction's trace. */
export default function ObjectionPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const params = useParams();
  const id = Number(params.id) || undefined;
  const { data: me } = useMe();
  const access = accessOf(me);
  const objection = useObjection(id);

  if (objection.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  const o = objection.data;
  if (!o) {
    const err = objection.error as { status?: number; message?: string } | null;
    return <Result status={err?.status === 403 ? '403' : '404'} title={err?.status === 403 ? '403' : '404'} subTitle={err?.message ?? t('common.notFound')} />;
  }
  const canAnswer = access.canAnswerObjection && o.status === 'open' && o.raisedBy?.id !== me?.staffId;

  return (
    <PageContainer
      title={<span data-testid="objection-title">{t('objection.detailTitle', { id: o.id })}</span>}
      tags={[
        <Tag key="s" color={OBJECTION_STATUS_COLORS[o.status]} data-testid="objection-status">
          {t(`objection.status.${o.status}`)}
        </Tag>,
      ]}
      onBack={() => navigate(-1)}
    >
      <ProCard title={t('objection.facts')} bordered headerBordered style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small" data-testid="objection-facts">
          <Descriptions.Item label={t('statement.branch')}>
            <Space size={12}>
              <Link to={`/periods/${o.nodeId}/${o.month}`}>{`${o.nodeName}${monthText(t, o.month)}`}</Link>
              <Link to={`/periods/${o.nodeId}/${o.month}/notice`}>{t('period.viewNotice')}</Link>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('objection.target')}>
            <ObjectionTargetText objection={o} />
          </Descriptions.Item>
          <Descriptions.Item label={t('objection.raisedBy')}>{o.raisedBy?.name ?? '-'}</Descriptions.Item>
          <Descriptions.Item label={t('objection.raisedAt')}>{fmtBeijing(o.raisedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('objection.assignedTo')}>{o.assignedDepartment?.name ?? '-'}</Descriptions.Item>
          <Descriptions.Item label={t('common.status')}>
            <Tag color={OBJECTION_STATUS_COLORS[o.status]}>{t(`objection.status.${o.status}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('objection.reason')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="objection-reason-text">
              {o.reason}
            </Typography.Paragraph>
          </Descriptions.Item>
          {o.status !== 'open' ? (
            <>
              <Descriptions.Item label={t('objection.answer')} span={2}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="objection-answer-text">
                  {o.answer}
                </Typography.Paragraph>
              </Descriptions.Item>
              <Descriptions.Item label={t('objection.answeredBy')}>{o.answeredBy?.name ?? '-'}</Descriptions.Item>
              <Descriptions.Item label={t('objection.answeredAt')}>{fmtBeijing(o.answeredAt)}</Descriptions.Item>
            </>
          ) : null}
        </Descriptions>
      </ProCard>
      {o.status === 'open' && !canAnswer ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={access.canAnswerObjection && o.raisedBy?.id === me?.staffId ? t('objection.ownHint') : t('objection.waitingHint')} />
      ) : null}
      {canAnswer ? <AnswerForm objection={o} /> : null}
      {o.correction ? <CorrectionTrace correction={o.correction} /> : null}
    </PageContainer>
  );
}

interface AnswerValues {
  decision?: 'upheld' | 'dismissed';
  answer: string;
  correct?: boolean;
  saleId?: number;
}

/**
 * 答复: upheld or dismissed with the reason. An upheld one may correct a sale of the line in the
 * one-sale form, prefilled from the sale (issue 12), and asks for confirmation with the before and
 * after points of every department and person (/api/sales/:id/correction-preview).
 */
function AnswerForm({ objection: o }: { objection: Objection }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const answer = useAnswerObjection();
  const [form] = Form.useForm<AnswerValues>();
  const [saleForm] = Form.useForm<SaleFormValues>();
  const decision = Form.useWatch('decision', form);
  const correct = Form.useWatch('correct', form);
  const saleId = Form.useWatch('saleId', form);
  const depts = usePickDepartments();

  // The sales of the objected line, to pick the one to correct.
  const drill = useDrillDown(
    o.nodeId,
    o.month,
    o.targetKind === 'department' && o.department ? { departmentId: o.department.id } : o.targetKind === 'person' && o.person ? { staffId: o.person.id } : {},
  );
  const sale = useSale(correct ? saleId : undefined);
  useEffect(() => {
    if (o.sale && form.getFieldValue('saleId') === undefined) form.setFieldValue('saleId', o.sale.id);
  }, [o.sale, form]);

  const send = async (body: AnswerBody) => {
    await answer.mutateAsync({ id: o.id, body });
    message.success(t('objection.answered'));
  };

  const submit = quietly(async () => {
    const v = await form.validateFields();
    const body: AnswerBody = { decision: v.decision!, answer: v.answer.trim() };
    if (v.decision !== 'upheld' || !v.correct) return send(body);
    if (!sale.data) return;
    const values = await saleForm.validateFields();
    const c = correctionOf(values, sale.data, new Map((depts.data ?? []).map((d) => [d.id, d])));
    if (!c) {
      message.warning(t('saleForm.correctionEmpty'));
      return;
    }
    let preview;
    try {
      preview = await previewCorrection(sale.data.id, c);
    } catch (e) {
      applyServerErrors(saleForm, e, t, { fieldOf: (path) => (path.length > 2 ? path : [`${String(path[0])}Check`]) });
      throw e;
    }
    // correctionOf gives the quantity as the text typed (a string), as CorrectionBody takes it.
    body.correction = { saleId: sale.data.id, ...c } as CorrectionBody;
    modal.confirm({
      title: t('saleForm.confirmTitle'),
      width: 640,
      okText: t('saleForm.confirmOk'),
      content: (
        <div data-testid="correction-confirm">
          <Typography.Paragraph>{t('saleForm.confirmTotal', { before: hundredthsText(preview.before.totalHundredths), after: hundredthsText(preview.after.totalHundredths) })}</Typography.Paragraph>
          <CorrectionTable data={preview} />
        </div>
      ),
      onOk: () => send(body),
    });
  });

  return (
    <ProCard title={t('objection.answerTitle')} bordered headerBordered style={{ marginBottom: 16 }} data-testid="objection-answer-form">
      <Form form={form} layout="vertical" style={{ maxWidth: 920 }}>
        <Form.Item name="decision" label={t('objection.decision')} rules={[{ required: true, message: t('objection.decisionRequired') }]}>
          <Radio.Group data-testid="objection-decision">
            <Radio value="upheld" data-testid="decision-upheld">
              {t('objection.status.upheld')}
            </Radio>
            <Radio value="dismissed" data-testid="decision-dismissed">
              {t('objection.status.dismissed')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="answer" label={t('objection.answerReason')} rules={[{ required: true, whitespace: true, message: t('objection.answerRequired') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount data-testid="objection-answer" />
        </Form.Item>
        {decision === 'upheld' ? (
          <Form.Item name="correct" valuePropName="checked">
            <Checkbox data-testid="objection-correct">{t('objection.correctSale')}</Checkbox>
          </Form.Item>
        ) : null}
        {decision === 'upheld' && correct ? (
          <div data-testid="objection-correction">
            <Form.Item name="saleId" label={t('objection.correctionSale')} rules={[{ required: true, message: t('objection.saleRequired') }]}>
              {o.sale ? (
                <Select disabled options={[{ value: o.sale.id, label: `${o.sale.sourceId} · ${o.sale.saleDate}` }]} />
              ) : (
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={drill.isLoading}
                  placeholder={t('objection.salePlaceholder')}
                  data-testid="objection-sale-select"
                  options={(drill.data ?? []).map((s) => ({
                    value: s.id,
                    label: `${s.sourceId} · ${s.product.name} · ${s.saleDate} · ${s.quantity} ${s.product.unit} · ${s.total.points}`,
                  }))}
                />
              )}
            </Form.Item>
          </div>
        ) : null}
      </Form>
      {decision === 'upheld' && correct && saleId ? sale.data ? <SaleForm key={sale.data.id} mode="correction" form={saleForm} sale={sale.data} /> : <Spin /> : null}
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" onClick={submit} loading={answer.isPending} data-testid="objection-answer-submit">
          {t('objection.answerSubmit')}
        </Button>
      </Space>
    </ProCard>
  );
}

/** The correction an upheld objection carried: before / after, the ledger's reversal and new entries. */
function CorrectionTrace({ correction: c }: { correction: ObjectionCorrection }) {
  const { t } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const split = useSaleSplit(c.saleId, access.canReadStatements);
  const rows = [
    { key: 'quantity', label: t('sale.quantity'), before: formatQuantity1e4(c.before.quantity1e4), after: formatQuantity1e4(c.after.quantity1e4) },
    { key: 'departments', label: t('objection.participants'), before: formatParticipantsCell(c.before.departments), after: formatParticipantsCell(c.after.departments) },
    { key: 'people', label: t('sale.people'), before: formatPeopleCell(c.before.people), after: formatPeopleCell(c.after.people) },
  ];
  const ledger = c.ledger;
  return (
    <ProCard
      title={t('objection.traceTitle')}
      bordered
      headerBordered
      data-testid="objection-trace"
      extra={
        access.canReadSales ? (
          <Link to={`/sales/${c.saleId}`} data-testid="objection-sale-link">
            {t('objection.viewSale')}
          </Link>
        ) : null
      }
    >
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        onRow={(r) => ({ style: r.before !== r.after ? { background: '#fffbe6' } : undefined })}
        columns={[
          { title: t('objection.field'), dataIndex: 'label', width: 140 },
          { title: t('objection.before'), dataIndex: 'before', render: (v: string) => <Typography.Text delete={false}>{v || '-'}</Typography.Text> },
          { title: t('objection.after'), dataIndex: 'after', render: (v: string, r) => <Typography.Text strong={r.before !== v}>{v || '-'}</Typography.Text> },
        ]}
      />
      {ledger && typeof ledger.reversed === 'number' ? (
        <Alert style={{ marginTop: 16 }} type="warning" showIcon data-testid="objection-ledger" message={t('objection.ledgerCounts', { reversed: ledger.reversed, written: ledger.written ?? 0 })} />
      ) : null}
      {access.canReadStatements && split.data ? (
        <div style={{ marginTop: 16 }}>
          <SaleSplitView split={split.data} entries={split.data.entries} />
        </div>
      ) : null}
    </ProCard>
  );
}
