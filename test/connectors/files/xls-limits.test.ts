import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { folderWith, refusal, sheetRows, workbook } from './helpers.js';
import { xlwtFile } from './xls-writers.js';

// Big enough that parsing it needs far more than a few MiB of heap.
const BIG = xlwtFile(`
ws = wb.add_sheet('数据')
for r in range(10000):
    for c in range(8):
        ws.write(r, c, '第%d行第%d列的一段较长的文字' % (r, c))
`);

t.test('an .xls that takes longer than allowed is refused, and the gateway carries on', async (t) => {
  const dir = folderWith(t, { 'big.xls': BIG });
  t.match(await refusal(workbook(t, dir, 'big.xls', 'xls', { limits: fileLimits({ xls: { maxMillis: 1 } }) })), {
    code: 'FILE_XLS_TOO_COMPLEX', params: { problem: 'time' },
  });
  const rows = await sheetRows(await workbook(t, dir, 'big.xls', 'xls'), 0);
  t.equal(rows.length, 10000, 'the same file reads in full within the default limits');
});

t.test('an .xls that needs more memory than allowed ends its worker, not the gateway', async (t) => {
  const dir = folderWith(t, { 'big.xls': BIG });
  t.match(await refusal(workbook(t, dir, 'big.xls', 'xls', { limits: fileLimits({ xls: { maxHeapMb: 8 } }) })), {
    code: 'FILE_XLS_TOO_COMPLEX', params: { problem: 'memory' },
  });
  const rows = await sheetRows(await workbook(t, dir, 'big.xls', 'xls'), 0);
  t.same(rows[9999], { row: 10000, cells: Array.from({ length: 8 }, (_, c) => `第9999行第${c}列的一段较长的文字`) });
});
