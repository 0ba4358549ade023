import { PageContainer, ProCard, StatisticCard } from '@ant-design/pro-components';
import { Descriptions, Space, Tag, Typography } from 'antd';
import { useMe } from '../../api/auth';
import { useOrgNodes } from '../../api/org';
import { useStaffPage } from '../../api/staff';
import { ORG_LEVELS } from '../../api/types';
import { accessOf } from '../../access';
import { LevelTag } from '../../components/LevelTag';
import { useI18n } from '../../locales';
import { Link } from 'react-router-dom';
import { NoticeTable } from '../notices/NoticeTable';

/** 首页: who I am, where I sit, and how big my part of the bank is. */
export default function OverviewPage() {
  const { t, lang } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const nodes = useOrgNodes(access.canReadOrg);
  const staff = useStaffPage({ page: 1, pageSize: 1 }, access.canReadStaff);
  const active = useStaffPage({ page: 1, pageSize: 1, active: true }, access.canReadStaff);
  const list = nodes.data ?? [];
  const byLevel = ORG_LEVELS.map((level) => ({
    level,
    nodes: list.filter((n) => n.level === level).length,
    staff: list.filter((n) => n.level === level).reduce((s, n) => s + n.staffCount, 0),
  })).filter((r) => r.nodes > 0);

  return (
    <PageContainer title={t('overview.title')} subTitle={t('overview.subtitle')}>
      <ProCard gutter={[16, 16]} wrap ghost>
        <ProCard colSpan={{ xs: 24, lg: 10 }} title={t('overview.me')} bordered data-testid="overview-me">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('staff.name')}>{me?.name}</Descriptions.Item>
            <Descriptions.Item label={t('staff.staffNo')}>{me?.staffNo}</Descriptions.Item>
            <Descriptions.Item label={t('overview.myNode')}>{me?.nodeName}</Descriptions.Item>
            <Descriptions.Item label={t('overview.myRoles')}>
              <Space wrap size={[4, 4]}>
                {me?.grants.map((g) => (
                  <Tag key={`${g.role}-${g.scopeNodeId}`} color="red">
                    {lang === 'en' ? g.roleEn : g.roleZh} · {g.scopeName}
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard colSpan={{ xs: 24, lg: 14 }} ghost gutter={[16, 16]} wrap>
          <StatisticCard colSpan={{ xs: 24, md: 8 }} bordered loading={nodes.isLoading} statistic={{ title: t('overview.nodes'), value: access.canReadOrg ? list.length : '-' }} />
          {access.canReadStaff ? (
            <>
              <StatisticCard colSpan={{ xs: 24, md: 8 }} bordered loading={staff.isLoading} statistic={{ title: t('overview.staff'), value: staff.data?.total ?? 0 }} />
              <StatisticCard colSpan={{ xs: 24, md: 8 }} bordered loading={active.isLoading} statistic={{ title: t('overview.activeStaff'), value: active.data?.total ?? 0 }} />
            </>
          ) : null}
        </ProCard>
        <ProCard colSpan={24} title={t('overview.notices')} bordered data-testid="overview-notices" extra={<Link to="/notices">{t('overview.allNotices')}</Link>}>
          <NoticeTable limit={5} compact />
        </ProCard>
        <ProCard colSpan={24} title={t('overview.byLevel')} bordered loading={nodes.isLoading} data-testid="overview-by-level">
          {byLevel.length === 0 ? (
            <Typography.Text type="secondary">{t('common.noData')}</Typography.Text>
          ) : (
            <ProCard ghost gutter={[16, 16]} wrap>
              {byLevel.map((r) => (
                <StatisticCard
                  key={r.level}
                  colSpan={{ xs: 12, md: 24 / Math.min(byLevel.length, 5) }}
                  bordered
                  statistic={{
                    title: <LevelTag level={r.level} />,
                    value: r.nodes,
                    suffix: t('overview.nodeUnit'),
                    description: <Typography.Text type="secondary">{t('overview.staffAtLevel', { n: r.staff })}</Typography.Text>,
                  }}
                />
              ))}
            </ProCard>
          )}
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
