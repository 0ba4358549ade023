import { App, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { type AmGrade, useAmGrades, useSetGrade, gradeKey } from '../../../api/vip';
import { beijingToday } from '../../../format';
import { useI18n } from '../../../locales';

/** 客户经理等级: the grade each AM holds today (a change starts today, the old grade kept as history). */
export function GradesTab({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [q, setQ] = useState<string | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const list = useAmGrades({ q, ...page });
  const set = useSetGrade();
  return (
    <Card size="small">
      <Space style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('vip.searchStaff')} onSearch={(v) => setQ(v || undefined)} style={{ width: 220 }} />
      </Space>
      <Table<AmGrade>
        rowKey="staffId"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="vip-grades-table"
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common.totalN', { n }),
          onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
        }}
        columns={[
          { title: t('vip.staff'), dataIndex: 'name', width: 100 },
          { title: t('staff.staffNo'), dataIndex: 'staffNo', width: 100 },
          { title: t('vip.node'), dataIndex: 'nodeName', width: 180, ellipsis: true },
          {
            title: t('vip.grade'),
            key: 'grade',
            width: 200,
            render: (_, r) =>
              canManage ? (
                <Select<number>
                  size="small"
                  style={{ width: 170 }}
                  placeholder={t('vip.noGrade')}
                  value={r.grade ?? undefined}
                  loading={set.isPending}
                  data-testid={`vip-grade-${r.staffNo}`}
                  onChange={(grade) => set.mutateAsync({ staffId: r.staffId, grade, validFrom: beijingToday() }).then(() => message.success(t('vip.gradeSaved')))}
                  options={[1, 2, 3, 4, 5].map((g) => ({ value: g, label: t(gradeKey(g)) }))}
                />
              ) : r.grade ? (
                t(gradeKey(r.grade))
              ) : (
                <Tag>{t('vip.noGrade')}</Tag>
              ),
          },
          { title: t('vip.validFrom'), dataIndex: 'validFrom', width: 110, render: (v: string | null) => v ?? '-' },
          { title: t('vip.vipClients'), dataIndex: 'vipClients', width: 100, align: 'right' },
        ]}
      />
    </Card>
  );
}
