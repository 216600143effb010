import t from 'tap';
import { sectionHeaderKind, sectionsOf, subjectKindOf } from '../../../scripts/catalog/subject-kind.js';

t.test('section headers: 主体标识信息 and 企业主体标识信息 open legal, 个人身份标识信息 natural', async (t) => {
  t.equal(sectionHeaderKind('主体标识信息'), 'legal');
  t.equal(sectionHeaderKind('企业主体标识信息'), 'legal');
  t.equal(sectionHeaderKind('个人身份标识信息'), 'natural');
  t.equal(sectionHeaderKind('行政处罚信息'), null);
});

t.test('a header switches to its section; rows before any header are generic', async (t) => {
  const sections = sectionsOf(['行政处罚信息', '主体标识信息', '注销登记信息', '主体标识信息', '注销登记信息', '个人身份标识信息', '荣誉信息']);
  t.same(sections, ['generic', 'legal', 'legal', 'legal', 'legal', 'natural', 'natural']);
});

t.test('the section decides for ordinary names: generic rows are about either kind', async (t) => {
  t.equal(subjectKindOf('行政处罚信息', 'generic'), 'both');
  t.equal(subjectKindOf('行政处罚信息', 'legal'), 'legal');
  t.equal(subjectKindOf('荣誉信息', 'natural'), 'natural');
});

t.test('a header is about the subjects of the section it opens', async (t) => {
  t.equal(subjectKindOf('个人身份标识信息', 'natural'), 'natural');
  t.equal(subjectKindOf('企业主体标识信息', 'legal'), 'legal');
});

t.test('words naming natural persons win over the section', async (t) => {
  t.equal(subjectKindOf('个人处罚信息', 'generic'), 'natural');
  t.equal(subjectKindOf('暂住人口居住信息', 'legal'), 'natural');
  t.equal(subjectKindOf('分类监管信息（从业人员）', 'generic'), 'natural');
  t.equal(subjectKindOf('取得相关资格的人员信息', 'legal'), 'natural');
  t.equal(subjectKindOf('资格证书信息', 'generic'), 'natural');
  t.equal(subjectKindOf('身份信息', 'generic'), 'natural');
  t.equal(subjectKindOf('企业重点人群信息（法定代表人信息）', 'natural'), 'natural');
});

t.test('words naming organisations win over the section', async (t) => {
  t.equal(subjectKindOf('企业行政处罚信息', 'generic'), 'legal');
  t.equal(subjectKindOf('因私出入境中介机构行政许可审批（变更）信息', 'generic'), 'legal');
});

t.test('a row naming both kinds stays both', async (t) => {
  t.equal(subjectKindOf('执行案件当事人（涉案单位或个人）', 'generic'), 'both');
});
