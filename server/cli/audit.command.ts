import type { Command } from 'commander';
import type { ChainBreak } from '../modules/audit/audit.chain.js';
import type { ChainReport } from '../modules/audit/audit.service.js';
import type { VerifyAllReport } from '../modules/admin/admin.operations.js';
import { ledgerReportLines } from '../modules/scoring/ledger.verify.js';
import { callOperation, withTarget } from './target.js';
import { LEDGER_MISMATCH_EXIT } from './settle.command.js';

/** The exit status of a chain that does not verify. */
export const CHAIN_BROKEN_EXIT = 3;

/** What is wrong, in both languages, naming the entry (or the anchor) where it shows. */
export function describeBreak(b: ChainBreak): string {
  const at = b.id === null ? `seq ${b.seq}` : `entry #${b.id} (seq ${b.seq})`;
  const anchor = b.anchor ? ` — anchor ${b.anchor.source}: seq ${b.anchor.seq} hash ${b.anchor.hash}` : '';
  switch (b.reason) {
    case 'seq_gap':
      return `序号不连续，之前的记录被删除 / sequence gap before ${at}: entries deleted`;
    case 'prev_hash_mismatch':
      return `链接断开 / link broken at ${at}`;
    case 'hash_mismatch':
      return `内容被修改 / content altered at ${at}`;
    case 'anchor_mismatch':
      return `与锚点不符，锚点之前的记录被改写 / ${at} differs from its anchor: the chain was rewritten${anchor}`;
    case 'behind_anchor':
      return `日志止于锚点之前，末尾记录被删除 / the log ends before ${at}: newest entries deleted${anchor}`;
  }
}

/** The chain's verdict as printed lines; `ok` false → exit CHAIN_BROKEN_EXIT. */
export function chainLines(r: ChainReport): { ok: boolean; lines: string[] } {
  const head = r.head ? `head seq ${r.head.seq} hash ${r.head.hash}` : 'empty';
  if (r.broken) {
    return { ok: false, lines: [`审计日志校验失败 / audit chain BROKEN: ${describeBreak(r.broken)} (${r.checked} entries verified before it, ${r.anchors} anchors)`] };
  }
  return { ok: true, lines: [`审计日志校验通过 / audit chain OK: ${r.checked} entries, ${r.anchors} anchors reached, ${head}`] };
}

export function registerAuditCommands(program: Command) {
  const audit = program.command('audit').description('审计日志 / audit log');
  audit
    .command('verify')
    .description(
      '校验审计日志哈希链、序号与锚点（状态 3：链被篡改）；--ledger 另核对积分台账（状态 4：有差异，不写入）/ ' +
        'verify the hash chain, its sequence and anchors (exit 3); --ledger also checks the points ledger (exit 4, writes nothing)',
    )
    .option('--ledger', '同时核对积分台账：分录与重新分配、统计汇总与台账 / also verify the points ledger')
    .option('--branch <code>', '只核对该分行的台账 / only this branch’s ledger')
    .option('--month <yyyy-mm>', '只核对该月（须同时指定 --branch）/ only this month (with --branch)')
    .option('--repair', '台账有差异时在一个事务中写入更正并记审计 / repair ledger differences in one audited transaction')
    .action(async (opts: { ledger?: boolean; branch?: string; month?: string; repair?: boolean }) => {
      // On the files, or inside the running server that holds them (target.ts).
      const args = { ledger: opts.ledger, branch: opts.branch, month: opts.month, repair: opts.repair };
      const res = await withTarget((t) => callOperation<VerifyAllReport>(t, 'audit.verify', args));
      const chain = chainLines(res.chain);
      (chain.ok ? console.log : console.error)(chain.lines.join('\n'));
      if (!chain.ok) process.exitCode = CHAIN_BROKEN_EXIT;
      if (!res.ledger) return;
      for (const line of ledgerReportLines(res.ledger)) (res.ledger.ok ? console.log : console.error)(line);
      let after = res.ledger;
      if (res.repair) {
        console.log(`台账已修复 / ledger repaired: ${res.repair.entries} entries written, ${res.repair.totals} totals corrected`);
        after = res.repair.after;
        if (!after.ok) for (const line of ledgerReportLines(after)) console.error(line);
      }
      if (!after.ok) {
        console.error(opts.repair ? '台账仍有差异（已锁定月份不可更改）/ ledger still differs (locked months)' : '台账不一致，未写入任何数据 / ledger MISMATCH: nothing written');
        process.exitCode ??= LEDGER_MISMATCH_EXIT;
      } else {
        console.log('台账核对通过 / ledger OK');
      }
    });
}
