import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { type IbSubmission, useIbSupervision, useSubmitSupervision } from '../../api/interbankCoverage';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

const COLOR = { on_time: 'green', late: 'orange', missing: 'red', pending: 'blue' } as const;

/** 督导报送 (seed 000 三(一)): each flagged branch's three weekly submissions, their status, and sending them. */
export default function SupervisionPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [search, setSearch] = useSearchParams();
  const weekEnd = search.get('weekEnd') ?? undefined;
  const q = useIbSupervision({ weekEnd });
  const submit = useSubmitSupervision();
  const [editing, setEditing] = useState<IbSubmission | null>(null);
  const [content, setContent] = useState('');
  return (
    <PageContainer
      title={t('ibc.supervision.title')}
      subTitle={t('ibc.supervision.subtitle')}
      extra={
        <Select
          style={{ width: 170 }}
          value={weekEnd ?? ''}
          onChange={(w) => setSearch(w ? { weekEnd: w } : {}, { replace: true })}
          options={[{ value: '', label: t('ibc.allWeeks') }, ...(q.data?.weeks ?? []).map((w) => ({ value: w, label: w }))]}
        />
      }
    >
      <Table<IbSubmission>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="ibc-supervision"
        columns={[
          { title: t('ibc.week'), dataIndex: 'weekEnd' },
          { title: t('ibc.branch'), dataIndex: 'nodeName' },
          { title: t('ibc.kind'), dataIndex: 'kind', render: (k: IbSubmission['kind']) => t(`ibc.kind.${k}`) },
          { title: t('ibc.dueAt'), dataIndex: 'dueAt', render: (v: string) => fmtBeijing(v).slice(0, 16) },
          { title: t('ibc.status'), dataIndex: 'status', render: (s: IbSubmission['status']) => <Tag color={COLOR[s]}>{t(`ibc.status.${s}`)}</Tag> },
          { title: t('ibc.submittedAt'), dataIndex: 'submittedAt', render: (v: string | null) => (v ? `${fmtBeijing(v).slice(0, 16)}` : '—') },
          { title: t('ibc.content'), dataIndex: 'content', ellipsis: true, render: (v: string | null) => <Typography.Text ellipsis>{v ?? ''}</Typography.Text> },
          {
            title: '',
            render: (_: unknown, s) =>
              access.canManageInterbank && (
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(s);
                    setContent(s.content ?? '');
                  }}
                >
                  {t('ibc.submit')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing ? `${editing.nodeName} · ${t(`ibc.kind.${editing.kind}`)} · ${editing.weekEnd}` : ''}
        onCancel={() => setEditing(null)}
        confirmLoading={submit.isPending}
        onOk={() =>
          editing &&
          submit.mutate(
            { id: editing.id, content },
            {
              onSuccess: () => {
                setEditing(null);
                void message.success(t('ibc.saved'));
              },
            },
          )
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea rows={8} value={content} onChange={(e) => setContent(e.target.value)} />
        </Space>
      </Modal>
    </PageContainer>
  );
}
