import { Command as Commander, CommanderError, Help } from 'commander';
import type { MeshClient } from '@natsmesh/core';
import type { Command, CommandContext } from './command';
import { connectWith, globalOptions } from './global-options';
import type { CliIo } from './output/cli-io';

/** One run of the program: where it prints, and what the commands leave for the runner. */
export interface ProgramRun {
  readonly io: CliIo;
  readonly json: boolean;
  /** The exit code the command that ran resolved with. */
  exitCode: number;
  /** The last subcommand commander dispatched to; none while it parses the program's own options. */
  current?: Commander;
  /** The client `connect()` opened, for the runner to close. */
  client?: MeshClient;
}

const ROOT_USAGE = '<command> [arguments] [options]';
const ROOT_HELP = "Run natsmesh <command> --help for the command's own help and examples.";

/**
 * The `natsmesh` program on commander: `commands` (groups nest) under the root, each with its
 * own options and the global ones, which are accepted before and after any command's name.
 * Errors throw `CommanderError` (exitOverride) and print nothing: the runner prints them.
 */
export function createProgram(commands: readonly Command[], run: ProgramRun): Commander {
  const helps = new Map<Commander, string>();
  const program = new Commander('natsmesh')
    .description('list, inspect and call the services of a natsmesh mesh, and change its traffic rules')
    .usage(ROOT_USAGE)
    .exitOverride()
    // The root takes its options only before the command's name; every command declares the
    // global options again, so they work after it as well (optsWithGlobals merges them).
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (text) => run.io.out(text.replace(/\n$/, '')),
      // Only the help after a command group given no subcommand; under --json the runner prints a failure instead.
      writeErr: (text) => (run.json ? undefined : run.io.err(text.replace(/\n$/, ''))),
      outputError: () => undefined,
    });
  program.configureHelp({
    // Every command has options (the global ones): list commands by name alone, as their usage lines are long.
    subcommandTerm: (cmd) => cmd.name(),
    // commander's help, then the command's own help and examples, in one write (`natsmesh --help | head` must not hit EPIPE).
    formatHelp: (cmd, helper) =>
      run.json
        ? `${JSON.stringify(helpValue(cmd, helps), null, 2)}\n`
        : `${Help.prototype.formatHelp.call(helper, cmd, helper)}\n${helps.get(cmd) ?? ROOT_HELP}\n`,
  });
  const version = (require('../package.json') as { version: string }).version;
  program.option('-V, --version', 'print the version of natsmesh').on('option:version', () => {
    run.io.out(run.json ? JSON.stringify({ version }, null, 2) : version);
    throw new CommanderError(0, 'commander.version', version);
  });
  for (const option of globalOptions()) program.addOption(option);
  addCommands(program, commands, run, helps);
  return program;
}

function addCommands(parent: Commander, commands: readonly Command[], run: ProgramRun, helps: Map<Commander, string>): void {
  parent.hook('preSubcommand', (_parent, sub) => {
    run.current = sub;
  });
  for (const spec of commands) {
    // command() copies the root's output, help and exit settings into the subcommand.
    const cmd = parent.command(spec.name).description(spec.summary).usage(spec.usage);
    helps.set(cmd, spec.help);
    for (const option of spec.options ?? []) cmd.addOption(option);
    for (const option of globalOptions()) cmd.addOption(option);
    if ('subcommands' in spec) {
      addCommands(cmd, spec.subcommands, run, helps);
    } else {
      for (const argument of spec.arguments ?? []) cmd.addArgument(argument);
      cmd.action(async () => {
        run.exitCode = await spec.run(contextOf(cmd, run));
      });
    }
  }
}

function contextOf(cmd: Commander, run: ProgramRun): CommandContext {
  const values = cmd.optsWithGlobals();
  return { args: cmd.args, values, io: run.io, json: run.json, connect: async (options) => (run.client ??= await connectWith(values, options)) };
}

/** `natsmesh route set`: the names from the root to `cmd`. */
export function pathOf(cmd: Commander): string {
  return cmd.parent ? `${pathOf(cmd.parent)} ${cmd.name()}` : cmd.name();
}

/** The usage line of `cmd`, e.g. `natsmesh call <subject> [json] [--timeout ms] [--header k=v]…`. */
export function usageOf(cmd: Commander): string {
  return `${pathOf(cmd)} ${cmd.usage()}`;
}

/** What `--help --json` prints: the root's usage and commands, or one command's usage, help and subcommands. */
function helpValue(cmd: Commander, helps: ReadonlyMap<Commander, string>): unknown {
  const commands = cmd.commands.filter((c) => helps.has(c)).map((c) => ({ name: c.name(), summary: c.description(), usage: usageOf(c) }));
  const help = helps.get(cmd);
  if (help === undefined) return { usage: usageOf(cmd), commands };
  return { command: pathOf(cmd).split(' ').slice(1).join(' '), usage: usageOf(cmd), help, ...(commands.length > 0 ? { commands } : {}) };
}
