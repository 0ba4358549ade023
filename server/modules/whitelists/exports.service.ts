import { sql } from 'drizzle-orm';
import { beijingDay, clock } from '../../calendar/index.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import type { NoticeLayout } from '../periods/notice.pdf.js';
import { getSetting } from '../settings/settings.routes.js';
import { actorOf, assertBatch, assertEntry, inScope } from './whitelists.access.js';
import { fenToWanYuan, maskIdNo, maskName, maskPhone } from './whitelists.rules.js';

/**
 * Remote campaigns (seed 002 结现部: 短信和95588坐席) and the introduction letter (seed 002 "被客户当成
 * 是诈骗电话"). Two lists, masked by who receives them (decision 0036):
 *  - SMS vendor: masked name (张*), masked phone (138****5678), product, amount, expiry, hotline —
 *    the vendor merges the text; the bank's SMS gateway resolves 编号 to the number, so the vendor
 *    never holds a whole number.
 *  - call centre (坐席): masked name and identifier, the WHOLE phone (an agent has to dial it), product,
 *    amount, expiry, the settlement outlet — nothing more.
 * Only open entries with a phone (未联系/已联系/有意向) go out; each export is audited with its counts.
 */

export type ListKind = 'sms' | 'call';

export interface ExportColumn {
  key: string;
  header: string;
  width: number;
}

export const LIST_COLUMNS: Record<ListKind, ExportColumn[]> = {
  sms: [
    { key: 'ref', header: '编号', width: 10 },
    { key: 'name', header: '客户称呼', width: 24 },
    { key: 'phone', header: '手机号（脱敏）', width: 16 },
    { key: 'product', header: '产品', width: 12 },
    { key: 'amount', header: '预授信额度(万元)', width: 16 },
    { key: 'expiresOn', header: '到期日', width: 12 },
    { key: 'hotline', header: '核实热线', width: 12 },
  ],
  call: [
    { key: 'ref', header: '编号', width: 10 },
    { key: 'name', header: '客户称呼', width: 24 },
    { key: 'phone', header: '手机号', width: 14 },
    { key: 'idNo', header: '证件号（脱敏）', width: 22 },
    { key: 'product', header: '产品', width: 12 },
    { key: 'amount', header: '预授信额度(万元)', width: 16 },
    { key: 'expiresOn', header: '到期日', width: 12 },
    { key: 'outlet', header: '结算网点', width: 20 },
    { key: 'hotline', header: '核实热线', width: 12 },
  ],
};

export async function campaignList(db: Db, auth: AuthContext, batchId: number, kind: ListKind, campaignId?: number) {
  const b = await assertBatch(db, auth, 'whitelist.manage', batchId);
  const hotline = await getSetting(db, 'whitelist.hotline');
  return db.transaction(async (tx) => {
    const list = await rows<{ id: number; clientName: string; idKind: 'uscc' | 'id_card'; idNo: string; phone: string; amountFen: number; product: string; expiresOn: string; outlet: string | null }>(
      tx,
      sql`SELECT e.id, e.client_name AS "clientName", e.id_kind AS "idKind", e.id_no AS "idNo", e.phone, e.amount_fen AS "amountFen", e.product,
                 to_char(e.expires_on, 'YYYY-MM-DD') AS "expiresOn", n.name AS outlet
            FROM whitelist_entries e JOIN org_nodes n ON n.id = e.outlet_node_id
           WHERE e.batch_id = ${batchId} AND e.phone IS NOT NULL AND e.status IN ('not_contacted', 'contacted', 'interested') AND e.expires_on >= ${clock.today()}::date
             AND ${inScope(auth, 'whitelist.manage', sql`n.path`)}
             ${campaignId ? sql`AND e.id IN (SELECT entry_id FROM whitelist_campaign_members WHERE campaign_id = ${campaignId})` : sql``}
           ORDER BY e.id`,
    );
    if (campaignId) {
      const [c] = await rows<{ id: number }>(tx, sql`SELECT id FROM whitelist_campaigns WHERE id = ${campaignId} AND batch_id = ${batchId}`);
      if (!c) throw new AppError('WL.CAMPAIGN_NOT_FOUND', { id: campaignId });
    }
    const out = list.map((e) => ({
      ref: e.id,
      name: maskName(e.clientName, e.idKind),
      phone: kind === 'sms' ? maskPhone(e.phone) : e.phone,
      idNo: maskIdNo(e.idNo),
      product: e.product,
      amount: fenToWanYuan(Number(e.amountFen)),
      expiresOn: e.expiresOn,
      outlet: e.outlet ?? '',
      hotline,
    }));
    await appendAudit(tx, actorOf(auth), {
      action: 'whitelist.export',
      entity: 'whitelist_batch',
      entityId: batchId,
      nodeId: b.ownerNodeId,
      after: { list: kind, campaignId: campaignId ?? null, rows: out.length, columns: LIST_COLUMNS[kind].map((c) => c.key) },
    });
    return { batchCode: b.code, rows: out };
  });
}

