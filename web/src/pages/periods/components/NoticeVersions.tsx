import { Card, Table, Tag, Typography } from 'antd';
import type { Notice } from '../../../api/periods';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

type Version = Notice['versions'][number];
type Change = Version['changes'][number];
type Figures = Change['before'];
interface Row {
  v: Version;
  c: Change;
  key: string;
}

/** The notice's current version: "第 N 版（YYYY-MM-DD）" (issue 12 rule 2). */
export function NoticeVersionTag({ notice: n }: { notice: Notice }) {
  const { t } = useI18n();
  return (
    <Tag color={n.version > 1 ? 'orange' : 'default'} data-testid="notice-version">
      {t('notice.versionTag', { n: n.version, date: n.versionDate })}
    </Tag>
  );
}

/** A sale's figures: its points, then each line (the person, else the department's retained points). */
function FiguresCell({ f }: { f: Figures }) {
  return (
    <span>
      <strong>{f.points}</strong>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {f.lines.map((l) => `${l.staffName ?? l.departmentName} ${l.points}`).join('、')}
      </Typography.Text>
    </span>
  );
}

/** 变更记录: each version after the first, with the sales it changed (before → after) and why. */
export function NoticeChangeLog({ notice: n }: { notice: Notice }) {
  const { t } = useI18n();
  const rows: Row[] = n.versions.filter((v) => v.version > 1).flatMap((v) => v.changes.map((c) => ({ v, c, key: `${v.version}-${c.saleId}` })));
  if (rows.length === 0) return null;
  return (
    <Card size="small" title={t('notice.changeLog')} className="notice-section" data-testid="notice-change-log">
      <Typography.Paragraph type="secondary">{t('notice.changeLogHint')}</Typography.Paragraph>
      <Table<Row>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: t('notice.version'),
            key: 'version',
            width: 190,
            render: (_: unknown, r: Row) => (
              <span>
                {t('notice.versionTag', { n: r.v.version, date: fmtBeijing(r.v.createdAt).slice(0, 10) })}
                {r.v.objectionId === null ? null : (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {t('notice.versionObjection', { id: r.v.objectionId })}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          { title: t('notice.changeSale'), key: 'sale', width: 160, render: (_: unknown, r: Row) => r.c.sourceId },
          { title: t('notice.changeBefore'), key: 'before', render: (_: unknown, r: Row) => <FiguresCell f={r.c.before} /> },
          { title: t('notice.changeAfter'), key: 'after', render: (_: unknown, r: Row) => <FiguresCell f={r.c.after} /> },
          { title: t('notice.changeReason'), key: 'reason', render: (_: unknown, r: Row) => r.c.reason },
        ]}
      />
    </Card>
  );
}
