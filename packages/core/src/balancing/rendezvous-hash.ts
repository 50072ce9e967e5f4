// FNV-1a then murmur3's finaliser: cheap, and every input bit moves every output bit, which
// rendezvous hashing needs for an even spread.
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string, well mixed. */
export function hashString(s: string): number {
  return fmix32(fnv1a(s));
}

/**
 * Rendezvous (highest random weight) score of a key on a node, from their hashes: the node
 * with the highest score owns the key, so adding a node moves only the keys it now wins
 * (about 1/N of them) and removing one moves only its own.
 */
export function rendezvousScore(keyHash: number, nodeHash: number): number {
  return fmix32((keyHash ^ nodeHash) + 0x9e3779b9);
}
