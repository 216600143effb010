/**
 * A job's `codes` rule: the department's own codes turned into the values
 * the standard expects. Inline tables are the department's (`'1'` → 罚款);
 * a named table is one of the standard's, so its other spellings and
 * `其他…` are accepted as the standard accepts them.
 */
import type { Value } from '../../connectors/contract.js';
import type { Finding } from '../model.js';
import { allowedValues, codeKey, lookupCode } from '../standards/code-tables.js';
import type { CodeTable } from '../standards/types.js';
import { finding } from '../validation/reasons.js';
import { quoteRaw } from './quote.js';

const MAX_LISTED = 20;

export function translateCode(
  field: string,
  codes: string | Readonly<Record<string, string>>,
  value: Value,
  tables: Readonly<Record<string, Readonly<CodeTable>>> = {},
): { value: Value } | { finding: Finding } {
  if (value === null) return { value };
  const text = String(value).trim();
  if (typeof codes === 'string') {
    const table = tables[codes];
    if (!table) return { finding: finding('CODE_TABLE_UNKNOWN', field, { field, table: codes }) };
    const match = lookupCode(table, text);
    return match.ok
      ? { value: match.value }
      : { finding: finding('CODE_NOT_IN_TABLE', field, { field, value: quoteRaw(text), table: table.name, allowed: allowedValues(table) }) };
  }
  if (Object.hasOwn(codes, text)) return { value: codes[text]! };
  // Widths and letter case are not the department's meaning: ｂ and b are one code.
  const key = Object.keys(codes).find((k) => codeKey(k) === codeKey(text));
  if (key !== undefined) return { value: codes[key]! };
  return { finding: finding('CODE_UNMAPPED', field, { field, value: quoteRaw(text), allowed: listed(codes) }) };
}

function listed(codes: Readonly<Record<string, string>>): string {
  const entries = Object.entries(codes).map(([from, to]) => `${from}（${to}）`);
  return entries.length > MAX_LISTED ? `${entries.slice(0, MAX_LISTED).join('、')}…` : entries.join('、');
}
