import type { JsonSchema } from '@natsmesh/core';

/** The schema a local `$ref` (`#` or `#/$defs/Name`) points at inside `root`, or undefined. */
export function resolveRef(ref: string, root: JsonSchema): JsonSchema | undefined {
  if (ref === '#') return root;
  const m = /^#\/\$defs\/(.+)$/.exec(ref);
  return m ? root.$defs?.[decodeURIComponent(m[1]!).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
}

/** The `$defs` name a local `$ref` points at (`#` is the root's title), for display. */
export function refName(ref: string, root: JsonSchema): string {
  if (ref === '#') return root.title ?? 'object';
  const m = /^#\/\$defs\/(.+)$/.exec(ref);
  return m ? m[1]! : ref;
}
