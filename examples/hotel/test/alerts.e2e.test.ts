import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeService, scanService } from '@natsmesh/core';
import { rulesYaml, sloRules } from '@natsmesh/cli';
import { promtool } from '../../../packages/cli/test/promtool';
import { HOTEL_SERVICES } from '../src/services';

const ALERTS_FILE = join(__dirname, '..', 'alerts.yaml');

describe('the hotel alerts.yaml', () => {
  it('is what natsmesh alerts makes from the SLOs on the hotel services today (regenerate: npm run alerts -w @natsmesh/example-hotel)', () => {
    const made = sloRules(HOTEL_SERVICES.map((c) => describeService(scanService(c))));
    expect(made.endpoints).toBe(2);
    expect(readFileSync(ALERTS_FILE, 'utf8')).toBe(rulesYaml(made.rules));
  });

  it('passes promtool check rules', async () => {
    const checked = await promtool('check', 'rules', ALERTS_FILE);
    expect(checked.output).toMatch(/SUCCESS: 22 rules found/);
    expect(checked.code).toBe(0);
  });
});
