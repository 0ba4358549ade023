import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as form from '@server/modules/sales/sales.form.schemas.js';
import { api } from './client';
import type { Out } from './contract';

/**
 * The one-sale form's API (issue 12): the split preview, the correction preview and the pickers a
 * recorder may use without staff or org read access. Types derived from sales.form.schemas.ts.
 */
export type SaleFormBody = z.input<typeof form.FormSaleBody>;
export type SalePreview = Out<typeof form.SalePreviewOut>;
export type CorrectionPreviewBody = z.input<typeof form.CorrectionPreviewBody>;
export type CorrectionPreview = Out<typeof form.CorrectionPreviewOut>;
export type PickDepartment = Out<typeof form.PickDepartmentOut>;
export type PickStaff = Out<typeof form.PickStaffOut>;
export type PickClient = Out<typeof form.PickClientOut>;

/** Silent: the form shows a preview's refusal beside the preview, not as a toast. */
export const previewSale = (body: SaleFormBody) => api<SalePreview>('/sales/preview', { method: 'POST', body, silent: true });
export const recordSale = (body: SaleFormBody) => api<{ status: 'created' | 'duplicate'; saleId: number; sourceId: string }>('/sales', { method: 'POST', body, silent: true });
export const previewCorrection = (saleId: number, body: CorrectionPreviewBody, silent = true) => api<CorrectionPreview>(`/sales/${saleId}/correction-preview`, { method: 'POST', body, silent });

export function usePickDepartments() {
  return useQuery({
    queryKey: ['sales', 'pickers', 'departments'],
    queryFn: () => api<{ items: PickDepartment[] }>('/sales/pickers/departments').then((r) => r.items),
    staleTime: 60_000,
  });
}

export const pickStaff = (q: string, nodeId?: number) => api<{ items: PickStaff[] }>('/sales/pickers/staff', { query: { q, nodeId } }).then((r) => r.items);
export const pickClients = (q: string) => api<{ items: PickClient[] }>('/sales/pickers/clients', { query: { q } }).then((r) => r.items);
