import t from 'tap';
import { CREDIT_CODE_ALPHABET, checkCreditCode } from '../../../gateway/identifiers/credit-code.js';

// Published codes: the sample printed in GB 32100-2015, and codes printed on
// the business licences of well-known companies.
const PUBLISHED = [
  '91350100M000100Y43', // GB 32100-2015 sample
  '914403001922038216', // 华为技术有限公司
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '91330100799655058B', // 阿里巴巴（中国）有限公司
  '91110000710926094P', // 中国石油化工股份有限公司
  '91100000100003962T', // 中国工商银行股份有限公司 (registered centrally: region 100000)
];

function refusal(input: string, options?: Parameters<typeof checkCreditCode>[1]) {
  const r = checkCreditCode(input, options);
  if (r.ok) throw new Error(`expected ${input} to be refused`);
  return r.finding;
}

t.test('published codes are accepted as they are, without warnings', async (t) => {
  for (const code of PUBLISHED) {
    t.same(checkCreditCode(code), { ok: true, value: code, warnings: [] }, code);
  }
});

t.test('input typed with a Chinese input method is normalised', async (t) => {
  t.same(checkCreditCode('　９１３５０１００Ｍ０００１００Ｙ４３ '), { ok: true, value: '91350100M000100Y43', warnings: [] });
  t.same(checkCreditCode('91440300708461136t'), { ok: true, value: '91440300708461136T', warnings: [] });
});

t.test('every wrong check character is refused, naming the right one', async (t) => {
  for (const code of ['91350100M000100Y43', '91440300708461136T']) {
    const first17 = code.slice(0, 17);
    const expected = code[17]!;
    for (const ch of CREDIT_CODE_ALPHABET) {
      const r = checkCreditCode(first17 + ch);
      if (ch === expected) {
        t.ok(r.ok, `${first17}${ch} is the valid code`);
        continue;
      }
      t.same(r, {
        ok: false,
        finding: { field: '', code: 'CREDIT_CODE_CHECK', message: `统一社会信用代码校验位错误：应为 ${expected}` },
      }, `${first17}${ch}`);
    }
  }
});

t.test('any single mistyped character is caught', async (t) => {
  let tried = 0;
  for (const code of PUBLISHED) {
    for (let i = 0; i < 18; i++) {
      for (const ch of CREDIT_CODE_ALPHABET) {
        if (ch === code[i]) continue;
        const mutated = code.slice(0, i) + ch + code.slice(i + 1);
        if (checkCreditCode(mutated).ok) t.fail(`${mutated} was accepted`);
        tried++;
      }
    }
  }
  t.equal(tried, PUBLISHED.length * 18 * 30);
});

t.test('any two neighbouring characters swapped are caught', async (t) => {
  for (const code of PUBLISHED) {
    for (let i = 0; i < 17; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      t.notOk(checkCreditCode(swapped).ok, swapped);
    }
  }
});

t.test('the letters I O Z S V are not part of the code', async (t) => {
  for (const ch of 'IOZSV') {
    const f = refusal(`91350100M000100${ch}43`);
    t.equal(f.code, 'CREDIT_CODE_CHARSET');
    t.match(f.message, `第 16 位“${ch}”`);
  }
  t.equal(refusal('91350100M000100Y4?').code, 'CREDIT_CODE_CHARSET');
});

t.test('a code that is not 18 characters long is refused with its length', async (t) => {
  for (const input of ['91350100M000100Y4', '91350100M000100Y433', '9135 0100M000100Y43']) {
    const f = refusal(input);
    t.equal(f.code, 'CREDIT_CODE_LENGTH', input);
    t.match(f.message, `实际为 ${input.length} 位`);
  }
});

t.test('an empty or blank code is refused as empty', async (t) => {
  t.equal(refusal('').code, 'CREDIT_CODE_EMPTY');
  t.equal(refusal(' 　 ').code, 'CREDIT_CODE_EMPTY');
});

t.test('the all-zero code passes the checksum but is refused as a placeholder', async (t) => {
  const f = refusal('000000000000000000');
  t.equal(f.code, 'CREDIT_CODE_PLACEHOLDER');
  t.equal(refusal('000000000000000000', { allowIndividualBusinessPlaceholder: true }).code, 'CREDIT_CODE_PLACEHOLDER');
});

t.test('00000000000000000X is accepted only for a 个体工商户', async (t) => {
  t.same(checkCreditCode('00000000000000000x', { allowIndividualBusinessPlaceholder: true }), {
    ok: true, value: '00000000000000000X', warnings: [],
  });
  const f = refusal('00000000000000000X');
  t.equal(f.code, 'CREDIT_CODE_PLACEHOLDER_INDIVIDUAL_ONLY');
  t.match(f.message, '个体工商户');
});

t.test('the registration department must exist', async (t) => {
  const f = refusal('B1350100M000100Y41');
  t.equal(f.code, 'CREDIT_CODE_DEPARTMENT');
  t.match(f.message, '“B”');
});

t.test('departments and categories beyond 工商 are accepted', async (t) => {
  const codes = {
    '12420200MA4K000104': '事业单位',
    '31420200MA4K000105': '律师执业机构',
    '52420200MA4K000100': '民办非企业单位',
    '54420200MA4K00010R': '村民委员会',
    '92420200MA4K00010U': '个体工商户',
    '93420200MA4K00010Q': '农民专业合作社',
    'N2420200MA4K00010E': '村级集体经济组织',
    'G1420200MA4K00010P': '境外非政府组织代表机构',
    'Y1420200MA4K000109': '其他',
  };
  for (const [code, what] of Object.entries(codes)) {
    t.same(checkCreditCode(code), { ok: true, value: code, warnings: [] }, what);
  }
});

t.test('an unlisted category of a known department is accepted with a warning', async (t) => {
  const r = checkCreditCode('9A350100M000100Y47');
  t.equal(r.ok, true);
  if (r.ok) {
    t.same(r.warnings.map((w) => w.code), ['CREDIT_CODE_CATEGORY']);
    t.match(r.warnings[0]!.message, '“A”不在登记管理部门“工商”的类别表中');
  }
});

t.test('the administrative division must name a province or the central level', async (t) => {
  t.equal(refusal('91990100M000100Y4U').code, 'CREDIT_CODE_REGION');
  t.match(refusal('91990100M000100Y4U').message, '“990100”');
  t.equal(refusal('9135A100M000100Y4Y').code, 'CREDIT_CODE_REGION');
});

t.test('an embedded 组织机构代码 with a wrong check character travels as a warning', async (t) => {
  const r = checkCreditCode('91350100M000100Y56');
  t.same(r, {
    ok: true,
    value: '91350100M000100Y56',
    warnings: [{ field: '', code: 'CREDIT_CODE_EMBEDDED_ORG_CODE', message: '统一社会信用代码第 9-17 位（组织机构代码）校验位不符：应为 4' }],
  });
});
