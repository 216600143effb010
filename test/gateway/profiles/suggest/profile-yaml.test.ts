import t from 'tap';
import { parse } from 'yaml';
import { loadCatalog } from '../../../../gateway/catalog/index.js';
import { standardFor } from '../../../../gateway/standards/index.js';
import { suggestProfiles } from '../../../../gateway/profiles/suggest/propose.js';
import { suggestionYaml } from '../../../../gateway/profiles/suggest/profile-yaml.js';
import { teachers } from './grids.js';

const suggestion = () => suggestProfiles({ sample: teachers(), candidates: loadCatalog().categoriesOf('P13'), standardFor: (c) => standardFor(c) });

t.test('the YAML loads to exactly the proposed profiles, ready to paste under profiles:', async (t) => {
  const s = suggestion();
  const text = suggestionYaml(s);
  t.same(parse(text), s.proposals.map((p) => p.profile));
  t.same(parse(`profiles:\n${text.split('\n').map((l) => `  ${l}`).join('\n')}`).profiles, s.proposals.map((p) => p.profile), 'indented under profiles: it is the same');
});

t.test('comments in Chinese say what a clerk has to check', async (t) => {
  const text = suggestionYaml(suggestion());
  t.match(text, /# 类别 P13-002 资格证书信息（职业资格）/);
  t.match(text, /表头在第 3 行，表头下有 5 行/);
  t.match(text, /ZG_ZJHM: 身份证件号码 # 证件号码；近似匹配（常见列名：身份证件号码），请核对/);
  t.match(text, /ZG_RQ: \{ ?column: 取得日期, date: zh ?\} # 取得（注册）日期；近似匹配（相近写法：取得（注册）日期），请核对；日期写法：2017年6月2日 3 行/);
  t.match(text, /ZG_MC: 资格名称 # 资格名称\n/, 'an exact match carries the field\'s name only');
  t.match(text, /ZG_JGDM: "<fill in: 发证机关统一社会信用代码>" # 发证机关统一社会信用代码；导出中没有对应的列：请把 <fill in: …> 改为列名，或写 \{ const: 值 \}/, 'a required field the export lacks is there to fill in, not left out');
  t.match(text, /# 未使用的列：序号/);
  t.match(text, /system: <fill in> # 填写导出这个文件的系统/);
});
