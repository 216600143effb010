import t from 'tap';
import { fullWidthBrackets, normaliseName, removeBreakSpaces } from '../../../gateway/catalog/names.js';

t.test('spaces left by line breaks inside Chinese names are removed', async (t) => {
  t.equal(removeBreakSpaces('中石油昆仑城投 燃气公司'), '中石油昆仑城投燃气公司');
  t.equal(removeBreakSpaces(' 登记/ 注册/ 备案信息 '), '登记/注册/备案信息');
  t.equal(removeBreakSpaces('药品经营企业 GSP 认证'), '药品经营企业GSP认证');
});

t.test('a space between two ASCII words is kept, as one space', async (t) => {
  t.equal(removeBreakSpaces('GSP  GMP'), 'GSP GMP');
});

t.test('brackets become full-width', async (t) => {
  t.equal(fullWidthBrackets('职业(从业)资格信息(税务师)'), '职业（从业）资格信息（税务师）');
  t.equal(normaliseName('市规划局(市测绘地理信息局)'), '市规划局（市测绘地理信息局）');
  t.equal(normaliseName('社会团体注销（撤、吊）信息'), '社会团体注销（撤、吊）信息');
});
