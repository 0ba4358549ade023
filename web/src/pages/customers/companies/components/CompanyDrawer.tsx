import { DrawerForm, ProFormDigit, ProFormSelect, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { App, Collapse, Form } from 'antd';
import { useMemo } from 'react';
import { type Company360, type CompanyInput, useClientTypes, useCompany, useCreateCompany, useFactsCatalogue, useIndustries, useUpdateCompany } from '../../../../api/customers';
import { useAllDepartments, useOrgNodes } from '../../../../api/org';
import { fenOfWan, wanNumber } from '../../../../components/money';
import { OrgTreeSelect } from '../../../../components/OrgTreeSelect';
import { StaffSelect } from '../../../../components/StaffSelect';
import { normalizeText, normalizeUscc, parseNumberInput } from '../../../../forms/normalize';
import { showSaveError } from '../../../../forms/serverErrors';
import { useI18n } from '../../../../locales';

interface Values {
  uscc: string;
  name: string;
  typeCode: string;
  industryCode?: string | null;
  nodeId: number;
  departmentId?: number | null;
  accountManagerId?: number | null;
  legalRepresentative?: string;
  address?: string;
  creditLineWan?: number | null;
  loanBalanceWan?: number | null;
  annualSalesWan?: number | null;
  provincialTaxRank?: number | null;
  listed?: boolean;
  facts?: Record<string, unknown>;
}

/** Which form field a server error belongs to (the USCC checksum is checked on the server). */
const FIELD_OF: Record<string, keyof Values> = {
  'CUSTOMER.BAD_USCC': 'uscc',
  'CUSTOMER.USCC_TAKEN': 'uscc',
  'CUSTOMER.UNKNOWN_TYPE': 'typeCode',
  'CUSTOMER.UNKNOWN_INDUSTRY': 'industryCode',
  'CUSTOMER.BAD_MANAGER': 'accountManagerId',
  'ORG.NOT_FOUND': 'nodeId',
};

interface Props {
  open: boolean;
  /** null → create */
  companyId: number | null;
  onClose(): void;
  onSaved(c: Company360): void;
}

function initialOf(c: Company360): Values {
  return {
    uscc: c.uscc,
    name: c.name,
    typeCode: c.typeCode,
    industryCode: c.industryCode,
    nodeId: c.nodeId,
    departmentId: c.departmentId,
    accountManagerId: c.accountManagerId,
    legalRepresentative: c.legalRepresentative ?? undefined,
    address: c.address ?? undefined,
    creditLineWan: wanNumber(c.creditLineFen),
    loanBalanceWan: wanNumber(c.loanBalanceFen),
    annualSalesWan: wanNumber(c.annualSalesFen),
    provincialTaxRank: c.provincialTaxRank,
    listed: c.listed,
    // Yes/no facts travel through the Select as 'true' / 'false'.
    facts: Object.fromEntries(Object.entries(c.facts).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v])),
  };
}

