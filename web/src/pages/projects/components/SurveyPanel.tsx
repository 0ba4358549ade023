import { ProCard } from '@ant-design/pro-components';
import { App, Button, Space, Table, Tag, Typography } from 'antd';
import { apiUrl, download } from '../../../api/client';
import { type SurveyInvitee, type SurveyResponse, useActivitySurvey, useIssueSurvey } from '../../../api/surveys';
import { fmtBeijing } from '../../../format';
import { useI18n } from '../../../locales';

const STATUS_COLORS = { none: 'default', sent: 'blue', expired: 'orange', answered: 'green' } as const;

/** 金融需求调查表 on the event page: issue the codes, each invitee's status, the counts and the responses. */
export function SurveyPanel({ activityId, title }: { activityId: number; title: string }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const s = useActivitySurvey(activityId);
  const issue = useIssueSurvey();
  const d = s.data;
  if (!d) return null;
  const copy = (path: string) => void navigator.clipboard?.writeText(`${location.origin}${path}`).then(() => message.success(t('survey.copied')));
  const answerText = (r: SurveyResponse) => {
    if (!r.answers) return <Typography.Text type="secondary">{t('survey.masked')}</Typography.Text>;
    const a = r.answers;
    const label = (key: string, v: string | null) => {
      const o = d.questions.find((q) => q.key === key)?.options.find((x) => x.value === v);
      return o ? pick(o.zh, o.en) : (v ?? '');
    };
    return (
      <span data-testid="survey-answers">
        {t('survey.a.interests')}：{a.interests.map((i) => label('interests', i)).join('、') || '-'}；{t('survey.a.loan')}：{label('loanIntent', a.loanIntent)}
        {a.loanHorizon ? `（${label('loanHorizon', a.loanHorizon)}）` : ''}；{t('survey.a.invest')}：{label('investBand', a.investBand)}；{t('survey.a.contact')}：{label('contactTime', a.contactTime)}
        {a.note ? `；${a.note}` : ''}
      </span>
    );
  };
  return (
    <ProCard
      bordered
      title={t('survey.panel')}
      style={{ marginTop: 16 }}
      data-testid="survey-panel"
      extra={
        d.mayWork ? (
          <Space wrap>
            {d.issued ? (
              <Button onClick={() => void download(`/surveys/activities/${activityId}/qr-sheet.pdf`, undefined, `${title}-金融需求调查表.pdf`)} data-testid="survey-sheet">
                {t('survey.sheet')}
              </Button>
            ) : null}
            <Button
              type="primary"
              loading={issue.isPending}
              onClick={() => void issue.mutateAsync(activityId).then((r) => message.success(t('survey.issued', { issued: r.issued, renewed: r.renewed })))}
              data-testid="survey-issue"
            >
              {t('survey.issue')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Typography.Paragraph strong data-testid="survey-counts">
        {d.issued ? t('survey.counts', d.counts) : t('survey.notIssued')}
      </Typography.Paragraph>
      {d.generic?.surveyPath ? (
        <Space align="start" style={{ marginBottom: 16 }}>
          <img src={apiUrl(`/surveys/activities/${activityId}/generic.svg`)} width={120} height={120} alt={t('survey.generic')} />
          <div>
            <Typography.Text strong>{t('survey.generic')}</Typography.Text>
            <Typography.Paragraph type="secondary">{t('survey.genericHint')}</Typography.Paragraph>
            <Button size="small" onClick={() => copy(d.generic!.surveyPath!)} data-testid="survey-generic-copy">
              {t('survey.copy')}
            </Button>
          </div>
        </Space>
      ) : null}
      <Table<SurveyInvitee>
        rowKey="inviteeId"
        size="small"
        data-testid="survey-invitees"
        dataSource={d.invitees}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 600 }}
        columns={[
          { title: t('project.person'), dataIndex: 'name', width: 110 },
          { title: t('activity.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '-' },
          {
            title: t('survey.status'),
            dataIndex: 'status',
            width: 100,
            render: (v: SurveyInvitee['status']) => (
              <Tag color={STATUS_COLORS[v]} data-testid="survey-status">
                {t(`survey.status.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('survey.link'),
            width: 200,
            render: (_, r) =>
              r.surveyPath ? (
                <Space>
                  <a href={r.surveyPath} target="_blank" rel="noreferrer" data-testid="survey-link">
                    {t('survey.link')}
                  </a>
                  <Button size="small" onClick={() => copy(r.surveyPath!)}>
                    {t('survey.copy')}
                  </Button>
                </Space>
              ) : (
                '-'
              ),
          },
        ]}
      />
      {d.responses.length ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('survey.responses')}
          </Typography.Title>
          <Table<SurveyResponse>
            rowKey="id"
            size="small"
            data-testid="survey-responses"
            dataSource={d.responses}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            scroll={{ x: 900 }}
            columns={[
              { title: t('project.person'), dataIndex: 'name', width: 110, render: (v: string, r) => (r.walkIn ? `${v}（${t('survey.walkIn')}）` : v) },
              { title: t('activity.phone'), dataIndex: 'phone', width: 120, render: (v: string | null) => v ?? '-' },
              { title: t('survey.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => fmtBeijing(v) },
              { title: t('survey.consentCol'), dataIndex: 'consent', width: 90, render: (v: boolean) => (v ? t('survey.yes') : t('survey.no')) },
              { title: t('survey.leads'), dataIndex: 'leadIds', width: 70, render: (v: number[]) => v.length },
              { title: t('survey.answers'), render: (_, r) => answerText(r) },
            ]}
          />
        </>
      ) : null}
    </ProCard>
  );
}
