/**
 * A job's or a file's field codes in the current standard's terms. Older
 * template codes and header variants become the current code; a field the
 * new template dropped is left out with a warning; a code the standard does
 * not know is an error, because the platform would refuse it and a typo must
 * not silently send nothing.
 */
import type { Finding } from '../model.js';
import { lookupHeader, type HeaderMatch } from '../standards/headers.js';
import type { Standard } from '../standards/types.js';
import { finding } from './reasons.js';

export interface NormalisedCodes<T> {
  /** Entries under their current codes, in the order given. */
  values: Record<string, T>;
  /** The spelling each current code was given as, where it differs. */
  renamed: Record<string, string>;
  errors: Finding[];
  warnings: Finding[];
}

/**
 * Every row asks for the same few codes: a header is normalised (NFKC,
 * several patterns) once per standard, not once per field of every row.
 * Bounded, because file headers are whatever a clerk typed.
 */
const MAX_REMEMBERED = 2000;
const remembered = new WeakMap<Standard, Map<string, HeaderMatch>>();

function lookup(standard: Standard, given: string): HeaderMatch {
  let known = remembered.get(standard);
  if (!known) remembered.set(standard, (known = new Map()));
  let match = known.get(given);
  if (match === undefined) {
    match = lookupHeader(standard, given);
    if (known.size < MAX_REMEMBERED) known.set(given, match);
  }
  return match;
}

export function normaliseFieldCodes<T>(entries: Readonly<Record<string, T>>, standard: Standard): NormalisedCodes<T> {
  const values: Record<string, T> = {};
  const renamed: Record<string, string> = {};
  const givenAs: Record<string, string> = {};
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  for (const [given, value] of Object.entries(entries)) {
    const match = lookup(standard, given);
    if (match.kind === 'unknown') {
      errors.push(finding('FIELD_UNKNOWN', given, { field: given, standard: standard.name }));
      continue;
    }
    if (match.kind === 'retired') {
      const { code, name, note } = match.retired;
      warnings.push(finding('FIELD_RETIRED', given, { field: given === code ? code : `${given}（${code}）`, name, note }));
      continue;
    }
    const { code, name } = match.field;
    if (Object.hasOwn(values, code)) {
      errors.push(finding('FIELD_DUPLICATE', code, { field: givenAs[code]!, other: given, name }));
      continue;
    }
    values[code] = value;
    givenAs[code] = given;
    if (given !== code) renamed[code] = given;
  }
  return { values, renamed, errors, warnings };
}
