/** The one payload every contender sends: about 100 bytes of JSON. */
export const PAYLOAD = { guest: 'Ann Example', room: 301, nights: 3, email: 'ann@example.com', notes: 'late arrival' } as const;

/** The request subject (natsmesh: service `bench`, endpoint `echo`; Moleculer: action `bench.echo`). */
export const REQUEST_SUBJECT = 'bench.echo';
/** The event subject. */
export const EVENT_SUBJECT = 'bench.evt';
/** Request timeout every caller uses. */
export const TIMEOUT_MS = 5000;

/** What the echo handler of every contender returns: a plain object made from the input. */
export function replyOf(input: { guest: string; room: number }): { id: number; guest: string; room: number } {
  return { id: 42, guest: input.guest, room: input.room };
}
