import t from 'tap';
import { checkOrgCode } from '../../../gateway/identifiers/org-code.js';

// 组织机构代码 as embedded in published credit codes (positions 9–17), and
// the one from the GB 32100-2015 sample.
const PUBLISHED = ['19220382-1', '70846113-6', '79965505-8', '71092609-4', '10000396-2', 'M000100Y-4'];

function refusal(input: string) {
  const r = checkOrgCode(input);
  if (r.ok) throw new Error(`expected ${input} to be refused`);
  return r.finding;
}

t.test('published codes are accepted with or without the hyphen, and come back hyphenated', async (t) => {
  for (const code of PUBLISHED) {
    t.same(checkOrgCode(code), { ok: true, value: code, warnings: [] }, code);
    t.same(checkOrgCode(code.replace('-', '')), { ok: true, value: code, warnings: [] }, code);
  }
});

t.test('check characters X and 0 (the remainders 10 and 11) are accepted', async (t) => {
  t.same(checkOrgCode('d2143569-x'), { ok: true, value: 'D2143569-X', warnings: [] });
  t.same(checkOrgCode('10000004-0'), { ok: true, value: '10000004-0', warnings: [] });
});

t.test('full-width input is normalised', async (t) => {
  t.same(checkOrgCode('１９２２０３８２－１'), { ok: true, value: '19220382-1', warnings: [] });
});

t.test('every wrong check character is refused, naming the right one', async (t) => {
  for (const code of ['19220382-1', 'D2143569-X']) {
    const expected = code[9]!;
    for (const ch of '0123456789X') {
      if (ch === expected) continue;
      const f = refusal(code.slice(0, 9) + ch);
      t.equal(f.code, 'ORG_CODE_CHECK');
      t.equal(f.message, `组织机构代码校验码错误：应为 ${expected}`);
    }
  }
});

// Letters are worth 10–35, so a letter mistyped as a digit 11 or 22 apart
// slips through a mod-11 check; among digits nothing does.
t.test('any digit mistyped as another digit is caught', async (t) => {
  for (const code of PUBLISHED) {
    for (let i = 0; i < 8; i++) {
      if (!/\d/.test(code[i]!)) continue;
      for (const d of '0123456789') {
        if (d === code[i]) continue;
        const mutated = code.slice(0, i) + d + code.slice(i + 1);
        t.notOk(checkOrgCode(mutated).ok, mutated);
      }
    }
  }
});

t.test('the check character may only be a digit or X', async (t) => {
  const f = refusal('19220382-A');
  t.equal(f.code, 'ORG_CODE_CHARSET');
  t.match(f.message, '第 9 位“A”');
  t.equal(refusal('1922038?-1').code, 'ORG_CODE_CHARSET');
});

t.test('wrong lengths and misplaced hyphens are refused', async (t) => {
  for (const input of ['1922038-1', '192203821-1', '1922-03821', '12345678901']) {
    t.equal(refusal(input).code, 'ORG_CODE_FORMAT', input);
  }
  t.equal(refusal('').code, 'ORG_CODE_EMPTY');
});

t.test('00000000-0 passes the checksum but is refused as a placeholder', async (t) => {
  t.equal(refusal('00000000-0').code, 'ORG_CODE_PLACEHOLDER');
  t.equal(refusal('000000000').code, 'ORG_CODE_PLACEHOLDER');
});
