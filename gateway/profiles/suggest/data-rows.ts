/**
 * The rows of a sheet that are data: those below the header, up to the
 * first footer row (合计, 注, 制表人 … or a lone cell once data has begun);
 * what follows a footer is not data either. The drop folder's shaping
 * (profiles/shape.ts) is the authority on real files; this is the same rule
 * for judging a sample. Pure.
 */
import type { GridRow } from '../../../connectors/files/workbook.js';
import type { FoundHeader } from './find-header.js';
import { cellText, type SampleSheet } from './sample.js';

const FOOTER = /^(合计|总计|小计|注|备注|说明|制表|填表|填报|审核|负责人|导出|打印|数据截止)/;

/** A footer: few cells filled (at most half the header's), the first a total or a note; or a lone cell. */
export function isFooter(row: GridRow, headerWidth: number): boolean {
  const filled = row.cells.map(cellText).filter((t) => t !== '');
  return filled.length <= 1 || (FOOTER.test(filled[0]!) && filled.length <= Math.max(1, headerWidth / 2));
}

export interface DataRows {
  data: GridRow[];
  /** Footer rows and everything after them, and lone cells before the data. */
  notData: number;
}

export function dataRows(sheet: SampleSheet, header: FoundHeader): DataRows {
  const data: GridRow[] = [];
  let notData = 0;
  let ended = false;
  for (const row of sheet.rows.slice(header.dataFrom)) {
    if (ended || isFooter(row, header.columns.length)) {
      ended = ended || data.length > 0;
      notData++;
    } else {
      data.push(row);
    }
  }
  return { data, notData };
}