/** CSV with a BOM (Excel opens it as UTF-8); cells that start like a formula are quoted with a leading '. */
export function toCsv(columns: ExportColumn[], data: Record<string, unknown>[]): string {
  const cell = (v: unknown) => {
    let s = v == null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + [columns.map((c) => cell(c.header)).join(','), ...data.map((r) => columns.map((c) => cell(r[c.key])).join(','))].join('\r\n') + '\r\n';
}

/**
 * 营销联系函: printed by the outlet for one client, so he can check the caller is genuine — the
 * bank's official hotline (setting whitelist.hotline), the outlet's address, the staff member's
 * name and number, and what the bank never asks for.
 */
export async function letterLayout(db: DbOrTx, auth: AuthContext, entryId: number): Promise<NoticeLayout> {
  await assertEntry(db, auth, 'whitelist.read', entryId);
  const [e] = await rows<{ clientName: string; amountFen: number; product: string; expiresOn: string; outlet: string; address: string | null; staffName: string | null; staffNo: string | null }>(
    db,
    sql`SELECT e.client_name AS "clientName", e.amount_fen AS "amountFen", e.product, to_char(e.expires_on, 'YYYY-MM-DD') AS "expiresOn",
               n.name AS outlet, n.address, s.name AS "staffName", s.staff_no AS "staffNo"
          FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id JOIN org_nodes n ON n.id = coalesce(e.outlet_node_id, b.owner_node_id) LEFT JOIN staff s ON s.id = e.staff_id
         WHERE e.id = ${entryId}`,
  );
  const bank = await getSetting(db, 'bank.name');
  const hotline = await getSetting(db, 'whitelist.hotline');
  return {
    title: `${bank}经营快贷业务联系函`,
    lines: [
      `尊敬的${e.clientName}：`,
      `感谢您长期以来对${bank}的信任与支持。经我行评估，您（贵单位）已获得“${e.product}”预授信额度 ${fenToWanYuan(Number(e.amountFen))} 万元，有效期至 ${e.expiresOn}。`,
      `本函由${bank}${e.outlet}${e.staffName ? `工作人员 ${e.staffName}（工号 ${e.staffNo}）` : ''}递送，我行工作人员将通过电话或上门与您联系。`,
      `为防范电信网络诈骗，请您拨打我行官方客服热线 ${hotline} 核实本函及来电人员身份，或到 ${e.outlet} 现场咨询。`,
      '温馨提示：我行工作人员不会要求您向任何个人账户转账，不会索要短信验证码、银行卡密码，也不会收取任何“手续费”“保证金”。',
    ],
    tables: [
      {
        title: '联系信息',
        headers: ['项目', '内容'],
        widths: [1, 3],
        numeric: [],
        rows: [
          ['官方客服热线', hotline],
          ['办理网点', e.outlet],
          ['网点地址', e.address ?? '—'],
          ['联系人', e.staffName ? `${e.staffName}（工号 ${e.staffNo}）` : '—'],
        ],
      },
    ],
    footer: [`${bank}${e.outlet}`, beijingDay(clock.now())],
  };
}
