import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonSchema } from '@natsmesh/core';
import { DOCS_ERROR_CODES } from './errors';
import { SaveBooking } from '../test/fixtures/documented-services';

const root = join(__dirname, '../../..');
const doc = readFileSync(join(root, 'docs/documenting-services.md'), 'utf8');

describe('docs/documenting-services.md', () => {
  it('shows the example the tests run, verbatim', () => {
    const block = /## A documented service\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(readFileSync(join(__dirname, '../test/fixtures/documented-services.ts'), 'utf8'));
  });

  it('shows the schema toJsonSchema really gives for SaveBooking', () => {
    const block = /`SaveBooking` becomes:\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(JSON.parse(block!)).toEqual(toJsonSchema(SaveBooking));
  });

  it('lists exactly the error codes the package throws', () => {
    const table = doc.slice(doc.indexOf('## Errors'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(documented)).toEqual(DOCS_ERROR_CODES);
  });
});
