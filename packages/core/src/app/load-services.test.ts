import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadServices } from './load-services';

const fixtures = join(__dirname, '../../test/fixtures');

/** Runs loadServices from the compiled package under plain node, which cannot load TypeScript. */
async function scanUnderNode(pattern: string): Promise<{ code?: string; message?: string; loaded?: number }> {
  const script = `
    require('reflect-metadata');
    require(${JSON.stringify(join(__dirname, '../../dist/index.js'))})
      .loadServices(${JSON.stringify(pattern)}, ${JSON.stringify(fixtures)})
      .then((c) => console.log(JSON.stringify({ loaded: c.length })), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: join(__dirname, '../..') });
  return JSON.parse(stdout) as { code?: string; message?: string };
}

describe('loadServices over TypeScript sources', () => {
  it('says to scan the compiled .js when node cannot load a matched .ts file', async () => {
    const result = await scanUnderNode('*.service.ts');
    expect(result.code).toBe('INVALID_OPTIONS');
    expect(result.message).toMatch(/guests\.service\.ts: it is TypeScript source, which node cannot load/);
    expect(result.message).toMatch(/scan the compiled \.js instead, e\.g\. scan: 'dist\/\*\*\/\*\.service\.js'/);
  });

  it('says the same for declaration files, which hold no code', async () => {
    const result = await scanUnderNode('../../dist/app/load-services.d.ts');
    expect(result).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/load-services\.d\.ts: it is TypeScript source.*scan the compiled \.js/) });
  });

  it('loads .ts files where a TypeScript loader is present (here: jest with ts-jest)', async () => {
    await expect(loadServices('*.service.ts', fixtures)).resolves.toHaveLength(2);
  });

  it('never imports files under node_modules, whatever the glob', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'natsmesh-scan-'));
    try {
      mkdirSync(join(dir, 'dist'));
      mkdirSync(join(dir, 'node_modules/evil'), { recursive: true });
      writeFileSync(join(dir, 'dist/a.service.js'), 'module.exports = {};\n');
      const marker = join(dir, 'evil-ran');
      writeFileSync(join(dir, 'node_modules/evil/x.service.js'), `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');\n`);
      const err = await loadServices('**/*.service.js', dir).catch((e: { code?: string; message?: string }) => e);
      expect(err).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('imported 1 file(s)') });
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
