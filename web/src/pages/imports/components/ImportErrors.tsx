import { Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useImportErrors } from '../../../api/imports';
import type { ImportError } from '../../../api/contract';
import { useI18n } from '../../../locales';

/**
 * A finished job's errors, paged on the server from the JSON API (GET /imports/jobs/:id/errors):
 * the sheet's row, the column as the uploaded sheet names it, the code and what is wrong — the
 * same words as the error workbook.
 */
export function ImportErrors({ jobId }: { jobId: string | number }) {
  const { t, pick } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const errors = useImportErrors(jobId, page, pageSize, true);
  // Nothing until the first page is in (and nothing at all for a job without errors).
  if (!errors.data?.total) return null;
  return (
    <div style={{ marginTop: 16 }} data-testid="import-errors">
      <Typography.Title level={5}>{t('imports.errorsTitle')}</Typography.Title>
      <Table<ImportError>
        size="small"
        rowKey={(e) => `${e.row ?? 0}:${e.columnKey ?? ''}:${e.code}:${e.message}`}
        loading={errors.isFetching}
        // A narrow card (the import page's right column at 1366) scrolls rather than squeezing the message to a sliver.
        scroll={{ x: 640 }}
        dataSource={errors.data?.items ?? []}
        pagination={{
          current: page,
          pageSize,
          total: errors.data?.total ?? 0,
          hideOnSinglePage: true,
          onChange: (p, s) => {
            setPage(s === pageSize ? p : 1);
            setPageSize(s);
          },
        }}
        columns={[
          { title: t('imports.errorRow'), dataIndex: 'row', width: 72, render: (r: number | null) => r ?? t('imports.fileLevel') },
          {
            title: t('imports.errorColumn'),
            dataIndex: 'column',
            width: 140,
            render: (c: string | null, e) => (c ? (e.templateColumn && e.templateColumn !== c ? `${c}（${e.templateColumn}）` : c) : '—'),
          },
          {
            title: t('imports.errorCode'),
            dataIndex: 'code',
            width: 150,
            render: (c: string) => <Tag style={{ whiteSpace: 'normal', wordBreak: 'break-all' }}>{c}</Tag>,
          },
          { title: t('imports.errorMessage'), dataIndex: 'message', render: (_m: string, e) => pick(e.message, e.messageEn) },
        ]}
      />
    </div>
  );
}
