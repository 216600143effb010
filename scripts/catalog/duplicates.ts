/**
 * Which repeated rows of a provider's list are true duplicates.
 *
 * A name may repeat inside one provider's list. When the repeat sits in
 * another section (see subject-kind.ts) the notice means another thing: the
 * same name once for legal persons and once for natural persons
 * (市国税局's 纳税信用等级评定信息), or in a second legal section the list
 * opens with its own 主体标识信息 (市工商局's 注销登记信息). When it repeats
 * inside one section it says nothing new (市科技局's two 专利侵权纠纷信息 on
 * consecutive lines): only the first is kept.
 */
import type { Section } from './subject-kind.js';

export interface Duplicate {
  /** 0-based position of the dropped row in the provider's list. */
  index: number;
  /** 0-based position of the first row with the same name in that section. */
  duplicateOf: number;
}

export function sectionDuplicates(names: readonly string[], sections: readonly Section[]): Duplicate[] {
  const firstSeen = new Map<string, number>();
  const duplicates: Duplicate[] = [];
  names.forEach((name, index) => {
    const key = `${sections[index]!.index}\u0000${name}`;
    const first = firstSeen.get(key);
    if (first === undefined) firstSeen.set(key, index);
    else duplicates.push({ index, duplicateOf: first });
  });
  return duplicates;
}
