/**
 * A runner's or a source's warning in words, for every place that shows one
 * (the status page and its verdict, the probe's outline): the same sentence
 * in each, in its reader's language where the tables know the warning.
 */
import type { WarningInfo } from '../observability/health.js';
import { MESSAGES, type Param, type Said } from './messages.js';

const data = (value: string | null | undefined): Param => ({ data: value ?? '' });
const said = (key: Said['key'], params: Said['params'] = {}): Said => ({ key, params });

/**
 * A warning as the page says it: in the reader's language where the
 * warning brought its parameters and the tables know its code, else its
 * Chinese message, as data.
 */
export function warningSaid(w: WarningInfo): { message: Param; action: Param } {
  const key = `warning.${w.key ?? w.code}`;
  if (w.params && Object.hasOwn(MESSAGES.zh, key) && Object.hasOwn(MESSAGES.zh, `${key}.action`)) {
    const params: Record<string, Param> = { ...w.params };
    // The zone warning names the columns in a clause of its own, or none when the source cannot tell.
    if (w.code === 'TIME_ZONE_MISMATCH') params.columns = Array.isArray(w.params.columns) ? said('warning.columnsClause', { columns: w.params.columns }) : '';
    return { message: said(key as Said['key'], params), action: said(`${key}.action` as Said['key'], params) };
  }
  return { message: data(w.message), action: data(w.action) };
}
