import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveNatsServerBinary } from './nats-server-binary';

describe('resolveNatsServerBinary', () => {
  let dir: string;
  let onPath: string;
  let elsewhere: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'natsmesh-bin-test-'));
    onPath = join(dir, 'path-dir');
    elsewhere = join(dir, 'elsewhere');
    for (const d of [onPath, elsewhere]) {
      mkdirSync(d);
      writeFileSync(join(d, 'nats-server'), '#!/bin/sh\n');
      chmodSync(join(d, 'nats-server'), 0o755);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses NATS_SERVER_BIN before PATH', () => {
    const bin = join(elsewhere, 'nats-server');
    expect(resolveNatsServerBinary({ env: { NATS_SERVER_BIN: bin, PATH: onPath }, fallbackPaths: [] }).path).toBe(bin);
  });

  it('searches PATH for a NATS_SERVER_BIN without a slash', () => {
    expect(resolveNatsServerBinary({ env: { NATS_SERVER_BIN: 'nats-server', PATH: `/nonexistent:${onPath}` }, fallbackPaths: [] }).path).toBe(
      join(onPath, 'nats-server'),
    );
  });

  it('reports a NATS_SERVER_BIN that points nowhere instead of quietly using another binary', () => {
    expect(() => resolveNatsServerBinary({ env: { NATS_SERVER_BIN: '/nonexistent/nats-server', PATH: onPath }, fallbackPaths: [] })).toThrow(
      expect.objectContaining({ code: 'NATS_SERVER_NOT_FOUND', message: expect.stringContaining('NATS_SERVER_BIN is set to "/nonexistent/nats-server"') }),
    );
  });

  it('finds nats-server on PATH', () => {
    expect(resolveNatsServerBinary({ env: { PATH: `/nonexistent:${onPath}` }, fallbackPaths: [] }).path).toBe(join(onPath, 'nats-server'));
  });

  it('skips a nats-server on PATH that is not executable, and falls back to the fixed paths', () => {
    chmodSync(join(onPath, 'nats-server'), 0o644);
    const fallback = join(elsewhere, 'nats-server');
    const found = resolveNatsServerBinary({ env: { PATH: onPath }, fallbackPaths: ['/nonexistent/nats-server', fallback] });
    expect(found).toEqual({ path: fallback, tried: ['nats-server on PATH', '/nonexistent/nats-server', fallback] });
  });

  it('ignores relative PATH entries, so a stray ./nats-server is never run', () => {
    const cwd = process.cwd();
    process.chdir(onPath);
    try {
      expect(resolveNatsServerBinary({ env: { PATH: '.::path-dir' }, fallbackPaths: [] }).path).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });

  it('returns no path, and where it looked, when nothing is installed', () => {
    expect(resolveNatsServerBinary({ env: { PATH: '/nonexistent' }, fallbackPaths: ['/nonexistent/nats-server'] })).toEqual({
      path: undefined,
      tried: ['nats-server on PATH', '/nonexistent/nats-server'],
    });
  });
});
