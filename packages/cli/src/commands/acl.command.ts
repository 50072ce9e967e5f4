import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DISCOVER_SUBJECT, gather, generateAcl, MeshError, type AccountMapping, type CallerRole, type InstanceInfo, type ServiceDescription } from '@natsmesh/core';
import { DocsError, loadDescriptions } from '@natsmesh/docs';
import { Option } from 'commander';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { failureOf, printFailure, printResult } from '../output/cli-output';
import { readSeeds, seedFileOf, writeAclFiles } from '../acl/acl-files';
import { aclMatrixText } from '../acl/acl-matrix-text';
import { SYSTEM_ACCOUNT, writeJwtFiles } from '../acl/jwt-files';
import { repeatableOption } from '../repeatable-option';
import { SOURCE_OPTIONS, SOURCE_USAGE } from '../service-source';

const FORMATS = ['server', 'jwt'] as const;

/** `natsmesh acl`: least-privilege NATS permissions from the service metadata, or the authorization matrix (`--check`). */
export const aclCommand: Command = {
  name: 'acl',
  summary: 'generate least-privilege NATS permissions (nkey users) from code or the live mesh; --check prints who may call what',
  usage: `${SOURCE_USAGE} [--caller <name>=<subject,…>]… [--accounts <file>] [--format server|jwt] [--out <dir>] [--check]`,
  help: [
    'Writes <out>/authorization.conf, a nats-server `authorization { users = [...] }` block with one nkey',
    'user per service and per --caller role, and each user\'s nkey seed as <out>/<name>.nk (mode 0600;',
    'seeds already there are kept, so unchanged services regenerate byte-identical output). Seeds are',
    'never printed. Each service connects with its seed and inboxPrefix _INBOX_<service> (createApp sets',
    'it for an app of one service). --check writes nothing: it prints the authorization matrix and',
    "exits 1 when a service or caller declares a call the callee's allow refuses.",
    '--format jwt writes decentralised auth instead: <out>/server.conf (operator JWT, system account,',
    'resolver MEMORY and the accounts preloaded), their seeds, and one <name>.creds per user (0600).',
    '--accounts <file> groups the users into NATS accounts (a YAML or JSON map of account name to',
    'services and caller roles, e.g. PAYMENTS: [hotel.payments]; @Service({ account }) is the default):',
    'calls and events cross accounts only through the exports and imports written for declared callers.',
    '',
    'Examples:',
    "  natsmesh acl --scan 'dist/**/*.service.js' --caller web=hotel.booking.save,hotel.rooms.list --out acl",
    "  natsmesh acl --scan 'dist/**/*.service.js' --check",
  ].join('\n'),
  options: [
    ...SOURCE_OPTIONS,
    repeatableOption('--caller <name>=<subjects>', 'a caller role and the endpoint subjects it calls, comma-separated (repeatable)'),
    new Option('--accounts <file>', 'accounts mode: a YAML map of account name to its services and caller roles'),
    new Option('--format <format>', 'server: authorization.conf with nkey users; jwt: operator, account and .creds (default server)'),
    new Option('--out <dir>', 'directory to write to (default natsmesh-acl)'),
    new Option('--check', 'write nothing: print who may call what, exit 1 when a declared call is refused'),
  ],
  async run({ values, io, json, connect }) {
    const scan = values.scan as string[] | undefined;
    const modules = values.module as string[] | undefined;
    const live = values.live === true;
    if (live && Boolean(scan || modules)) throw new UsageError('acl takes either --scan/--module (static) or --live, not both.');
    if (!live && !(scan || modules)) throw new UsageError('acl needs a source: --scan "dist/**/*.service.js" or --module <file> (static), or --live (the running mesh).');
    const format = (values.format as string | undefined) ?? 'server';
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new UsageError(`Unknown format ${format}: use server or jwt.`);
    const callers = ((values.caller as string[] | undefined) ?? []).map(parseCaller);
    const check = values.check === true;
    const accounts = typeof values.accounts === 'string' ? readAccounts(values.accounts) : undefined;

    let descriptions: ServiceDescription[];
    try {
      if (live) {
        const client = await connect();
        const instances = await gather<InstanceInfo>(client.connection, DISCOVER_SUBJECT, { maxWait: 2000, quiet: 200 });
        descriptions = oneEach(instances.flatMap((i) => (Array.isArray(i?.services) ? i.services : [])));
        if (descriptions.length === 0) {
          const message = 'No natsmesh instance answered on the mesh: start one, or check --server.';
          printFailure(io, json, failureOf(new MeshError('NO_RESPONDERS', message)), message);
          return EXIT.FAILED;
        }
      } else {
        descriptions = await loadDescriptions({ scan, modules });
      }
    } catch (err) {
      if (!(err instanceof DocsError)) throw err;
      printFailure(io, json, failureOf(err), `${err.code}: ${err.message}`);
      return EXIT.FAILED;
    }
    const names = [...descriptions.map((d) => d.name), ...callers.map((c) => c.name)];
    checkSeedFiles(names);
    const out = typeof values.out === 'string' ? values.out : 'natsmesh-acl';
    let acl;
    try {
      acl = generateAcl(descriptions, { callers, accounts, seeds: check ? undefined : readSeeds(out, names) });
    } catch (err) {
      if (!MeshError.is(err)) throw err;
      printFailure(io, json, failureOf(err), `${err.code}: ${err.message}`);
      return EXIT.FAILED;
    }
    const refused = acl.problems.filter((p) => p.kind !== 'unknown');
    for (const p of acl.problems) if (!json) io.err(`${p.kind === 'unknown' ? 'warning' : 'error'}: ${p.message}`);
    const users = acl.users.map(({ name, kind, inboxPrefix, nkey, account }) => ({ name, kind, inboxPrefix, nkey, ...(account === undefined ? {} : { account }) }));
    if (check) {
      printResult(io, json, { matrix: acl.matrix, accounts: acl.accounts, problems: acl.problems }, () => aclMatrixText(acl));
      return refused.length > 0 ? EXIT.FAILED : EXIT.OK;
    }
    const jwt = format === 'jwt';
    if (jwt && acl.accounts.some((a) => a.name === SYSTEM_ACCOUNT)) {
      throw new UsageError(`JWT mode writes the system account ${SYSTEM_ACCOUNT} itself: give your account another name in --accounts or @Service({ account }).`);
    }
    const files = (jwt ? await writeJwtFiles(out, acl) : writeAclFiles(out, acl)).map((f) => relative(process.cwd(), f));
    printResult(io, json, { format, users, accounts: acl.accounts, files, problems: acl.problems }, () =>
      [
        jwt
          ? `Wrote ${files[0]} (operator, system account, memory resolver, accounts) and one .creds file (0600) per user:`
          : `Wrote ${files[0]} with ${users.length} user(s), and their nkey seeds (0600) beside it:`,
        ...users.map(
          (u) => `  ${u.kind.padEnd(7)} ${u.name}  ${u.account === undefined ? '' : `account ${u.account}  `}inboxPrefix ${u.inboxPrefix}  ${jwt ? seedFileOf(u.name).replace(/\.nk$/, '.creds') : seedFileOf(u.name)}`,
        ),
        `Include it from the nats-server config: include "${files[0]}"`,
      ].join('\n'),
    );
    return EXIT.OK;
  },
};

