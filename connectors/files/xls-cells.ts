/**
 * One .xls cell, as SheetJS reads it, as a plain value or a reason to
 * refuse it: the rules of xlsx-cells.ts, applied to SheetJS's cell shape
 * ({ t, v, z, f }). Pure; runs in the parsing worker.
 */
import { cellValue, type CellOutcome } from './xlsx-cells.js';
import { isDateFormat, serialToWallClock } from './number-formats.js';

/** The part of a SheetJS cell object read here. */
export interface SheetJsCell {
  /** b boolean, n number, s text, e error, z stub (formatted but empty), d date. */
  t?: string;
  v?: unknown;
  /** Number format text. */
  z?: unknown;
  /** Formula text; shared and array formulas carry F too. */
  f?: unknown;
  F?: unknown;
  /** The formatted text (an error's #N/A). */
  w?: unknown;
}

export function xlsCellValue(raw: SheetJsCell, cell: string, options: { maxChars: number; date1904: boolean }): CellOutcome {
  // A formula is refused whatever its cached result: never evaluated, and the result may be stale or forged.
  if (raw.f !== undefined || raw.F !== undefined) return { problem: { code: 'FILE_FORMULA_CELL', params: { cell } } };
  switch (raw.t) {
    case undefined:
    case 'z':
      return { value: null };
    case 'e':
      return { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: String(raw.w ?? raw.v ?? 'error').slice(0, 20) } } };
    case 's':
      return cellValue(typeof raw.v === 'string' ? raw.v : String(raw.v ?? ''), cell, options.maxChars);
    case 'b':
      return { value: raw.v === true };
    case 'n': {
      if (typeof raw.v !== 'number') return { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: 'unsupported' } } };
      if (typeof raw.z === 'string' && isDateFormat(raw.z)) {
        const day = serialToWallClock(raw.v, options.date1904);
        return day === null ? { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: 'date' } } } : { value: day };
      }
      return cellValue(raw.v, cell, options.maxChars);
    }
    default:
      return { problem: { code: 'FILE_CELL_ERROR', params: { cell, error: 'unsupported' } } };
  }
}
