import t from 'tap';
import { canonicalDecimal, exactInteger } from '../../../connectors/sql/decimal.js';

t.test('decimal text is spelled one way whatever the database printed', async (t) => {
  t.equal(canonicalDecimal('12345678901234.5678', 4), '12345678901234.5678', 'exact beyond a double');
  t.equal(canonicalDecimal('12.5', 4), '12.5000', 'padded to the column scale');
  t.equal(canonicalDecimal('.5', 2), '0.50');
  t.equal(canonicalDecimal('-.5'), '-0.5');
  t.equal(canonicalDecimal('+007.10'), '7.10', 'no sign, no leading zeros, trailing zeros kept without a scale');
  t.equal(canonicalDecimal('-0.000', 3), '0.000', 'no negative zero');
  t.equal(canonicalDecimal('1E+3', 2), '1000.00', 'no exponent');
  t.equal(canonicalDecimal('1.5e-3'), '0.0015');
  t.equal(canonicalDecimal('12', 0), '12');
  t.equal(canonicalDecimal('1.23456', 2), '1.23', 'digits beyond the scale are cut, not rounded');
  t.equal(canonicalDecimal('abc'), null);
  t.equal(canonicalDecimal('.'), null);
});

t.test('integers stay numbers while exact and become text beyond 2^53', async (t) => {
  t.equal(exactInteger(42n), 42);
  t.equal(exactInteger(9007199254740993n), '9007199254740993');
  t.equal(exactInteger('-9007199254740993'), '-9007199254740993');
  t.equal(exactInteger(7), 7);
});
