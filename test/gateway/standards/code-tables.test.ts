import t from 'tap';
import { allowedValues, codeKey, loadStandards, lookupCode } from '../../../gateway/standards/index.js';

const { codeTables } = loadStandards();

t.test('a value is found as written, or by one of its other spellings, and the value is what is sent', async (t) => {
  t.match(lookupCode(codeTables.zt!, '1'), { ok: true, value: '1' });
  t.match(lookupCode(codeTables.zt!, '有效'), { ok: true, value: '1' });
  t.match(lookupCode(codeTables['xdr-lb']!, '个体户'), { ok: true, value: '个体工商户', entry: { subjectKind: 'individual_business' } });
  t.match(lookupCode(codeTables['nsxy-jb']!, 'ａ级'), { ok: true, value: 'A' }, 'widths and case do not matter');
  t.same(lookupCode(codeTables.zt!, '3'), { ok: false });
});

t.test('其他 followed by the specific kind is accepted as written where the table allows it', async (t) => {
  t.same(lookupCode(codeTables.xklb!, ' 其他-备案 '), { ok: true, value: '其他-备案' });
  t.same(lookupCode(codeTables.zt!, '其他'), { ok: false }, 'not where it does not');
});

t.test('a superseded spelling is accepted as written, with the note that explains it', async (t) => {
  t.match(lookupCode(codeTables.cflb!, '暂扣或者吊销许可证、暂扣或者吊销执照'), {
    ok: true, value: '暂扣或者吊销许可证、暂扣或者吊销执照', legacy: /暂扣许可证件.*吊销许可证件/,
  });
});

t.test('the allowed values read as a clerk should write them, without superseded spellings', async (t) => {
  t.equal(allowedValues(codeTables.zt!), '1（有效）、2（无效）');
  t.equal(allowedValues(codeTables.xklb!), '普通、特许、认可、核准、登记、其他…（注明具体类别）');
  t.notMatch(allowedValues(codeTables.cflb!), '暂扣或者吊销');
});

t.test('the 2021 行政处罚法 kinds are all there, one value each', async (t) => {
  const current = codeTables.cflb!.values.filter((v) => !v.legacy).map((v) => v.value);
  t.same(current, [
    '警告', '通报批评', '罚款', '没收违法所得', '没收非法财物', '暂扣许可证件', '降低资质等级', '吊销许可证件',
    '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业', '行政拘留',
  ]);
  t.equal(codeKey(' 罚 款 '), codeKey('罚款'));
});
