/**
 * A filled-in template read the template way: its header row names the
 * category standard's fields (by name, code or alias), every row is mapped
 * and validated by the category (file-category.ts), and good rows are
 * committed in pages. The drop-folder job opens and closes the file and
 * carries out what this decides.
 */
import { FileError } from '../../connectors/files/file-error.js';
import type { FileTable } from '../../connectors/files/file-table.js';
import type { FileLimits } from '../../connectors/files/limits.js';
import type { DropFormat } from '../../connectors/files/naming.js';
import { openTable } from '../../connectors/files/open-table.js';
import { unchangedSince, type OpenedFile } from '../../connectors/files/safe-open.js';
import type { Page, PageResult } from '../model.js';
import { planColumns } from './column-plan.js';
import type { ReportLine } from './error-report.js';
import type { FileCategory } from './file-category.js';
import { changed, refuse, type Decision } from './file-decision.js';
import { filePage } from './file-page.js';
import { reasonText } from './file-reasons.js';
import type { FileTurn } from './file-turn.js';

export interface TemplateReadInput {
  opened: OpenedFile;
  format: DropFormat;
  category: FileCategory;
  turn: FileTurn;
  job: string;
  gatewayId: string;
  limits: FileLimits;
  pageSize: number;
  now: () => Date;
  commit: (page: Page) => PageResult;
  onPage: (result: PageResult) => void;
}

export async function readTemplate(input: TemplateReadInput): Promise<Decision> {
  const { opened, format, category, turn } = input;
  let table: FileTable | null = null;
  try {
    try {
      table = await openTable(opened, format, { limits: input.limits, pageSize: input.pageSize, sheet: category.sheet, headerRow: category.headerRow });
    } catch (err) {
      if (err instanceof FileError) return await refuse(turn, err, null);
      throw err;
    }
    const plan = planColumns(table.headers, category);
    const headerRow = table.headerRow;
    // A template workbook's lines name its sheet too, as a profile's do.
    const inSheet = table.sheet ? { sheet: table.sheet } : {};
    const headerLines = (problems: typeof plan.problems) =>
      problems.map((p): ReportLine => ({ ...inSheet, row: headerRow, field: p.header, code: p.code, message: reasonText(p.code, p.params) }));
    if (plan.problems.length > 0) {
      await turn.add(headerLines([...plan.problems, ...plan.retired]));
      return { to: 'rejected', code: plan.problems[0]!.code };
    }
    await turn.add(headerLines(plan.retired));
    let lastRow = table.headerRow;
    try {
      for await (const rows of table.pages()) {
        const { page, report, refused } = filePage(rows, {
          job: input.job, gatewayId: input.gatewayId, category, plan, observedAt: input.now().toISOString(),
        });
        const result = input.commit(page);
        turn.counted(rows.length, refused, result);
        await turn.add(report.map((l) => ({ ...inSheet, ...l })));
        lastRow = rows[rows.length - 1]!.rowNumber;
        input.onPage(result);
      }
    } catch (err) {
      if (!(err instanceof FileError)) throw err;
      if (!(await unchangedSince(opened))) return changed();
      return await refuse(turn, err, lastRow);
    }
    if (!(await unchangedSince(opened))) return changed();
    return { to: 'processed' };
  } finally {
    await table?.close();
  }
}
