import { runCli, type CliIo } from '@natsmesh/cli';

/** Runs natsmesh in-process and returns what it printed. */
export async function natsmesh(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await runCli(argv, io);
  return { code, out, err };
}
