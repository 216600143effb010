import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { allRows, folderWith, plain, refusal, table } from './helpers.js';

t.test('NDJSON: the first object gives the header; blank lines are skipped; row numbers are line numbers', async (t) => {
  const dir = folderWith(t, { 'r.ndjson': { fixture: 'P07-002_records.ndjson' } });
  const nd = await table(t, dir, 'r.ndjson', 'ndjson');
  t.equal(nd.encoding, 'utf-8');
  t.equal(nd.headerRow, 1);
  t.same(nd.headers, ['行政处罚决定书文号', '相对人名称', '统一社会信用代码', '处罚类别', '处罚决定日期', '罚款金额（万元）', '处罚机关']);
  const rows = plain(await allRows(nd));
  t.same(rows.map((r) => [r.rowNumber, r.problems]), [[1, []], [3, []]]);
  t.equal(rows[0]!.values['罚款金额（万元）'], 1.5, 'numbers stay numbers');
  t.equal(rows[1]!.values['罚款金额（万元）'], null, 'a key left out reads as null');
});

t.test('each bad line is refused on its own, with its reason; the good ones are read', async (t) => {
  const dir = folderWith(t, { 'bad.ndjson': { fixture: 'bad-lines.ndjson' } });
  const rows = await allRows(await table(t, dir, 'bad.ndjson', 'ndjson'));
  t.same(rows.map((r) => [r.rowNumber, r.problems.map((p) => p.code)]), [
    [1, []],
    [2, ['FILE_JSON_INVALID']],
    [3, ['FILE_JSON_INVALID']],
    [4, ['FILE_CELL_NOT_SCALAR']],
    [5, ['FILE_NUMBER_PRECISION']],
    [6, ['FILE_ROW_RAGGED']],
    [7, []],
  ]);
  t.match(rows[5]!.problems[0], { params: { unexpected: 'c' } }, 'a key the first line did not have is named, not dropped');
  t.match(rows[4]!.problems[0], { column: 'b', params: { value: '420102199001011260' } }, 'the rounded number is shown as JSON.parse left it');
});

t.test('a line longer than the limit is refused without being held, and reading goes on', async (t) => {
  const dir = folderWith(t, { 'long.ndjson': `{"a":1}\n{"a":"${'x'.repeat(1000)}"}\n{"a":3}\n` });
  const rows = await allRows(await table(t, dir, 'long.ndjson', 'ndjson', { limits: fileLimits({ maxRowBytes: 100 }) }));
  t.same(plain(rows), [
    { rowNumber: 1, values: { a: 1 }, problems: [] },
    { rowNumber: 2, values: {}, problems: ['FILE_ROW_TOO_LARGE'] },
    { rowNumber: 3, values: { a: 3 }, problems: [] },
  ]);
});

t.test('lines before the first object are refused rows; a file with no object at all has no header', async (t) => {
  const dir = folderWith(t, { 'late.ndjson': 'oops\n{"a":1}\n', 'none.ndjson': 'oops\n\n[1]\n' });
  t.same(plain(await allRows(await table(t, dir, 'late.ndjson', 'ndjson'))), [
    { rowNumber: 1, values: {}, problems: ['FILE_JSON_INVALID'] },
    { rowNumber: 2, values: { a: 1 }, problems: [] },
  ]);
  t.match(await refusal(table(t, dir, 'none.ndjson', 'ndjson')), { code: 'FILE_EMPTY' });
});
