import { Argument, Option } from 'commander';
import { UsageError } from './cli-error';
import type { Command, CommandContext } from './command';
import type { CliIo } from './output/cli-io';
import { runProgram } from './run-program';

/** A group shaped like the coming `natsmesh route set|get|…`, with one group nested deeper. */
function routeGroup(seen: CommandContext[]): Command {
  const record = async (ctx: CommandContext) => {
    seen.push(ctx);
    if (ctx.args[1] === 'nowhere') throw new UsageError('No target "nowhere": name a version such as v2.');
    return 0;
  };
  return {
    name: 'route',
    summary: 'change the routing rules',
    usage: '<command>',
    help: 'Routes requests by rules.\n\nExample:\n  natsmesh route set hotel.booking v2',
    subcommands: [
      {
        name: 'set',
        summary: 'set the rule of a service',
        usage: '<service> <target> [--weight n]',
        help: 'Sets one rule.',
        arguments: [new Argument('<service>'), new Argument('<target>')],
        options: [new Option('--weight <n>', 'share of the requests')],
        run: record,
      },
      {
        name: 'rules',
        summary: 'the rule file',
        usage: '<command>',
        help: 'The rules as one file.',
        subcommands: [{ name: 'export', summary: 'print the rules', usage: '[--out file]', help: 'Exports every rule.', options: [new Option('--out <file>')], run: record }],
      },
    ],
  };
}

async function run(commands: readonly Command[], ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await runProgram(commands, argv, io);
  return { code, out, err };
}

describe('command groups: natsmesh <group> <command> …', () => {
  let seen: CommandContext[];
  let commands: Command[];

  beforeEach(() => {
    seen = [];
    commands = [routeGroup(seen)];
  });

  it('runs a command of a group with its arguments, its options and the global options anywhere', async () => {
    const server = 'nats://mesh:4222';
    for (const argv of [
      ['route', 'set', 'hotel.booking', 'v2', '--weight', '10', '--server', server],
      ['--server', server, 'route', 'set', 'hotel.booking', 'v2', '--weight', '10'],
      ['route', '-s', server, 'set', '--weight', '10', 'hotel.booking', 'v2'],
    ]) {
      seen.length = 0;
      expect({ argv, ...(await run(commands, ...argv)) }).toEqual({ argv, code: 0, out: '', err: '' });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ args: ['hotel.booking', 'v2'], values: { weight: '10', server }, json: false });
    }
    expect(await run(commands, 'route', 'rules', 'export', '--out', 'rules.json', '--json')).toMatchObject({ code: 0 });
    expect(seen.at(-1)).toMatchObject({ args: [], values: { out: 'rules.json', json: true }, json: true });
  });

  it('a group without its command prints its help and exits 2; an unknown command names the whole path', async () => {
    const bare = await run(commands, 'route');
    expect(bare).toMatchObject({ code: 2, out: '' });
    expect(bare.err).toMatch(/^Usage: natsmesh route <command>$/m);
    expect(bare.err).toMatch(/^ {2}set\s+set the rule of a service$/m);
    expect(bare.err).toMatch(/^ {2}rules\s+the rule file$/m);
    expect(JSON.parse((await run(commands, 'route', 'rules', '--json')).err)).toEqual({
      error: { code: 'USAGE', message: 'natsmesh route rules needs a command: run natsmesh route rules --help for the list.', usage: 'natsmesh route rules <command>' },
    });

    expect(await run(commands, 'route', 'sett')).toEqual({
      code: 2,
      out: '',
      err: 'Unknown command "route sett" (did you mean set?). Run natsmesh route --help for the list.\n',
    });
    const deep = await run(commands, 'route', 'rules', 'purge', '--json');
    expect({ code: deep.code, err: JSON.parse(deep.err) }).toEqual({
      code: 2,
      err: { error: { code: 'USAGE', message: 'Unknown command "route rules purge". Run natsmesh route rules --help for the list.' } },
    });
    expect(seen).toEqual([]);
  });

  it('a usage mistake in a nested command shows that command\'s usage line', async () => {
    const missing = await run(commands, 'route', 'set', 'hotel.booking');
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toBe("Missing required argument 'target'.\nUsage: natsmesh route set <service> <target> [--weight n]  (natsmesh route set --help)\n");
    expect((await run(commands, 'route', 'rules', 'export', '--bogus')).err).toMatch(/^Unknown option '--bogus'\.\nUsage: natsmesh route rules export \[--out file\]/);
    const thrown = await run(commands, 'route', 'set', 'hotel.booking', 'nowhere', '--json');
    expect({ code: thrown.code, err: JSON.parse(thrown.err) }).toEqual({
      code: 2,
      err: { error: { code: 'USAGE', message: 'No target "nowhere": name a version such as v2.', usage: 'natsmesh route set <service> <target> [--weight n]' } },
    });
  });

  it('--help at every level shows the usage line, the options, the global options and the help text; as JSON with --json', async () => {
    const help = await run(commands, 'route', 'rules', 'export', '--help');
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toMatch(/^Usage: natsmesh route rules export \[--out file\]\n/);
    expect(help.out).toMatch(/^ {2}--out <file>/m);
    expect(help.out).toMatch(/^ {2}-s, --server <url>/m);
    expect(help.out).toMatch(/Exports every rule\.\n$/);
    expect((await run(commands, 'help', 'route')).out).toMatch(/^Usage: natsmesh route <command>\n[^]*Example:\n {2}natsmesh route set hotel\.booking v2\n$/);

    const json = await run(commands, 'route', '--help', '--json');
    expect({ code: json.code, out: JSON.parse(json.out) }).toEqual({
      code: 0,
      out: {
        command: 'route',
        usage: 'natsmesh route <command>',
        help: 'Routes requests by rules.\n\nExample:\n  natsmesh route set hotel.booking v2',
        commands: [
          { name: 'set', summary: 'set the rule of a service', usage: 'natsmesh route set <service> <target> [--weight n]' },
          { name: 'rules', summary: 'the rule file', usage: 'natsmesh route rules <command>' },
        ],
      },
    });
  });
});
