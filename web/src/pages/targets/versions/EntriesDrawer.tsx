import { Descriptions, Drawer, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { type Entry, useVersionEntries } from '../../../api/targets';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

/** The entries of one list version, with the criteria each met on the day of the cut. */
export function EntriesDrawer(p: { nodeId?: number; departmentId?: number; versionNo?: number; onClose(): void }) {
  const { t, pick } = useI18n();
  const entries = useVersionEntries(p.nodeId, p.departmentId, p.versionNo);
  const v = entries.data;
  return (
    <Drawer
      open={!!p.versionNo}
      width={900}
      onClose={p.onClose}
      title={v ? `${v.nodeName} · ${v.departmentName} · ${t('target.versionNo', { n: v.versionNo })}` : t('target.versionList')}
      destroyOnHidden
    >
      {v ? (
        <>
          <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('target.createdBy')}>{v.createdByName}</Descriptions.Item>
            <Descriptions.Item label={t('target.createdAt')}>{fmtBeijing(v.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('target.reviewDueOn')}>{v.reviewDueOn ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('target.versionNote')}>{v.note ?? '-'}</Descriptions.Item>
          </Descriptions>
          <Table<Entry>
            rowKey="companyId"
            size="small"
            dataSource={v.items}
            pagination={{ pageSize: 20 }}
            data-testid="version-entries"
            columns={[
              { title: t('target.client'), dataIndex: 'name', render: (_, e) => <Link to={`/customers/companies/${e.companyId}`}>{e.name}</Link> },
              { title: t('customer.uscc'), dataIndex: 'uscc', width: 190 },
              {
                title: t('target.metCriteria'),
                dataIndex: 'criteria',
                render: (_, e) =>
                  e.criteriaNames.map((c) => (
                    <Tag key={c.code} color="green">
                      {pick(c.nameZh, c.nameEn)}
                    </Tag>
                  )),
              },
              { title: t('target.reason'), dataIndex: 'reason', width: 160, ellipsis: true, render: (_, e) => e.reason ?? '-' },
            ]}
          />
        </>
      ) : null}
    </Drawer>
  );
}
