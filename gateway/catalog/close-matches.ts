/**
 * Names close to a mistyped one, for "did you mean" messages. Department
 * names share their frame (市…局, 黄石市…委员会), so that is set aside and
 * the rest compared character by character: 市税务局 is close to 市地税局
 * and 市国税局, 市建设局 to 市城乡建设委员会. Containment counts fully
 * (红十字 in 市红十字会).
 */

const FRAME_PREFIX = /^(黄石市|黄石|市)/;
const FRAME_SUFFIX = /(委员会|办公室|管理局|局|委|办|中心|公司|集团)$/;

/** What is left of a department name without 市…局 and the like. */
export function nameCore(name: string): string {
  return name.replace(FRAME_PREFIX, '').replace(FRAME_SUFFIX, '');
}

/** Dice coefficient over characters, counting repeats. */
function sharedCharacters(a: string, b: string): number {
  const left = [...a];
  const pool = [...b];
  let shared = 0;
  for (const ch of left) {
    const at = pool.indexOf(ch);
    if (at >= 0) {
      shared++;
      pool.splice(at, 1);
    }
  }
  return (2 * shared) / (left.length + [...b].length);
}

/** 0 (nothing in common) … 1 (same, or one contains the other). */
export function similarity(query: string, name: string): number {
  if (query === '' || name === '') return 0;
  if (query.includes(name) || name.includes(query)) return 1;
  const a = nameCore(query);
  const b = nameCore(name);
  return a === '' || b === '' ? 0 : sharedCharacters(a, b);
}

export interface Candidate<T> {
  item: T;
  names: readonly string[];
}

/** Items whose best name scores at least `threshold`, best first, at most `limit`. */
export function closeMatches<T>(query: string, candidates: readonly Candidate<T>[], limit = 5, threshold = 0.5): T[] {
  return candidates
    .map((c) => ({ item: c.item, score: Math.max(...c.names.map((n) => similarity(query, n))) }))
    .filter((s) => s.score >= threshold)
    .sort((x, y) => y.score - x.score)
    .slice(0, limit)
    .map((s) => s.item);
}

/** Levenshtein distance between two strings, by code point. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * Identifiers close to a mistyped one (member names, field codes, column
 * names, category codes): case-insensitive edit distance, at most a third of
 * the longer name (at least 1) away, only those nearest, at most `limit`. Unlike
 * `similarity`, order matters here: `CF_NR` is near `CF_NRR`, not `CF_RN`.
 */
export function closeIdentifiers(query: string, names: readonly string[], limit = 3): string[] {
  const q = query.toLowerCase();
  const near = [...new Set(names)]
    .map((name) => ({ name, distance: editDistance(q, name.toLowerCase()) }))
    .filter((s) => s.name !== query && s.distance <= Math.max(1, Math.floor(Math.max([...q].length, [...s.name].length) / 3)));
  // Only the nearest: one letter off says more than two letters off beside it.
  const best = Math.min(...near.map((s) => s.distance));
  return near
    .filter((s) => s.distance === best)
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}
