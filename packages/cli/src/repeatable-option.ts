import { Option } from 'commander';

/** An option that may be given more than once, e.g. `--scan a.js --scan b.js`; its value is the array of them. */
export function repeatableOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}
