import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Descriptions, Empty, List, Row, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../../api/auth';
import { accessOf } from '../../../access';
import { type Run, useAwardRules } from '../../../api/assessment';
import { yuanOf } from '../../../components/money';
import { useI18n } from '../../../locales';
import { bpText } from '../../quotas/components/LineTargets';
import { AwardRulesEditor } from './AwardRulesEditor';
import { hundredthsText } from '../../../format';

/**
 * 奖励规则 (Art. 17) as configured for the run's year: KPI deductions, special awards, key-project
 * awards, the outlets' performance-pay attribution — and what each rule did to each department.
 */
export function AwardRulesView({ run }: { run: Run }) {
  const { t, pick } = useI18n();
  const rules = useAwardRules(run.nodeId, run.year);
  const { data: me } = useMe();
  const canEdit = accessOf(me).canApproveAssessment;
  const [editing, setEditing] = useState(false);
  const r = run.result;
  if (rules.isLoading) return <Spin style={{ display: 'block', margin: 24 }} />;
  const set = rules.data?.inForce;
  const rs = set?.rules ?? rules.data?.defaults;
  const applied = r.departments.filter((d) => d.notes.length);
  return (
    <Row gutter={16}>
      <Col xs={24} xl={10}>
        <Descriptions size="small" column={1} bordered title={t('assessment.rulesInForce')} data-testid="assessment-rules">
          <Descriptions.Item label={t('assessment.rulesSource')}>{set ? t('assessment.rulesFrom', { node: set.nodeName, year: set.effectiveYear }) : t('assessment.rulesDefault')}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.kpiRules')}>
            {rs?.kpiDeductions.length
              ? rs.kpiDeductions.map((k, i) => <div key={i}>{t('assessment.kpiRule', { below: bpText(k.belowBp), points: hundredthsText(k.deductHundredths), label: k.label ?? '' })}</div>)
              : t('assessment.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.specialRules')}>
            {rs?.specialAwards.length
              ? rs.specialAwards.map((s, i) => <div key={i}>{t('assessment.specialRule', { atLeast: bpText(s.atLeastBp), amount: yuanOf(s.amountFen), label: s.label ?? '' })}</div>)
              : t('assessment.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.keyProjects')}>
            {rs?.keyProjects.length ? rs.keyProjects.map((k) => <div key={k.projectId}>{`${k.label}（#${k.projectId}）：${yuanOf(k.amountFen)} ${t('assessment.yuan')}`}</div>) : t('assessment.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.outletAttribution')}>{rs?.outletAttribution ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>}</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('assessment.rulesHint')}
        </Typography.Paragraph>
        {canEdit && rs ? (
          <>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-award-rules">
              {t('assessment.editRules')}
            </Button>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('assessment.rulesEditHint')}
            </Typography.Paragraph>
            <AwardRulesEditor nodeId={run.nodeId} year={run.year} rules={rs} open={editing} onClose={() => setEditing(false)} />
          </>
        ) : null}
      </Col>
      <Col xs={24} xl={14}>
        <Typography.Title level={5}>{t('assessment.rulesApplied')}</Typography.Title>
        {applied.length ? (
          <List
            size="small"
            bordered
            dataSource={applied}
            data-testid="assessment-rule-lines"
            renderItem={(d) => (
              <List.Item>
                <List.Item.Meta
                  title={d.name}
                  description={d.notes.map((n, i) => (
                    <div key={i}>{pick(n.zh, n.en)}</div>
                  ))}
                />
              </List.Item>
            )}
          />
        ) : (
          <Empty description={t('assessment.noRuleLines')} />
        )}
        {r.outlets.length ? (
          <>
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('assessment.outlets')}
            </Typography.Title>
            <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t('assessment.outletsHint')} />
            <Table
              rowKey="outletNodeId"
              size="small"
              dataSource={r.outlets}
              pagination={{ defaultPageSize: 10 }}
              columns={[
                { title: t('assessment.outlet'), dataIndex: 'name' },
                { title: t('dashboard.sales'), dataIndex: 'sales', align: 'right', width: 80 },
                { title: t('dashboard.points'), key: 'points', align: 'right', width: 100, render: (_, o) => o.points.points },
              ]}
            />
          </>
        ) : null}
      </Col>
    </Row>
  );
}
