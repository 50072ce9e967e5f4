export { runCli, COMMANDS } from './run-cli';
export type { Command, CommandContext } from './command';
export type { CliIo } from './output/cli-io';
export { renderTable } from './output/table';
export { EXIT, UsageError } from './cli-error';
