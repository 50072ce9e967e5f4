import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** What the bar line shows besides the bar itself. */
export interface RolloutBarFields {
  /** `hotel.rooms 1.0.0 → 2.0.0`. */
  readonly title: string;
  /** The canary's share of traffic, percent. */
  readonly weight: number;
  /** `progressing, step 2 of 4`. */
  readonly phase: string;
  /** The live figures, e.g. `2.0.0 120 req 0.0% err p99 3.1 ms`. */
  readonly figures: string;
}

/**
 * A progress bar of a canary rollout in the terminal (cli-progress): one line, the canary's
 * weight as the bar, redrawn in place; lines logged go above it. Never wraps (cut at the
 * terminal's width), so it redraws cleanly.
 */
export class RolloutBar {
  private readonly multi: MultiBar;
  private readonly bar: SingleBar;
  private fields: RolloutBarFields;

  constructor(stream: NodeJS.WriteStream, fields: RolloutBarFields) {
    this.fields = fields;
    this.multi = new MultiBar(
      { stream, format: '{title} [{bar}] {weight}% | {phase} | {figures}', barsize: 24, hideCursor: true, linewrap: false, clearOnComplete: false, autopadding: true },
      Presets.shades_classic,
    );
    this.bar = this.multi.create(100, fields.weight, fields);
  }

  /** Redraws with the fields changed. */
  update(fields: Partial<RolloutBarFields>): void {
    this.fields = { ...this.fields, ...fields };
    this.bar.update(this.fields.weight, this.fields);
  }

  /** Prints a line above the bar. */
  log(line: string): void {
    this.multi.log(`${line}\n`);
  }

  /** Draws it one last time and leaves it on the screen. */
  stop(): void {
    // Lines logged are written at the next redraw: the last decision must not be lost.
    this.multi.update();
    this.multi.stop();
  }
}
