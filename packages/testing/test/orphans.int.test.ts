import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlive, waitFor } from './process-probes';

// A separate Node process starts a server and then dies without calling stop(); the server and
// its temp dir must not outlive it. The child loads the TypeScript sources through a tiny
// transpile-only hook, so the test needs no build.
const CHILD = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
}).outputText, file);
const { startNatsServer } = require(${JSON.stringify(join(__dirname, '../src/start-nats-server.ts'))});
startNatsServer({ jetstream: true }).then((s) => {
  process.stdout.write(JSON.stringify({ pid: s.pid, storeDir: s.storeDir }) + '\\n');
});
process.on('SIGUSR2', () => process.exit(0));
setInterval(() => {}, 1000);
`;

describe('a test process that dies without stopping its server', () => {
  it.each([
    ['is killed with SIGKILL', (pid: number) => process.kill(pid, 'SIGKILL')],
    ['calls process.exit()', (pid: number) => process.kill(pid, 'SIGUSR2')],
    ['gets Ctrl-C with its whole process group', (pid: number) => process.kill(-pid, 'SIGINT')],
  ])('leaves no nats-server and no temp dir behind when it %s', async (_how, end) => {
    const child = spawn(process.execPath, ['-e', CHILD], { cwd: join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const exited = new Promise((done) => child.once('exit', done));
    const started = await new Promise<{ pid: number; storeDir: string }>((done, fail) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) done(JSON.parse(out));
      });
      child.once('exit', (code) => fail(new Error(`child exited (${code}) before starting a server`)));
    });
    expect(isAlive(started.pid)).toBe(true);
    const tempDir = dirname(started.storeDir);
    expect(existsSync(tempDir)).toBe(true);

    end(child.pid!);
    await exited;

    await waitFor(() => !isAlive(started.pid) && !existsSync(tempDir), 'the server and its temp dir going away with the process that started it');
  });
});
