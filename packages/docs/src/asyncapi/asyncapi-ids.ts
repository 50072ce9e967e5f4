/** An AsyncAPI map key (`^[A-Za-z0-9_-]+$`) for a subject or name: dots become `_`, `*` `STAR`, `>` `GT`. */
export function keyOf(text: string): string {
  return text
    .split('.')
    .map((t) => (t === '*' ? 'STAR' : t === '>' ? 'GT' : t.replace(/[^A-Za-z0-9_-]/g, '-')))
    .join('_');
}

/** Hands out unique keys: a second, different thing with the same key gets `_2`, then `_3`. */
export class KeyRegistry {
  private readonly owners = new Map<string, string>();

  /** The key of `owner` (a subject, say), derived from `wanted`. */
  keyFor(owner: string, wanted: string = owner): string {
    const base = keyOf(wanted);
    for (let n = 1; ; n++) {
      const key = n === 1 ? base : `${base}_${n}`;
      const taken = this.owners.get(key);
      if (taken === undefined) {
        this.owners.set(key, owner);
        return key;
      }
      if (taken === owner) return key;
    }
  }
}

/**
 * An AsyncAPI channel address for a subject: each `*` becomes a `{wildcardN}` parameter and
 * a final `>` becomes `{rest}`.
 */
export function addressOf(subject: string): { address: string; parameters: { name: string; index: number; rest: boolean }[] } {
  const parameters: { name: string; index: number; rest: boolean }[] = [];
  let n = 0;
  const address = subject
    .split('.')
    .map((t, index) => {
      if (t === '*') {
        const name = `wildcard${++n}`;
        parameters.push({ name, index, rest: false });
        return `{${name}}`;
      }
      if (t === '>') {
        parameters.push({ name: 'rest', index, rest: true });
        return '{rest}';
      }
      return t;
    })
    .join('.');
  return { address, parameters };
}
