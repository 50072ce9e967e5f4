import { Match, type MsgHdrs } from 'nats';
import type { RequestMatch } from './rules-model';

/** A compiled {@link RequestMatch}: true when a request with these headers, from this caller, matches. */
export type MatchTest = (headers: MsgHdrs | undefined, caller: string | undefined) => boolean;

/**
 * Compiles a request match once (when the rules change): every header listed must have exactly
 * the value given (header names case-insensitive, as HTTP's), and `caller`, when given, must be the
 * caller's name. Undefined for no match or an empty one: every request matches.
 */
export function compileMatch(match: RequestMatch | undefined): MatchTest | undefined {
  if (match === undefined) return undefined;
  const headers = Object.entries(match.headers ?? {});
  const caller = match.caller;
  if (headers.length === 0 && caller === undefined) return undefined;
  return (h, from) => {
    if (caller !== undefined && from !== caller) return false;
    if (headers.length > 0 && h === undefined) return false;
    for (const [name, value] of headers) {
      // nats.js answers "" for a missing header: only an empty value asked for needs has() besides get().
      if (h!.get(name, Match.IgnoreCase) !== value || (value === '' && !h!.has(name, Match.IgnoreCase))) return false;
    }
    return true;
  };
}
