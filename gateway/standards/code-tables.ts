/**
 * Reading a value against a code table: the exact value, one of its other
 * spellings, a superseded spelling (kept, with a warning), or `其他…` where
 * the table lets the kind be written out.
 */
import type { CodeTable, CodeValue } from './types.js';

export type CodeMatch =
  | { ok: true; value: string; entry?: Readonly<CodeValue>; legacy?: string }
  | { ok: false };

/** Widths, spaces and letter case do not change a code: `ａ级` reads as `A级`. */
export function codeKey(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

const indexes = new WeakMap<CodeTable, ReadonlyMap<string, Readonly<CodeValue>>>();

function indexOf(table: CodeTable): ReadonlyMap<string, Readonly<CodeValue>> {
  let index = indexes.get(table);
  if (!index) {
    const map = new Map<string, Readonly<CodeValue>>();
    for (const entry of table.values) {
      for (const spelling of [entry.value, ...(entry.aliases ?? [])]) if (!map.has(codeKey(spelling))) map.set(codeKey(spelling), entry);
    }
    index = map;
    indexes.set(table, index);
  }
  return index;
}

/**
 * A code column holds the same few values row after row: each spelling is
 * read (NFKC and all) once per table. Bounded, because a column may hold
 * whatever a clerk typed; the matches kept are frozen, since every caller
 * gets the same one.
 */
const MAX_REMEMBERED = 1000;
const remembered = new WeakMap<CodeTable, Map<string, CodeMatch>>();

export function lookupCode(table: CodeTable, raw: string): CodeMatch {
  let known = remembered.get(table);
  if (!known) remembered.set(table, (known = new Map()));
  let match = known.get(raw);
  if (match === undefined) {
    match = Object.freeze(matchCode(table, raw));
    if (known.size < MAX_REMEMBERED) known.set(raw, match);
  }
  return match;
}

function matchCode(table: CodeTable, raw: string): CodeMatch {
  const entry = indexOf(table).get(codeKey(raw));
  if (entry) return entry.legacy ? { ok: true, value: entry.value, entry, legacy: entry.legacy } : { ok: true, value: entry.value, entry };
  const text = raw.normalize('NFKC').trim();
  if (table.otherPrefix && text.startsWith(table.otherPrefix)) return { ok: true, value: text };
  return { ok: false };
}

/** The current values as a clerk should write them: `1（有效）、2（无效）`, then `其他…` where allowed. */
export function allowedValues(table: CodeTable): string {
  const current = table.values.filter((v) => !v.legacy).map((v) => (v.label ? `${v.value}（${v.label}）` : v.value));
  if (table.otherPrefix) current.push(`${table.otherPrefix}…（注明具体类别）`);
  return current.join('、');
}
