import t from 'tap';
import type { FileRow, RowProblem } from '../../../connectors/files/file-table.js';
import { planColumns } from '../../../gateway/files/column-plan.js';
import { filePage, findingLabel } from '../../../gateway/files/file-page.js';
import { joinKey, recordId } from '../../../gateway/records/record-id.js';
import { GATEWAY, GOOD, HEADER, penaltyCategory } from './helpers.js';

const category = penaltyCategory();
const headers = HEADER.split(',');
const plan = planColumns(headers, category);
const input = { job: 'drop-folder', gatewayId: GATEWAY, category, plan, observedAt: '2026-11-26T08:00:00.000Z' };

function row(rowNumber: number, cells: string[], problems: RowProblem[] = []): FileRow {
  const values = Object.create(null) as FileRow['values'];
  headers.forEach((h, i) => (values[h] = cells[i] ?? null));
  return { rowNumber, values, problems };
}

t.test('good rows become records keyed by the identifying fields, with field codes for names', async (t) => {
  const { page, report, refused } = filePage([row(2, GOOD[0]!), row(3, GOOD[1]!)], input);
  t.same(report, []);
  t.equal(refused, 0);
  t.match(page, { job: 'drop-folder', cursor: null, rowsRead: 2, rejections: [] });
  const [first] = page.records;
  const key = joinKey(['黄人社监罚〔2026〕11号', '91420200045FUX8H1K']);
  t.equal(first!.key, key);
  t.equal(first!.id, recordId(GATEWAY, 'P07-002', key));
  t.same(first!.subject, { kind: 'legal', name: '黄石市甲贸易有限公司', code: '91420200045FUX8H1K' });
  t.same(first!.data, {
    CF_WSH: '黄人社监罚〔2026〕11号', CF_XDR_MC: '黄石市甲贸易有限公司', CF_XDR_SHXYM: '91420200045FUX8H1K', CF_CFLB: '罚款',
    CF_JDRQ: '2026-11-05', CF_NR_FK: '1.5', CF_CFJG: '黄石市人力资源和社会保障局',
  });
});

t.test('a space typed after a key value does not make another record', async (t) => {
  const spaced = [...GOOD[0]!];
  spaced[0] = ` ${spaced[0]}\u0020`;
  t.equal(filePage([row(2, spaced)], input).page.records[0]!.id, filePage([row(2, GOOD[0]!)], input).page.records[0]!.id);
});

t.test('a row mapping refuses becomes a rejection, and a report line per finding, with the column as the file heads it', async (t) => {
  const bad = [...GOOD[0]!];
  bad[2] = '91420200045FUX8H1A';
  bad[4] = '2026-13-45';
  const { page, report, refused } = filePage([row(5, bad)], input);
  t.equal(refused, 1);
  t.equal(page.records.length, 0);
  t.same(report.map((l) => [l.row, l.field, l.code]), [[5, '处罚决定日期', 'DATE_INVALID'], [5, '统一社会信用代码', 'CREDIT_CODE_CHECK']]);
  t.match(report[1]!.message, /校验位错误/);
  t.same(page.rejections[0]!.findings.map((f) => f.code), ['DATE_INVALID', 'CREDIT_CODE_CHECK']);
});

t.test('a reader problem refuses the row even when mapping would take it, and replaces mapping\'s finding on the same field', async (t) => {
  const formula: RowProblem = { code: 'FILE_FORMULA_CELL', column: '处罚决定日期', params: { cell: 'E4' } };
  const cells = [...GOOD[0]!];
  cells[4] = '';
  const { page, report } = filePage([row(4, cells, [formula]), row(6, GOOD[1]!, [{ code: 'FILE_ROW_RAGGED', column: null, params: { cells: 8, expected: 7 } }])], input);
  t.equal(page.records.length, 0);
  t.same(page.rejections.map((r) => r.findings.map((f) => [f.field, f.code])), [
    [['CF_JDRQ', 'FILE_FORMULA_CELL']],
    [['', 'FILE_ROW_RAGGED']],
  ], 'FIELD_REQUIRED for the emptied date is not repeated; a ragged row with good values is still refused');
  t.same(report.map((l) => [l.row, l.field, l.code]), [[4, '处罚决定日期', 'FILE_FORMULA_CELL'], [6, '', 'FILE_ROW_RAGGED']]);
  t.equal(page.rejections[1]!.recordId, recordId(GATEWAY, 'P07-002', joinKey(['黄人社监罚〔2026〕12号', '9142020010UP4A1B07'])), 'the rejection carries the record id the row would have had');
});

t.test('of two rows with one key in a page the later one stands; every refused row is reported', async (t) => {
  const later = [...GOOD[0]!];
  later[5] = '3';
  const { page } = filePage([row(2, GOOD[0]!), row(3, later)], input);
  t.equal(page.records.length, 1);
  t.equal(page.records[0]!.data!.CF_NR_FK, '3');
  const noKey = [...GOOD[0]!];
  noKey[0] = '';
  const twice = filePage([row(2, noKey), row(3, noKey)], input);
  t.equal(twice.refused, 2);
  t.equal(twice.page.rejections.length, 1, 'one stored rejection per record id');
  t.same(twice.report.map((l) => l.row), [2, 2, 3, 3]);
});

t.test('findings named by role are labelled with the columns behind them', async (t) => {
  t.equal(findingLabel('key', plan, category), '行政处罚决定书文号、统一社会信用代码');
  t.equal(findingLabel('subject.code', plan, category), '统一社会信用代码');
  t.equal(findingLabel('CF_NR_FK', plan, category), '罚款金额（万元）');
  t.equal(findingLabel('', plan, category), '');
  t.equal(findingLabel('UNKNOWN_FIELD', plan, category), 'UNKNOWN_FIELD');
});
