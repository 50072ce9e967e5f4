import { Option } from 'commander';
import { UsageError } from '../cli-error';
import { parseDuration } from './duration';

/** A number option's value, e.g. `--percent 50`; a usage mistake when it is not a number. */
export function numberOf(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} "${text}" is not a number: write one such as 10 or 12.5.`);
  return n;
}

/** A duration option's value in ms, e.g. `--for 10m`; a usage mistake when it has no unit or is not above 0. */
export function durationOf(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`${flag} "${text}" is not a duration: write a number with a unit (ms, s, m, h, d), such as 30s, 10m or 1h30m.`);
  return ms;
}

/** Splits `value@percent` (`200@50`, `UNAVAILABLE@30`); the percent is 100 when absent. */
export function withPercent(flag: string, text: string): { value: string; percent: number } {
  const at = text.lastIndexOf('@');
  if (at < 0) return { value: text, percent: 100 };
  return { value: text.slice(0, at), percent: numberOf(`${flag} percent`, text.slice(at + 1)) };
}

/** Splits `name=value` at its first `=`; a usage mistake without a name or a `=`. */
export function keyValueOf(flag: string, text: string, example: string): [string, string] {
  const i = text.indexOf('=');
  if (i <= 0) throw new UsageError(`${flag} "${text}" is not ${example}.`);
  return [text.slice(0, i), text.slice(i + 1)];
}

/** A value of one of several repeatable options, in the order the command line gave them all. */
export interface OrderedValue {
  readonly order: number;
  readonly text: string;
}

let given = 0;

/**
 * A repeatable option whose values keep their place among those of other such options (commander
 * keeps each option's values apart): `--match a --match-caller b --match c` reads a, b, c.
 */
export function orderedOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser((text: string, previous: OrderedValue[] | undefined) => [...(previous ?? []), { order: given++, text }]);
}

/** The values of several {@link orderedOption}s, merged in command-line order, each with the option it came from. */
export function inOrder(values: Readonly<Record<string, unknown>>, ...names: string[]): { name: string; text: string }[] {
  return names
    .flatMap((name) => ((values[name] as OrderedValue[] | undefined) ?? []).map((v) => ({ name, order: v.order, text: v.text })))
    .sort((a, b) => a.order - b.order)
    .map(({ name, text }) => ({ name, text }));
}
