/**
 * Identity numbers are shown masked everywhere (pages, APIs, exports, logs,
 * metrics): the first 6 characters (the region), stars over the birth date,
 * the rest. Enough for a contact to find the row in the source system, not
 * enough to identify a person.
 *
 * Masking is done by value where a value becomes output: a record key is
 * split into its source values (maskKey), a subject code is masked when the
 * subject is a person (maskSubjectCode), a value quoted in a reason is
 * masked when the reason is built (maskQuoted). The text scan
 * (maskIdNumbersIn) is only the last net, for text the gateway did not
 * build itself (a platform's message, a driver's error) and for what a
 * handler forgot. The net looks for the shapes an identity number takes in
 * text: 18 characters (region, birth date YYYYMMDD, sequence, check
 * character) or the legacy 15 digits (region, YYMMDD, sequence), in
 * half-width or full-width digits, whole or written 6-8-4 (6-6-3) with
 * spaces or hyphens, glued to letters or JSON escapes in front (`ID4202…`,
 * `\u001f4202…`) but never inside a longer number. The birth date
 * must be a plausible one, so phone numbers, amounts and document numbers
 * are left alone; a 统一社会信用代码 has letters or a region where an ID
 * has its year, and is left alone too.
 */
import { KEY_SEPARATOR } from '../records/record-id.js';
import { isRealDate } from './calendar.js';
import { toHalfWidth } from './normalise.js';
import { ID_AREA_PREFIXES } from './regions.js';

/** How a record key's source values are shown apart, instead of the invisible KEY_SEPARATOR. */
export const SHOWN_KEY_SEPARATOR = ' / ';

const DIGIT = '[0-9\\uFF10-\\uFF19]';
const LEAD = '[1-9\\uFF11-\\uFF19]';
const CHECK = '[0-9\\uFF10-\\uFF19Xx\\uFF38\\uFF58]';
/** One space, ideographic space or hyphen between the groups, the same both times. */
const SEP = '([ \\u3000-]?)';
/**
 * Never inside a longer number: no digit next to it, and not the fraction
 * or the integer part of a decimal (a metric's `0.420202660101003` is a
 * float, not a legacy number).
 */
const BEFORE = `(?<!${DIGIT}|[0-9]\\.)`;
const AFTER = `(?!${DIGIT}|\\.[0-9])`;
/** Region, separator, birth date, the same separator, sequence (+ check character). */
const ID18 = `${BEFORE}(${LEAD}${DIGIT}{5})${SEP}(${DIGIT}{8})\\2(${DIGIT}{3}${CHECK})${AFTER}`;
const ID15 = `${BEFORE}(${LEAD}${DIGIT}{5})${SEP}(${DIGIT}{6})\\6(${DIGIT}{3})${AFTER}`;
const ID_SHAPE = new RegExp(`${ID18}|${ID15}`, 'g');
const WHOLE_ID = new RegExp(`^(?:${ID18}|${ID15})$`);

/** Whether 8 (YYYYMMDD) or 6 (YYMMDD, 19YY) digits name a birth date a living or recorded person can have. */
function plausibleBirth(digits: string): boolean {
  const d = toHalfWidth(digits);
  if (d.length === 6) return isRealDate(1900 + Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6)));
  const year = Number(d.slice(0, 4));
  return year >= 1800 && year <= 2099 && isRealDate(year, Number(d.slice(4, 6)), Number(d.slice(6, 8)));
}

/**
 * A matched shape, masked, or unchanged when it is not an identity number
 * after all. A legacy number must also start with a province code: 15 digits
 * are more common outside identity numbers than 18.
 */
function maskMatch(whole: string, groups: (string | undefined)[]): string {
  const [region18, sep18, birth18, tail18, region15, sep15, birth15, tail15] = groups;
  if (region18 !== undefined && birth18 !== undefined && tail18 !== undefined) {
    return plausibleBirth(birth18) ? `${region18}${sep18}********${sep18}${tail18}` : whole;
  }
  if (region15 !== undefined && birth15 !== undefined && tail15 !== undefined) {
    const plausible = ID_AREA_PREFIXES.has(toHalfWidth(region15).slice(0, 2)) && plausibleBirth(birth15);
    return plausible ? `${region15}${sep15}******${sep15}${tail15}` : whole;
  }
  return whole;
}

/** The masked form of one identity number; anything of another length is masked the same way, keeping at most a third of it. */
export function maskIdNumber(value: string): string {
  if (value.length === 18) return `${value.slice(0, 6)}********${value.slice(14)}`;
  if (value.length === 15) return `${value.slice(0, 6)}******${value.slice(12)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  const keep = Math.floor(value.length / 6);
  return `${value.slice(0, keep)}${'*'.repeat(value.length - 2 * keep)}${value.slice(value.length - keep)}`;
}

/** Whether a whole value (trimmed) is an identity number in one of the shapes the net knows. */
export function isIdNumber(value: string): boolean {
  const trimmed = value.trim();
  const m = WHOLE_ID.exec(trimmed);
  return m !== null && maskMatch(trimmed, m.slice(1)) !== trimmed;
}

/** The last net: masks every identity number inside free text (keys, messages, CSV, HTML, JSON). */
export function maskIdNumbersIn(text: string): string {
  return text.replace(ID_SHAPE, (whole: string, ...rest: unknown[]) => {
    const masked = maskMatch(whole, rest.slice(0, 8) as (string | undefined)[]);
    // A bare JSON number (`"idNo":420202660101003`) becomes a string, so the JSON stays JSON once masked.
    const at = rest[8] as number;
    const jsonNumber = masked !== whole && text.slice(at - 2, at) === '":' && /^(?:[,}\]\s]|$)/.test(text.slice(at + whole.length, at + whole.length + 1));
    return jsonNumber ? `"${masked}"` : masked;
  });
}

/** True when the text still holds an unmasked identity number (for tests and checks). */
export function containsIdNumber(text: string): boolean {
  return maskIdNumbersIn(text) !== text;
}

/** A source value quoted in a message or shown as a cell: masked whole when it is an identity number, else through the net. */
export function maskQuoted(value: string): string {
  return isIdNumber(value) ? maskIdNumbersIn(value.trim()) : maskIdNumbersIn(value);
}

/**
 * A record key as people read it: its source values split apart, each
 * masked as a value, joined by a visible separator (the raw U+001F would be
 * invisible on a page and `\u001f` in JSON).
 */
export function maskKey(key: string): string {
  return key.split(KEY_SEPARATOR).map(maskQuoted).join(SHOWN_KEY_SEPARATOR);
}

/**
 * A subject's code: a legal person's or business's 统一社会信用代码 is public
 * and shown whole (through the net, in case a person's number was put
 * there); anyone else's code (a person, or a kind that could not be read)
 * is masked whatever its shape.
 */
export function maskSubjectCode(code: string, kind: string | null): string {
  if (kind === 'legal' || kind === 'individual_business') return maskIdNumbersIn(code);
  return isIdNumber(code) ? maskIdNumbersIn(code.trim()) : maskIdNumber(code);
}
