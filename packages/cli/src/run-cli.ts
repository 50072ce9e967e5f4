import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createClient, MeshError, type MeshClient } from '@natsmesh/core';
import { EXIT, UsageError } from './cli-error';
import type { Command } from './command';
import { alertsCommand } from './commands/alerts.command';
import { aclCommand } from './commands/acl.command';
import { callCommand } from './commands/call.command';
import { docsCommand } from './commands/docs.command';
import { emitCommand } from './commands/emit.command';
import { healthCommand } from './commands/health.command';
import { infoCommand } from './commands/info.command';
import { lsCommand } from './commands/ls.command';
import { statsCommand } from './commands/stats.command';
import { processIo, type CliIo } from './output/cli-io';
import { failureOf, printFailure, printResult } from './output/cli-output';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [lsCommand, infoCommand, statsCommand, healthCommand, callCommand, emitCommand, docsCommand, alertsCommand, aclCommand];

const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  server: { type: 'string', short: 's' },
  creds: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  nkey: { type: 'string' },
  'inbox-prefix': { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = `Options:
  -s, --server <url>    NATS server (default: NATS_URL, else nats://127.0.0.1:4222)
      --creds <file>    .creds file (JWT + nkey) to authenticate with
      --user <name>     user name; --password <secret>
      --token <token>   auth token
      --nkey <file>     file holding a user nkey seed (SU…), as natsmesh acl writes it
      --inbox-prefix <p> the inbox prefix of that user (natsmesh acl names it: _INBOX_<role>)
      --tls-ca <file>   PEM of the CA that signed the server's TLS certificate
      --tls-cert <file> PEM client certificate, for servers that verify clients (mTLS); with --tls-key <file>
      --timeout <ms>    request timeout (default 5000)
      --json            print results as JSON on stdout and failures as JSON on stderr
  -h, --help            help for natsmesh or one command`;

/**
 * Runs `natsmesh` with `argv` (without node and the script); resolves with the exit code:
 * 0 done, 1 the request or lookup failed, 2 a usage mistake (unknown command or option,
 * missing or extra argument, bad option value). With `--json` anywhere, every result is JSON
 * on stdout and every failure one JSON line `{ "error": { code, message, … } }` on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const json = argv.includes('--json');
  // `natsmesh --json ls` reads as `natsmesh ls --json`.
  const [name, ...rest] = argv[0] === '--json' ? [...argv.slice(1), '--json'] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printResult(io, json, { usage: 'natsmesh <command> [arguments] [options]', commands: COMMANDS.map(({ name: n, summary, usage }) => ({ name: n, summary, usage })) }, mainHelp);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version') {
    const version = require('../package.json').version as string;
    printResult(io, json, { version }, () => version);
    return EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const message = `Unknown command "${name}". Run natsmesh --help for the list.`;
    printFailure(io, json, { code: 'USAGE', message }, message);
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
      const { usage, help } = command;
      printResult(io, json, { command: command.name, usage, help }, () => `Usage: ${usage}\n\n${help}\n\n${GLOBAL_HELP}`);
      return EXIT.OK;
    }
    if (positionals.length > command.maxArgs) throw tooManyArguments(command, positionals);
    const connect = async () => (client ??= await connectFrom(values));
    return await command.run({ args: positionals, values, io, json, connect });
  } catch (err) {
    const failure = failureOf(err, command.usage);
    if (failure.code === 'USAGE') {
      printFailure(io, json, failure, `${failure.message}\nUsage: ${command.usage}  (natsmesh ${command.name} --help)`);
      return EXIT.USAGE;
    }
    if (!MeshError.is(err) && !json) throw err;
    printFailure(io, json, failure, `${failure.code}: ${failure.message}`);
    return EXIT.FAILED;
  } finally {
    await client?.close();
  }
}

async function connectFrom(values: Record<string, unknown>): Promise<MeshClient> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const timeout = str('timeout');
  if (timeout !== undefined && !isTimeout(Number(timeout))) {
    throw new UsageError(`--timeout "${timeout}" is not a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`);
  }
  const tls = { caFile: str('tls-ca'), certFile: str('tls-cert'), keyFile: str('tls-key') };
  try {
    return await createClient({
      nats: {
        servers: str('server') ?? (process.env.NATS_URL || 'nats://127.0.0.1:4222'),
        credsFile: str('creds'),
        nkeySeedFile: str('nkey'),
        ...(str('inbox-prefix') === undefined ? {} : { inboxPrefix: str('inbox-prefix') }),
        user: str('user'),
        pass: str('password'),
        token: str('token'),
        ...(Object.values(tls).some((v) => v !== undefined) ? { tls } : {}),
        name: 'natsmesh-cli',
        reconnect: false,
      },
      timeout: timeout === undefined ? undefined : Number(timeout),
      // A command's output is its own: the control plane's log lines (off without JetStream) stay out of it.
      logger: false,
    });
  } catch (err) {
    throw MeshError.is(err) && err.code === 'INVALID_OPTIONS' ? new UsageError(inFlagNames(err.message)) : err;
  }
}

// The createClient options each connection flag sets, as its messages name them.
const FLAG_OF_OPTION: readonly (readonly [string, string])[] = [
  ['createClient option nats.tls.caFile', '--tls-ca'],
  ['createClient option nats.tls.certFile', '--tls-cert'],
  ['createClient option nats.tls.keyFile', '--tls-key'],
  ['createClient option nats.credsFile', '--creds'],
  ['createClient option nats.nkeySeedFile', '--nkey'],
  ['nats.credsFile', '--creds'],
  ['nats.nkeySeedFile', '--nkey'],
];

function inFlagNames(message: string): string {
  return FLAG_OF_OPTION.reduce((m, [option, flag]) => m.split(option).join(flag), message);
}

// The longest delay a Node.js timer takes (2^31 - 1 ms, about 24.8 days).
const MAX_TIMEOUT_MS = 2_147_483_647;

function isTimeout(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 1 && ms <= MAX_TIMEOUT_MS;
}

function tooManyArguments(command: Command, positionals: readonly string[]): UsageError {
  const takes = command.maxArgs === 0 ? 'takes no arguments' : `takes at most ${command.maxArgs} argument(s)`;
  return new UsageError(`${command.name} ${takes}, got ${positionals.map((p) => JSON.stringify(p)).join(' ')}.`);
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
