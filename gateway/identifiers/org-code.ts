/**
 * 组织机构代码 (GB 11714-1997): eight-character 本体代码 of digits or capital
 * letters, then a check character, written `XXXXXXXX-X`.
 */
import { finding } from '../validation/reasons.js';
import { normaliseIdentifier } from './normalise.js';
import { accepted, refused, type IdentifierResult } from './result.js';

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Digits count as themselves, letters A–Z as 10–35. */
function charValue(ch: string): number {
  // By its code, as /\d/ reads it (ASCII digits only): every subject's credit code comes here once a row.
  const code = ch.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : code - 55;
}

/** The check character for an eight-character 本体代码 (C9 = 11 − Σ mod 11; 10 → X, 11 → 0). */
export function orgCodeCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += charValue(body[i]!) * WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

const BODY_CHAR = /^[0-9A-Z]$/;
const CHECK_CHAR = /^[0-9X]$/;

/**
 * Position (1-based, hyphen not counted) and character of the first
 * character that may not appear where it is, or null.
 */
export function orgCodeBadChar(code: string): { position: number; char: string } | null {
  for (let i = 0; i < code.length; i++) {
    const ok = i < 8 ? BODY_CHAR.test(code[i]!) : CHECK_CHAR.test(code[i]!);
    if (!ok) return { position: i + 1, char: code[i]! };
  }
  return null;
}

/** Accepts `12345678-9` or `123456789`; the value comes back as `12345678-9`. */
export function checkOrgCode(input: string): IdentifierResult {
  const raw = normaliseIdentifier(input);
  if (raw === '') return refused(finding('ORG_CODE_EMPTY', ''));
  const code = /^.{8}-.$/.test(raw) ? raw.slice(0, 8) + raw.slice(9) : raw;
  if (code.length !== 9 || code.includes('-')) return refused(finding('ORG_CODE_FORMAT', '', { code: raw }));
  const bad = orgCodeBadChar(code);
  if (bad) return refused(finding('ORG_CODE_CHARSET', '', bad));
  // All zeros satisfy the checksum, yet name no organisation.
  if (code === '000000000') return refused(finding('ORG_CODE_PLACEHOLDER', ''));
  const expected = orgCodeCheckChar(code);
  if (code[8] !== expected) return refused(finding('ORG_CODE_CHECK', '', { expected }));
  return accepted(`${code.slice(0, 8)}-${code[8]}`);
}