function parseCaller(spec: string): CallerRole {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? '' : spec.slice(0, eq).trim();
  const calls = eq < 0 ? [] : spec.slice(eq + 1).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (name.length === 0 || calls.length === 0) throw new UsageError(`--caller "${spec}": write <name>=<endpoint subject>[,<subject>…], e.g. --caller web=hotel.booking.save,hotel.rooms.list.`);
  return { name, calls };
}

// The --accounts file: YAML (or JSON, which YAML reads too), account name → services and roles.
function readAccounts(path: string): AccountMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--accounts ${path}: cannot read the file; give a YAML file such as PAYMENTS: [hotel.payments].`);
  }
  let mapping: AccountMapping | null | undefined;
  try {
    mapping = parseYaml(text) as AccountMapping | null | undefined;
  } catch (err) {
    throw new UsageError(`--accounts ${path} is not YAML (${(err as Error).message.split('\n')[0]}): write account name → list of services, e.g. PAYMENTS: [hotel.payments].`);
  }
  if (mapping === null || mapping === undefined) throw new UsageError(`--accounts ${path} is empty: write account name → list of services, e.g. PAYMENTS: [hotel.payments].`);
  return mapping;
}

function oneEach(descriptions: readonly ServiceDescription[]): ServiceDescription[] {
  const byName = new Map<string, ServiceDescription>();
  for (const d of descriptions) if (!byName.has(d.name)) byName.set(d.name, d);
  return [...byName.values()];
}

// The seed files of the operator and the accounts (JWT mode) share the directory with the users'.
const KEY_FILES = /^(operator|system|account(-.*)?)\.nk$/;

function checkSeedFiles(names: readonly string[]): void {
  const files = new Map<string, string>();
  for (const n of names) {
    if (KEY_FILES.test(seedFileOf(n))) {
      throw new UsageError(`"${n}" would write its seed to ${seedFileOf(n)}, the file of an operator or account key in JWT mode: rename the service or caller role.`);
    }
    const other = files.get(seedFileOf(n));
    if (other !== undefined && other !== n) throw new UsageError(`"${other}" and "${n}" would share the seed file ${seedFileOf(n)}: rename one of them.`);
    files.set(seedFileOf(n), n);
  }
}
