import type { DrillParams } from '../../api/report-drill';

/** Console addresses of the drill-down pages (issue 16 part B), carrying the period and product. */
const qs = (p: Omit<DrillParams, 'nodeId'> & { nodeId?: number }) => {
  const s = new URLSearchParams({ from: p.from, to: p.to });
  if (p.nodeId) s.set('nodeId', String(p.nodeId));
  if (p.product) s.set('product', p.product);
  return s.toString();
};

export const drillNodeLink = (p: DrillParams) => `/reports/drill?${qs(p)}`;
export const drillPersonLink = (staffId: number, p: DrillParams) => `/reports/drill/people/${staffId}?${qs({ from: p.from, to: p.to, product: p.product })}`;
export const drillSaleLink = (saleId: number, p: DrillParams) => `/reports/drill/sales/${saleId}?${qs({ from: p.from, to: p.to, product: p.product })}`;

/** The period and product of a drill page, from its address. */
export function drillParams(search: URLSearchParams): DrillParams {
  const nodeId = Number(search.get('nodeId')) || undefined;
  return { from: search.get('from') ?? '', to: search.get('to') ?? '', nodeId, product: search.get('product') ?? undefined };
}
