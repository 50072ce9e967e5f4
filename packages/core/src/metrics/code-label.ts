import type { Tally } from './tally';

/**
 * What a `code` label value of `natsmesh_requests_total` and `natsmesh_client_requests_total`
 * must look like to be used as is: natsmesh's own codes (`VALIDATION_FAILED`) and codes written
 * like them, capitals, digits and `_`, starting with a capital, at most 64 characters.
 */
export const CODE_LABEL_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The `code` label of a code that does not match {@link CODE_LABEL_PATTERN} or is past {@link CODE_LABEL_LIMIT}. */
export const OTHER_CODE = 'OTHER';

/**
 * Most distinct codes besides `OK` one endpoint (server) or one subject (client) counts under
 * their own `code` label; further codes count under {@link OTHER_CODE}. A handler or a foreign
 * responder that puts ids in codes cannot grow the registry without bound.
 */
export const CODE_LABEL_LIMIT = 50;

/** Warns once per registry and reason when a code is counted as {@link OTHER_CODE}. */
export class CodeWarnings {
  private malformedSaid = false;
  private cappedSaid = false;

  constructor(
    private readonly metric: string,
    private readonly warn: (message: string) => void,
  ) {}

  malformed(code: string, series: string): void {
    if (this.malformedSaid) return;
    this.malformedSaid = true;
    this.warn(
      `natsmesh metrics: the code ${JSON.stringify(code.length > 80 ? `${code.slice(0, 80)}…` : code)} of ${series} does not look like a code (${CODE_LABEL_PATTERN.source}); ` +
        `${this.metric} counts such codes under code="${OTHER_CODE}". Use codes such as ROOM_TAKEN and put details in the message or details.`,
    );
  }

  capped(code: string, series: string): void {
    if (this.cappedSaid) return;
    this.cappedSaid = true;
    this.warn(
      `natsmesh metrics: ${series} answered with more than ${CODE_LABEL_LIMIT} codes; ${this.metric} counts further codes (first: "${code}") under code="${OTHER_CODE}". ` +
        'Codes should be a fixed set: put ids and details in the message or details.',
    );
  }
}

/** The code tallies of one series (an endpoint or a subject): at most {@link CODE_LABEL_LIMIT} codes besides `OK`, then `OTHER`. */
export class CodeTallies {
  private readonly codes = new Map<string, Tally>();
  private other: Tally | undefined;
  private counted = 0;

  constructor(
    private readonly make: (code: string) => Tally,
    private readonly warnings: CodeWarnings,
    private readonly series: string,
  ) {}

  /** The tally counting `code`. */
  of(code: string): Tally {
    const known = this.codes.get(code);
    if (known !== undefined) return known;
    if (code === OTHER_CODE) return this.otherTally();
    // Neither kind is kept in the map: its size stays bounded whatever codes come.
    if (!CODE_LABEL_PATTERN.test(code)) {
      this.warnings.malformed(code, this.series);
      return this.otherTally();
    }
    if (code !== 'OK') {
      if (this.counted >= CODE_LABEL_LIMIT) {
        this.warnings.capped(code, this.series);
        return this.otherTally();
      }
      this.counted++;
    }
    const made = this.make(code);
    this.codes.set(code, made);
    return made;
  }

  private otherTally(): Tally {
    return (this.other ??= this.make(OTHER_CODE));
  }
}
