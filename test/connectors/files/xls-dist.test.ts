/**
 * The gateway runs from dist/, where the .xls worker is plain JavaScript
 * beside the built reader; the other tests run the TypeScript sources
 * through tsx. This one reads an .xls through the build (npm run build
 * first, as npm test does).
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fileLimits } from '../../../connectors/files/limits.js';
import { openInFolder } from '../../../connectors/files/safe-open.js';
import type { openWorkbook as OpenWorkbook } from '../../../connectors/files/workbook.js';
import { folderWith } from './helpers.js';
import { xlwtFile } from './xls-writers.js';
import { besideTest } from '../../helpers/beside.js';

const built = besideTest(import.meta.url, '../../../dist/connectors/files/workbook.js');

t.test('the built reader finds its built worker', { skip: existsSync(built) ? false : 'dist/ is not built (npm run build)' }, async (t) => {
  const { openWorkbook } = (await import(pathToFileURL(built).href)) as { openWorkbook: typeof OpenWorkbook };
  const dir = folderWith(t, { 'a.xls': xlwtFile("wb.add_sheet('数据').write(0, 0, '从 dist 读取')") });
  const file = await openInFolder(dir, 'a.xls');
  t.teardown(() => file.handle.close());
  const book = await openWorkbook(file, 'xls', { limits: fileLimits() });
  t.teardown(() => book.close());
  const rows = [];
  for await (const page of (await book.sheet(0)).rows()) rows.push(...page);
  t.same(rows.map((r) => r.cells), [['从 dist 读取']]);
});
