import type { Command } from 'commander';
import type { verifyAuditChain } from '../modules/audit/audit.service.js';
import { callOperation, withTarget } from './target.js';

export function registerAuditCommands(program: Command) {
  const audit = program.command('audit').description('审计日志 / audit log');
  audit
    .command('verify')
    .description('校验审计日志哈希链；被篡改时以非零状态退出并指出第一条问题记录 / verify the hash chain')
    .action(async () => {
      // On the files, or inside the running server that holds them (target.ts).
      const res = await withTarget((t) => callOperation<Awaited<ReturnType<typeof verifyAuditChain>>>(t, 'audit.verify', {}));
      if (res.broken) {
        const why = res.broken.reason === 'hash_mismatch' ? '内容被修改 / content altered' : '链接断开 / link broken';
        console.error(`审计日志校验失败 / audit chain BROKEN at entry #${res.broken.id}: ${why} (${res.checked} entries verified before it)`);
        process.exitCode = 3;
        return;
      }
      console.log(`审计日志校验通过 / audit chain OK: ${res.checked} entries`);
    });
}
