import t from 'tap';
import { rowsFromValues, rowTemplate, valuesResult } from '../../../connectors/sql/row-template.js';

t.test('rows from values: each column its own value, in column order, for any number of columns', async (t) => {
  const names = Array.from({ length: 40 }, (_, i) => `c${i}`);
  const rows = rowsFromValues(names, [names.map((n) => `${n}-1`), names.map((n) => `${n}-2`)]);
  t.same(rows.map((row) => Object.keys(row)), [names, names]);
  t.same(rows.map((row) => Object.values(row)), [names.map((n) => `${n}-1`), names.map((n) => `${n}-2`)]);
  t.same(rowsFromValues(['id'], []), [], 'no rows, no rows');
});

t.test('a column may have any name: "__proto__" is a value like the others, not the row\'s prototype', async (t) => {
  const [row] = rowsFromValues(['id', '__proto__', 'constructor'], [[1, 'x', 'y']]);
  t.same(Object.keys(row!), ['id', '__proto__', 'constructor']);
  t.equal(row!['__proto__'], 'x');
  t.equal(row!['constructor'], 'y');
  t.equal(Object.getPrototypeOf(row), Object.prototype);
  t.equal(JSON.stringify(row), '{"id":1,"__proto__":"x","constructor":"y"}');
});

t.test('each row made from a template is its own: filling one leaves the others and the next one blank', async (t) => {
  const blank = rowTemplate(['a', 'b']);
  const one = blank();
  one.a = 1;
  t.same(one, { a: 1, b: null });
  t.same(blank(), { a: null, b: null });
});

t.test("a driver's result of values: the values as read, and the same rows by name whenever they are asked for", async (t) => {
  const result = valuesResult([{ name: 'id', type: 'INT' }, { name: 'name', type: 'TEXT' }], [[1, '甲'], [2, '乙']]);
  t.same(result.values, [[1, '甲'], [2, '乙']]);
  t.same(result.rows, [{ id: 1, name: '甲' }, { id: 2, name: '乙' }]);
  t.equal(result.rows, result.rows, 'built once');
});
