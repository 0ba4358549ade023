#!/usr/bin/env node
import { Command } from 'commander';
import { registerAuditCommands } from './audit.command.js';
import { registerBackupCommands } from './backup.command.js';
import { registerDbCommands } from './db.command.js';
import { registerImportCommand } from './import.command.js';
import { registerInitCommand } from './init.command.js';
import { registerSalesCommands } from './sales.command.js';
import { registerSettleCommand } from './settle.command.js';
import { registerSeedCommand } from './seed.command.js';
import { cliMessage, interruption } from './target.js';
import { registerAllImportKinds } from '../import-kinds.js';

/** `npm run cli -- <command>`: batch jobs with progress output. */
// The CLI runs imports itself when no server holds the database (target.ts).
registerAllImportKinds();

const program = new Command('linkage').description('Linkage 公私联动交叉营销管理平台 — 命令行');
registerDbCommands(program);
registerInitCommand(program);
registerAuditCommands(program);
registerImportCommand(program);
registerSalesCommands(program);
registerSettleCommand(program);
registerSeedCommand(program);
registerBackupCommands(program);

// Interrupted (Ctrl-C, SIGTERM): 130 / 143, whatever error the cancelled work ended in.
process.on('exit', () => {
  const sig = interruption();
  if (sig) process.exitCode = sig === 'SIGINT' ? 130 : 143;
});

program.parseAsync(process.argv).catch((e: unknown) => {
  // The interrupt handler ends the process once the database sessions are gone.
  if (interruption()) return;
  // A refusal (the data directory in use, …) in both languages; exit 1.
  console.error(cliMessage(e));
  process.exit(1);
});
