/**
 * The corpus of exports (issue 13's acceptance): twelve files as national
 * and provincial systems, Office and WPS write them, each with its profile
 * and what the gateway must make of every row.
 *
 *   const files = await buildCorpus(dir, 0);          // this month's exports
 *   const next = await buildCorpus(dir2, 1);          // next month's: a few rows changed or added
 *   expectedRecords(EXPORTS[0](0), 'hs-gw')           // what must arrive, with record ids
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { joinKey, recordId } from '../../../gateway/records/record-id.js';
import { foodLicences, drugManufacturing } from './exports-xls-2.js';
import { labourPenalties, teacherCertificates } from './exports-xls.js';
import { taxCredit, taxPenalties } from './exports-tax.js';
import { forestryPublicity, specialEquipment } from './exports-xlsx.js';
import { privateSchools, skillCertificates } from './exports-xlsx-2.js';
import { gspCertificates, returnedBlacklist } from './exports-csv.js';
import type { Month } from './kit.js';
import { layout } from './layout.js';
import type { Cell, ExportSpec, Profile } from './spec.js';
import { writeWorkbook } from './writers.js';

export type { Month } from './kit.js';
export const EXPORTS: readonly ((m: Month) => ExportSpec)[] = [
  teacherCertificates, labourPenalties, foodLicences, drugManufacturing, taxCredit, taxPenalties,
  forestryPublicity, specialEquipment, skillCertificates, privateSchools, gspCertificates, returnedBlacklist,
];

export interface BuiltExport {
  spec: ExportSpec;
  path: string;
}

/** Writes the exports of the month (default: all) into `dir`, each with its real writer. */
export async function buildCorpus(dir: string, m: Month, exports: readonly ((m: Month) => ExportSpec)[] = EXPORTS): Promise<BuiltExport[]> {
  const built: BuiltExport[] = [];
  for (const make of exports) {
    const spec = make(m);
    const path = join(dir, spec.file);
    await writeWorkbook(path, spec.writer, spec.sheets.map(layout));
    built.push({ spec, path });
  }
  return built;
}

/** Every profile of the corpus, as a configuration's `profiles:` list. */
export function allProfiles(): Profile[] {
  return EXPORTS.flatMap((make) => make(0).profiles);
}

/** The profiles as YAML, as a clerk pastes them under `profiles:` (design section 2). */
export function profilesYaml(profiles: Profile[] = allProfiles()): string {
  return stringify({ profiles });
}

export interface ExpectedRecord {
  file: string;
  sheet: string;
  rowNumber: number;
  profile: string;
  category: string;
  id: string;
  key: string;
  data: Record<string, string | number | null>;
  subject?: { kind: string; name: string; code: string };
  provenance: { kind: 'system' | 'returned' | 'own'; system?: string; profile: string };
  /** The row's cells in the columns its profile reads: what decides whether it travels again. */
  content: string;
}

export interface ExpectedRejection {
  file: string;
  sheet: string;
  rowNumber: number;
  column: string;
  code: string;
}

export interface ExpectedOutcome {
  records: ExpectedRecord[];
  rejections: ExpectedRejection[];
  /** Rows of sheets no profile reads (hidden sheets, notes), by the text only they hold: none of it may arrive. */
  unread: { sheet: string; texts: string[] }[];
}

export function expectedOutcome(spec: ExportSpec, gatewayId: string): ExpectedOutcome {
  const out: ExpectedOutcome = { records: [], rejections: [], unread: [] };
  for (const sheet of spec.sheets) {
    const grid = layout(sheet);
    const profile = spec.profiles.find((p) => p.name === sheet.profile);
    sheet.rows.forEach((row, i) => {
      const rowNumber = grid.dataRowNumbers[i]!;
      const e = row.expect;
      if ('unread' in e || !profile) {
        out.unread.push({ sheet: sheet.name, texts: textsOnlyIn(row.cells, spec) });
      } else if ('bad' in e) {
        out.rejections.push({ file: spec.file, sheet: sheet.name, rowNumber, column: e.bad.column, code: e.bad.code });
      } else {
        const key = joinKey(e.good.key);
        const origin = profile.origin ?? 'system';
        out.records.push({
          file: spec.file, sheet: sheet.name, rowNumber, profile: profile.name, category: profile.category,
          id: recordId(gatewayId, profile.category, key), key, data: e.good.data, ...(e.good.subject ? { subject: e.good.subject } : {}),
          provenance: { kind: origin, ...(profile.system ? { system: profile.system } : {}), profile: profile.name },
          content: JSON.stringify(readColumns(profile).map((c) => row.cells[c] ?? null)),
        });
      }
    });
  }
  return out;
}

/** The texts of an unread row that no read row of the export holds. */
function textsOnlyIn(cells: Record<string, Cell>, spec: ExportSpec): string[] {
  const read = new Set(spec.sheets.filter((s) => s.profile).flatMap((s) => s.rows.flatMap((r) => Object.values(r.cells))));
  return Object.values(cells).filter((c): c is string => typeof c === 'string' && !read.has(c));
}

/** The export columns a profile reads. */
export function readColumns(profile: Profile): string[] {
  const columns = new Set<string>([...(profile.key ?? []), profile.subject.name, profile.subject.code]);
  if (typeof profile.subject.kind !== 'string') columns.add(profile.subject.kind.column);
  for (const rule of Object.values(profile.fields)) {
    if (typeof rule === 'string') columns.add(rule);
    else {
      const r = rule as { column?: string; firstOf?: string[]; concat?: { columns: string[] } };
      if (r.column) columns.add(r.column);
      for (const c of r.firstOf ?? []) columns.add(c);
      for (const c of r.concat?.columns ?? []) columns.add(c);
    }
  }
  return [...columns];
}

/**
 * Of next month's good records, those that must travel: new ones, and
 * those whose read columns changed. Everything else was sent already.
 */
export function travelling(before: ExpectedOutcome, after: ExpectedOutcome): ExpectedRecord[] {
  const sent = new Map(before.records.map((r) => [r.id, r.content]));
  return after.records.filter((r) => sent.get(r.id) !== r.content);
}
