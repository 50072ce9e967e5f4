import type { ParseArgsConfig } from 'node:util';
import type { MeshClient } from '@natsmesh/core';
import type { CliIo } from './output/cli-io';

/** What a command gets to run with. */
export interface CommandContext {
  /** Positional arguments after the command name. */
  readonly args: readonly string[];
  /** Parsed options, global and the command's own. */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly io: CliIo;
  /** `--json` was given: print results and failures as JSON (see `printResult`, `printFailure`). */
  readonly json: boolean;
  /** Connects with the global options; the runner closes the client afterwards. */
  connect(): Promise<MeshClient>;
}

/** One subcommand of `natsmesh`. */
export interface Command {
  readonly name: string;
  /** One line for `natsmesh --help`. */
  readonly summary: string;
  /** e.g. `natsmesh call <subject> [json]`. */
  readonly usage: string;
  /** Longer help with examples. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes at most; more is a usage mistake. */
  readonly maxArgs: number;
  /** Runs the command; resolves with the exit code. */
  run(ctx: CommandContext): Promise<number>;
}
