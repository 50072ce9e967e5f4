import type { Argument, Option } from 'commander';
import type { MeshClient } from '@natsmesh/core';
import type { CliIo } from './output/cli-io';

/** What a command gets to run with. */
export interface CommandContext {
  /** Positional arguments after the command's name. */
  readonly args: readonly string[];
  /**
   * Parsed options, the global ones and the command's own, by commander's attribute name
   * (camelCase: `--inbox-prefix` is `inboxPrefix`); a repeatable option is an array.
   */
  readonly values: Readonly<Record<string, unknown>>;
  readonly io: CliIo;
  /** `--json` was given: print results and failures as JSON (see `printResult`, `printFailure`). */
  readonly json: boolean;
  /**
   * Connects with the global options; the runner closes the client afterwards. `control: false`
   * leaves the control plane off (commands that read and write the rules themselves need no view of them).
   */
  connect(options?: { control?: boolean }): Promise<MeshClient>;
}

/** What every command, runnable or a group, declares. */
interface CommandInfo {
  /** The word that selects it, e.g. `call`, or `set` under `route`. */
  readonly name: string;
  /** One line for the list of commands in its parent's `--help`. */
  readonly summary: string;
  /**
   * What follows the command's names in its usage line, e.g. `<subject> [json] [--header k=v]…`;
   * the usage line is then `natsmesh call <subject> [json] [--header k=v]…`.
   */
  readonly usage: string;
  /** Longer help with examples, printed after the options in `--help`. */
  readonly help: string;
  /** Its own options (commander `Option`s); the global connection options come with every command. */
  readonly options?: readonly Option[];
}

/** A command that runs: `natsmesh ls`, or `natsmesh route set` inside a {@link CommandGroup}. */
export interface RunnableCommand extends CommandInfo {
  /** Its positional arguments (commander `Argument`s): missing or extra ones are usage mistakes. */
  readonly arguments?: readonly Argument[];
  /** Runs the command; resolves with the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * A command made of subcommands, one file per group: `natsmesh route set|get|…`. Without a
 * subcommand it prints its help and exits 2. Groups nest.
 */
export interface CommandGroup extends CommandInfo {
  /** In the order its `--help` lists them. */
  readonly subcommands: readonly Command[];
}

/** One command of `natsmesh`. */
export type Command = RunnableCommand | CommandGroup;
