import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('README', () => {
  it('shows the quick start that examples/quickstart compiles, verbatim', () => {
    const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(read('README.md'))?.[1];
    expect(block).toBeDefined();
    expect(block).toBe(read('examples/quickstart/src/main.ts'));
  });

  it('links only to docs pages that exist', () => {
    const links = [...read('README.md').matchAll(/\]\(((?:docs|examples)\/[^)#]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(() => read(link)).not.toThrow();
  });
});
