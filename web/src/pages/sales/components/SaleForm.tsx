import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, DatePicker, Form, type FormInstance, Input, Row, Segmented, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useProductOptions } from '../../../api/products';
import type { Sale } from '../../../api/sales';
import { useDevelopmentOptions } from '../../../api/sales';
import { type PickClient, type PickStaff, pickClients, pickStaff, previewCorrection, previewSale, recordSale, usePickDepartments } from '../../../api/salesForm';
import { ApiError } from '../../../api/client';
import { beijingToday } from '../../../format';
import { normalizeCode, normalizeNumber } from '../../../forms/normalize';
import { applyServerErrors } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';
import { SalePreviewPanel, type PreviewState } from './SalePreviewPanel';
import { debounce } from '../../../forms/debounce';
import { correctionOf, quantityInRange, type RatioKind, ratioCheck, saleBodyOf, type SaleFormValues, valuesOfSale, WEIGHT_PATTERN } from './saleFormValues';

const ROLES = ['营销人员', '介绍人', '产品经理', '客户经理'];

/** A fresh 交易流水号 for a sale recorded by hand: WEB-20261205-X7K2Q9. */
export const newSourceId = () => `WEB-${beijingToday().replace(/-/g, '')}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

/** Server field paths → the form's names: the client is one field, lists are checked as a whole. */
const fieldOf = (path: (string | number)[]) => {
  const [top] = path;
  if (top === 'personId' || top === 'companyId' || top === 'idNumber' || top === 'uscc') return ['client'];
  if (top === 'branchCode') return ['nodeId'];
  if (top === 'departments' || top === 'people') return path.length > 2 ? path : [`${top}Check`];
  return path;
};

export interface SaleFormProps {
  /** record: 登记销售; correction: an objection's answer corrects the recorded sale (quantity, departments, people). */
  mode: 'record' | 'correction';
  form: FormInstance<SaleFormValues>;
  /** The recorded sale (correction mode). */
  sale?: Sale;
  onSaved?: (saleId: number) => void;
}

/**
 * One cross-sale in a form (issue 12): product, client (name / USCC / ID suffix), date, quantity,
 * participating departments and people from pickers, ratios with a live 100 % check and a live
 * preview of the split — computed by the server exactly as saving would. Corrections use the same
 * form, prefilled, with before/after points.
 */
export function SaleForm({ mode, form, sale, onSaved }: SaleFormProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const correcting = mode === 'correction';
  const products = useProductOptions();
  const depts = usePickDepartments();
  const deptById = useMemo(() => new Map((depts.data ?? []).map((d) => [d.id, d])), [depts.data]);
  const branches = useMemo(() => [...new Map((depts.data ?? []).map((d) => [d.nodeId, { value: d.nodeId, label: d.nodeName }])).values()], [depts.data]);
  const values = Form.useWatch([], form) as SaleFormValues | undefined;
  const nodeId = Form.useWatch('nodeId', form);
  const productCode = Form.useWatch('productCode', form);
  const product = (products.data ?? []).find((p) => p.code === productCode);
  const developments = useDevelopmentOptions(product?.mortgage ? nodeId : undefined);
  const branchDepts = (depts.data ?? []).filter((d) => d.nodeId === nodeId);
  const host = branchDepts.find((d) => d.code.toUpperCase() === product?.hostDepartmentCode.toUpperCase());
  const [preview, setPreview] = useState<PreviewState>({ kind: 'idle' });
  const [saving, setSaving] = useState(false);
  const [clients, setClients] = useState<PickClient[]>([]);
  const [staff, setStaff] = useState<Map<string, PickStaff>>(new Map());

  // Start values: a fresh sale in the person's branch, or the recorded sale.
  useEffect(() => {
    if (correcting && sale) {
      form.setFieldsValue({ ...valuesOfSale(sale), saleDate: dayjs(sale.saleDate) });
      setClients(
        sale.personId
          ? [{ kind: 'individual', id: sale.personId, name: sale.personName ?? '', code: sale.personIdNumber ?? '', nodeName: '' }]
          : sale.companyId
            ? [{ kind: 'company', id: sale.companyId, name: sale.companyName ?? '', code: sale.companyUscc ?? '', nodeName: '' }]
            : [],
      );
      setStaff(
        new Map(
          sale.people.map((p) => [
            p.staffNo,
            { id: p.staffId, staffNo: p.staffNo, name: p.name, departmentId: p.departmentId, departmentCode: p.departmentCode, departmentName: p.departmentName, nodeName: '' },
          ]),
        ),
      );
    } else if (!correcting && form.getFieldValue('sourceId') === undefined) {
      form.setFieldsValue({ sourceId: newSourceId(), saleDate: dayjs(beijingToday()), departments: [{}], people: [{}] });
    }
  }, [correcting, sale, form]);
  useEffect(() => {
    if (!correcting && form.getFieldValue('nodeId') === undefined && branches.length) form.setFieldValue('nodeId', branches[0].value);
  }, [branches, correcting, form]);

  // The live preview: debounced, the latest answer wins.
  const seq = useRef(0);
  const key = JSON.stringify(values ?? {});
  useEffect(() => {
    const v = values ?? {};
    const id = ++seq.current;
    const timer = setTimeout(async () => {
      try {
        if (correcting) {
          if (!sale) return;
          const body = correctionOf(v, sale, deptById);
          if (!body) return setPreview({ kind: 'idle', hint: t('saleForm.previewUnchanged') });
          setPreview((p) => ({ ...p, loading: true }));
          const r = await previewCorrection(sale.id, body);
          if (id === seq.current) setPreview({ kind: 'correction', data: r });
        } else {
          const body = saleBodyOf(v, deptById);
          if (!body) return setPreview({ kind: 'idle', hint: t('saleForm.previewNeeds') });
          setPreview((p) => ({ ...p, loading: true }));
          const r = await previewSale(body);
          if (id === seq.current) setPreview({ kind: 'sale', data: r });
        }
      } catch (e) {
        if (id === seq.current) setPreview({ kind: 'error', messages: errorLines(e) });
      }
    }, 450);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the values
  }, [key, correcting, sale, deptById]);

  const save = async () => {
    const v = await form.validateFields();
    const body = saleBodyOf(v, deptById);
    if (!body) return;
    setSaving(true);
    try {
      const r = await recordSale(body);
      message.success(r.status === 'duplicate' ? t('saleForm.duplicate', { id: r.sourceId }) : t('saleForm.saved', { id: r.sourceId }));
      onSaved?.(r.saleId);
    } catch (e) {
      const unplaced = applyServerErrors(form, e, t, { fieldOf });
      if (unplaced.length || !(e instanceof ApiError) || !Array.isArray(e.details)) message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const ratioKind: RatioKind = values?.ratioKind ?? 'percent';
  const contributionKind: RatioKind = values?.contributionKind ?? 'percent';
  const ratios = ratioCheck(values?.departments, ratioKind);
  const kindOptions = [
    { value: 'percent', label: t('saleForm.kindPercent') },
    { value: 'weight', label: t('saleForm.kindWeight') },
  ];
  /** The rule and look of one share input: a percentage (two decimals, %) or an integer weight. */
  const shareInput = (kind: RatioKind) =>
    kind === 'weight'
      ? { rule: { pattern: WEIGHT_PATTERN, message: t('saleForm.weightPattern') }, suffix: t('saleForm.weightUnit'), placeholder: t('saleForm.weightPlaceholder') }
      : { rule: { pattern: /^\d{1,3}(\.\d{1,2})?$/, message: t('saleForm.ratioPattern') }, suffix: '%', placeholder: t('saleForm.ratioPlaceholder') };
  const ratioShare = shareInput(ratioKind);
  const contributionShare = shareInput(contributionKind);
  const ratioText = () => {
    if (ratios.ok) return ratioKind === 'weight' ? t('saleForm.weightOk', { ratio: (values?.departments ?? []).map((d) => d?.ratio?.trim()).join(':') }) : t('saleForm.ratioOk');
    if (ratioKind === 'weight') return Number.isNaN(ratios.sum) ? t('saleForm.weightPattern') : t('saleForm.weightBad');
    return Number.isNaN(ratios.sum) ? t('saleForm.ratioPattern') : t('saleForm.ratioSum', { sum: ratios.sum / 100 });
  };
  const saleDepts = [host, ...(values?.departments ?? []).map((d) => (d?.departmentId ? deptById.get(d.departmentId) : undefined))].filter((d): d is NonNullable<typeof d> => !!d);
  const searchClients = useMemo(() => debounce(async (q: string) => setClients(q.trim() ? await pickClients(q) : []), 300), []);
  const searchStaff = useMemo(
    () =>
      debounce(async (q: string) => {
        const list = await pickStaff(q, nodeId);
        setStaff((m) => new Map([...m, ...list.map((s) => [s.staffNo, s] as const)]));
      }, 300),
    [nodeId],
  );

  return (
    <Form form={form} layout="vertical" data-testid={`sale-form-${mode}`} scrollToFirstError={{ block: 'center' }}>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="sourceId" label={t('sale.sourceId')} normalize={normalizeCode} rules={[{ required: true, message: t('forms.required') }]}>
            <Input disabled={correcting} maxLength={64} data-testid="sale-form-source" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="productCode" label={t('sale.product')} rules={[{ required: true, message: t('saleForm.productRequired') }]}>
            <Select
              disabled={correcting}
              showSearch
              optionFilterProp="label"
              loading={products.isLoading}
              data-testid="sale-form-product"
              options={(products.data ?? []).filter((p) => p.active || p.code === productCode).map((p) => ({ value: p.code, label: `${p.code} ${p.name}` }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="nodeId" label={t('sale.node')} rules={[{ required: true, message: t('forms.required') }]}>
            <Select disabled={correcting || branches.length < 2} options={correcting && sale ? [{ value: sale.nodeId, label: sale.nodeName }] : branches} data-testid="sale-form-branch" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="client" label={t('sale.client')} extra={correcting ? undefined : t('saleForm.clientHint')} rules={[{ required: true, message: t('saleForm.clientRequired') }]}>
            <Select
              disabled={correcting}
              showSearch
              filterOption={false}
              onSearch={searchClients}
              placeholder={t('saleForm.clientPlaceholder')}
              notFoundContent={null}
              data-testid="sale-form-client"
              options={clients.map((c) => ({ value: `${c.kind}:${c.id}`, label: `${c.name} · ${c.code}${c.kind === 'company' ? ` · ${t('sale.company')}` : ''}` }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="saleDate" label={t('saleForm.saleDate')} rules={[{ required: true, message: t('forms.required') }]}>
            <DatePicker disabled={correcting} style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > beijingToday()} data-testid="sale-form-date" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name="quantity"
            label={t('sale.quantity')}
            normalize={normalizeNumber}
            rules={[
              { required: true, message: t('forms.required') },
              { pattern: /^\d{1,9}(\.\d{1,4})?$/, message: t('saleForm.quantityPattern') },
              { validator: async (_, v?: string) => (v && !quantityInRange(v) ? Promise.reject(new Error(t('saleForm.quantityPattern'))) : undefined) },
            ]}
          >
            <Input suffix={product?.unit} inputMode="decimal" data-testid="sale-form-quantity" />
          </Form.Item>
        </Col>
        {product?.mortgage ? (
          <Col xs={24} md={12}>
            <Form.Item name="developmentCode" label={t('sale.development')} rules={[{ required: true, message: t('saleForm.developmentRequired') }]}>
              <Select disabled={correcting} showSearch optionFilterProp="label" options={(developments.data ?? []).map((d) => ({ value: d.code, label: `${d.code} ${d.name}` }))} />
            </Form.Item>
          </Col>
        ) : null}
      </Row>

      <Typography.Text type="secondary">{host ? t('saleForm.host', { name: host.name }) : t('saleForm.hostUnknown')}</Typography.Text>
      <Form.Item name="departmentsCheck" label={t('sale.participants')} style={{ marginTop: 8, marginBottom: 0 }} extra={ratioKind === 'weight' ? t('saleForm.weightHint') : t('saleForm.ratioHint')}>
        <span />
      </Form.Item>
      <Form.Item name="ratioKind" label={t('saleForm.ratioKind')} initialValue="percent" style={{ marginBottom: 8 }}>
        <Segmented options={kindOptions} data-testid="sale-form-ratio-kind" />
      </Form.Item>
      <Form.List name="departments">
        {(fields, { add, remove }) => (
          <div data-testid="sale-form-departments">
            {fields.map((f) => (
              <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                <Form.Item name={[f.name, 'departmentId']} rules={[{ required: true, message: t('saleForm.departmentRequired') }]}>
                  <Select
                    style={{ width: 220 }}
                    showSearch
                    optionFilterProp="label"
                    placeholder={t('saleForm.departmentPlaceholder')}
                    options={branchDepts.filter((d) => d.id !== host?.id).map((d) => ({ value: d.id, label: `${d.name}（${d.code}）` }))}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'ratio']} normalize={normalizeNumber} rules={[ratioShare.rule]}>
                  <Input style={{ width: 110 }} suffix={ratioShare.suffix} placeholder={ratioShare.placeholder} data-testid="sale-form-ratio" />
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
              </Space>
            ))}
            <Space style={{ marginBottom: 16 }}>
              <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="sale-form-add-department">
                {t('saleForm.addDepartment')}
              </Button>
              {ratios.given > 0 ? (
                <Typography.Text type={ratios.ok ? 'success' : 'danger'} data-testid="sale-form-ratio-sum">
                  {ratioText()}
                </Typography.Text>
              ) : null}
            </Space>
          </div>
        )}
      </Form.List>

      <Form.Item name="peopleCheck" label={t('sale.people')} style={{ marginBottom: 0 }} extra={t('saleForm.peopleHint')}>
        <span />
      </Form.Item>
      <Form.Item name="contributionKind" label={t('saleForm.contributionKind')} initialValue="percent" style={{ marginBottom: 8 }}>
        <Segmented options={kindOptions} data-testid="sale-form-contribution-kind" />
      </Form.Item>
      <Form.List name="people">
        {(fields, { add, remove }) => (
          <div data-testid="sale-form-people">
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap style={{ display: 'flex' }}>
                <Form.Item name={[f.name, 'staffNo']} rules={[{ required: true, message: t('saleForm.staffRequired') }]}>
                  <Select
                    style={{ width: 220 }}
                    showSearch
                    filterOption={false}
                    onSearch={searchStaff}
                    onFocus={() => searchStaff('')}
                    placeholder={t('saleForm.staffPlaceholder')}
                    data-testid="sale-form-staff"
                    onChange={(no: string) => {
                      const s = staff.get(no);
                      if (s?.departmentId && saleDepts.some((d) => d.id === s.departmentId)) form.setFieldValue(['people', f.name, 'departmentId'], s.departmentId);
                    }}
                    options={[...staff.values()].map((s) => ({ value: s.staffNo, label: `${s.name} ${s.staffNo}${s.departmentName ? ` · ${s.departmentName}` : ''}` }))}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'departmentId']} rules={[{ required: true, message: t('saleForm.creditRequired') }]}>
                  <Select style={{ width: 170 }} placeholder={t('saleForm.creditPlaceholder')} options={saleDepts.map((d) => ({ value: d.id, label: d.name }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'role']} initialValue={ROLES[0]}>
                  <Select style={{ width: 110 }} options={ROLES.map((r) => ({ value: r, label: r }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'contribution']} normalize={normalizeNumber} rules={[contributionShare.rule]}>
                  <Input
                    style={{ width: 110 }}
                    suffix={contributionShare.suffix}
                    placeholder={contributionKind === 'weight' ? t('saleForm.weightPlaceholder') : t('saleForm.contributionPlaceholder')}
                  />
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
              </Space>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ role: ROLES[0] })} style={{ marginBottom: 16 }} data-testid="sale-form-add-person">
              {t('saleForm.addPerson')}
            </Button>
          </div>
        )}
      </Form.List>

      <SalePreviewPanel state={preview} />

      {correcting ? null : (
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" onClick={() => void save().catch(() => undefined)} loading={saving} disabled={ratios.given > 0 && !ratios.ok} data-testid="sale-form-save">
            {t('saleForm.save')}
          </Button>
        </Space>
      )}
      {correcting ? <Alert type="info" showIcon style={{ marginTop: 16 }} message={t('saleForm.correctionHint')} /> : null}
    </Form>
  );
}

/** What a refused preview says, one line per field issue. */
function errorLines(e: unknown): string[] {
  if (e instanceof ApiError) {
    const issues = Array.isArray(e.details) ? (e.details as { message?: string }[]).map((d) => d?.message).filter((m): m is string => !!m) : [];
    return issues.length ? issues : [e.message];
  }
  return [e instanceof Error ? e.message : String(e)];
}
