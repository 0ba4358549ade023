import type { Command } from 'commander';
import { callOperation, withTarget } from './target.js';

// The statement itself lives in the statements module; tests and callers keep importing it here.
export { settle, settleLines } from '../modules/statements/settle.js';

/** `linkage settle --branch 44100 --month 2026-10 [--recompute | --verify]` */
export function registerSettleCommand(program: Command) {
  program
    .command('settle')
    .description('月度积分统计：按部门、个人汇总（可先重算）/ monthly points statement of a branch')
    .requiredOption('--branch <code>', '分行机构号 / branch org code, e.g. 44100')
    .requiredOption('--month <yyyy-mm>', '月份 / month, e.g. 2026-10')
    .option('--recompute', '先重算本月积分：规则有变化的销售重新分配（只追加冲销与新分录）/ re-score the sales whose rules changed')
    .option('--verify', '逐笔重新分配并与台账核对（手工修复数据后使用）/ re-allocate every sale and compare with the ledger')
    .action(async (opts: { branch: string; month: string; recompute?: boolean; verify?: boolean }) => {
      // On the database, or inside the running server that holds the embedded one (target.ts).
      const args = { branch: opts.branch, month: opts.month, recompute: opts.recompute, verify: opts.verify };
      await withTarget((t) => callOperation(t, 'settle', args), { migrate: true });
    });
}
