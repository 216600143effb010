/**
 * A dropped export read by profiles (gateway/profiles/), sheet by sheet in
 * tab order: the sheet's first rows decide which profile claims it and
 * where its header is; its rows are then shaped, mapped, validated and
 * committed in pages like a template file's, every problem reported at the
 * sheet and row the export shows, under the export's own header.
 *
 *   claimed by name    the profiles whose match.name fits the file are the
 *                      candidates; a sheet none of them finds its header in
 *                      is passed over with a notice, or, when no sheet of
 *                      the file could be read, the file is refused with
 *                      FILE_HEADER_NOT_FOUND for each
 *   claimed by header  (a name fitting no profile and no category code)
 *                      every profile with a header signature is a
 *                      candidate; a file none claims is FILE_PROFILE_NONE
 *
 * Hidden sheets are passed over unless a profile asks for them; a sheet
 * lacking a column its profile needs is reported on its header row and not
 * read, the other sheets are.
 */
import { FileError } from '../../connectors/files/file-error.js';
import type { GridRow, SheetGrid, Workbook } from '../../connectors/files/workbook.js';
import type { Page, PageResult, Provenance } from '../model.js';
import type { CompiledProfile } from '../profiles/compile.js';
import { bindColumns, findHeader, HEADER_SEARCH_ROWS, RowClassifier, type ColumnBinding, type SheetShape } from '../profiles/shape.js';
import { profileRow, trialRows, type ProfileRow } from '../profiles/trial.js';
import type { ReportLine } from './error-report.js';
import { reasonText } from './file-reasons.js';
import type { FileTurn } from './file-turn.js';

export interface ProfileTurnInput {
  workbook: Workbook;
  candidates: readonly CompiledProfile[];
  /** Whether the candidates were chosen by the file's name (else by their header signatures). */
  byName: boolean;
  turn: FileTurn;
  job: string;
  gatewayId: string;
  pageSize: number;
  now: () => Date;
  commit: (page: Page) => PageResult;
  onPage: (result: PageResult) => void;
}

export type ProfileTurnEnd =
  | ({ to: 'processed'; categories: string[] } & ReadWith)
  | ({ to: 'rejected'; code: string } & ReadWith)
  /** A reader failure part way through a sheet: the rows before it stand. */
  | ({ to: 'broken'; error: FileError; sheet: string; lastRow: number | null } & ReadWith);

/** What a file read by profiles was read with, for the status page. */
export interface ReadWith {
  /** Titles (or names) of the profiles that read it. */
  profiles: string[];
  /** Where each of those profiles' data comes from (the same order). */
  provenance: Provenance[];
  /** Sheets read ('' for a CSV). */
  sheets: string[];
}

interface Claim {
  profile: CompiledProfile;
  shape: SheetShape;
}

export async function readWithProfiles(input: ProfileTurnInput): Promise<ProfileTurnEnd> {
  const { workbook, candidates, turn } = input;
  const used = new Map<string, CompiledProfile>();
  const read: string[] = [];
  const notFound: ReportLine[] = [];
  const skipped: ReportLine[] = [];
  let refusedSheets: string | null = null;
  for (const info of workbook.sheets) {
    const wanting = candidates.filter((p) => p.wantsSheet(info));
    if (wanting.length === 0) {
      if (!info.hidden) skipped.push(notice(info.name, 'unclaimed'));
      continue;
    }
    const grid = await workbook.sheet(info.index);
    const pages = grid.rows();
    const head = await firstRows(pages);
    const claim = claimSheet(wanting, head, grid);
    if (!claim) {
      if (input.byName) {
        const p = wanting[0]!;
        notFound.push({ sheet: info.name, row: null, field: '', code: 'FILE_HEADER_NOT_FOUND', message: reasonText('FILE_HEADER_NOT_FOUND', { profile: p.label, headers: p.signature.join('、') || '（未设定）' }) });
      }
      if (!info.hidden) skipped.push(notice(info.name, 'unclaimed'));
      await pages.return(undefined);
      continue;
    }
    const binding = bindColumns(claim.shape, claim.profile.columns);
    const lacking = binding.missing.filter((c) => claim.profile.requiredColumns.includes(c));
    used.set(claim.profile.name, claim.profile);
    if (lacking.length > 0) {
      await turn.add(lacking.map((c) => ({ sheet: info.name, row: claim.shape.headerRow, field: c, code: 'FILE_COLUMN_MISSING', message: reasonText('FILE_COLUMN_MISSING', { field: c }) })));
      refusedSheets ??= 'FILE_COLUMN_MISSING';
      await pages.return(undefined);
      continue;
    }
    // An optional column the export lacks reads as empty on every row: said once, so a misspelt header in a profile is noticed.
    const absent = binding.missing.filter((c) => !claim.profile.requiredColumns.includes(c));
    await turn.add(absent.map((column) => ({ sheet: info.name, row: claim.shape.headerRow, field: column, code: 'FILE_COLUMN_ABSENT', message: reasonText('FILE_COLUMN_ABSENT', { profile: claim.profile.label, column }) })));
    read.push(info.name);
    const broken = await readSheet(input, info.name, claim, binding, head, pages);
    if (broken) return { to: 'broken', ...broken, sheet: info.name, ...usedBy(used), sheets: read };
  }
  if (read.length === 0) {
    if (refusedSheets) return { to: 'rejected', code: refusedSheets, ...usedBy(used), sheets: read };
    if (input.byName && notFound.length > 0) {
      await turn.add(notFound);
      return { to: 'rejected', code: 'FILE_HEADER_NOT_FOUND', ...usedBy(used), sheets: read };
    }
    await turn.add([{ row: null, field: '', code: 'FILE_PROFILE_NONE', message: reasonText('FILE_PROFILE_NONE') }]);
    return { to: 'rejected', code: 'FILE_PROFILE_NONE', ...usedBy(used), sheets: read };
  }
  await turn.add(skipped);
  return { to: 'processed', ...usedBy(used), categories: [...new Set([...used.values()].map((p) => p.category))], sheets: read };
}

