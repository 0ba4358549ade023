import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProDescriptions, ProFormDatePicker, ProFormDigit, ProFormText } from '@ant-design/pro-components';
import { App, Button, Drawer, Form, Space, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { normalizeText, parseNumberInput } from '../../../forms/normalize';
import { showSaveError } from '../../../forms/serverErrors';
import { type Product, type ScoreVersion, useAddScore, useProduct, useScoreHistory } from '../../../api/products';
import { fmtBeijing, beijingToday } from '../../../format';
import { useI18n } from '../../../locales';
import { useCanWriteProducts } from '../useCanWriteProducts';

interface Props {
  productId: number | null;
  onClose(): void;
  onEdit(p: Product): void;
  onChanged(): void;
}

/** One product: its facts and its unit score versions (effective-dated, never edited; SPEC §6). */
export function ProductDrawer({ productId, onClose, onEdit, onChanged }: Props) {
  const { t } = useI18n();
  const canWrite = useCanWriteProducts();
  const product = useProduct(productId ?? undefined);
  const history = useScoreHistory(productId ?? undefined);
  const p = product.data;
  const today = beijingToday();
  const inForce = (v: ScoreVersion) => v.effectiveFrom <= today && (v.effectiveTo === null || v.effectiveTo >= today);

  return (
    <Drawer
      open={productId !== null}
      onClose={onClose}
      width={720}
      destroyOnHidden
      title={p ? `${p.name}（${p.code}）` : t('product.title')}
      extra={
        p && canWrite ? (
          <Space>
            <Button onClick={() => onEdit(p)}>{t('common.edit')}</Button>
            <AddScore product={p} onAdded={onChanged} />
          </Space>
        ) : null
      }
    >
      {p ? (
        <ProDescriptions column={2} size="small" data-testid="product-facts">
          <ProDescriptions.Item label={t('product.code')}>{p.code}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('product.name')}>{p.name}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('product.line')}>{p.lineName}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('product.hostDepartment')}>{p.hostDepartmentName ?? p.hostDepartmentCode}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('product.unit')}>{p.unit}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('product.mortgage')}>{p.mortgage ? t('common.yes') : t('common.no')}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('product.currentScore')}>{p.score === null ? '-' : t('product.scorePerUnit', { score: p.score, unit: p.unit })}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('common.status')}>{p.active ? t('common.active') : t('common.inactive')}</ProDescriptions.Item>
        </ProDescriptions>
      ) : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('product.scoreHistory')}
      </Typography.Title>
      <Timeline
        style={{ marginTop: 12 }}
        items={(history.data ?? []).map((v) => ({
          color: inForce(v) ? 'green' : 'gray',
          children: (
            <Space>
              <Typography.Text strong>{v.score}</Typography.Text>
              <span>{t('product.fromTo', { from: v.effectiveFrom, to: v.effectiveTo ?? t('product.openEnded') })}</span>
              {inForce(v) ? <Tag color="green">{t('product.inForce')}</Tag> : null}
            </Space>
          ),
        }))}
      />
      <Table<ScoreVersion>
        rowKey="id"
        size="small"
        loading={history.isLoading}
        pagination={false}
        dataSource={history.data ?? []}
        data-testid="score-history"
        columns={[
          { title: t('product.effectiveFrom'), dataIndex: 'effectiveFrom', width: 110 },
          { title: t('product.effectiveTo'), dataIndex: 'effectiveTo', width: 110, render: (v: string | null) => v ?? t('product.openEnded') },
          { title: t('product.unitScore'), dataIndex: 'score', width: 90, align: 'right' },
          { title: t('product.note'), dataIndex: 'note', render: (v: string | null) => v ?? '-' },
          { title: t('product.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtBeijing(v) },
        ]}
      />
    </Drawer>
  );
}

/** 新增分值版本: a score from a day on; sales already on file from that day are re-scored. */
function AddScore({ product, onAdded }: { product: Product; onAdded(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ score: string; effectiveFrom: string; note?: string }>();
  const add = useAddScore();
  return (
    <ModalForm<{ score: string; effectiveFrom: string; note?: string }>
      title={t('product.addScoreTitle', { name: product.name })}
      form={form}
      width={460}
      modalProps={{ destroyOnHidden: true }}
      trigger={
        <Button type="primary" icon={<PlusOutlined />} data-testid="add-score">
          {t('product.addScore')}
        </Button>
      }
      onFinish={async (v) => {
        try {
          const r = await add.mutateAsync({ id: product.id, score: String(v.score), effectiveFrom: dayjs(v.effectiveFrom).format('YYYY-MM-DD'), note: v.note || null });
          message.success(t('product.scoreAdded', { n: r.rescoredSales }));
          onAdded();
          return true;
        } catch (e) {
          showSaveError(form, e, t, (text) => message.error(text), { codeFields: { 'PRODUCT.SCORE_DATE_TAKEN': 'effectiveFrom', 'PRODUCT.BAD_SCORE': 'score' } });
          return false;
        }
      }}
    >
      <ProFormDigit
        name="score"
        label={t('product.unitScoreWithUnit', { unit: product.unit })}
        min={0}
        rules={[{ required: true, message: t('form.required') }]}
        fieldProps={{ precision: 2, step: 0.5, stringMode: true, parser: parseNumberInput }}
      />
      <ProFormDatePicker name="effectiveFrom" label={t('product.effectiveFrom')} rules={[{ required: true, message: t('form.required') }]} extra={t('product.effectiveHint')} />
      <ProFormText name="note" label={t('product.note')} normalize={normalizeText} />
    </ModalForm>
  );
}
