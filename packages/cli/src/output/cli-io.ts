/** Where a command writes; the real process streams in `main`, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stdout when it is a terminal, for output that redraws itself (a progress bar); absent otherwise. */
  readonly terminal?: NodeJS.WriteStream;
}

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  terminal: process.stdout.isTTY ? process.stdout : undefined,
};
