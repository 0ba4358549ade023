import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProDescriptions, ProFormDatePicker, ProFormDigit } from '@ant-design/pro-components';
import { App, Button, Drawer, Form, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useMe } from '../../../api/auth';
import { ApiError } from '../../../api/client';
import { type Development, type Figures, useAddFigures, useFigures } from '../../../api/sales';
import { accessOf } from '../../../access';
import { fmtBeijing, beijingToday } from '../../../format';
import { useI18n } from '../../../locales';

/** A development's cumulative figures over time, and (development.write) new figures as of a day. */
export function FiguresDrawer({ development: d, onClose }: { development: Development | null; onClose(): void }) {
  const { t } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const figures = useFigures(d?.id);
  return (
    <Drawer open={d !== null} onClose={onClose} width={720} destroyOnHidden title={d ? `${d.name}（${d.code}）` : ''} extra={d && access.canWriteDevelopments ? <AddFigures development={d} /> : null}>
      {d ? (
        <ProDescriptions column={2} size="small">
          <ProDescriptions.Item label={t('development.developer')}>{d.developerName}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('development.node')}>{d.nodeName}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('development.lenderMode')}>{t(`development.mode.${d.lenderMode}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('development.loanShare')}>{d.loanShare ? `${d.loanShare}%` : '-'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('development.threshold')} span={2}>
            {t('development.thresholdRule', { threshold: d.threshold })}
          </ProDescriptions.Item>
        </ProDescriptions>
      ) : null}
      <Table<Figures>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        pagination={false}
        loading={figures.isLoading}
        dataSource={figures.data ?? []}
        columns={[
          { title: t('development.asOf'), dataIndex: 'asOf', width: 110 },
          { title: t('development.totalHouseholds'), dataIndex: 'totalHouseholds', align: 'right' },
          { title: t('development.bankHouseholds'), dataIndex: 'bankHouseholds', align: 'right' },
          { title: t('development.ratio'), dataIndex: 'ratio', align: 'right', render: (v: string | null) => (v ? `${v}%` : '-') },
          {
            title: t('development.verdict'),
            dataIndex: 'meetsThreshold',
            render: (v: boolean) => (v ? <Tag color="green">{t('development.pass')}</Tag> : <Tag color="red">{t('development.fail')}</Tag>),
          },
          { title: t('product.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtBeijing(v) },
        ]}
      />
    </Drawer>
  );
}

interface FigureValues {
  asOf: string;
  totalHouseholds: number;
  bankHouseholds: number;
}

const FIELD_OF: Record<string, keyof FigureValues> = {
  'DEVELOPMENT.BANK_EXCEEDS_TOTAL': 'bankHouseholds',
  'DEVELOPMENT.FUTURE_DATE': 'asOf',
  'DEVELOPMENT.FIGURE_DATE_TAKEN': 'asOf',
};

function AddFigures({ development }: { development: Development }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FigureValues>();
  const add = useAddFigures();
  return (
    <ModalForm<FigureValues>
      title={t('development.addFigures')}
      form={form}
      width={440}
      modalProps={{ destroyOnHidden: true }}
      initialValues={{ asOf: beijingToday() }}
      trigger={
        <Button type="primary" icon={<PlusOutlined />}>
          {t('development.addFigures')}
        </Button>
      }
      onFinish={async (v) => {
        try {
          await add.mutateAsync({ id: development.id, asOf: dayjs(v.asOf).format('YYYY-MM-DD'), totalHouseholds: v.totalHouseholds, bankHouseholds: v.bankHouseholds });
          message.success(t('common.saved'));
          return true;
        } catch (e) {
          if (e instanceof ApiError && FIELD_OF[e.code]) form.setFields([{ name: FIELD_OF[e.code], errors: [e.message] }]);
          else if (e instanceof ApiError) message.error(e.message);
          return false;
        }
      }}
    >
      <ProFormDatePicker name="asOf" label={t('development.asOf')} rules={[{ required: true, message: t('form.required') }]} extra={t('development.cumulativeHint')} />
      <ProFormDigit name="totalHouseholds" label={t('development.totalHouseholds')} min={0} fieldProps={{ precision: 0 }} rules={[{ required: true, message: t('form.required') }]} />
      <ProFormDigit name="bankHouseholds" label={t('development.bankHouseholds')} min={0} fieldProps={{ precision: 0 }} rules={[{ required: true, message: t('form.required') }]} />
    </ModalForm>
  );
}
