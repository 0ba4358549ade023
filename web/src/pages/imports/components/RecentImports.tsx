import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Table, Tag } from 'antd';
import { downloadErrorReport, useImportKinds, useMyImports } from '../../../api/imports';
import type { ImportJob } from '../../../api/types';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

const COLOR: Record<ImportJob['status'], string> = { validating: 'processing', writing: 'processing', done: 'success', failed: 'error' };

/** 我的导入记录 */
export function RecentImports() {
  const { t, pick } = useI18n();
  const jobs = useMyImports();
  const kinds = useImportKinds();
  const kindName = (k: string) => {
    const found = kinds.data?.find((x) => x.kind === k);
    return found ? pick(found.nameZh, found.nameEn) : k;
  };
  return (
    <Card title={t('imports.recent')} extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => jobs.refetch()} />} style={{ marginTop: 16 }}>
      <Table<ImportJob>
        rowKey="id"
        size="small"
        loading={jobs.isLoading}
        dataSource={jobs.data ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid="recent-imports"
        columns={[
          { title: t('imports.createdAt'), dataIndex: 'createdAt', width: 170, render: (v?: string) => fmtBeijing(v) },
          { title: t('imports.kind'), dataIndex: 'kind', render: kindName },
          { title: t('imports.fileName'), dataIndex: 'fileName', ellipsis: true },
          { title: t('imports.mode'), dataIndex: 'mode', render: (m: ImportJob['mode']) => t(`imports.mode.${m}`) },
          { title: t('common.status'), dataIndex: 'status', render: (s: ImportJob['status']) => <Tag color={COLOR[s]}>{t(`imports.status.${s}`)}</Tag> },
          { title: t('imports.totalRows'), dataIndex: 'totalRows', align: 'right' },
          { title: t('imports.inserted'), dataIndex: 'inserted', align: 'right' },
          { title: t('imports.updated'), dataIndex: 'updated', align: 'right' },
          { title: t('imports.unchanged'), dataIndex: 'unchanged', align: 'right' },
          { title: t('imports.errorRows'), dataIndex: 'errorRows', align: 'right' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, j) => (j.hasErrorReport ? <a onClick={() => downloadErrorReport(j.id)}>{t('imports.downloadErrors')}</a> : null),
          },
        ]}
      />
    </Card>
  );
}
