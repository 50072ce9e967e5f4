/** `1 event`, `0 events`, `2 events`: a count with its noun in the singular only for one. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
