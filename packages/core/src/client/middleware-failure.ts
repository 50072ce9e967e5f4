import { MeshError } from '../errors/mesh-error';
import { thrownMessage, toMeshError } from '../errors/to-mesh-error';

/**
 * What a `call` or `emit` pipeline failed with, as a {@link MeshError}: MeshErrors and nats.js
 * errors keep their code; a header nats.js refused (a middleware's `ctx.headers.set`) is
 * `BAD_REQUEST`, as for `options.headers`; anything else (a string, a number, a plain Error) is
 * `INTERNAL`, with the value kept as the cause.
 */
export function middlewareFailure(err: unknown, pipeline: 'call' | 'emit', subject: string): MeshError {
  if (err instanceof MeshError) return err;
  if (isNatsBadHeader(err)) {
    return new MeshError(
      'BAD_REQUEST',
      `A header set in the ${pipeline} middleware of "${subject}" cannot be sent (${thrownMessage(err, 'refused by nats.js')}): use a name of printable characters without white space or ":", and a value without CR or LF.`,
      undefined,
      { cause: err },
    );
  }
  return toMeshError(
    err,
    `The ${pipeline} middleware of "${subject}" failed with ${describeThrown(err)}: throw a MeshError with a code to tell the caller what went wrong.`,
  );
}

function isNatsBadHeader(err: unknown): boolean {
  try {
    return err instanceof Error && err.name === 'NatsError' && (err as { code?: unknown }).code === 'BAD_HEADER';
  } catch {
    return false;
  }
}

function describeThrown(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${thrownMessage(err, 'no message')}`;
  if (typeof err === 'string') return JSON.stringify(err);
  try {
    return typeof err === 'object' && err !== null ? 'an object that is not an Error' : String(err);
  } catch {
    return 'a value that cannot be read';
  }
}
