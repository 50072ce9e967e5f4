import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createClient, MeshError, type MeshClient } from '@natsmesh/core';
import { EXIT, UsageError } from './cli-error';
import type { Command } from './command';
import { callCommand } from './commands/call.command';
import { docsCommand } from './commands/docs.command';
import { emitCommand } from './commands/emit.command';
import { infoCommand } from './commands/info.command';
import { lsCommand } from './commands/ls.command';
import { statsCommand } from './commands/stats.command';
import { processIo, type CliIo } from './output/cli-io';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [lsCommand, infoCommand, statsCommand, callCommand, emitCommand, docsCommand];

const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  server: { type: 'string', short: 's' },
  creds: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = `Options:
  -s, --server <url>    NATS server (default: NATS_URL, else nats://127.0.0.1:4222)
      --creds <file>    .creds file (JWT + nkey) to authenticate with
      --user <name>     user name; --password <secret>
      --token <token>   auth token
      --timeout <ms>    request timeout (default 5000)
      --json            print JSON instead of a table
  -h, --help            help for natsmesh or one command`;

/**
 * Runs `natsmesh` with `argv` (without node and the script); resolves with the exit code:
 * 0 done, 1 the request or lookup failed, 2 a usage mistake.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version') {
    io.out(require('../package.json').version as string);
    return EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run natsmesh --help for the list.`);
    return EXIT.USAGE;
  }
  let client: MeshClient | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(`Usage: ${command.usage}\n\n${command.help}\n\n${GLOBAL_HELP}`);
      return EXIT.OK;
    }
    const connect = async () => (client ??= await connectFrom(values));
    return await command.run({ args: positionals, values, io, connect });
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\nUsage: ${command.usage}  (natsmesh ${command.name} --help)`);
      return EXIT.USAGE;
    }
    if (MeshError.is(err)) {
      io.err(`${err.code}: ${err.message}`);
      return EXIT.FAILED;
    }
    throw err;
  } finally {
    await client?.close();
  }
}

function connectFrom(values: Record<string, unknown>): Promise<MeshClient> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const timeout = str('timeout');
  if (timeout !== undefined && !(Number(timeout) > 0 && Number(timeout) <= 2 ** 31 - 1)) {
    throw new UsageError(`--timeout "${timeout}" is not a number of milliseconds from 1 to 2147483647.`);
  }
  return createClient({
    nats: {
      servers: str('server') ?? (process.env.NATS_URL || 'nats://127.0.0.1:4222'),
      credsFile: str('creds'),
      user: str('user'),
      pass: str('password'),
      token: str('token'),
      name: 'natsmesh-cli',
      reconnect: false,
    },
    timeout: timeout === undefined ? undefined : Number(timeout),
  });
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'natsmesh: list, inspect and call the services of a natsmesh mesh',
    '',
    'Usage: natsmesh <command> [arguments] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    'Run natsmesh <command> --help for the command\'s own help and examples.',
  ].join('\n');
}