/** The profiles that read the file, for the status page: their titles (or names) and where their data comes from. */
function usedBy(used: ReadonlyMap<string, CompiledProfile>): { profiles: string[]; provenance: Provenance[] } {
  const profiles = [...used.values()];
  return { profiles: profiles.map((p) => p.label), provenance: profiles.map((p) => p.provenance) };
}

function notice(sheet: string, why: 'hidden' | 'unclaimed'): ReportLine {
  return { sheet, row: null, field: '', code: 'FILE_SHEET_SKIPPED', message: reasonText('FILE_SHEET_SKIPPED', { sheet, why }) };
}

/** The rows the header is looked for in: up to HEADER_SEARCH_ROWS, and one more for a two-row header's lower row. */
async function firstRows(pages: AsyncGenerator<GridRow[], void, undefined>): Promise<{ rows: GridRow[]; done: boolean }> {
  const rows: GridRow[] = [];
  while (rows.length === 0 || rows[rows.length - 1]!.rowNumber <= HEADER_SEARCH_ROWS) {
    const next = await pages.next();
    if (next.done) return { rows, done: true };
    rows.push(...next.value);
  }
  return { rows, done: false };
}

/** The first profile (in configuration order) whose header the sheet's first rows hold. */
function claimSheet(wanting: readonly CompiledProfile[], head: { rows: GridRow[] }, grid: SheetGrid): Claim | null {
  for (const profile of wanting) {
    const shape = findHeader(head.rows, grid, { signature: profile.signature, ...profile.header });
    if (shape) return { profile, shape };
  }
  return null;
}

/** Commits the sheet's data rows page by page; returns the reader's failure, if it could not be read to its end. */
async function readSheet(
  input: ProfileTurnInput,
  sheet: string,
  claim: Claim,
  binding: ColumnBinding,
  head: { rows: GridRow[]; done: boolean },
  pages: AsyncGenerator<GridRow[], void, undefined>,
): Promise<{ error: FileError; lastRow: number | null } | null> {
  const { profile } = claim;
  const classifier = new RowClassifier(claim.shape, profile.keyColumns.flatMap((c) => (binding.index.has(c) ? [binding.index.get(c)!] : [])));
  let pending: ProfileRow[] = [];
  let lastRow: number | null = null;
  const flush = async () => {
    if (pending.length === 0) return;
    const ctx = { gatewayId: input.gatewayId, observedAt: input.now().toISOString() };
    const outcome = trialRows(pending, profile, { sheet, binding, ctx });
    const page: Page = { job: input.job, records: outcome.records, rejections: outcome.rejections, cursor: null, rowsRead: pending.length };
    const result = input.commit(page);
    input.turn.counted(pending.length, outcome.refused, result);
    await input.turn.add(outcome.report);
    input.onPage(result);
    pending = [];
  };
  const take = async (rows: readonly GridRow[]) => {
    for (const row of rows) {
      lastRow = row.rowNumber;
      if (classifier.classify(row) !== 'data') continue;
      pending.push(profileRow(row, binding, profile));
      if (pending.length >= input.pageSize) await flush();
    }
  };
  try {
    await take(head.rows);
    if (!head.done) for await (const rows of pages) await take(rows);
  } catch (err) {
    if (!(err instanceof FileError)) throw err;
    await flush();
    return { error: err, lastRow };
  }
  await flush();
  return null;
}
