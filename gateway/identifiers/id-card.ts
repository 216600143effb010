/**
 * 居民身份证号码 (GB 11643-1999 公民身份号码): 6-digit address code, 8-digit
 * birth date, 3-digit sequence, and a check digit over the first 17
 * (ISO 7064 MOD 11-2, where 10 is written X). Numbers issued before 1999 had
 * 15 digits: a two-digit birth year and no check digit.
 */
import { finding } from '../validation/reasons.js';
import { chinaDate, isRealDate } from './calendar.js';
import { normaliseIdentifier } from './normalise.js';
import { ID_AREA_PREFIXES } from './regions.js';
import { accepted, refused, type IdentifierResult } from './result.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_DIGITS = '10X98765432';

/** The check digit for the first 17 digits. */
export function idCardCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_DIGITS[sum % 11]!;
}

/** A 15-digit number as its 18-digit form: every old number was born in the 1900s. */
export function upgradeIdCard15(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idCardCheckDigit(first17);
}

export interface IdCardOptions {
  /**
   * 'YYYY-MM-DD': no one is born after it. Pass the day the row was read so
   * the check stays a function of its inputs; without it the current date in
   * China is used.
   */
  today?: string;
}

export function checkIdCard(input: string, options: IdCardOptions = {}): IdentifierResult {
  const raw = normaliseIdentifier(input);
  if (raw === '') return refused(finding('ID_EMPTY', ''));
  if (raw.length !== 18 && raw.length !== 15) return refused(finding('ID_LENGTH', '', { length: raw.length }));
  const wellFormed = raw.length === 18 ? /^\d{17}[\dX]$/ : /^\d{15}$/;
  if (!wellFormed.test(raw)) return refused(finding('ID_CHARSET', ''));
  const converted = raw.length === 15;
  const id = converted ? upgradeIdCard15(raw) : raw;

  if (!ID_AREA_PREFIXES.has(id.slice(0, 2))) return refused(finding('ID_AREA', '', { area: id.slice(0, 6) }));
  const birth = id.slice(6, 14);
  const birthProblem = birthDateProblem(birth, options.today ?? chinaDate(new Date())!);
  if (birthProblem) return refused(finding(birthProblem, '', { date: birth }));
  const expected = idCardCheckDigit(id);
  if (id[17] !== expected) return refused(finding('ID_CHECK_DIGIT', '', { expected }));

  return accepted(id, converted ? [finding('ID_CONVERTED_FROM_15', '')] : []);
}

function birthDateProblem(yyyymmdd: string, today: string): 'ID_BIRTH_DATE' | 'ID_BIRTH_TOO_EARLY' | 'ID_BIRTH_FUTURE' | null {
  const year = Number(yyyymmdd.slice(0, 4));
  if (!isRealDate(year, Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)))) return 'ID_BIRTH_DATE';
  if (year < 1900) return 'ID_BIRTH_TOO_EARLY';
  if (yyyymmdd > today.replaceAll('-', '')) return 'ID_BIRTH_FUTURE';
  return null;
}
