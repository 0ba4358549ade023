import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { WhatIfOut } from '@server/modules/assessment/assessment.schemas.js';
import { ProductLineOut } from '@server/modules/products/products.schemas.js';
import { QuotaListOut, QuotaOut } from '@server/modules/quotas/quotas.schemas.js';
import { SaleSplitOut } from '@server/modules/statements/statement.schemas.js';
import { itemList, pagedList } from '@server/http/lists.js';
import { WorkbenchOut } from '@server/modules/workbench/workbench.schemas.js';
import { LeadListOut, RateOut } from '@server/modules/leads/leads.schemas.js';
import { adminWorkbench, answer, lead, leadRate, lines, plan, pooledLead, quota, quotaItems, split, workbench } from './fixtures';

/**
 * The console's side of the contract at run time (issue 11 #4). The types are derived from the
 * server's schemas (api/contract.ts, checked by `npm run typecheck`); here the answers the
 * component tests feed the pages must also be exactly what those schemas send: parsing keeps every
 * key and value, so a fixture with a stale or missing field fails.
 */
const sends = <S extends z.ZodType>(schema: S, body: unknown) => expect(schema.parse(body)).toEqual(body);

describe('the console fixtures are what the server sends', () => {
  it('a sale split', () => sends(SaleSplitOut, split));
  it('a what-if', () => sends(WhatIfOut, answer));
  it('a year of quotas', () => {
    sends(QuotaListOut, { plan, items: [quota] });
    for (const q of quotaItems) sends(QuotaOut, q);
  });
  it('the product lines', () => sends(itemList(ProductLineOut), lines));
  it('a workbench', () => {
    sends(WorkbenchOut, workbench);
    sends(WorkbenchOut, adminWorkbench);
  });
  it('leads and their handling rate', () => {
    sends(LeadListOut, { items: [lead, pooledLead], total: 2, page: 1, pageSize: 20 });
    sends(RateOut, leadRate);
  });
  it('a page of a list', () => sends(pagedList(QuotaOut), { items: [quota], total: 41, page: 3, pageSize: 20 }));
});
