import t from 'tap';
import { checkIdCard } from '../../../gateway/identifiers/id-card.js';

const today = '2026-06-01';
// The example in GB 11643-1999: born 1949-12-31 in 北京市朝阳区.
const SAMPLE = '11010519491231002X';

function refusal(input: string) {
  const r = checkIdCard(input, { today });
  if (r.ok) throw new Error(`expected ${input} to be refused`);
  return r.finding;
}

t.test('the standard\'s example number is accepted', async (t) => {
  t.same(checkIdCard(SAMPLE, { today }), { ok: true, value: SAMPLE, warnings: [] });
});

t.test('a lower-case or full-width x and surrounding spaces are normalised', async (t) => {
  t.same(checkIdCard(' 11010519491231002x ', { today }), { ok: true, value: SAMPLE, warnings: [] });
  t.same(checkIdCard('１１０１０５１９４９１２３１００２ｘ', { today }), { ok: true, value: SAMPLE, warnings: [] });
});

t.test('every wrong check digit is refused, naming the right one', async (t) => {
  for (const ch of '0123456789') {
    const f = refusal(SAMPLE.slice(0, 17) + ch);
    t.same(f, { field: '', code: 'ID_CHECK_DIGIT', message: '居民身份证号码校验位错误：应为 X' });
  }
  for (const ch of '023456789X') {
    t.equal(refusal(`11010520000229002${ch}`).message, '居民身份证号码校验位错误：应为 1');
  }
});

t.test('any single mistyped digit is caught', async (t) => {
  for (let i = 0; i < 17; i++) {
    for (const d of '0123456789') {
      if (d === SAMPLE[i]) continue;
      const mutated = SAMPLE.slice(0, i) + d + SAMPLE.slice(i + 1);
      t.notOk(checkIdCard(mutated, { today }).ok, mutated);
    }
  }
});

t.test('a 15-digit number is converted to 18 digits and says so', async (t) => {
  t.same(checkIdCard('110105491231002', { today }), {
    ok: true,
    value: SAMPLE,
    warnings: [{ field: '', code: 'ID_CONVERTED_FROM_15', message: '15 位居民身份证号码已按 GB 11643-1999 升为 18 位' }],
  });
});

t.test('a 15-digit number with an impossible birth date is refused', async (t) => {
  t.same(refusal('110105490230002'), { field: '', code: 'ID_BIRTH_DATE', message: '居民身份证号码出生日期无效：19490230' });
});

t.test('the birth date must be a real day', async (t) => {
  t.same(refusal('110105199902300023'), { field: '', code: 'ID_BIRTH_DATE', message: '居民身份证号码出生日期无效：19990230' });
  t.equal(refusal('110105202302290022').message, '居民身份证号码出生日期无效：20230229', 'no 29 February in 2023');
  t.same(checkIdCard('110105200002290021', { today }), { ok: true, value: '110105200002290021', warnings: [] }, '29 February 2000 existed');
});

t.test('no one is born after today or before 1900', async (t) => {
  t.same(refusal('110105209901010020'), { field: '', code: 'ID_BIRTH_FUTURE', message: '居民身份证号码出生日期晚于今天：20990101' });
  t.ok(checkIdCard('110105209901010020', { today: '2099-01-01' }).ok, 'born today is fine');
  // The standard's second example has a valid check digit and an 1880 birth date.
  t.same(refusal('440524188001010014'), { field: '', code: 'ID_BIRTH_TOO_EARLY', message: '居民身份证号码出生日期早于 1900 年：18800101' });
  t.equal(refusal('110105099901010026').code, 'ID_BIRTH_DATE', 'a three-digit year is no date');
});

t.test('the address code must start with a province code', async (t) => {
  t.same(refusal('990105194912310023'), { field: '', code: 'ID_AREA', message: '居民身份证号码前 6 位地址码“990105”无效' });
  t.equal(refusal('100105194912310028').code, 'ID_AREA');
  t.ok(checkIdCard('710000199001010023', { today }).ok, '台湾');
  t.ok(checkIdCard('830000199001010020', { today }).ok, '台湾居民居住证');
});

t.test('wrong lengths and stray characters are refused', async (t) => {
  t.equal(refusal('1101051949123100').code, 'ID_LENGTH');
  t.match(refusal('1101051949123100').message, '实际为 16 位');
  t.equal(refusal('11010519491231002X1').code, 'ID_LENGTH');
  t.equal(refusal('1101051949123100XX').code, 'ID_CHARSET');
  t.equal(refusal('11010549123100X').code, 'ID_CHARSET', 'a 15-digit number has no check digit');
  t.equal(refusal('').code, 'ID_EMPTY');
});

t.test('without a given day, today in China is used', async (t) => {
  t.ok(checkIdCard(SAMPLE).ok);
  t.equal(checkIdCard('110105209901010020').ok, false);
});
