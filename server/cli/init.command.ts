import type { Command } from 'commander';
import { prepareDatabase } from '../ops/prepare.js';
import { setUpBank } from '../modules/setup/setup.service.js';
import { openLocal } from './target.js';

interface InitOptions {
  bankName: string;
  bankCode?: string;
  admin: string;
  adminName?: string;
  passwordStdin?: boolean;
}

/** The first line of standard input (a password piped in, never typed on the command line). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

/**
 * `npm run cli -- init --bank-name … --admin <工号>`: the first run of a clean install (issue 18).
 * Migrates, writes the configuration defaults (never the demo bank), then creates the root node
 * and the first administrator; prints a one-time password (changed at first sign-in) unless
 * `--password-stdin` gives one. Refused once any user exists. On the embedded database the server
 * must be stopped (or use the console's /setup page instead).
 */
export function registerInitCommand(program: Command) {
  program
    .command('init')
    .description('首次初始化：建立根机构和第一位系统管理员（仅限空库）/ first run: root node and first administrator (empty database only)')
    .requiredOption('--bank-name <name>', '根机构名称，如 某某银行广东省分行 / name of the root node (the bank or province)')
    .option('--bank-code <code>', '根机构的机构号，默认 0001 / code of the root node (default 0001)')
    .requiredOption('--admin <staffNo>', '系统管理员的工号（登录名）/ the administrator’s 工号 (sign-in name)')
    .option('--admin-name <name>', '系统管理员姓名 / the administrator’s name')
    .option('--password-stdin', '从标准输入读取密码（第一行），不生成一次性密码 / read the password from stdin (first line)')
    .action(async (opts: InitOptions) => {
      const password = opts.passwordStdin ? await readStdinLine() : undefined;
      const database = await openLocal({ migrate: true });
      try {
        // Reference lists, criteria and the split rule every install needs; never the demo bank.
        await prepareDatabase(database, { SEED_DEMO: false });
        const r = await setUpBank(database.db, { bankName: opts.bankName, bankCode: opts.bankCode, adminStaffNo: opts.admin, adminName: opts.adminName, password }, 'cli');
        console.log(`已初始化 / set up: ${opts.bankName}；系统管理员 / administrator: ${r.staffNo}`);
        if (r.oneTimePassword) {
          console.log(`一次性密码 / one-time password: ${r.oneTimePassword}`);
          console.log('首次登录后须立即修改；本密码不会再次显示 / change it at first sign-in; it is not shown again');
        }
      } finally {
        await database.close();
      }
    });
}
