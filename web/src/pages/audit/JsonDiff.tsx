import { Table, Typography } from 'antd';
import { useI18n } from '../../locales';

type Json = unknown;

const show = (v: Json) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Field-by-field before/after of an audited change; changed fields highlighted. */
export function JsonDiff({ before, after }: { before: Json; after: Json }) {
  const { t } = useI18n();
  const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(before) && !isObj(after)) {
    return (
      <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
        {t('audit.before')}: {show(before) || '-'}
        {'\n'}
        {t('audit.after')}: {show(after) || '-'}
      </pre>
    );
  }
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = keys.map((k) => ({ key: k, before: show(b[k]), after: show(a[k]), changed: show(b[k]) !== show(a[k]) }));
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      style={{ maxWidth: 1100 }}
      data-testid="audit-diff"
      columns={[
        { title: t('audit.field'), dataIndex: 'key', width: 200, render: (k: string, r) => (r.changed ? <Typography.Text strong>{k}</Typography.Text> : k) },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          render: (v: string, r) => <span style={r.changed && v ? { background: '#fff1f0', textDecoration: 'line-through' } : undefined}>{v || '-'}</span>,
        },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          render: (v: string, r) => <span style={r.changed && v ? { background: '#f6ffed' } : undefined}>{v || '-'}</span>,
        },
      ]}
    />
  );
}
