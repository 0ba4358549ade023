import { addMonths, clock } from '../../calendar/index.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { validateEntries, writeEntries } from '../whitelists/entries.service.js';
import type { ProgrammeRow } from './supplychain.access.js';

/** The product an admitted supply-chain client draws under (seed 002: 经营快贷 for the enterprise's downstream clients). */
export const SC_PRODUCT = '经营快贷（供应链）';

/**
 * 准入客户导入白名单 (seed 002: "上报融资客户清单，系统导入白名单后通知客户提款"): the admitted client
 * goes into the programme's whitelist batch (code SC-<programme>, owned by the programme's branch,
 * source 'supply_chain') with its limit as the pre-approved amount, valid for the programme's term,
 * routed to its settlement outlet by the whitelist module's one path. The caller's programme scope
 * was checked by the admission; the whitelist's own validation (identifier, amount, outlet code)
 * refuses the admission when the entry would be wrong — all or nothing.
 */
export async function addToWhitelist(
  tx: DbOrTx,
  auth: AuthContext,
  p: Pick<ProgrammeRow, 'code' | 'name' | 'nodeId' | 'nodePath' | 'maxTermMonths'>,
  c: { clientCode: string; clientName: string; idNo: string | null; settlementCode: string | null },
  limitFen: number,
): Promise<number> {
  if (!c.idNo) throw new AppError('SC.ID_REQUIRED', { clientCode: c.clientCode });
  const today = clock.today();
  const entries = [
    { clientName: c.clientName, idNo: c.idNo, amountFen: limitFen, product: SC_PRODUCT, expiresOn: addMonths(today, p.maxTermMonths), settlementCode: c.settlementCode, sourceRef: c.clientCode },
  ];
  const { errors, nodes } = await validateEntries(tx, entries, today);
  if (errors.length) throw new AppError('SC.WHITELIST_REFUSED', { field: errors[0].field, reason: errors[0].zh });
  const r = await writeEntries(
    tx,
    auth,
    { code: `SC-${p.code}`, name: `供应链金融·${p.name}`, ownerNodeId: p.nodeId, ownerPath: p.nodePath, source: 'supply_chain', sourceRef: p.code, entries },
    nodes,
  );
  return r.batchId;
}
