/**
 * 附件2: the number of categories per department, in two tables: departments
 * whose business database is local (信息类数 column) and departments without
 * a business system (the count sits in the 备注 column). Read only to
 * reconcile the catalog with the notice's own figures.
 */
import { normaliseName } from '../../gateway/catalog/names.js';
import { trimShiftedCells } from './annex3-lines.js';
import { annexLines } from './notice-sections.js';
import type { NoticeLine } from './notice-sections.js';

export type Annex2Table = 'local-database' | 'no-system';

export interface Annex2Entry {
  table: Annex2Table;
  seq: number;
  /** Normalised department name as 附件2 writes it (a short name, e.g. 市建委). */
  name: string;
  count: number;
  line: number;
}

/** The table a column header opens: `序号 部门(有业务系统数据库在本地) 信息类数` or `序号 部门(无业务系统) 备注`. */
function tableOfHeader(cells: string[]): Annex2Table | null {
  if (cells[0] !== '序号') return null;
  return cells[1]?.includes('无业务系统') ? 'no-system' : 'local-database';
}

export function parseAnnex2Lines(lines: readonly NoticeLine[]): Annex2Entry[] {
  const entries: Annex2Entry[] = [];
  let table: Annex2Table | null = null;
  for (const { line, text } of lines) {
    const cells = trimShiftedCells(text.split('\t'));
    if (cells.length === 0) continue; // page break
    const header = tableOfHeader(cells);
    if (header) {
      table = header;
      continue;
    }
    if (cells.length === 1 && table === null) continue; // the title
    const [seq, name, count] = cells;
    if (cells.length !== 3 || !table || !/^\d+$/.test(seq!) || !/^\d+$/.test(count!)) {
      throw new Error(`附件2 line ${line}: not a department row: ${JSON.stringify(text)}`);
    }
    entries.push({ table, seq: Number(seq), name: normaliseName(name!), count: Number(count), line });
  }
  return entries;
}

export function parseAnnex2(noticeText: string): Annex2Entry[] {
  return parseAnnex2Lines(annexLines(noticeText, 2));
}
