import { Drawer, Form } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../../locales';
import { SaleForm } from './SaleForm';
import type { SaleFormValues } from './saleFormValues';

/** 登记销售: the one-sale form in a drawer wide enough for the pickers at 1366×768. */
export function RecordSaleDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (saleId: number) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<SaleFormValues>();
  const qc = useQueryClient();
  return (
    <Drawer title={t('saleForm.recordTitle')} open={open} onClose={onClose} width={Math.min(920, window.innerWidth - 48)} destroyOnHidden data-testid="record-sale-drawer">
      <SaleForm
        mode="record"
        form={form}
        onSaved={(id) => {
          void qc.invalidateQueries({ queryKey: ['sales'] });
          form.resetFields();
          onSaved(id);
        }}
      />
    </Drawer>
  );
}
