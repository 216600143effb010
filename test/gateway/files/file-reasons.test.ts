import t from 'tap';
import { CONNECTOR_ERRORS } from '../../../connectors/errors.js';
import { hasWording, reasonText } from '../../../gateway/files/file-reasons.js';

t.test('every file code of the connector catalogue has a Chinese wording for the report', async (t) => {
  const codes = Object.keys(CONNECTOR_ERRORS).filter((c) => c.startsWith('FILE_') && c !== 'FILE_FOLDER_UNAVAILABLE');
  t.ok(codes.length > 15);
  t.same(codes.filter((c) => !hasWording(c)), []);
});

t.test('wordings are filled from the facts, in Chinese, with nothing left as a placeholder', async (t) => {
  t.equal(reasonText('FILE_FORMULA_CELL', { cell: 'E4' }), '单元格 E4 是公式：网关不计算公式，也不采用其缓存结果，请复制后“粘贴为数值”');
  t.equal(reasonText('FILE_ROW_RAGGED', { cells: 2, expected: 3 }), '此行有 2 个单元格，表头有 3 列：常见原因是值中的逗号没有加引号');
  t.equal(reasonText('FILE_ROW_RAGGED', { unexpected: 'c', expected: 2 }), '此行有首行没有的键：c');
  t.match(reasonText('FILE_ENCODING_INVALID', { reason: 'neither', line: 2, gb18030Line: 3 }), /第 2 行起.*第 3 行起/);
  t.match(reasonText('FILE_NOT_REGULAR', { kind: 'symbolic link' }), /符号链接/);
  for (const text of [reasonText('FILE_COLUMN_UNKNOWN', { header: 'x', column: 'C', category: 'P07-002' }), reasonText('FILE_TOO_LARGE', { bytes: 2, limit: 1 })]) {
    t.notMatch(text, /undefined|\{|\}/);
  }
});

t.test('an unknown code is named, never dropped', async (t) => {
  t.equal(reasonText('SOMETHING_NEW'), '无法读取（SOMETHING_NEW）');
});
