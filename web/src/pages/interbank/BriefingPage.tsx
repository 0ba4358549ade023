import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Empty, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { download } from '../../api/client';
import { bpText, type IbBriefing, useIbBriefing, useIbBriefings, useSetRequirements, useTakeSnapshot } from '../../api/interbankCoverage';
import { accessOf } from '../../access';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

type Data = IbBriefing['data'];

/** 周通报 (seed 000): a stored week's briefing, its PDF and workbook, and the editable requirements. */
export default function BriefingPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [search, setSearch] = useSearchParams();
  const list = useIbBriefings();
  const weeks = list.data?.items.map((w) => w.weekEnd) ?? [];
  const lastEnded = list.data?.lastEndedWeek;
  const week = search.get('week') ?? weeks[0] ?? lastEnded;
  const options = [...new Set([...(lastEnded ? [lastEnded] : []), ...weeks])].sort().reverse();
  const b = useIbBriefing(week, !!week && weeks.includes(week));
  const take = useTakeSnapshot();
  const missing = !!week && !weeks.includes(week) && !list.isLoading;
  return (
    <PageContainer title={t('ibc.briefing.title')} subTitle={t('ibc.briefing.subtitle')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>{t('ibc.week')}</span>
        <Select data-testid="ibc-week" style={{ width: 150 }} value={week} options={options.map((w) => ({ value: w, label: w }))} onChange={(w) => setSearch({ week: w }, { replace: true })} />
        <Button disabled={!b.data} onClick={() => download(`/interbank/briefings/${week}/briefing.pdf`, undefined, `同业合作平台周通报-${week}.pdf`)} data-testid="ibc-pdf">
          {t('ibc.pdf')}
        </Button>
        <Button disabled={!b.data} onClick={() => download(`/interbank/briefings/${week}/briefing.xlsx`, undefined, `同业合作平台周通报-${week}.xlsx`)} data-testid="ibc-xlsx">
          {t('ibc.excel')}
        </Button>
      </Space>
      {missing && (
        <Empty description={t('ibc.noSnapshot')}>
          {access.canConfigureInterbank && (
            <Button type="primary" loading={take.isPending} data-testid="ibc-take" onClick={() => take.mutate(week!, { onSuccess: () => void message.success(t('ibc.taken', { week: week! })) })}>
              {t('ibc.take')}
            </Button>
          )}
        </Empty>
      )}
      {b.data && <BriefingView b={b.data} canEdit={access.canConfigureInterbank} />}
    </PageContainer>
  );
}

const STAGES = ['contacted', 'negotiating', 'approving', 'ready', 'intent', 'testing', 'contracting', 'landed'] as const;
type Stage = (typeof STAGES)[number];
const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

