import { InvalidArgumentError, Option } from 'commander';
import { createClient, createLogger, MeshError, type MeshClient } from '@natsmesh/core';
import { UsageError } from './cli-error';

// The longest delay a Node.js timer takes (2^31 - 1 ms, about 24.8 days).
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The options every command takes, before or after its name: where and how to connect, and
 * `--json`. New `Option`s on each call: every command of a program gets its own.
 */
export function globalOptions(): Option[] {
  return [
    new Option('-s, --server <url>', 'NATS server (default: NATS_URL, else nats://127.0.0.1:4222)'),
    new Option('--creds <file>', '.creds file (JWT + nkey) to authenticate with'),
    new Option('--nkey <file>', 'file holding a user nkey seed (SU…), as natsmesh acl writes it'),
    new Option('--inbox-prefix <prefix>', 'the inbox prefix of that user (natsmesh acl names it: _INBOX_<name>)'),
    new Option('--user <name>', 'user name, with --password'),
    new Option('--password <secret>', 'password of --user'),
    new Option('--token <token>', 'auth token'),
    new Option('--tls-ca <file>', "PEM of the CA that signed the server's TLS certificate"),
    new Option('--tls-cert <file>', 'PEM client certificate, for servers that verify clients (mTLS); with --tls-key'),
    new Option('--tls-key <file>', 'PEM private key of --tls-cert'),
    new Option('--timeout <ms>', `request timeout, 1 to ${MAX_TIMEOUT_MS} (default 5000)`).argParser(parseTimeout),
    new Option('--json', 'print results as JSON on stdout and failures as JSON on stderr'),
  ].map((option) => option.helpGroup('Global options (before or after the command):'));
}

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new InvalidArgumentError(`Use a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`);
  }
  return ms;
}

/**
 * Connects with the global options as commander parsed them; `control: false` leaves the
 * client's control plane off.
 *
 * @throws UsageError when a credential or TLS file cannot be used (`INVALID_OPTIONS`, in flag names);
 * MeshError `UNAVAILABLE` / `UNAUTHORIZED` when the server cannot be reached or refuses.
 */
export async function connectWith(values: Readonly<Record<string, unknown>>, options: { control?: boolean } = {}): Promise<MeshClient> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const tls = { caFile: str('tlsCa'), certFile: str('tlsCert'), keyFile: str('tlsKey') };
  const inboxPrefix = str('inboxPrefix');
  try {
    return await createClient({
      nats: {
        servers: str('server') ?? (process.env.NATS_URL || 'nats://127.0.0.1:4222'),
        credsFile: str('creds'),
        nkeySeedFile: str('nkey'),
        ...(inboxPrefix === undefined ? {} : { inboxPrefix }),
        user: str('user'),
        pass: str('password'),
        token: str('token'),
        ...(Object.values(tls).some((v) => v !== undefined) ? { tls } : {}),
        name: 'natsmesh-cli',
        reconnect: false,
      },
      timeout: typeof values.timeout === 'number' ? values.timeout : undefined,
      control: options.control,
      // A command's output is what it prints: the client's information lines (control plane off) would only be noise.
      logger: createLogger({ level: 'warn' }),
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
