import t from 'tap';
import { sectionDuplicates } from '../../../scripts/catalog/duplicates.js';
import { sectionsOf } from '../../../scripts/catalog/subject-kind.js';

const duplicatesOf = (names: string[]) => sectionDuplicates(names, sectionsOf(names));

t.test('a name repeated within one section is a duplicate of its first occurrence', async (t) => {
  t.same(duplicatesOf(['主体标识信息', '专利侵权纠纷信息', '专利侵权纠纷信息']), [{ index: 2, duplicateOf: 1 }]);
  t.same(duplicatesOf(['行政许可/行政确认信息', '分类监管信息', '行政许可/行政确认信息']), [{ index: 2, duplicateOf: 0 }]);
});

t.test('the same name once for legal and once for natural persons is two categories', async (t) => {
  t.same(duplicatesOf(['主体标识信息', '纳税信用等级评定信息', '个人身份标识信息', '纳税信用等级评定信息']), []);
});

t.test('a second block of legal-person rows repeats the first: its repeats are duplicates', async (t) => {
  t.same(duplicatesOf(['主体标识信息', '注销登记信息', '年检结果信息', '主体标识信息', '注销登记信息', '董事会信息（变更）']), [
    { index: 3, duplicateOf: 0 },
    { index: 4, duplicateOf: 1 },
  ]);
});

t.test('a generic row and a legal-section row of the same name are two categories', async (t) => {
  t.same(duplicatesOf(['行政处罚信息', '主体标识信息', '行政处罚信息']), []);
});
