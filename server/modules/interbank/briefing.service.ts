import { type DbOrTx } from '../../db/client.js';
import { beijingTime } from '../../calendar/index.js';
import { type AuthContext, isBankWide } from '../access/context.js';
import type { NoticeLayout } from '../periods/notice.pdf.js';
import { formatBp, formatPercent } from './coverage.rules.js';
import { lineFilter } from './coverage.service.js';
import { readSnapshot } from './snapshots.service.js';

/**
 * 周通报 (seed 000): the stored snapshot of a week as the reader may see it. The province office
 * (interbank.read at province level or the root) reads everything. A tier-2 branch reads the
 * province's totals, the association's figures and counts, and of the per-branch material only its
 * own: its line with the flag, its additions, its interested clients, landings and corrections — the
 * list of other branches under the line stays province-level (decision 0034).
 */
export async function readBriefing(db: DbOrTx, auth: AuthContext, weekEnd: string) {
  const s = await readSnapshot(db, weekEnd);
  const sees = await lineFilter(db, auth);
  const d = s.data;
  const lines = d.lines.filter((l) => sees(l.nodeId));
  return {
    weekEnd: s.weekEnd,
    takenAt: s.takenAt,
    takenBy: s.takenBy,
    provinceLevel: isBankWide(auth, 'interbank.read'),
    requirements: s.requirements ?? d.defaultRequirements,
    requirementsEdited: s.requirements !== null,
    requirementsBy: s.requirementsBy,
    requirementsAt: s.requirementsAt,
    data: {
      ...d,
      lines,
      prospects: d.prospects.filter((p) => sees(p.nodeId)),
      prospectCount: d.prospects.length,
      landings: d.landings.filter((p) => sees(p.nodeId)),
      corrections: d.corrections.filter((p) => sees(p.nodeId)),
    },
  };
}

export type Briefing = Awaited<ReturnType<typeof readBriefing>>;

const zhDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
const STAGE_ZH: Record<string, string> = {
  contacted: '已接触',
  negotiating: '洽谈中',
  approving: '审批中',
  ready: '待签约',
  intent: '意向',
  testing: '测试中',
  contracting: '签约流程中',
  landed: '已落地',
};
const KIND_ZH: Record<string, string> = { framework: '框架协议', product: '产品协议' };

/** The briefing's prose: the headline paragraphs, in the words of the bank's own 通报. */
export function briefingParagraphs(b: Briefing): string[] {
  const d = b.data;
  const p = d.province;
  const flagged = d.lines.filter((l) => l.flagged);
  const added = d.lines.filter((l) => l.added !== 0).map((l) => `${l.nodeName}${l.added > 0 ? '' : '减少'}${Math.abs(l.added)}户`);
  const change = p.added === 0 ? '与上周持平' : `较上周${p.added > 0 ? '增加' : '减少'}${Math.abs(p.added)}户${added.length ? `（${added.join('、')}）` : ''}`;
  const out = [
    `（一）总体完成情况：截至${zhDay(d.weekEnd)}，我行已签约${p.signed}户（其中单方签约${p.unilateral}户），${change}，签约覆盖率${formatPercent(p.coverageBp)}（上周${formatPercent(p.previousCoverageBp)}）。其中框架协议客户${p.framework}户，仅签产品协议客户${p.productOnly}户，辖内金融机构客户${p.institutions}户。`,
  ];
  if (b.provinceLevel)
    out.push(
      flagged.length
        ? `${flagged.map((l) => l.nodeName).join('、')}共${flagged.length}家二级分行签约覆盖率低于${formatPercent(d.thresholdBp)}，请认真研究对策，尽快取得营销成效。省分行将对上述行实行每周督导，落实营销进度，必要时协助营销。`
        : `各二级分行签约覆盖率均不低于${formatPercent(d.thresholdBp)}。`,
    );
  else for (const l of d.lines) out.push(`${l.nodeName}签约覆盖率${formatBp(l.coverageBp)}${l.flagged ? `，低于${formatPercent(d.thresholdBp)}，列入省分行每周督导` : ''}。`);
  const a = d.association;
  out.push(
    a.institutions === 0
      ? '（二）省联社及辖内农合机构签约情况：暂无登记在管辖关系中的省联社及辖内农合机构。'
      : `（二）省联社及辖内农合机构签约情况：已与${a.names.length ? a.names.join('、') : '省联社'}及辖内农合机构签约${a.signed}户，签约覆盖率${formatPercent(a.coverageBp)}，未签约客户${a.unsigned}户。`,
  );
  out.push(`（三）有意向签约的客户：目前有意向签约客户${d.prospectCount}户，请加快营销，尽快完成签约，每周按时报送营销进度。`);
  return out;
}

