import t from 'tap';
import { idCardCheckDigit } from '../../../gateway/identifiers/id-card.js';
import { containsIdNumber } from '../../../gateway/identifiers/mask.js';
import { formatReasons } from '../../../gateway/rejections/reasons.js';

const first17 = '42020219900215123';
const ID = first17 + idCardCheckDigit(first17);

t.test('the top reasons with counts, the field, one example masked, and where to see them all', async (t) => {
  const text = formatReasons([
    { source: 'local', code: 'REQUIRED_MISSING', field: 'CF_XDR_SHXYM', count: 180, example: '缺少必填字段 统一社会信用代码' },
    { source: 'local', code: 'ID_CHECK_DIGIT', field: 'CF_XDR_ZJHM', count: 15, example: `证件号码 ${ID} 校验位错误` },
    { source: 'platform', code: 'P_DUPLICATE', field: null, count: 3, example: '重复的记录' },
  ], 200, ['credit-gateway rejections -c gateway.yaml --job penalties', 'http://127.0.0.1:8080/rejections?job=penalties']);
  t.equal(text, [
    'top rejection reasons (200 findings; a row may have several):',
    '  180  REQUIRED_MISSING (CF_XDR_SHXYM): 缺少必填字段 统一社会信用代码',
    `   15  ID_CHECK_DIGIT (CF_XDR_ZJHM): 证件号码 ${ID.slice(0, 6)}********${ID.slice(-4)} 校验位错误`,
    '    3  P_DUPLICATE (platform): 重复的记录',
    '    2  other reasons',
    'all of them: credit-gateway rejections -c gateway.yaml --job penalties',
    '         or: http://127.0.0.1:8080/rejections?job=penalties',
    '',
  ].join('\n'));
  t.notOk(containsIdNumber(text), 'no identity number shown whole');
});

t.test('nothing is printed for a run without rejections, and a long example is cut to one line', async (t) => {
  t.equal(formatReasons([], 0, ['x']), '');
  const long = formatReasons([{ source: 'local', code: 'TOO_LONG', field: 'CF_NR', count: 1, example: `${'长'.repeat(300)}\n第二行` }], 1, ['x']);
  t.equal(long.split('\n').length, 4, 'header, one reason, the pointer, the end');
  t.match(long, /长…\n/);
});