/** Create or edit a corporate client (ProForm in a drawer); server errors land on their field. */
export function CompanyDrawer({ open, companyId, onClose, onSaved }: Props) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const nodeId = Form.useWatch('nodeId', form);
  const existing = useCompany(open && companyId ? companyId : undefined);
  const types = useClientTypes();
  const industries = useIndustries();
  const catalogue = useFactsCatalogue();
  const nodes = useOrgNodes();
  const departments = useAllDepartments();
  const create = useCreateCompany();
  const update = useUpdateCompany();
  const company = companyId ? existing.data : undefined;

  // The managing department is one of the branch's departments above the client's node.
  const deptOptions = useMemo(() => {
    const byId = new Map((nodes.data ?? []).map((n) => [n.id, n]));
    const node = nodeId ? byId.get(nodeId) : undefined;
    if (!node) return [];
    return (departments.data ?? [])
      .filter((d) => d.active && node.path.startsWith(byId.get(d.nodeId)?.path ?? '\u0000'))
      .map((d) => ({ value: d.id, label: `${d.name} · ${byId.get(d.nodeId)?.name ?? ''}` }));
  }, [nodes.data, departments.data, nodeId]);

  if (companyId && !company) return null;

  return (
    <DrawerForm<Values>
      key={company ? `c${company.id}` : 'new'}
      form={form}
      title={company ? t('customer.editCompanyTitle', { name: company.name }) : t('customer.createCompany')}
      open={open}
      width={640}
      drawerProps={{ onClose, destroyOnHidden: true, maskClosable: false }}
      initialValues={company ? initialOf(company) : { listed: false, facts: {} }}
      onValuesChange={(changed: Partial<Values>) => {
        if ('nodeId' in changed) form.setFieldsValue({ departmentId: null, accountManagerId: null });
      }}
      onFinish={async (v) => {
        const facts = Object.fromEntries(
          Object.entries(v.facts ?? {})
            .filter(([, x]) => x !== undefined && x !== null && x !== '')
            .map(([k, x]) => [k, x === 'true' ? true : x === 'false' ? false : x]),
        );
        const body: CompanyInput = {
          uscc: v.uscc,
          name: v.name,
          typeCode: v.typeCode,
          industryCode: v.industryCode ?? null,
          nodeId: v.nodeId,
          departmentId: v.departmentId ?? null,
          accountManagerId: v.accountManagerId ?? null,
          legalRepresentative: v.legalRepresentative || null,
          address: v.address || null,
          creditLineFen: fenOfWan(v.creditLineWan ?? null),
          loanBalanceFen: fenOfWan(v.loanBalanceWan ?? null),
          annualSalesFen: fenOfWan(v.annualSalesWan ?? null),
          provincialTaxRank: v.provincialTaxRank ?? null,
          listed: !!v.listed,
          facts,
        };
        try {
          const saved = company ? await update.mutateAsync({ id: company.id, ...body }) : await create.mutateAsync(body);
          message.success(company ? t('common.saved') : t('common.created'));
          onSaved(saved);
          return true;
        } catch (e) {
          showSaveError(form, e, t, (text) => message.error(text), { codeFields: FIELD_OF });
          return false;
        }
      }}
    >
      <ProFormText
        name="uscc"
        label={t('customer.uscc')}
        placeholder={t('customer.usccPlaceholder')}
        normalize={normalizeUscc}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: /^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$/, message: t('customer.usccPattern') },
        ]}
        fieldProps={{ maxLength: 18, 'data-testid': 'company-uscc' } as object}
      />
      <ProFormText name="name" label={t('customer.companyName')} normalize={normalizeText} rules={[{ required: true, message: t('form.required') }]} />
      <ProFormSelect
        name="typeCode"
        label={t('customer.type')}
        rules={[{ required: true, message: t('form.required') }]}
        options={(types.data ?? []).map((x) => ({ value: x.code, label: pick(x.nameZh, x.nameEn) }))}
      />
      <ProFormSelect
        name="industryCode"
        label={t('customer.industry')}
        fieldProps={{ showSearch: true, optionFilterProp: 'label', allowClear: true }}
        options={(industries.data ?? []).map((x) => ({ value: x.code, label: `${x.code} ${pick(x.nameZh, x.nameEn)}` }))}
      />
      <Form.Item name="nodeId" label={t('customer.node')} rules={[{ required: true, message: t('form.required') }]}>
        <OrgTreeSelect allowClear={false} />
      </Form.Item>
      <ProFormSelect
        name="departmentId"
        label={t('customer.department')}
        options={deptOptions}
        fieldProps={{ allowClear: true, showSearch: true, optionFilterProp: 'label' }}
        placeholder={nodeId ? t('staff.departmentPlaceholder') : t('staff.pickNodeFirst')}
      />
      <Form.Item name="accountManagerId" label={t('customer.accountManager')}>
        <StaffSelect nodeId={undefined} style={{ width: '100%' }} known={company?.accountManagerId ? [{ id: company.accountManagerId, label: company.accountManagerName ?? '' }] : []} />
      </Form.Item>
      <ProFormText name="legalRepresentative" label={t('customer.legalRep')} normalize={normalizeText} />
      <ProFormText name="address" label={t('customer.address')} normalize={normalizeText} />
      <ProFormDigit name="creditLineWan" label={t('customer.creditLineWan')} min={0} fieldProps={{ precision: 2, parser: parseNumberInput, style: { width: '100%' } }} />
      <ProFormDigit name="loanBalanceWan" label={t('customer.loanBalanceWan')} min={0} fieldProps={{ precision: 2, parser: parseNumberInput, style: { width: '100%' } }} />
      <ProFormDigit name="annualSalesWan" label={t('customer.annualSalesWan')} min={0} fieldProps={{ precision: 2, parser: parseNumberInput, style: { width: '100%' } }} />
      <ProFormDigit name="provincialTaxRank" label={t('customer.taxRank')} min={1} fieldProps={{ precision: 0, parser: parseNumberInput, style: { width: '100%' } }} />
      <ProFormSwitch name="listed" label={t('customer.listed')} />
      <Collapse
        size="small"
        items={[
          {
            key: 'facts',
            label: t('customer.otherFacts'),
            forceRender: true,
            children: (catalogue.data ?? []).map((f) => {
              const label = pick(f.zh, f.en);
              if (f.kind === 'integer') {
                return <ProFormDigit key={f.key} name={['facts', f.key]} label={label} min={1} fieldProps={{ precision: 0, parser: parseNumberInput, style: { width: '100%' } }} />;
              }
              const options =
                f.kind === 'boolean'
                  ? [
                      { value: 'true', label: t('common.yes') },
                      { value: 'false', label: t('common.no') },
                    ]
                  : (f.options ?? []).map((o) => ({ value: o.value, label: pick(o.zh, o.en) }));
              return <ProFormSelect key={f.key} name={['facts', f.key]} label={label} options={options} placeholder={t('customer.unknown')} fieldProps={{ allowClear: true }} />;
            }),
          },
        ]}
      />
    </DrawerForm>
  );
}
