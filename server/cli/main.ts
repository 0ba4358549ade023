#!/usr/bin/env node
import { Command } from 'commander';
import { registerAuditCommands } from './audit.command.js';
import { registerBackupCommands } from './backup.command.js';
import { registerDbCommands } from './db.command.js';
import { registerImportCommand } from './import.command.js';
import { registerSalesCommands } from './sales.command.js';
import { registerSettleCommand } from './settle.command.js';
import { registerSeedCommand } from './seed.command.js';
import { cliMessage } from './target.js';

/** `npm run cli -- <command>`: batch jobs with progress output. */
const program = new Command('linkage').description('Linkage 公私联动交叉营销管理平台 — 命令行');
registerDbCommands(program);
registerAuditCommands(program);
registerImportCommand(program);
registerSalesCommands(program);
registerSettleCommand(program);
registerSeedCommand(program);
registerBackupCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  // A refusal (the data directory in use, …) in both languages; exit 1.
  console.error(cliMessage(e));
  process.exit(1);
});
