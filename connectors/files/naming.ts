/**
 * The drop folder's naming rule, as one pure decision per file name.
 *
 *   <category code>[_<anything>].csv | .xlsx | .xls | .ndjson     e.g. P07-002_2026-11.xlsx
 *
 * The category code is everything before the first `_` (or the whole name
 * without its extension) when that is made of letters, digits and `-`; the
 * extension is matched without regard to case. A name of a format read but
 * with no code in front (`教师资格认定2017.xls`, as a national system names
 * its export) is data with no code: whether the code names a category, and
 * whether a name with none is an export some profile reads, is the
 * gateway's question (gateway/files/file-route.ts), not this module's.
 *
 * Names that mean "not finished yet" or "not data" are ignored and left
 * where they are: hidden names (`.*`, which is also how rsync and many
 * editors write temp files), Office lock files (`~$*`), `*.tmp`, `*.part`,
 * `*.crdownload` (a copy or download still under way; it is picked up once
 * renamed to its real name), and `*.txt` (the notes written beside a CSV
 * template). Every other name is either data or refused with a reason, so a
 * clerk who saved a `.doc` or typed the code wrong is told so instead of
 * watching the file sit there.
 */
export type DropFormat = 'csv' | 'xlsx' | 'xls' | 'ndjson';

export type NameVerdict =
  /** `category`: the code the name starts with, or null when it starts with none. */
  | { kind: 'data'; category: string | null; format: DropFormat }
  | { kind: 'ignored'; reason: 'hidden' | 'office-lock' | 'partial' | 'notes' }
  | { kind: 'refused'; code: 'FILE_NAME_INVALID' | 'FILE_FORMAT_UNSUPPORTED'; detail: string };

/** Long enough for a code and a description; short enough that `<timestamp>_<name>.errors.csv` still fits a file system's 255. */
export const MAX_NAME_LENGTH = 180;

const FORMATS: Readonly<Record<string, DropFormat>> = { csv: 'csv', xlsx: 'xlsx', xls: 'xls', ndjson: 'ndjson' };
const PARTIAL = /\.(tmp|part|crdownload)$/i;
const CODE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function classifyName(name: string): NameVerdict {
  // Checked before anything else: a name that could walk out of the folder is never treated as a temp file to wait for.
  if (name === '' || /[/\\]/.test(name)) return refused('FILE_NAME_INVALID', 'the name contains a path separator');
  if (name.includes('..')) return refused('FILE_NAME_INVALID', 'the name contains ".."');
  if (CONTROL.test(name)) return refused('FILE_NAME_INVALID', 'the name contains a control character');

  if (name.startsWith('.')) return { kind: 'ignored', reason: 'hidden' };
  if (name.startsWith('~$')) return { kind: 'ignored', reason: 'office-lock' };
  if (PARTIAL.test(name)) return { kind: 'ignored', reason: 'partial' };
  if (/\.txt$/i.test(name)) return { kind: 'ignored', reason: 'notes' };

  if (name.length > MAX_NAME_LENGTH) return refused('FILE_NAME_INVALID', `the name is longer than ${MAX_NAME_LENGTH} characters`);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const format = Object.hasOwn(FORMATS, extension) ? FORMATS[extension]! : undefined;
  if (!format) return refused('FILE_FORMAT_UNSUPPORTED', extension ? `.${extension} files are not read` : 'the name has no extension');
  const stem = name.slice(0, dot);
  const underscore = stem.indexOf('_');
  const category = underscore === -1 ? stem : stem.slice(0, underscore);
  return { kind: 'data', category: CODE.test(category) ? category : null, format };
}

/**
 * The name as it may be written into processed/ or rejected/: anything a
 * file system or a clerk's Windows share could trip on becomes `_`.
 */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '_').replace(/\.\.+/g, '_').replace(/[. ]+$/, '');
  return (cleaned || '_').slice(0, MAX_NAME_LENGTH);
}

/** Why a name with no code in front is refused where no profile reads it. */
export function noCodeDetail(name: string): string {
  const stem = name.slice(0, Math.max(0, name.lastIndexOf('.')));
  const underscore = stem.indexOf('_');
  return `"${underscore === -1 ? stem : stem.slice(0, underscore)}" is not a category code`;
}

function refused(code: 'FILE_NAME_INVALID' | 'FILE_FORMAT_UNSUPPORTED', detail: string): NameVerdict {
  return { kind: 'refused', code, detail };
}
