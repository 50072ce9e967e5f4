import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { Option } from 'commander';
import { windowDays } from '@natsmesh/core';
import { DocsError } from '@natsmesh/docs';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { failureOf, printFailure, printResult } from '../output/cli-output';
import { terminalSafe } from '../output/terminal-safe';
import { readServiceSource, SOURCE_OPTIONS, SOURCE_USAGE } from '../service-source';
import { rulesYaml } from '../alerts/rules-yaml';
import { sloRules } from '../alerts/slo-rules';

const NO_SLO =
  "No endpoint declares an SLO: add one to @Handle, e.g. @Handle('save', { slo: { errorRate: 0.001, p99: 250 } }) " +
  '(errorRate: the fraction of requests allowed to fail; p99 in ms), rebuild, and run natsmesh alerts again.';

/** `natsmesh alerts`: Prometheus alerting rules from the SLOs declared on `@Handle`. */
export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'write Prometheus alerting rules from the SLOs declared on @Handle',
  usage: `${SOURCE_USAGE} [--out <file>] [--window <30d>]`,
  help: [
    'Per endpoint with slo.errorRate: recording rules of its error ratio over 5m to 3d and two',
    'multiwindow, multi-burn-rate alerts (severity page and ticket, Google SRE workbook ch. 5),',
    'less any condition that would fire within budget (windows under 30d) or never (a large',
    'errorRate): each left out with a warning on stderr;',
    'per endpoint with slo.p99: a p99 recording rule and an alert when it stays above the objective.',
    'Writes YAML to --out, else to stdout. --window: the error-budget window of SLOs that set none',
    "(whole days or weeks, 3d or more; default 30d). Exits 1 when no endpoint declares an SLO.",
    '',
    'Examples:',
    "  natsmesh alerts --scan 'dist/**/*.service.js' --out alerts.yaml && promtool check rules alerts.yaml",
    '  natsmesh alerts --live --window 28d',
  ].join('\n'),
  options: [
    ...SOURCE_OPTIONS,
    new Option('--out <file>', 'file to write the rules to (default stdout)'),
    new Option('--window <days>', 'error-budget window of SLOs that set none, e.g. 28d or 4w (default 30d)'),
  ],
  async run(ctx) {
    const { values, io, json } = ctx;
    const window = values.window as string | undefined;
    if (window !== undefined && windowDays(window) === undefined) {
      throw new UsageError(`--window "${window}" is not a window: use whole days or weeks, 3 days or more, such as 30d, 28d or 4w.`);
    }
    try {
      const made = sloRules(await readServiceSource(ctx, 'alerts'), { window });
      if (made.endpoints === 0) {
        printFailure(io, json, { code: 'NO_SLO', message: NO_SLO }, NO_SLO);
        return EXIT.FAILED;
      }
      // Names in warnings may come from remote services (--live).
      for (const w of made.warnings) if (!json) io.err(terminalSafe(`warning: ${w}`));
      const yaml = rulesYaml(made.rules);
      const out = values.out as string | undefined;
      if (out === undefined) {
        printResult(io, json, made.rules, () => yaml.replace(/\n$/, ''));
        return EXIT.OK;
      }
      const file = resolve(out);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, yaml);
      const rules = made.rules.groups.reduce((n, g) => n + g.rules.length, 0);
      const path = relative(process.cwd(), file);
      printResult(io, json, { file: path, endpoints: made.endpoints, groups: made.rules.groups.length, rules, warnings: made.warnings }, () =>
        `Wrote ${rules} rule(s) for ${made.endpoints} endpoint(s) with an SLO to ${path}; check it with: promtool check rules ${path}`,
      );
      return EXIT.OK;
    } catch (err) {
      if (!(err instanceof DocsError)) throw err;
      printFailure(io, json, failureOf(err), `${err.code}: ${err.message}`);
      return EXIT.FAILED;
    }
  },
};
