import { ProDescriptions } from '@ant-design/pro-components';
import { Space, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { type Company360, useClientTypes, useFactsCatalogue, useIndustries } from '../../../../api/customers';
import { wanOf } from '../../../../components/money';
import { useI18n } from '../../../../locales';

/** The company's facts (SPEC §2) with Chinese labels; amounts in 万元. */
export function CompanyFacts({ company: c }: { company: Company360 }) {
  const { t, pick } = useI18n();
  const types = useClientTypes();
  const industries = useIndustries();
  const catalogue = useFactsCatalogue();
  const wan = (fen: number | null) => (fen === null ? '-' : `${wanOf(fen)} ${t('unit.wan')}`);
  const group = (list: Company360['parents']) =>
    list.length ? (
      <Space wrap size={[8, 4]}>
        {list.map((g) => (
          <Link key={g.linkId} to={`/customers/companies/${g.id}`}>
            {g.name}
          </Link>
        ))}
      </Space>
    ) : (
      '-'
    );
  const facts = (catalogue.data ?? []).filter((f) => c.facts[f.key] !== undefined && c.facts[f.key] !== null);
  const factText = (key: string) => {
    const f = catalogue.data?.find((x) => x.key === key);
    const v = c.facts[key];
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (f?.kind === 'integer' && /Rank/.test(key)) return t('customer.rankNo', { n: Number(v) });
    const o = f?.options?.find((x) => x.value === v);
    return o ? pick(o.zh, o.en) : String(v);
  };

  return (
    <>
      <ProDescriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="company-facts">
        <ProDescriptions.Item label={t('customer.uscc')} copyable>
          {c.uscc}
        </ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.type')}>{pick(c.typeName, types.data?.find((x) => x.code === c.typeCode)?.nameEn)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.industry')}>
          {c.industryCode ? `${c.industryCode} ${pick(c.industryName, industries.data?.find((x) => x.code === c.industryCode)?.nameEn)}` : '-'}
        </ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.legalRep')}>{c.legalRepresentative ?? '-'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.creditLine')}>{wan(c.creditLineFen)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.loanBalance')}>{wan(c.loanBalanceFen)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.annualSales')}>{wan(c.annualSalesFen)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.taxRank')}>{c.provincialTaxRank ? t('customer.rankNo', { n: c.provincialTaxRank }) : '-'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.listed')}>{c.listed ? <Tag color="gold">{t('common.yes')}</Tag> : t('common.no')}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.node')}>{c.nodeName}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.department')}>{c.departmentName ?? '-'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.accountManager')}>{c.accountManagerName ?? '-'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.groupParent')}>{group(c.parents)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.groupChildren')}>{group(c.children)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('customer.address')}>{c.address ?? '-'}</ProDescriptions.Item>
      </ProDescriptions>
      {facts.length ? (
        <ProDescriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" title={t('customer.otherFacts')} style={{ marginTop: 8 }}>
          {facts.map((f) => (
            <ProDescriptions.Item key={f.key} label={pick(f.zh, f.en)}>
              {factText(f.key)}
            </ProDescriptions.Item>
          ))}
        </ProDescriptions>
      ) : null}
    </>
  );
}
