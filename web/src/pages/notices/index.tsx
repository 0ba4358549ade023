import { PageContainer } from '@ant-design/pro-components';
import { Card } from 'antd';
import { useI18n } from '../../locales';
import { NoticeTable } from './NoticeTable';

/** 积分公示: the published months the person may read — their own branch's, and those in their scope. */
export default function NoticesPage() {
  const { t } = useI18n();
  return (
    <PageContainer title={t('notice.listTitle')} subTitle={t('notice.listSubtitle')}>
      <Card size="small">
        <NoticeTable limit={100} />
      </Card>
    </PageContainer>
  );
}
