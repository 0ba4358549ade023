import { PageContainer } from '@ant-design/pro-components';
import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { accessOf } from '../../access';
import { useI18n } from '../../locales';
import { GradesTab } from './components/GradesTab';
import { NearTab } from './components/NearTab';
import { RegistrationsTab } from './components/RegistrationsTab';
import { ScreeningTab } from './components/ScreeningTab';
import { TiersTab } from './components/TiersTab';

const TABS = ['screening', 'registrations', 'near', 'tiers', 'grades'] as const;
type Tab = (typeof TABS)[number];

/** 贵宾客户识别 (SPEC §5, Art. 15): screening → registration → one-to-one → AM; the 临界 list; tiers and grades. */
export default function VipPage() {
  const { t } = useI18n();
  const access = accessOf(useMe().data);
  const [search, setSearch] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'screening';
  const body: Record<Tab, React.ReactNode> = {
    screening: <ScreeningTab canManage={access.canManageVip} />,
    registrations: <RegistrationsTab canManage={access.canManageVip} />,
    near: <NearTab />,
    tiers: <TiersTab canConfigure={access.canConfigureVip} />,
    grades: <GradesTab canManage={access.canManageVip} />,
  };
  return (
    <PageContainer title={t('vip.title')} subTitle={t('vip.subtitle')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setSearch({ tab: k }, { replace: true })}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`vip-tab-${k}`}>{t(`vip.tab.${k}`)}</span>, children: tab === k ? body[k] : null }))}
      />
    </PageContainer>
  );
}
