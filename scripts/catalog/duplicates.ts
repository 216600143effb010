/**
 * Which repeated rows of a provider's list are true duplicates.
 *
 * A name may repeat inside one provider's list. When the repeat sits in
 * another section (see subject-kind.ts) the notice means another thing: the
 * same name once for legal persons and once for natural persons
 * (市国税局's 纳税信用等级评定信息), or a generic row about either kind and
 * a legal-person row (市科学技术局's 行政处罚信息). When it repeats inside
 * one section it says nothing new, whether on the next line (市科学技术局's
 * two 专利侵权纠纷信息) or in a second block of legal-person rows
 * (市工商局's second 主体标识信息, 注销登记信息, 吊销营业执照信息): only the
 * first is kept, so one dataset never has two codes.
 */
import type { SectionKind } from './subject-kind.js';

export interface Duplicate {
  /** 0-based position of the dropped row in the provider's list. */
  index: number;
  /** 0-based position of the first row with the same name in that section. */
  duplicateOf: number;
}

export function sectionDuplicates(names: readonly string[], sections: readonly SectionKind[]): Duplicate[] {
  const firstSeen = new Map<string, number>();
  const duplicates: Duplicate[] = [];
  names.forEach((name, index) => {
    const key = `${sections[index]!}\u0000${name}`;
    const first = firstSeen.get(key);
    if (first === undefined) firstSeen.set(key, index);
    else duplicates.push({ index, duplicateOf: first });
  });
  return duplicates;
}
