import { ModalForm, ProFormDigit, ProFormText } from '@ant-design/pro-components';
import { App, Descriptions, Form } from 'antd';
import { useCreateNode, useUpdateNode } from '../../../api/org';
import type { OrgLevel, OrgNodeDetail } from '../../../api/types';
import { LevelTag } from '../../../components/LevelTag';
import { normalizeCode, normalizeText, parseNumberInput } from '../../../forms/normalize';
import { showSaveError } from '../../../forms/serverErrors';
import { useI18n } from '../../../locales';

interface Props {
  open: boolean;
  mode: 'create' | 'edit';
  node: OrgNodeDetail;
  childLevel: OrgLevel | null;
  onClose(): void;
  /** The new node's id after a create. */
  onDone(createdId?: number): void;
}

interface Values {
  code: string;
  name: string;
  address?: string;
  sort?: number;
}

/** Create a child node under `node`, or edit `node` itself. */
export function NodeForm({ open, mode, node, childLevel, onClose, onDone }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const create = useCreateNode();
  const update = useUpdateNode();
  const creating = mode === 'create';
  const [form] = Form.useForm<Values>();
  return (
    <ModalForm<Values>
      key={`${mode}-${node.id}-${open}`}
      form={form}
      title={creating ? t('org.createTitle') : t('org.editTitle')}
      open={open}
      width={520}
      modalProps={{ onCancel: onClose, destroyOnHidden: true, maskClosable: false }}
      initialValues={creating ? { sort: 0 } : { code: node.code, name: node.name, address: node.address ?? undefined, sort: node.sort }}
      onFinish={async (v) => {
        try {
          if (creating) {
            const created = await create.mutateAsync({
              code: v.code,
              name: v.name,
              level: childLevel!,
              parentId: node.id,
              address: v.address || undefined,
              sort: v.sort ?? 0,
            });
            message.success(t('common.created'));
            onDone(created.id);
          } else {
            await update.mutateAsync({ id: node.id, code: v.code, name: v.name, address: v.address || undefined, sort: v.sort });
            message.success(t('common.saved'));
            onDone();
          }
        } catch (e) {
          showSaveError(form, e, t, (text) => message.error(text), { codeFields: { 'ORG.CODE_TAKEN': 'code', 'ORG.BAD_PARENT': 'code' } });
          return false;
        }
        return true;
      }}
    >
      {creating ? (
        <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('org.parent')}>{node.name}</Descriptions.Item>
          <Descriptions.Item label={t('org.level')}>{childLevel ? <LevelTag level={childLevel} /> : '-'}</Descriptions.Item>
        </Descriptions>
      ) : null}
      <ProFormText
        name="code"
        label={t('org.code')}
        normalize={normalizeCode}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: /^[0-9A-Za-z_-]+$/, message: t('form.codePattern') },
        ]}
      />
      <ProFormText name="name" label={t('org.name')} normalize={normalizeText} rules={[{ required: true, message: t('form.required') }]} />
      <ProFormText name="address" label={t('org.address')} normalize={normalizeText} />
      <ProFormDigit name="sort" label={t('org.sort')} min={0} fieldProps={{ precision: 0, parser: parseNumberInput }} />
    </ModalForm>
  );
}
