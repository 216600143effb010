/**
 * One spreadsheet cell, as exceljs reads it, as a plain value or a reason
 * to refuse the row. Pure.
 *
 * - Text, numbers and true/false are kept as they are; rich text (a cell
 *   with several fonts) and hyperlinks are their text.
 * - A date-formatted cell becomes 'YYYY-MM-DD' (or 'YYYY-MM-DD HH:mm:ss'
 *   when it has a time of day): a spreadsheet date has no time zone, and
 *   this is the wall-clock day the clerk typed, which every date format of
 *   the mapping reads. A number in a cell not formatted as a date stays a
 *   number (mapping's `excel` date format reads it as a day serial).
 * - A formula is refused, whatever its cached result: the gateway never
 *   evaluates one, and a cached result can be stale or forged.
 * - An error value (#N/A, #REF! …) is refused.
 * - An integer of 16 digits or more is refused: Excel keeps 15 significant
 *   digits, so an identity number typed into a number cell has already lost
 *   its last digits.
 */
import type { Value } from '../contract.js';
import type { RowProblem } from './file-table.js';
import { wallClock } from './number-formats.js';

export type CellOutcome = { value: Value } | { problem: Omit<RowProblem, 'column'> };

/** 10^15: the smallest integer with more significant digits than Excel stores. */
const EXCEL_EXACT_LIMIT = 1e15;

export function cellValue(raw: unknown, cell: string, maxChars: number): CellOutcome {
  if (raw === null || raw === undefined) return { value: null };
  if (typeof raw === 'string') return text(raw, cell, maxChars);
  if (typeof raw === 'boolean') return { value: raw };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: String(raw) } } };
    return Number.isInteger(raw) && Math.abs(raw) >= EXCEL_EXACT_LIMIT
      ? { problem: { code: 'FILE_NUMBER_PRECISION', params: { cell, value: String(raw) } } }
      : { value: raw };
  }
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: 'date' } } } : { value: wallClock(raw) };
  }
  if (typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return { problem: { code: 'FILE_FORMULA_CELL', params: { cell } } };
    if ('error' in o) return { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: String(o.error).slice(0, 20) } } };
    if (Array.isArray(o.richText)) {
      return text(o.richText.map((run: unknown) => (run && typeof run === 'object' ? String((run as { text?: unknown }).text ?? '') : '')).join(''), cell, maxChars);
    }
    if (typeof o.text === 'string') return text(o.text, cell, maxChars);
  }
  return { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: 'unsupported' } } };
}

function text(value: string, cell: string, maxChars: number): CellOutcome {
  return value.length > maxChars ? { problem: { code: 'FILE_CELL_TOO_LARGE', params: { cell, chars: value.length, limit: maxChars } } } : { value };
}
