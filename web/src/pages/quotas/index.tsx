import { CloudUploadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Empty, Space, Spin, Tabs } from 'antd';
import { Link } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { downloadQuotas, useQuotas } from '../../api/quotas';
import { accessOf } from '../../access';
import ExportButton from '../../components/ExportButton';
import { useI18n } from '../../locales';
import { BranchYearPicker, useBranchYear } from './components/BranchYear';
import { LineTargets } from './components/LineTargets';
import { PlanCard } from './components/PlanCard';
import { QuotaTable } from './components/QuotaTable';
import { Versions } from './components/Versions';

/**
 * 营销任务 (SPEC §10, Art. 16–18): a branch's quotas per department × product for a year, the retail
 * line targets and the 10 % helper, the committee's approval (four-eyes) and the approved versions.
 */
export default function QuotasPage() {
  const { t } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const { nodeId, year, choose, loadingNodes, search } = useBranchYear();
  const list = useQuotas(nodeId, year);
  const tab = search.get('tab') ?? 'quotas';

  return (
    <PageContainer
      title={t('quota.title')}
      subTitle={t('quota.subtitle')}
      extra={
        <Space wrap>
          {nodeId ? <ExportButton onExport={() => downloadQuotas(nodeId, year)} /> : null}
          {access.canWriteQuotas ? (
            <Link to="/imports?kind=quotas" data-testid="quota-import-link">
              <Button icon={<CloudUploadOutlined />}>{t('quota.importExcel')}</Button>
            </Link>
          ) : null}
        </Space>
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <BranchYearPicker nodeId={nodeId} year={year} onChange={(p) => choose({ node: p.node, year: p.year })} testId="quota" />
      </Card>
      {!nodeId ? (
        loadingNodes ? (
          <Spin style={{ display: 'block', margin: 48 }} />
        ) : (
          <Empty description={t('quota.chooseBranch')} />
        )
      ) : list.isLoading ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : !list.data ? (
        <Empty description={t('common.noData')} />
      ) : (
        <>
          <PlanCard nodeId={nodeId} year={year} plan={list.data.plan} />
          <Card size="small">
            <Tabs
              activeKey={tab}
              onChange={(k) => choose({ tab: k })}
              items={[
                {
                  key: 'quotas',
                  label: `${t('quota.tab.quotas')}（${list.data.items.length}）`,
                  children: <QuotaTable nodeId={nodeId} year={year} items={list.data.items} />,
                },
                { key: 'helper', label: t('quota.tab.helper'), children: <LineTargets nodeId={nodeId} year={year} /> },
                {
                  key: 'versions',
                  label: `${t('quota.tab.versions')}（${list.data.plan.versions.length}）`,
                  children: <Versions nodeId={nodeId} year={year} plan={list.data.plan} items={list.data.items} />,
                },
              ]}
            />
          </Card>
        </>
      )}
    </PageContainer>
  );
}