function BriefingView({ b, canEdit }: { b: IbBriefing; canEdit: boolean }) {
  const { t } = useI18n();
  const d: Data = b.data;
  const line = bpText(d.thresholdBp);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="ibc-briefing">
      <Card size="small" title={t('ibc.general')} extra={<Typography.Text type="secondary">{t('ibc.takenAt', { at: fmtBeijing(b.takenAt) })}</Typography.Text>}>
        {b.paragraphs.map((p, i) => (
          <Typography.Paragraph key={i} style={{ marginBottom: 8 }} data-testid={`ibc-para-${i}`}>
            {p}
          </Typography.Paragraph>
        ))}
      </Card>
      <Card size="small" title={t('ibc.branchTable')}>
        <Table
          rowKey="nodeId"
          size="small"
          pagination={false}
          dataSource={d.lines.filter((l) => l.institutions > 0 || l.signed > 0)}
          onRow={(l) => ({ style: l.flagged ? { background: '#fff1f0' } : undefined })}
          columns={[
            { title: t('ibc.branch'), dataIndex: 'nodeName' },
            { title: t('ibc.institutions'), dataIndex: 'institutions', align: 'right' },
            { title: t('ibc.signed'), dataIndex: 'signed', align: 'right' },
            { title: t('ibc.added'), dataIndex: 'added', align: 'right', render: (v: number) => (v > 0 ? `+${v}` : v) },
            { title: t('ibc.framework'), dataIndex: 'framework', align: 'right' },
            { title: t('ibc.productOnly'), dataIndex: 'productOnly', align: 'right' },
            { title: t('ibc.coverage'), dataIndex: 'coverageBp', align: 'right', render: (v: number | null) => bpText(v) },
            { title: t('ibc.score'), dataIndex: 'scoreBp', align: 'right', render: (v: number | null) => bpText(v) },
            { title: t('ibc.flag'), dataIndex: 'flagged', render: (f: boolean) => (f ? <Tag color="red">{t('ibc.flagged', { line })}</Tag> : null) },
          ]}
        />
      </Card>
      <Card size="small" title={t('ibc.prospects', { n: d.prospectCount })}>
        <Table
          rowKey="institutionId"
          size="small"
          pagination={false}
          dataSource={d.prospects}
          columns={[
            { title: t('ibc.institution'), dataIndex: 'institutionName' },
            { title: t('ibc.branch'), dataIndex: 'nodeName' },
            { title: t('ibc.stage'), dataIndex: 'stage', render: (s: string) => (isStage(s) ? t(`ibc.stage.${s}`) : s) },
            { title: t('ibc.nextStep'), dataIndex: 'nextStep' },
          ]}
        />
      </Card>
      <Card size="small" title={t('ibc.landings')}>
        <Table
          rowKey={(l) => `${l.institutionId}-${l.product}`}
          size="small"
          pagination={false}
          dataSource={d.landings}
          columns={[
            { title: t('ibc.institution'), dataIndex: 'institutionName' },
            { title: t('ibc.product'), dataIndex: 'product' },
            { title: t('ibc.stage'), dataIndex: 'stage', render: (s: string) => <Tag color={s === 'landed' ? 'green' : 'blue'}>{isStage(s) ? t(`ibc.stage.${s}`) : s}</Tag> },
            { title: t('ibc.date'), dataIndex: 'stageOn' },
            { title: t('ibc.note'), dataIndex: 'note' },
          ]}
        />
      </Card>
      {d.corrections.length > 0 && (
        <Card size="small" title={t('ibc.corrections')}>
          <Table
            rowKey="signingId"
            size="small"
            pagination={false}
            dataSource={d.corrections}
            data-testid="ibc-corrections"
            columns={[
              { title: t('ibc.institution'), dataIndex: 'institutionName' },
              { title: t('ibc.before'), render: (_: unknown, c) => `${t(`ibc.${c.previousKind === 'framework' ? 'framework' : 'productOnly'}`)} ${c.previousSignedOn}` },
              { title: t('ibc.after'), render: (_: unknown, c) => (c.status === 'void' ? t('ibc.void') : `${t(`ibc.${c.kind === 'framework' ? 'framework' : 'productOnly'}`)} ${c.signedOn}`) },
              { title: t('ibc.reason'), dataIndex: 'reason' },
              { title: t('ibc.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => fmtBeijing(v) },
            ]}
          />
        </Card>
      )}
      <Requirements b={b} canEdit={canEdit} />
    </Space>
  );
}

function Requirements({ b, canEdit }: { b: IbBriefing; canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState<string | null>(null);
  const save = useSetRequirements();
  return (
    <Card size="small" title={t('ibc.requirements')}>
      {!b.requirementsEdited && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t('ibc.requirementsDefault')} />}
      {text === null ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="ibc-requirements">
            {b.requirements}
          </Typography.Paragraph>
          {canEdit && (
            <Button onClick={() => setText(b.requirements)} data-testid="ibc-edit-requirements">
              {t('ibc.editRequirements')}
            </Button>
          )}
        </Space>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea rows={5} value={text} onChange={(e) => setText(e.target.value)} data-testid="ibc-requirements-input" />
          <Button
            type="primary"
            loading={save.isPending}
            data-testid="ibc-save-requirements"
            onClick={() =>
              save.mutate(
                { weekEnd: b.weekEnd, requirements: text },
                {
                  onSuccess: () => {
                    setText(null);
                    void message.success(t('ibc.saved'));
                  },
                },
              )
            }
          >
            {t('common.save')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
