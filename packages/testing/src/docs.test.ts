import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TESTING_ERROR_CODES } from './errors';

const root = join(__dirname, '../../..');
const doc = readFileSync(join(root, 'docs/testing.md'), 'utf8');

describe('docs/testing.md', () => {
  it('shows the jest example that CI runs, verbatim', () => {
    const block = /## A first test\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(readFileSync(join(__dirname, '../test/docs-example.int.test.ts'), 'utf8'));
  });

  it('lists exactly the error codes the package throws', () => {
    const table = doc.slice(doc.indexOf('## Errors'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(TESTING_ERROR_CODES).sort());
  });
});
