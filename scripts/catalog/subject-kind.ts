/**
 * Whom each category is about, from where it sits in its provider's list and
 * from its own words.
 *
 * A provider's list in 附件3 is typically: generic rows (行政处罚信息 …), then
 * a legal-person section opened by 主体标识信息 or 企业主体标识信息, then a
 * natural-person section opened by 个人身份标识信息 (个人处罚信息, 职业资格,
 * 荣誉信息 …). A few lists (市工商局, 市质监局, 市环保局, 市科学技术局)
 * repeat 主体标识信息 further down and go on with more legal-person rows,
 * some repeating names of the first block: that is still the legal-person
 * section, apparently two source lists put end to end.
 */
import type { CatalogSubjectKind } from '../../gateway/catalog/types.js';

export type SectionKind = 'generic' | 'legal' | 'natural';

const LEGAL_HEADERS: ReadonlySet<string> = new Set(['主体标识信息', '企业主体标识信息']);
const NATURAL_HEADER = '个人身份标识信息';

/** The section a header row opens, or null for an ordinary row. */
export function sectionHeaderKind(name: string): 'legal' | 'natural' | null {
  if (LEGAL_HEADERS.has(name)) return 'legal';
  if (name === NATURAL_HEADER) return 'natural';
  return null;
}

/** The section of each row of one provider's list, in order: a header switches to its section. */
export function sectionsOf(names: readonly string[]): SectionKind[] {
  let current: SectionKind = 'generic';
  return names.map((name) => {
    current = sectionHeaderKind(name) ?? current;
    return current;
  });
}

/**
 * Words that make a row about natural persons wherever it sits (暂住人口居住信息,
 * 分类监管信息（从业人员）). 资格 is a person's qualification; an
 * organisation's is 资质.
 */
const NATURAL_WORDS = /^个人|身份|人员|人口|人群|资格/;
/** Words that make a row about organisations (企业行政处罚信息, 因私出入境中介机构…); checked after NATURAL_WORDS, so 企业重点人群信息 stays natural. */
const LEGAL_WORDS = /企业|机构/;

const KIND_OF_SECTION: Record<SectionKind, CatalogSubjectKind> = {
  generic: 'both',
  legal: 'legal',
  natural: 'natural',
};

/**
 * Rules, first match wins:
 * 1. a section header is about the subjects of the section it opens;
 * 2. a name with NATURAL_WORDS is about natural persons;
 * 3. a name with LEGAL_WORDS is about legal persons;
 * 4. otherwise the section decides: generic rows are `both`.
 */
export function subjectKindOf(name: string, section: SectionKind): CatalogSubjectKind {
  const header = sectionHeaderKind(name);
  if (header) return header;
  if (NATURAL_WORDS.test(name)) return 'natural';
  if (LEGAL_WORDS.test(name)) return 'legal';
  return KIND_OF_SECTION[section];
}
