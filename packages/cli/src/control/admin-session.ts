import { createAdmin, type MeshAdmin } from '@natsmesh/core';
import type { CommandContext } from '../command';
import type { CliIo } from '../output/cli-io';

/**
 * Runs `use` with an admin on the command's connection (the global options), then closes the
 * admin; the runner closes the connection. `warnings: false` skips asking discovery which
 * services and versions run.
 */
export async function withAdmin<T>(ctx: CommandContext, use: (admin: MeshAdmin) => Promise<T>, options: { warnings?: boolean } = {}): Promise<T> {
  const client = await ctx.connect({ control: false });
  const admin = await createAdmin({ nats: client.connection, warnings: options.warnings ?? true, logger: false });
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}

/** Prints a write's warnings (unknown services or versions) on stderr; under `--json` they are part of the result instead. */
export function printWarnings(io: CliIo, json: boolean, warnings: readonly string[]): void {
  if (!json) for (const w of warnings) io.err(`Warning: ${w}`);
}
