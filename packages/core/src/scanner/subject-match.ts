/**
 * True when every subject matching `subject` (a plain subject or a pattern) also matches `filter`:
 * NATS delivers a message on `subject` to a subscription on `filter`.
 * `app.>` covers `app.*.save`; `app.*.save` does not cover `app.>`.
 */
export function subjectCovers(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return i < s.length;
    if (i >= s.length) return false;
    if (s[i] === '>') return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/**
 * True when some subject matches both `a` and `b`, either of which may hold wildcards: an
 * event declared as `app.booking.*` reaches a subscription on `app.*.save`.
 */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    const tx = x[i];
    const ty = y[i];
    if (tx === '>' || ty === '>') return tx !== undefined && ty !== undefined;
    if (tx === undefined || ty === undefined) return tx === ty;
    if (tx !== '*' && ty !== '*' && tx !== ty) return false;
  }
}

/** True when the subject holds a `*` or `>` token. */
export function hasWildcard(subject: string): boolean {
  return subject.split('.').some((t) => t === '*' || t === '>');
}
