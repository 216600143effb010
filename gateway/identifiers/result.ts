import type { Finding } from '../model.js';

/**
 * Outcome of one identifier check. A refused identifier carries one finding,
 * the first rule it breaks; an accepted one carries its normalised form and
 * any warnings that should travel with the record. Findings leave `field`
 * empty for the caller to fill with the field the identifier came from.
 */
export type IdentifierResult =
  | { ok: true; value: string; warnings: Finding[] }
  | { ok: false; finding: Finding };

export function accepted(value: string, warnings: Finding[] = []): IdentifierResult {
  return { ok: true, value, warnings };
}

export function refused(finding: Finding): IdentifierResult {
  return { ok: false, finding };
}
