import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Link } from 'react-router-dom';
import { Col, Result, Row, Spin } from 'antd';
import { useWorkbench } from '../../api/workbench';
import { useI18n } from '../../locales';
import { NoticeTable } from '../notices/NoticeTable';
import { ObjectionsCard, PointsCards, QuotaCard, RankCards, SalesCard, TodoCard } from './cards';

/**
 * 首页: the signed-in person's workbench (issue 12). Those who earn points see their month and
 * year, their sales, ranks and quotas first, with the to-dos beside; those who earn none (an
 * administrator, the committee office) see their to-dos first.
 */
export default function OverviewPage() {
  const { t } = useI18n();
  const wb = useWorkbench();
  const w = wb.data;
  if (wb.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!w) return <Result status="warning" title={t('workbench.loadFailed')} />;
  const [y, m] = w.month.split('-');
  const monthText = t('workbench.monthN', { year: y, month: String(Number(m)) });
  const earner = w.points.year.pointsHundredths !== 0 || w.salesTotal > 0;
  const place = [w.me.nodeName, w.me.departmentName].filter(Boolean).join(' · ');
  return (
    <PageContainer title={t('overview.title')} subTitle={t('workbench.subtitle', { name: w.me.name, place, month: monthText })}>
      <Row gutter={[16, 16]} data-testid={earner ? 'wb-earner' : 'wb-todos-first'}>
        {earner ? (
          <>
            <Col xs={24} lg={12}>
              <PointsCards w={w} />
            </Col>
            <Col xs={24} lg={12}>
              <RankCards w={w} />
            </Col>
            <Col xs={24} lg={14}>
              <SalesCard w={w} monthText={monthText} />
            </Col>
            <Col xs={24} lg={10}>
              <Row gutter={[16, 16]}>
                <Col span={24}>
                  <TodoCard w={w} />
                </Col>
                <Col span={24}>
                  <ObjectionsCard w={w} />
                </Col>
              </Row>
            </Col>
          </>
        ) : (
          <>
            <Col xs={24} lg={14}>
              <TodoCard w={w} />
            </Col>
            <Col xs={24} lg={10}>
              <Row gutter={[16, 16]}>
                <Col span={24}>
                  <ObjectionsCard w={w} />
                </Col>
                <Col span={24}>
                  <PointsCards w={w} compact />
                </Col>
              </Row>
            </Col>
            {w.quotas?.length ? (
              <Col span={24}>
                <QuotaCard w={w} />
              </Col>
            ) : null}
          </>
        )}
        <Col span={24}>
          <ProCard title={t('overview.notices')} bordered data-testid="overview-notices" extra={<Link to="/notices">{t('overview.allNotices')}</Link>}>
            <NoticeTable limit={5} compact />
          </ProCard>
        </Col>
      </Row>
    </PageContainer>
  );
}
