import { ModalForm, ProFormDatePicker, ProFormDigit, ProFormText } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { type VipTier, useSaveTier, useVipTiers, gradeKey } from '../../../api/vip';
import { beijingToday } from '../../../format';
import { fmtMoney, fenOfYuan } from '../../../components/money';
import { useI18n } from '../../../locales';

interface TierForm {
  code: string;
  nameZh: string;
  nameEn: string;
  rank: number;
  aumYuan: number;
  minProducts?: number;
  requiredProductCode?: string;
  requiredGrade: number;
  validFrom: string;
}

/** 等级标准: the tiers in force, or every version; a change is a new version (bank-wide). */
export function TiersTab({ canConfigure }: { canConfigure: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [history, setHistory] = useState(false);
  const list = useVipTiers(history);
  const save = useSaveTier();
  const unit = { yuan: t('unit.yuan'), wan: t('unit.wan') };
  return (
    <Card size="small">
      <Alert type="info" showIcon message={t('vip.tiersBankWide')} style={{ marginBottom: 12 }} />
      <Space style={{ marginBottom: 12 }}>
        <Switch checked={history} onChange={setHistory} data-testid="vip-tier-history" /> <Typography.Text>{t('vip.history')}</Typography.Text>
        {canConfigure ? (
          <ModalForm<TierForm>
            title={t('vip.addTier')}
            trigger={
              <Button icon={<PlusOutlined />} type="primary" data-testid="vip-add-tier">
                {t('vip.addTier')}
              </Button>
            }
            initialValues={{ validFrom: beijingToday(), minProducts: 0 }}
            modalProps={{ destroyOnHidden: true }}
            onFinish={async (v) => {
              await save.mutateAsync({
                code: v.code,
                nameZh: v.nameZh,
                nameEn: v.nameEn,
                rank: v.rank,
                aumThresholdFen: fenOfYuan(v.aumYuan)!,
                minProducts: v.minProducts ?? 0,
                requiredProductCode: v.requiredProductCode || null,
                requiredGrade: v.requiredGrade,
                validFrom: v.validFrom,
              });
              message.success(t('vip.tierSaved'));
              return true;
            }}
          >
            <ProFormText name="code" label={t('vip.code')} rules={[{ required: true }]} />
            <ProFormText name="nameZh" label={t('vip.nameZh')} rules={[{ required: true }]} />
            <ProFormText name="nameEn" label={t('vip.nameEn')} rules={[{ required: true }]} />
            <ProFormDigit name="rank" label={t('vip.tierRank')} min={1} max={99} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
            <ProFormDigit name="aumYuan" label={t('vip.aumThreshold')} min={0.01} fieldProps={{ precision: 2 }} rules={[{ required: true }]} />
            <ProFormDigit name="minProducts" label={t('vip.minProducts')} min={0} max={50} fieldProps={{ precision: 0 }} />
            <ProFormText name="requiredProductCode" label={t('vip.requiredProduct')} />
            <ProFormDigit name="requiredGrade" label={t('vip.requiredGrade')} min={1} max={5} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
            <ProFormDatePicker
              name="validFrom"
              label={t('vip.validFrom')}
              fieldProps={{ format: 'YYYY-MM-DD' }}
              transform={(v: string) => ({ validFrom: String(v).slice(0, 10) })}
              rules={[{ required: true }]}
            />
          </ModalForm>
        ) : null}
      </Space>
      <Table<VipTier>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="vip-tiers-table"
        pagination={false}
        scroll={{ x: 1100 }}
        columns={[
          { title: t('vip.code'), dataIndex: 'code', width: 100 },
          { title: t('vip.nameZh'), dataIndex: 'nameZh', width: 110, render: (v: string) => <Tag color="gold">{v}</Tag> },
          { title: t('vip.nameEn'), dataIndex: 'nameEn', width: 110 },
          { title: t('vip.tierRank'), dataIndex: 'rank', width: 70, align: 'right' },
          { title: t('vip.threshold'), dataIndex: 'aumThresholdFen', width: 140, align: 'right', render: (v: number) => fmtMoney(v, unit) },
          { title: t('vip.minProducts'), dataIndex: 'minProducts', width: 110, align: 'right' },
          { title: t('vip.requiredProduct'), dataIndex: 'requiredProductCode', width: 100, render: (v: string | null) => v ?? '-' },
          { title: t('vip.requiredGrade'), dataIndex: 'requiredGrade', width: 120, render: (g: number) => t(gradeKey(g)) },
          { title: t('vip.validFrom'), dataIndex: 'validFrom', width: 110 },
          { title: t('vip.validTo'), dataIndex: 'validTo', width: 110, render: (v: string | null) => v ?? '-' },
          { title: '', dataIndex: 'inForce', width: 100, render: (v: boolean) => (v ? <Tag color="green">{t('vip.inForce')}</Tag> : <Tag>{t('vip.notInForce')}</Tag>) },
        ]}
      />
    </Card>
  );
}
