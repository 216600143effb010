/**
 * Masking identity numbers: by value where the gateway knows what a value
 * is (a key's parts, a person's code, a quoted cell), and the text net for
 * the rest, which must catch every shape an identity number takes in text
 * while leaving credit codes, dates, phone numbers and hashes alone.
 */
import t from 'tap';
import { containsIdNumber, isIdNumber, maskIdNumber, maskIdNumbersIn, maskKey, maskQuoted, maskSubjectCode } from '../../../gateway/identifiers/mask.js';

const ID = '420202199002154568';
const MASKED = '420202********4568';
const LEGACY = '420202900215456';
const LEGACY_MASKED = '420202******456';

t.test('the net masks an identity number in every shape it takes in text', async (t) => {
  const cases: [string, string][] = [
    [ID, MASKED],
    ['11010519491231002X', '110105********002X'],
    ['11010519491231002x', '110105********002x'],
    [`身份证号${ID}。`, `身份证号${MASKED}。`],
    ['ID420202198001011237', 'ID420202********1237'],
    ['CF_WSH\\u001f420202199002154568', 'CF_WSH\\u001f420202********4568'],
    [`{"key":"CF_WSH\\u001f${ID}"}`, `{"key":"CF_WSH\\u001f${MASKED}"}`],
    [`a\u001f${ID}`, `a\u001f${MASKED}`],
    [LEGACY, LEGACY_MASKED],
    [`旧号码 ${LEGACY}，`, `旧号码 ${LEGACY_MASKED}，`],
    ['４２０２０２１９９００２１５４５６８', '４２０２０２********４５６８'],
    ['１１０１０５１９４９１２３１００２Ｘ', '１１０１０５********００２Ｘ'],
    ['420202 19900215 4568', '420202 ******** 4568'],
    ['420202-19900215-4568', '420202-********-4568'],
    ['420202 900215 456', '420202 ****** 456'],
    [`${ID},${ID}`, `${MASKED},${MASKED}`],
    [`号码：${ID}.`, `号码：${MASKED}.`],
    [`file.${LEGACY}.csv`, `file.${LEGACY_MASKED}.csv`],
  ];
  for (const [text, masked] of cases) {
    t.equal(maskIdNumbersIn(text), masked, JSON.stringify(text));
    t.ok(containsIdNumber(text), `found in ${JSON.stringify(text)}`);
    t.notOk(containsIdNumber(masked), `masked ${JSON.stringify(masked)} is not found again`);
    t.equal(maskIdNumbersIn(masked), masked, 'masking twice changes nothing');
  }
});

t.test('an identity number written as a bare JSON number is masked into a string, so the JSON still parses', async (t) => {
  const json = JSON.stringify({ idNo: Number(LEGACY), list: [1], rate: 0.420202660101003 });
  const masked = maskIdNumbersIn(json);
  t.same(JSON.parse(masked), { idNo: LEGACY_MASKED, list: [1], rate: 0.420202660101003 });
  t.notOk(containsIdNumber(masked));
});

t.test('the net leaves alone what is not an identity number', async (t) => {
  const untouched = [
    '91420200846J0URW7B', // 统一社会信用代码 with letters
    '11420200011079463Y', // an authority's credit code
    '914202000000000001', // all-digit credit code: no birth year where an ID has it
    '0714-6200000', '13907140000', '2026-11-02T10:00:00.000Z', '20261102',
    '4202021990021545681', // 19 digits: part of a longer number
    '1420202199002154568',
    '420202199013154568', // month 13
    '420202199002304568', // 30 February
    '420202173002154568', // year 1730
    '420202991315456', // legacy: month 13
    '999999900215456', // legacy: no such province
    '123456 19900215-4568', // mixed separators
    'a3f9c0e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6',
    '黄人社监罚〔2026〕301号',
    '0.420202660101003', 'credit_gateway_x 0.420202660101003\n', '420202660101003.25', '12.420202199002154568', // decimals, as in /metrics
  ];
  for (const text of untouched) {
    t.equal(maskIdNumbersIn(text), text, text);
    t.notOk(containsIdNumber(text), `${text} is no identity number`);
  }
});

t.test('a record key is masked value by value and its separator is shown', async (t) => {
  t.equal(maskKey(`黄人社监罚〔2026〕301号\u001f${ID}`), `黄人社监罚〔2026〕301号 / ${MASKED}`);
  t.equal(maskKey(ID), MASKED, 'a key of one value');
  t.equal(maskKey(`${LEGACY}\u001f${ID}\u001f`), `${LEGACY_MASKED} / ${MASKED} / `, 'every part, empty ones kept');
  t.equal(maskKey(` ${ID} `), MASKED, 'a value with spaces a clerk left around it');
  t.equal(maskKey('A\u001fID420202198001011237'), 'A / ID420202********1237', 'a part holding an ID in a longer token goes through the net');
  t.notOk(maskKey(`x\u001f${ID}`).includes('\u001f'), 'no raw separator is shown');
  t.equal(maskKey('91420200846J0URW7B\u001f12'), '91420200846J0URW7B / 12', 'other values untouched');
});

t.test('a subject code is masked when the subject is a person, whatever its shape', async (t) => {
  t.equal(maskSubjectCode(ID, 'natural'), MASKED);
  t.equal(maskSubjectCode(LEGACY, 'natural'), LEGACY_MASKED);
  t.equal(maskSubjectCode('E12345678', 'natural'), 'E*******8', 'a passport number is masked too');
  t.equal(maskSubjectCode(ID, null), MASKED, 'a subject of unknown kind is treated as a person');
  t.equal(maskSubjectCode('91420200846J0URW7B', 'legal'), '91420200846J0URW7B', 'a credit code is public');
  t.equal(maskSubjectCode(ID, 'individual_business'), MASKED, 'an ID put where a credit code belongs is caught by the net');
});

t.test('a quoted cell value is masked as a value', async (t) => {
  t.equal(maskQuoted(ID), MASKED);
  t.equal(maskQuoted('ID420202198001011237'), 'ID420202********1237');
  t.equal(maskQuoted('2026-13-01'), '2026-13-01');
  t.ok(isIdNumber(ID) && isIdNumber(LEGACY) && isIdNumber(' ４２０２０２１９９００２１５４５６８ ') && isIdNumber('420202 19900215 4568'));
  t.notOk(isIdNumber('ID420202198001011237') || isIdNumber('91420200846J0URW7B') || isIdNumber(''));
  t.equal(maskIdNumber('E12345678'), 'E*******8');
  t.equal(maskIdNumber('123'), '***');
});
