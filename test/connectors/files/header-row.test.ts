import t from 'tap';
import { columnLetter, headerNames, rowFromCells } from '../../../connectors/files/header-row.js';
import { fileLimits } from '../../../connectors/files/limits.js';

const limits = fileLimits({ maxColumns: 5, maxCellChars: 10 });

t.test('column letters run A…Z, AA…', async (t) => {
  t.same([1, 26, 27, 52, 703].map(columnLetter), ['A', 'Z', 'AA', 'AZ', 'AAA']);
});

t.test('header names are trimmed of spaces, ideographic spaces and stray BOMs; trailing empty cells are not columns', async (t) => {
  t.same(headerNames([' 名称\u3000', '\ufeff代码', '', null], limits), ['名称', '代码']);
});

t.test('a header row refuses the file when it is empty, has a hole, repeats a name or is too wide', async (t) => {
  t.throws(() => headerNames(['', null], limits), { code: 'FILE_EMPTY' });
  t.throws(() => headerNames(['a', '', 'c'], limits), { code: 'FILE_HEADER_EMPTY', params: { columns: 'B' } });
  t.throws(() => headerNames(['a', 'b', 'a ', 'b'], limits), { code: 'FILE_HEADER_DUPLICATE', params: { headers: 'a、b' } });
  t.throws(() => headerNames(['a', 'b', 'c', 'd', 'e', 'f'], limits), { code: 'FILE_TOO_MANY_COLUMNS', params: { columns: 6, limit: 5 } });
});

t.test('a row is its cells under the header names, in a null-prototype object', async (t) => {
  const row = rowFromCells(['__proto__', 'b'], ['x', 'y'], 2, limits)!;
  t.equal(Object.getPrototypeOf(row.values), null);
  t.same(Object.entries(row.values), [['__proto__', 'x'], ['b', 'y']]);
  t.equal(Object.hasOwn(row.values, '__proto__'), true, 'a header named __proto__ is a plain key');
  t.same(row.problems, []);
});

t.test('a row with nothing in it is skipped', async (t) => {
  t.equal(rowFromCells(['a', 'b'], ['', '  '], 3, limits), null);
  t.equal(rowFromCells(['a', 'b'], [''], 3, limits), null, 'an empty CSV line');
});

t.test('ragged rows: fewer cells (CSV), or text past the header, refuse the row; empty trailing cells do not', async (t) => {
  t.match(rowFromCells(['a', 'b', 'c'], ['1', '2'], 3, limits), { problems: [{ code: 'FILE_ROW_RAGGED', params: { cells: 2, expected: 3 } }] });
  t.match(rowFromCells(['a', 'b'], ['1', '2', 'x', ''], 3, limits), { problems: [{ code: 'FILE_ROW_RAGGED', params: { cells: 3, expected: 2 } }] });
  t.same(rowFromCells(['a', 'b'], ['1', '2', '', ''], 3, limits)!.problems, []);
  t.same(rowFromCells(['a', 'b', 'c'], ['1', '2'], 3, limits, { strictWidth: false })!.problems, [], 'spreadsheets leave empty cells out');
});

t.test('an oversized cell refuses the row, names the cell, and its text is not kept', async (t) => {
  const row = rowFromCells(['a', 'b'], ['1', 'x'.repeat(11)], 7, limits)!;
  t.same(row.problems, [{ code: 'FILE_CELL_TOO_LARGE', column: 'b', params: { cell: 'B7', chars: 11, limit: 10 } }]);
  t.equal(row.values.b, null);
});
