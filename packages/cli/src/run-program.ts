import { CommanderError, type Command as Commander } from 'commander';
import { MeshError } from '@natsmesh/core';
import { EXIT } from './cli-error';
import { createProgram, pathOf, usageOf, type ProgramRun } from './cli-program';
import type { Command } from './command';
import type { CliIo } from './output/cli-io';
import { failureOf, printFailure } from './output/cli-output';

/**
 * Runs the program of `commands` with `argv` (without node and the script); resolves with the
 * exit code (see `runCli`). Rejects only with what a command threw that is not a `MeshError`
 * or a usage mistake, and only without `--json`.
 */
export async function runProgram(commands: readonly Command[], argv: readonly string[], io: CliIo): Promise<number> {
  const run: ProgramRun = { io, json: jsonRequested(argv), exitCode: EXIT.OK };
  const program = createProgram(commands, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return run.exitCode;
  } catch (err) {
    const at = run.current ?? program;
    return err instanceof CommanderError ? commanderExit(err, at, run) : failed(err, at, run);
  } finally {
    await run.client?.close();
  }
}

// Read before commander parses: a usage mistake or --version ends the parse before a later --json.
function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

function failed(err: unknown, current: Commander, { io, json }: ProgramRun): number {
  const usage = usageOf(current);
  const failure = failureOf(err, usage);
  if (failure.code === 'USAGE') {
    printFailure(io, json, failure, `${failure.message}\n${usageHint(current)}`);
    return EXIT.USAGE;
  }
  if (!MeshError.is(err) && !json) throw err;
  printFailure(io, json, failure, `${failure.code}: ${failure.message}`);
  return EXIT.FAILED;
}

/** Help and --version exit 0; everything else commander stops at is a usage mistake, exit 2. */
function commanderExit(err: CommanderError, current: Commander, { io, json }: ProgramRun): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK;
  const path = pathOf(current);
  if (err.code === 'commander.help') {
    // `natsmesh help` prints the help and exits 0; a command group given no subcommand prints it on stderr, exit 1.
    if (err.exitCode === 0) return EXIT.OK;
    if (json) printFailure(io, json, { code: 'USAGE', message: `${path} needs a command: run ${path} --help for the list.`, usage: usageOf(current) }, '');
    return EXIT.USAGE;
  }
  if (err.code === 'commander.unknownCommand') {
    const name = [...path.split(' ').slice(1), current.args[0]].join(' ');
    const message = `Unknown command "${name}"${suggestionOf(err.message)}. Run ${path} --help for the list.`;
    printFailure(io, json, { code: 'USAGE', message }, message);
    return EXIT.USAGE;
  }
  const message = sentenceOf(err.message);
  printFailure(io, json, { code: 'USAGE', message, usage: usageOf(current) }, `${message}\n${usageHint(current)}`);
  return EXIT.USAGE;
}

function usageHint(cmd: Commander): string {
  return `Usage: ${usageOf(cmd)}  (${pathOf(cmd)} --help)`;
}

// commander's messages read "error: unknown option '--jsn'\n(Did you mean --json?)".
function sentenceOf(message: string): string {
  const [first = '', ...rest] = message.replace(/^error: /, '').split('\n');
  const text = `${first.charAt(0).toUpperCase()}${first.slice(1)}`;
  const hint = rest.join(' ').replace(/^\((.*)\)$/, '$1').trim();
  return `${/[.?!]$/.test(text) ? text : `${text}.`}${hint ? ` ${hint}` : ''}`;
}

function suggestionOf(message: string): string {
  const match = /\(Did you mean (.+)\?\)/.exec(message);
  return match ? ` (did you mean ${match[1]}?)` : '';
}
