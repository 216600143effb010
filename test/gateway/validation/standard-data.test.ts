import t from 'tap';
import type { RecordData } from '../../../gateway/model.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { checkData } from '../../../gateway/validation/standard-data.js';

const xzcf = loadStandards().byInfoType('行政处罚');
const today = '2026-11-26';
const subject = { kind: 'legal' as const, name: '黄石华新劳务派遣有限公司', code: '91420200846J0URW7B', checkedCode: '91420200846J0URW7B' };

const penalty: RecordData = {
  CF_CFJG: '黄石市人力资源和社会保障局', CF_XDR_MC: '黄石华新劳务派遣有限公司', CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '91420200846J0URW7B',
  CF_FRDB: '孙丽', CF_WSH: '黄人社监罚〔2026〕7号', CF_CFLB: '罚款', CF_NR_FK: '2.1', CF_JDRQ: '2026-09-23', CF_GSJZQ: '2027-09-23',
};

t.test('the data comes back in the standard\'s order with its derived status last, record after record of one shape', async (t) => {
  const order = xzcf.fields.map((f) => f.code).filter((code) => code in penalty);
  for (const wsh of ['黄人社监罚〔2026〕7号', '黄人社监罚〔2026〕8号', '黄人社监罚〔2026〕9号']) {
    const { data } = checkData({ ...penalty, CF_WSH: wsh }, xzcf, { today, subject });
    t.same(Object.keys(data), [...order, 'CF_GSZT']);
    t.equal(data.CF_WSH, wsh);
    t.equal(data.CF_NR_FK, 2.1, 'values as the standard sends them');
  }
});

t.test('a record of another shape gets its own fields, not those of the shape before', async (t) => {
  checkData(penalty, xzcf, { today, subject });
  const { CF_FRDB: _dropped, ...fewer } = penalty;
  const { data } = checkData(fewer, xzcf, { today, subject });
  t.notOk('CF_FRDB' in data);
  t.same(Object.keys(data), [...xzcf.fields.map((f) => f.code).filter((code) => code in fewer), 'CF_GSZT']);
});

t.test('the data given is left as it was', async (t) => {
  const given = { ...penalty };
  const { data } = checkData(given, xzcf, { today, subject });
  t.same(given, penalty);
  t.not(data, given);
});

t.test('without a day of reading no status is derived, in a shape already seen with one', async (t) => {
  checkData(penalty, xzcf, { today, subject });
  t.notOk('CF_GSZT' in checkData(penalty, xzcf, { subject }).data);
});

t.test('a status the department gave, even empty, stays where the job put it and is derived there', async (t) => {
  const { data } = checkData({ ...penalty, CF_GSZT: '' }, xzcf, { today, subject });
  t.same(Object.keys(data), xzcf.fields.map((f) => f.code).filter((code) => code in penalty || code === 'CF_GSZT'));
  t.equal(data.CF_GSZT, '公示中');
});
