import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { callOperation, withTarget } from './target.js';

// The statement itself lives in the statements module; tests and callers keep importing it here.
export { settle, settleLines } from '../modules/statements/settle.js';

/** The exit status of a ledger that does not verify (the audit chain's is 3). */
export const LEDGER_MISMATCH_EXIT = 4;

/** `linkage settle --branch 44100 --month 2026-10 [--recompute | --verify]` */
export function registerSettleCommand(program: Command) {
  program
    .command('settle')
    .description('月度积分统计：按部门、个人汇总（可先重算）/ monthly points statement of a branch')
    .requiredOption('--branch <code>', '分行机构号 / branch org code, e.g. 44100')
    .requiredOption('--month <yyyy-mm>', '月份 / month, e.g. 2026-10')
    .option('--recompute', '先重算本月积分：规则有变化的销售重新分配（只追加冲销与新分录）/ re-score the sales whose rules changed')
    .option('--verify', '只读核对：逐笔重新分配并与台账、统计汇总比对，有差异则列出并以状态 4 退出，不写入 / read-only: compare ledger, totals and a fresh allocation; exit 4 listing differences')
    .option('--repair', '与 --verify 同用：在一个事务中写入更正分录与汇总并记审计日志 / with --verify: write correcting entries and totals in one audited transaction')
    .action(async (opts: { branch: string; month: string; recompute?: boolean; verify?: boolean; repair?: boolean }) => {
      if (opts.repair && !opts.verify) throw new Error('--repair 须与 --verify 同用 / --repair needs --verify');
      // On the database, or inside the running server that holds the embedded one (target.ts).
      const args = { branch: opts.branch, month: opts.month, recompute: opts.recompute, verify: opts.verify, repair: opts.repair };
      try {
        await withTarget((t) => callOperation(t, 'settle', args), { migrate: true });
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'LEDGER.MISMATCH')) throw e;
        console.error('台账不一致，未写入任何数据；核实后可加 --repair 修复 / ledger MISMATCH: nothing written; add --repair to correct it');
        process.exitCode = LEDGER_MISMATCH_EXIT;
      }
    });
}
