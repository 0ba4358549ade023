import { Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { CompanyPerson } from '../../../../api/customers';
import { fmtDate } from '../../../../format';
import { fmtMoney } from '../../../../components/money';
import { useI18n } from '../../../../locales';

const ROLE_COLOR: Record<CompanyPerson['role'], string> = {
  legal_rep: 'red',
  executive: 'volcano',
  middle: 'blue',
  staff: 'default',
  shareholder: 'purple',
};

/** The people linked to a company, what they hold and their VIP tier; each opens the person 360. */
export function PeopleTable({ people }: { people: CompanyPerson[] }) {
  const { t } = useI18n();
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  return (
    <Table<CompanyPerson>
      rowKey="linkId"
      size="middle"
      dataSource={people}
      data-testid="company-people"
      scroll={{ x: 1100 }}
      pagination={{ defaultPageSize: 10, showSizeChanger: true, showTotal: (n) => t('common.totalN', { n }) }}
      columns={[
        {
          title: t('customer.personName'),
          dataIndex: 'name',
          width: 100,
          fixed: 'left',
          render: (_, p) => <Link to={`/customers/people/${p.personId}`}>{p.name}</Link>,
        },
        {
          title: t('customer.relation'),
          dataIndex: 'role',
          width: 110,
          filters: (['legal_rep', 'executive', 'middle', 'staff', 'shareholder'] as const).map((r) => ({ text: t(`customer.role.${r}`), value: r })),
          onFilter: (v, p) => p.role === v,
          render: (_, p) => <Tag color={ROLE_COLOR[p.role]}>{t(`customer.role.${p.role}`)}</Tag>,
        },
        { title: t('customer.position'), dataIndex: 'title', width: 140, render: (_, p) => p.title ?? '-' },
        { title: t('customer.idNumber'), dataIndex: 'idNumber', width: 190, render: (_, p) => <span className="masked">{p.idNumber}</span> },
        { title: t('customer.vipTier'), dataIndex: 'vipTier', width: 100, render: (_, p) => (p.vipTier ? <Tag color="gold">{p.vipTier}</Tag> : '-') },
        {
          title: t('customer.aum'),
          dataIndex: 'aumFen',
          width: 150,
          align: 'right',
          sorter: (a, b) => a.aumFen - b.aumFen,
          render: (_, p) => fmtMoney(p.aumFen, unit),
        },
        { title: t('customer.holdingsCount'), dataIndex: 'holdingsCount', width: 100, align: 'right' },
        { title: t('customer.since'), dataIndex: 'since', width: 110, render: (_, p) => fmtDate(p.since) },
      ]}
    />
  );
}
