/**
 * Which way a dropped file is read, decided from its name and the profiles
 * of its folder before it is opened (issue 13 design, "Reading a dropped
 * file"): a name a profile's pattern fits is that profile's export; a name
 * starting with a catalog code is a template file, as always; any other
 * spreadsheet or CSV is offered to the profiles that know its headers.
 * With no profile configured, everything stays as it was. Pure.
 */
import { MAX_NAME_LENGTH, type NameVerdict } from '../../connectors/files/naming.js';
import type { WorkbookFormat } from '../../connectors/files/workbook.js';
import type { CompiledProfile } from '../profiles/compile.js';

export type FileRoute =
  | { way: 'template' }
  | { way: 'profiles'; format: WorkbookFormat; candidates: readonly CompiledProfile[]; byName: boolean }
  /** Neither a template's name nor one any profile knows: FILE_PROFILE_NONE. */
  | { way: 'none' };

const FORMATS: Readonly<Record<string, WorkbookFormat>> = { csv: 'csv', xlsx: 'xlsx', xls: 'xls', ndjson: 'ndjson' };
// eslint-disable-next-line no-control-regex
const UNSAFE = /[/\\\u0000-\u001f\u007f]|\.\./;

/** The format an export's name says, whatever comes before the extension; null for a name never read. */
export function exportFormat(name: string): WorkbookFormat | null {
  if (UNSAFE.test(name) || name.length > MAX_NAME_LENGTH || name.startsWith('.')) return null;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return Object.hasOwn(FORMATS, extension) ? FORMATS[extension]! : null;
}

export function routeFile(name: string, verdict: NameVerdict, profiles: readonly CompiledProfile[], isCategory: (code: string) => boolean): FileRoute {
  const format = profiles.length > 0 ? exportFormat(name) : null;
  if (!format || verdict.kind === 'ignored') return { way: 'template' };
  const byName = profiles.filter((p) => p.matchesName(name));
  if (byName.length > 0) return { way: 'profiles', format, candidates: byName, byName: true };
  if (verdict.kind === 'data' && isCategory(verdict.category)) return { way: 'template' };
  const bySignature = profiles.filter((p) => p.signature.length > 0);
  return bySignature.length > 0 ? { way: 'profiles', format, candidates: bySignature, byName: false } : { way: 'none' };
}
