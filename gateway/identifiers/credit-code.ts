/**
 * 统一社会信用代码 (GB 32100-2015), 18 characters:
 *   1     登记管理部门代码      2   机构类别代码
 *   3–8   登记管理机关行政区划码 9–17 主体标识码 (the 组织机构代码)
 *   18    check character over the first 17 (weights 3^(i−1) mod 31).
 * The alphabet is the 31 characters below: digits and capitals without
 * I O Z S V, which are too easily confused with 1 0 2 5 U.
 */
import type { Finding } from '../model.js';
import { finding } from '../validation/reasons.js';
import { normaliseIdentifier } from './normalise.js';
import { orgCodeCheckChar } from './org-code.js';
import { CREDIT_CODE_REGION_PREFIXES } from './regions.js';
import { REGISTRATION_AUTHORITIES } from './registration-authorities.js';
import { accepted, refused, type IdentifierResult } from './result.js';

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Accepted in place of a code only for 个体工商户 registered before they were given one. */
export const INDIVIDUAL_BUSINESS_PLACEHOLDER = '00000000000000000X';
const ALL_ZERO = '000000000000000000';

/** Each character's place in the alphabet by its code, −1 for one not in it: every subject's code is read with it. */
const ALPHABET_PLACE = new Int8Array(128).fill(-1);
for (let i = 0; i < CREDIT_CODE_ALPHABET.length; i++) ALPHABET_PLACE[CREDIT_CODE_ALPHABET.charCodeAt(i)] = i;

/** CREDIT_CODE_ALPHABET.indexOf(code[i]), by table: −1 past the end or for a character not in the alphabet. */
function placeAt(code: string, i: number): number {
  const unit = code.charCodeAt(i);
  return unit < 128 ? ALPHABET_PLACE[unit]! : -1;
}

/** The check character for the first 17 characters (C18 = 31 − Σ mod 31; 31 → 0). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += placeAt(first17, i) * WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export interface CreditCodeOptions {
  /** The subject is a 个体工商户, so the placeholder 00000000000000000X is acceptable. */
  allowIndividualBusinessPlaceholder?: boolean;
}

/**
 * Outcomes of codes seen lately, per placeholder allowance. A job's constant
 * fields (the authority's own code, the data source's) carry the same code
 * on every row; a subject's differs row by row. Emptied when full rather
 * than kept in order: constants are back in the row after, and a bound is
 * all the varying codes need. Frozen, as every caller shares them. A code
 * is kept from its second sighting on: a subject's, seen once, is neither
 * frozen nor kept (freezing cost more than the check it would save).
 */
const SEEN = 64;
const seen = [new Map<string, IdentifierResult>(), new Map<string, IdentifierResult>()] as const;
const seenOnce = [new Set<string>(), new Set<string>()] as const;

export function checkCreditCode(input: string, options: CreditCodeOptions = {}): IdentifierResult {
  const which = options.allowIndividualBusinessPlaceholder ? 1 : 0;
  const known = seen[which];
  let result = known.get(input);
  if (result === undefined) {
    const once = seenOnce[which];
    if (!once.has(input)) {
      if (once.size === SEEN) once.clear();
      once.add(input);
      return checkUnseen(input, options);
    }
    result = frozen(checkUnseen(input, options));
    if (known.size === SEEN) known.clear();
    known.set(input, result);
  }
  return result;
}

function frozen(result: IdentifierResult): IdentifierResult {
  if (result.ok) {
    for (const w of result.warnings) Object.freeze(w);
    Object.freeze(result.warnings);
  } else Object.freeze(result.finding);
  return Object.freeze(result);
}

function checkUnseen(input: string, options: CreditCodeOptions): IdentifierResult {
  const code = normaliseIdentifier(input);
  if (code === '') return refused(finding('CREDIT_CODE_EMPTY', ''));
  if (code === INDIVIDUAL_BUSINESS_PLACEHOLDER) {
    return options.allowIndividualBusinessPlaceholder
      ? accepted(code)
      : refused(finding('CREDIT_CODE_PLACEHOLDER_INDIVIDUAL_ONLY', ''));
  }
  if (code.length !== 18) return refused(finding('CREDIT_CODE_LENGTH', '', { length: code.length }));
  for (let i = 0; i < 18; i++) {
    if (placeAt(code, i) < 0) {
      return refused(finding('CREDIT_CODE_CHARSET', '', { position: i + 1, char: code[i]! }));
    }
  }
  // All zeros satisfy the checksum, yet name no one.
  if (code === ALL_ZERO) return refused(finding('CREDIT_CODE_PLACEHOLDER', '', { code }));
  const expected = creditCodeCheckChar(code);
  if (code[17] !== expected) return refused(finding('CREDIT_CODE_CHECK', '', { expected }));

  const authority = REGISTRATION_AUTHORITIES[code[0]!];
  if (!authority) return refused(finding('CREDIT_CODE_DEPARTMENT', '', { char: code[0]! }));
  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region) || !CREDIT_CODE_REGION_PREFIXES.has(region.slice(0, 2))) {
    return refused(finding('CREDIT_CODE_REGION', '', { region }));
  }
  return accepted(code, [...categoryWarnings(code, authority.name, authority.categories), ...embeddedOrgCodeWarnings(code)]);
}

function categoryWarnings(code: string, department: string, categories: Readonly<Record<string, string>>): Finding[] {
  return code[1]! in categories ? [] : [finding('CREDIT_CODE_CATEGORY', '', { char: code[1]!, department })];
}

/**
 * Codes given to subjects that never had a 组织机构代码 (many 个体工商户) do
 * not always follow GB 11714 in positions 9–17, and the credit code's own
 * check character already guards against typing errors: a mismatch here is
 * worth showing, not worth refusing the record.
 */
function embeddedOrgCodeWarnings(code: string): Finding[] {
  const expected = orgCodeCheckChar(code.slice(8, 16));
  return code[16] === expected ? [] : [finding('CREDIT_CODE_EMBEDDED_ORG_CODE', '', { expected })];
}
