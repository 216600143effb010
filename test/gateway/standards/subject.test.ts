import t from 'tap';
import { loadStandards, subjectFromFields } from '../../../gateway/standards/index.js';

const standards = loadStandards();
const xzcf = standards.byInfoType('行政处罚');
const hmd = standards.byInfoType('黑名单');

t.test('a file row names its subject through the fields that repeat it', async (t) => {
  t.same(subjectFromFields(xzcf, { CF_XDR_MC: ' 黄石某某有限公司 ', CF_XDR_LB: '法人和其他组织', CF_XDR_SHXYM: '91420200846J0URW7B', CF_XDR_ZJHM: null }), {
    kind: 'legal', name: '黄石某某有限公司', code: '91420200846J0URW7B',
  });
  t.same(subjectFromFields(xzcf, { CF_XDR_MC: '张三', CF_XDR_LB: '自然人', CF_XDR_SHXYM: '91420200846J0URW7B', CF_XDR_ZJHM: '11010519491231002X' }), {
    kind: 'natural', name: '张三', code: '11010519491231002X',
  }, 'a natural person by the certificate number');
  t.same(subjectFromFields(xzcf, { CF_XDR_MC: '某某小吃店', CF_XDR_LB: '个体工商户', CF_XDR_SHXYM: '00000000000000000X' }).kind, 'individual_business');
});

t.test('an unknown or missing kind is null, and the code is whichever is filled', async (t) => {
  t.same(subjectFromFields(hmd, { HMD_ZTMC: '张三', HMD_ZTLB: '外国人', HMD_ZJHM: 'E1234567' }), { kind: null, name: '张三', code: 'E1234567' });
  t.same(subjectFromFields(hmd, {}), { kind: null, name: '', code: '' });
});
