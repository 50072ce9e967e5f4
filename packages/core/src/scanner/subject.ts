import { MeshError } from '../errors/mesh-error';

const BAD_TOKEN = /[\s*>]/;

/**
 * Checks a NATS subject: dot-separated, no empty token, no white space; with `wildcards`,
 * `*` may stand as a whole token and `>` as the whole last token.
 *
 * @throws MeshError `INVALID_SUBJECT` naming the subject, where it was declared and the fix.
 */
export function assertSubject(subject: string, where: string, wildcards: boolean): void {
  const tokens = typeof subject === 'string' ? subject.split('.') : [];
  const problem =
    tokens.length === 0 || subject.length === 0
      ? 'it is empty'
      : tokens.map((t, i) => tokenProblem(t, i === tokens.length - 1, wildcards)).find((p) => p !== undefined);
  if (problem) {
    throw new MeshError(
      'INVALID_SUBJECT',
      `Invalid subject "${String(subject)}" in ${where}: ${problem}. ` +
        (wildcards
          ? 'Use dot-separated tokens; "*" matches one token, ">" the rest and only at the end.'
          : 'Use dot-separated tokens without white space or wildcards ("*", ">"); wildcards belong in @On.'),
    );
  }
}

function tokenProblem(token: string, last: boolean, wildcards: boolean): string | undefined {
  if (token.length === 0) return 'it has an empty token';
  if (wildcards && token === '*') return undefined;
  if (wildcards && token === '>') return last ? undefined : '">" may only be the last token';
  if (BAD_TOKEN.test(token)) return `token "${token}" has white space or a wildcard`;
  return undefined;
}
