import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL = 'install Prometheus (Debian/Ubuntu: sudo apt-get install -y prometheus; elsewhere: https://prometheus.io/download/) so that promtool is on PATH; .ci/run does this';

/** The path of a Prometheus binary (`promtool`, `prometheus`) on PATH; throws how to install it when missing. */
export function prometheusBinary(name: 'promtool' | 'prometheus'): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not installed: ${INSTALL}.`);
}

/** Runs promtool; resolves with its exit code and output (it never rejects for a non-zero exit). */
export function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  const bin = prometheusBinary('promtool');
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      if (err !== null && code === -1) return reject(err);
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
