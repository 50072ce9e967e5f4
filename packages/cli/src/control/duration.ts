const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];
const MS_OF_UNIT = new Map(UNITS);
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Reads a duration written with units, as the mesh file and the CLI take them: `30s`, `10m`,
 * `1h30m`, `1.5s`, `250ms`, `2d`. Undefined for anything else, a bare number included (the unit
 * is never guessed), and for a duration that is not a whole number of milliseconds.
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let match: RegExpExecArray | null;
  while ((match = PART.exec(text)) !== null) {
    total += Number(match[1]) * MS_OF_UNIT.get(match[2])!;
    if (PART.lastIndex === text.length) {
      // 0.1s + 0.2s: round away binary fractions, but refuse a genuine fraction of a millisecond.
      const rounded = Math.round(total * 1000) / 1000;
      return Number.isSafeInteger(rounded) ? rounded : undefined;
    }
  }
  return undefined;
}

/** Writes milliseconds the way {@link parseDuration} reads them, exactly: 90000 → `1m30s`, 1500 → `1s500ms`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}
