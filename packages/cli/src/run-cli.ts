import type { Command } from './command';
import { alertsCommand } from './commands/alerts.command';
import { applyCommand } from './commands/apply.command';
import { canaryCommand } from './commands/canary.command';
import { faultCommand } from './commands/fault.command';
import { getCommand } from './commands/get.command';
import { mirrorCommand } from './commands/mirror.command';
import { routeCommand } from './commands/route.command';
import { aclCommand } from './commands/acl.command';
import { callCommand } from './commands/call.command';
import { docsCommand } from './commands/docs.command';
import { emitCommand } from './commands/emit.command';
import { healthCommand } from './commands/health.command';
import { infoCommand } from './commands/info.command';
import { lsCommand } from './commands/ls.command';
import { statsCommand } from './commands/stats.command';
import { processIo, type CliIo } from './output/cli-io';
import { runProgram } from './run-program';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  lsCommand,
  infoCommand,
  statsCommand,
  healthCommand,
  callCommand,
  emitCommand,
  docsCommand,
  alertsCommand,
  aclCommand,
  routeCommand,
  mirrorCommand,
  faultCommand,
  canaryCommand,
  applyCommand,
  getCommand,
];

/**
 * Runs `natsmesh` with `argv` (without node and the script); resolves with the exit code:
 * 0 done, 1 the request or lookup failed, 2 a usage mistake (unknown command or option,
 * missing or extra argument, bad option value). The global options (`--server`, `--json`, …)
 * go before or after the command's name. With `--json` anywhere, every result is JSON on
 * stdout and every failure one JSON line `{ "error": { code, message, … } }` on stderr.
 */
export function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runProgram(COMMANDS, argv, io);
}
