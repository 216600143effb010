import t from 'tap';
import { isBlank } from '../../../gateway/mapping/field-value.js';

/** A value named in printable ASCII: tap's report is cut short by a line separator in an assertion's name. */
const named = (value: unknown) => typeof value === 'string' ? [...value].map((c) => `U+${c.codePointAt(0)!.toString(16)}`).join(' ') || 'empty' : String(value);

t.test('blank is nothing, or only white space as String.prototype.trim knows it', async (t) => {
  const spaces = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
  for (const value of [undefined, null, '', ...spaces, spaces.join('')]) t.ok(isBlank(value), named(value));
  for (const value of ['a', '中', '\u3001', '\u3000中', ' 0 ', '\ufeffx', '~', '\u0085', '\u180e', 0, false]) t.notOk(isBlank(value), named(value));
  // Every code unit: blank alone exactly when trim leaves nothing.
  for (let unit = 0; unit < 0x10000; unit++) {
    const text = String.fromCharCode(unit);
    if (isBlank(text) !== (text.trim() === '')) t.fail(`U+${unit.toString(16)}`);
  }
});
