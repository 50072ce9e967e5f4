import { createLogger } from './logger';

describe('createLogger', () => {
  const saved = process.env.NATSMESH_LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.NATSMESH_LOG_LEVEL;
    else process.env.NATSMESH_LOG_LEVEL = saved;
  });

  const capture = (options: Parameters<typeof createLogger>[0] = {}) => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ ...options, sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines };
  };

  it('writes JSON lines with level, time, msg, bindings and the fields given', () => {
    const { logger, lines } = capture({ bindings: { app: 'desk' } });
    logger.child({ service: 'a' }).info({ room: 3 }, 'booked');
    expect(lines).toEqual([expect.objectContaining({ level: 30, time: expect.any(Number), app: 'desk', service: 'a', room: 3, msg: 'booked' })]);
  });

  it('serialises errors and anything with a cycle or a BigInt without throwing', () => {
    const { logger, lines } = capture();
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    expect(() => logger.error({ err: cyclic }, 'thrown')).not.toThrow();
    expect(() => logger.error(cyclic, 'as fields')).not.toThrow();
    expect(() => logger.error({ err: new TypeError('boom') }, 'error')).not.toThrow();
    expect(lines.map((l) => l.msg)).toEqual(['thrown', 'as fields', 'error']);
    expect(lines[0].err).toMatchObject({ self: '[Circular]' });
    expect(lines[2].err).toMatchObject({ type: 'TypeError', message: 'boom', stack: expect.any(String) });
  });

  it('logs an error whose fields throw when read', () => {
    const { logger, lines } = capture();
    const err = new Error('hostile');
    Object.defineProperty(err, 'field', { enumerable: true, get: () => { throw new Error('getter'); } });
    expect(() => logger.error({ err }, 'thrown')).not.toThrow();
    expect(() => logger.error(err)).not.toThrow();
    expect(lines.map((l) => l.err)).toEqual([expect.objectContaining({ type: 'Error', message: 'hostile' }), expect.objectContaining({ message: 'hostile' })]);
  });

  it('takes the level from the option, else NATSMESH_LOG_LEVEL, else info', () => {
    process.env.NATSMESH_LOG_LEVEL = 'warn';
    const fromEnv = capture();
    fromEnv.logger.info('hidden');
    fromEnv.logger.warn('shown');
    expect(fromEnv.lines.map((l) => l.msg)).toEqual(['shown']);
    const fromOption = capture({ level: 'debug' });
    fromOption.logger.debug('shown');
    expect(fromOption.lines).toHaveLength(1);
    delete process.env.NATSMESH_LOG_LEVEL;
    const byDefault = capture();
    byDefault.logger.debug('hidden');
    byDefault.logger.info('shown');
    expect(byDefault.lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('reads NATSMESH_LOG_LEVEL whatever its case', () => {
    process.env.NATSMESH_LOG_LEVEL = 'DEBUG';
    const { logger, lines } = capture();
    logger.trace('hidden');
    logger.debug('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('falls back to info for an unknown NATSMESH_LOG_LEVEL, saying once, at warn, that it was ignored and which levels there are', () => {
    process.env.NATSMESH_LOG_LEVEL = 'verbose';
    const { logger, lines } = capture();
    logger.debug('hidden');
    logger.info('shown');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/NATSMESH_LOG_LEVEL "verbose" ignored.*trace, debug, info, warn, error, fatal, silent/) }),
      expect.objectContaining({ level: 30, msg: 'shown' }),
    ]);
  });

  it.each([
    ['sink', { sink: { write: () => undefined } }, /sink .*a function/],
    ['sink', { sink: 5 }, /sink is 5.*a function/],
    ['destination', { destination: 'stderr' }, /destination .*a stream with write/],
    ['destination', { destination: null }, /destination .*a stream with write/],
    ['level', { level: 'verbose' }, /level is "verbose".*trace, debug, info, warn, error, fatal, silent/],
    ['bindings', { bindings: 'app' }, /bindings .*an object/],
    ['bindings', { bindings: [1] }, /bindings .*an object/],
  ])('refuses a %s that cannot work, at once (%p)', (_what, options, message) => {
    expect(() => createLogger(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(message) }));
  });

  it('refuses options that are not an object', () => {
    expect(() => createLogger('debug' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('writes nothing at level silent', () => {
    const { logger, lines } = capture({ level: 'silent' });
    logger.fatal('hidden');
    expect(lines).toEqual([]);
  });

  it('writes to a pino destination stream', () => {
    const chunks: string[] = [];
    createLogger({ destination: { write: (s: string) => void chunks.push(s) } }).info('to a stream');
    expect(JSON.parse(chunks.join(''))).toMatchObject({ msg: 'to a stream' });
  });

  it('loads pino only when a default logger is made, not when @natsmesh/core is imported', async () => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const script = `
      require('reflect-metadata');
      const core = require(${JSON.stringify(join(__dirname, '../../dist/index.js'))});
      const loaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]pino[\\/]/.test(k));
      const atImport = loaded();
      core.createLogger({ sink: () => undefined });
      console.log(JSON.stringify({ atImport, afterCreate: loaded() }));`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '../..') }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    expect(JSON.parse(stdout)).toEqual({ atImport: false, afterCreate: true });
  });

  describe('format', () => {
    const savedFormat = process.env.NATSMESH_LOG_FORMAT;
    afterEach(() => {
      if (savedFormat === undefined) delete process.env.NATSMESH_LOG_FORMAT;
      else process.env.NATSMESH_LOG_FORMAT = savedFormat;
    });

    const raw = (options: Parameters<typeof createLogger>[0]) => {
      const lines: string[] = [];
      const logger = createLogger({ ...options, sink: (line) => lines.push(line) });
      return { logger, lines };
    };

    it('writes pretty, uncoloured lines with format pretty, at once', () => {
      const { logger, lines } = raw({ format: 'pretty', bindings: { service: 'desk' } });
      logger.info({ room: 3 }, 'booked');
      expect(lines).toHaveLength(1);
      expect(() => JSON.parse(lines[0])).toThrow();
      expect(lines[0]).toMatch(/INFO.*booked/);
      expect(lines[0]).toContain('service: "desk"');
      expect(lines[0]).toContain('room: 3');
      expect(lines[0]).not.toContain('\u001b[');
    });

    it('writes JSON to a sink by default, whatever NATSMESH_LOG_FORMAT says (it is about stderr)', () => {
      process.env.NATSMESH_LOG_FORMAT = 'pretty';
      const { logger, lines } = raw({});
      logger.info('plain');
      expect(JSON.parse(lines[0])).toMatchObject({ msg: 'plain' });
    });

    it('refuses an unknown format', () => {
      expect(() => createLogger({ format: 'yaml' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('format') }));
    });

    it('says once, at warn, that an unknown NATSMESH_LOG_FORMAT was ignored, and writes JSON to a pipe as before', async () => {
      const out = await stderrOf({ NATSMESH_LOG_FORMAT: 'yaml' });
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/NATSMESH_LOG_FORMAT "yaml" ignored.*json.*pretty/) }),
        expect.objectContaining({ msg: 'written before exit' }),
      ]);
    });

    // A child process's stderr here is a pipe, never a terminal: the default is JSON there, and the
    // variable (or the option) is how a terminal's pretty branch is reached without one.
    const stderrOf = async (env: Record<string, string | undefined>): Promise<string> => {
      const { execFile } = await import('node:child_process');
      const { join } = await import('node:path');
      const script = `
        const core = require(${JSON.stringify(join(__dirname, '../../dist/index.js'))});
        core.createLogger({ bindings: { service: 'desk' } }).warn({ room: 3 }, 'written before exit');
        process.exit(0);`;
      return new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['-r', 'reflect-metadata', '-e', script], { cwd: join(__dirname, '../..'), env: { ...process.env, ...env } }, (err, _out, stderr) =>
          err ? reject(err) : resolve(stderr),
        ),
      );
    };

    it('writes JSON to stderr when it is not a terminal, pretty with NATSMESH_LOG_FORMAT=pretty, synchronously either way', async () => {
      const json = await stderrOf({ NATSMESH_LOG_FORMAT: undefined });
      expect(JSON.parse(json)).toMatchObject({ level: 40, service: 'desk', room: 3, msg: 'written before exit' });
      const pretty = await stderrOf({ NATSMESH_LOG_FORMAT: 'Pretty' });
      expect(() => JSON.parse(pretty)).toThrow();
      expect(pretty).toMatch(/WARN.*written before exit/);
      expect(pretty).toContain('room: 3');
      const forced = await stderrOf({ NATSMESH_LOG_FORMAT: 'json' });
      expect(JSON.parse(forced)).toMatchObject({ msg: 'written before exit' });
    });
  });
});
