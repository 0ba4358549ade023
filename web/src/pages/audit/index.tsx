import { SafetyCertificateOutlined } from '@ant-design/icons';
import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { ListTable, textFilter } from '../../components/ListTable';
import { Alert, Button, Tag, Tooltip, Typography } from 'antd';
import { fetchAudit, useVerifyAudit } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';
import { JsonDiff } from './JsonDiff';
import { LedgerCheck } from './LedgerCheck';

interface Filters {
  action?: string;
  entity?: string;
  actor?: string;
  at?: [string, string];
}

/** 审计日志: every change of points, money, lists or permissions, hash-chained (SPEC §14). */
const ENTITIES = [
  'staff',
  'org_node',
  'department',
  'committee',
  'role',
  'setting',
  'system',
  'corporate_client',
  'individual',
  'company_person',
  'company_link',
  'holding',
  'target_criterion',
  'target_nomination',
  'target_list_version',
  'product',
  'product_line',
  'product_score',
  'development',
  'sale',
  'split_rule',
  'statement',
  'ledger',
];

export default function AuditPage() {
  const { t, has } = useI18n();
  const label = (prefix: 'auditAction' | 'auditEntity', code: string) => {
    const key = `${prefix}.${code}`;
    return has(key) ? t(key) : code;
  };
  const verify = useVerifyAudit();

  const columns: ProColumns<AuditEntry>[] = [
    { title: t('audit.id'), dataIndex: 'id', width: 80, search: false },
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 160,
      valueType: 'dateRange',
      render: (_, r) => fmtBeijing(r.at),
      search: { transform: (v: [string, string]) => ({ from: v[0], to: v[1] }) },
      fieldProps: { format: 'YYYY-MM-DD' },
    },
    { title: t('audit.actor'), dataIndex: 'actor', width: 100, render: (_, r) => r.actorName || '-' },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 150,
      render: (_, r) => (
        <Tooltip title={r.action}>
          <Tag color="blue">{label('auditAction', r.action)}</Tag>
        </Tooltip>
      ),
      fieldProps: { placeholder: t('audit.actionPlaceholder') },
    },
    {
      title: t('audit.entity'),
      dataIndex: 'entity',
      width: 100,
      valueType: 'select',
      valueEnum: Object.fromEntries(ENTITIES.map((e) => [e, { text: label('auditEntity', e) }])),
      render: (_, r) => label('auditEntity', r.entity),
    },
    { title: t('audit.entityId'), dataIndex: 'entityId', width: 90, search: false },
    { title: t('audit.node'), dataIndex: 'nodeName', width: 120, search: false, render: (_, r) => r.nodeName ?? '-' },
    {
      title: t('audit.hash'),
      dataIndex: 'hash',
      search: false,
      width: 140,
      render: (_, r) => (
        <Typography.Text code copyable={{ text: r.hash }}>
          {r.hash.slice(0, 12)}…
        </Typography.Text>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('audit.title')}
      extra={[
        <Button key="verify" type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>,
      ]}
    >
      {verify.data ? (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable
          data-testid="audit-verify-result"
          type={verify.data.ok ? 'success' : 'error'}
          message={verify.data.ok ? t('audit.verifyOk', { n: verify.data.checked, anchors: verify.data.anchors }) : t('audit.verifyBroken', { seq: verify.data.broken?.seq ?? '-' })}
          description={
            verify.data.broken
              ? t(`audit.reason.${verify.data.broken.reason}`, { source: verify.data.broken.anchor?.source ?? '' })
              : verify.data.head
                ? t('audit.head', { seq: verify.data.head.seq, hash: verify.data.head.hash })
                : undefined
          }
        />
      ) : null}
      <LedgerCheck />
      <ListTable<AuditEntry, Filters>
        columns={columns}
        scroll={{ x: 1000 }}
        headerTitle={t('audit.listTitle')}
        options={{ density: false, setting: true, reload: true }}
        expandable={{
          expandedRowRender: (r) => <JsonDiff before={r.before} after={r.after} />,
          rowExpandable: (r) => r.before != null || r.after != null,
        }}
        fetchPage={(params) => {
          const p = params as typeof params & { from?: string; to?: string };
          return fetchAudit({
            page: p.page,
            pageSize: p.pageSize,
            action: textFilter(p.action),
            entity: textFilter(p.entity),
            actor: textFilter(p.actor),
            from: p.from,
            to: p.to,
          });
        }}
      />
    </PageContainer>
  );
}
