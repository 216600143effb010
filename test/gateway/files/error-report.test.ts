import t from 'tap';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecord, ErrorReportWriter, neutraliseCell, reportText } from '../../../gateway/files/error-report.js';
import { readReport } from './helpers.js';

t.test('a cell a spreadsheet would run as a formula is made text with a leading apostrophe', async (t) => {
  for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '  =HYPERLINK("x")', '=cmd|\' /C calc\'!A0']) {
    t.equal(neutraliseCell(cell), `'${cell}`, JSON.stringify(cell));
  }
  for (const cell of ['行政处罚决定书文号', '2026-11-05', 'a=b', 'FILE_FORMULA_CELL', '']) t.equal(neutraliseCell(cell), cell, JSON.stringify(cell));
});

t.test('CSV quoting follows RFC 4180, after neutralising', async (t) => {
  t.equal(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines']), 'a,"b,c","say ""hi""","two\nlines"\r\n');
  t.equal(csvRecord(['=1,2']), `"'=1,2"\r\n`);
});

t.test('a report is UTF-8 with BOM, CRLF, with the five Chinese columns; file-level lines have no row number, lines of a CSV no sheet', async (t) => {
  const text = reportText([
    { row: null, field: '', code: 'FILE_ENCODING_INVALID', message: '文件既不是有效的 UTF-8' },
    { row: 7, field: '=HYPERLINK("http://evil")', code: 'FILE_COLUMN_UNKNOWN', message: '列不是字段' },
    { sheet: '2017年6月', row: 9, field: '身份证号', code: 'ID_CHECK_DIGIT', message: '校验位错误' },
  ]);
  t.ok(text.startsWith('\uFEFF工作表,行号,字段,原因代码,原因\r\n'));
  t.match(text, /\r\n2017年6月,9,身份证号,ID_CHECK_DIGIT,校验位错误\r\n$/);
  t.match(text, /\r\n,7,"'=HYPERLINK\(""http:\/\/evil""\)",FILE_COLUMN_UNKNOWN,列不是字段\r\n/);
  t.match(text, /\r\n,,,FILE_ENCODING_INVALID,/);
});

t.test('the writer streams to a hidden temporary file and renames it into place when finished', async (t) => {
  const dir = t.testdir({});
  const writer = await ErrorReportWriter.create(join(dir, '.r.part'));
  for (let i = 2; i < 5000; i++) await writer.add({ row: i, field: '处罚决定日期', code: 'DATE_INVALID', message: `第 ${i} 行日期无法识别` });
  t.equal(writer.lines, 4998);
  await writer.finish(join(dir, 'r.errors.csv'));
  t.same(readdirSync(dir), ['r.errors.csv']);
  const rows = readReport(join(dir, 'r.errors.csv'));
  t.equal(rows.length, 4999);
  t.same(rows[1], ['', '2', '处罚决定日期', 'DATE_INVALID', '第 2 行日期无法识别']);
});

t.test('a discarded report leaves nothing behind', async (t) => {
  const dir = t.testdir({});
  const writer = await ErrorReportWriter.create(join(dir, '.r.part'));
  await writer.add({ row: 1, field: '', code: 'X', message: 'x' });
  await writer.discard();
  t.equal(existsSync(join(dir, '.r.part')), false);
  t.same(readdirSync(dir), []);
});

t.test('a report quotes the file\'s values, so it is 0600 whatever the umask, even over a looser stale temporary file', async (t) => {
  for (const umask of [0o022, 0o000]) {
    const previous = process.umask(umask);
    try {
      const dir = t.testdir({ '.stale.part': 'left by a killed turn' });
      chmodSync(join(dir, '.stale.part'), 0o666);
      for (const temp of [join(dir, '.fresh.part'), join(dir, '.stale.part')]) {
        const writer = await ErrorReportWriter.create(temp);
        await writer.add({ row: 2, field: '证件号码', code: 'ID_CARD_CHECK', message: '身份证号码校验位错误' });
        const final = `${temp}.errors.csv`;
        await writer.finish(final);
        t.equal((statSync(final).mode & 0o777).toString(8), '600', `umask ${umask.toString(8)}: ${temp.endsWith('stale.part') ? 'over a stale 666 file' : 'a new file'}`);
      }
    } finally {
      process.umask(previous);
    }
  }
});