/** The briefing as a printable layout (the notice renderer's shape: lines, tables, footer). */
export function briefingLayout(b: Briefing, bankName: string): NoticeLayout {
  const d = b.data;
  const tables: NoticeLayout['tables'] = [
    {
      title: '各二级分行签约覆盖情况',
      headers: ['二级分行', '辖内机构', '已签约', '本周新增', '框架协议', '仅产品协议', '覆盖率', '考核完成率', '督导'],
      widths: [2, 1, 1, 1, 1, 1.1, 1.2, 1.3, 0.8],
      numeric: [1, 2, 3, 4, 5, 6, 7],
      rows: d.lines.map((l) => [
        l.nodeName,
        String(l.institutions),
        String(l.signed),
        String(l.added),
        String(l.framework),
        String(l.productOnly),
        formatBp(l.coverageBp),
        `${formatBp(l.scoreBp)}${l.scoreBasis === 'steps' ? '（档）' : ''}`,
        l.flagged ? '是' : '',
      ]),
    },
    {
      title: `有意向签约客户（${d.prospectCount}户）`,
      headers: ['客户', '二级分行', '阶段', '下一步'],
      widths: [2.5, 1.5, 1, 3],
      numeric: [],
      rows: d.prospects.map((p) => [p.institutionName, p.nodeName, STAGE_ZH[p.stage] ?? p.stage, [p.nextStep, p.nextStepOn].filter(Boolean).join(' ')]),
    },
    {
      title: '（四）推动服务落地',
      headers: ['客户', '二级分行', '产品', '进展', '日期', '说明'],
      widths: [2, 1.3, 2, 1.1, 1.1, 2.5],
      numeric: [],
      rows: d.landings.map((l) => [l.institutionName, l.nodeName, l.product, STAGE_ZH[l.stage] ?? l.stage, l.stageOn, l.note ?? '']),
    },
    {
      title: '更正说明（上期通报后登记的签约更正）',
      headers: ['客户', '二级分行', '原登记', '更正为', '原因', '登记时间'],
      widths: [2, 1.3, 1.7, 1.7, 2.5, 1.6],
      numeric: [],
      rows: d.corrections.map((c) => [
        c.institutionName,
        c.nodeName,
        `${KIND_ZH[c.previousKind] ?? c.previousKind} ${c.previousSignedOn}`,
        c.status === 'void' ? '作废' : `${KIND_ZH[c.kind] ?? c.kind} ${c.signedOn}`,
        c.reason,
        beijingTime(new Date(c.recordedAt)),
      ]),
    },
  ];
  return {
    title: `同业合作平台营销推动情况通报（${zhDay(d.weekStart)}—${zhDay(d.weekEnd)}）`,
    lines: ['一、总体情况', ...briefingParagraphs(b)],
    tables,
    footer: [
      '二、下一步工作要求',
      b.requirements,
      `考核口径：框架协议客户占${formatPercent(d.caliber.frameworkBp)}，产品协议客户占${formatPercent(d.caliber.productBp)}；督导线${formatPercent(d.thresholdBp)}（低于即每周督导）。`,
      `数据截至 ${d.weekEnd}（北京时间），快照生成于 ${beijingTime(new Date(d.takenAt))}，此后不再重算。`,
      `${bankName}`,
    ],
  };
}
