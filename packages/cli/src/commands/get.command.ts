import { Option } from 'commander';
import type { Command } from '../command';
import { EXIT } from '../cli-error';
import { withAdmin } from '../control/admin-session';
import { meshFileOf } from '../control/mesh-file';
import { meshYaml } from '../control/mesh-yaml';

/** `natsmesh get`: every rule in force, as a mesh file. */
export const getCommand: Command = {
  name: 'get',
  summary: 'print every rule in force as a mesh file (YAML, or JSON)',
  usage: '[-o yaml|json]',
  help: [
    'Prints the routes, mirrors, faults (expired ones too) and canaries in the rules bucket as a mesh',
    'file that natsmesh apply -f reads back: applying it unchanged changes nothing. -o json (or --json)',
    'prints the same file as JSON.',
    '',
    'Examples:',
    '  natsmesh get > mesh.yaml',
    '  natsmesh get -o json',
  ].join('\n'),
  options: [new Option('-o, --output <format>', 'yaml (default) or json').choices(['yaml', 'json'])],
  async run(ctx) {
    const rules = await withAdmin(ctx, (admin) => admin.rules(), { warnings: false });
    // Not printResult: the file is the result, and its strings are written as YAML or JSON escapes them.
    ctx.io.out(ctx.json || ctx.values.output === 'json' ? JSON.stringify(meshFileOf(rules), null, 2) : meshYaml(rules).replace(/\n$/, ''));
    return EXIT.OK;
  },
};
