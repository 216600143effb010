/** Valid identifiers for the corpus, made with the gateway's own check-digit functions. */
import { creditCodeCheckChar } from '../../../gateway/identifiers/credit-code.js';
import { idCardCheckDigit } from '../../../gateway/identifiers/id-card.js';
import { orgCodeCheckChar } from '../../../gateway/identifiers/org-code.js';

/**
 * A 统一社会信用代码 of 黄石 (420200): `prefix` is the registering department
 * and kind (91 company, 92 个体工商户, 11 机关, 12 事业单位, 52 社会团体);
 * the 主体标识码 is a valid 组织机构代码 made from `n`.
 */
export function creditCode(n: number, prefix = '91', region = '420200'): string {
  const body = `MA4${String(n).padStart(5, '0')}`;
  const first17 = `${prefix}${region}${body}${orgCodeCheckChar(body)}`;
  return first17 + creditCodeCheckChar(first17);
}

/** The same code with its check character wrong, as a mistyped export has it. */
export function wrongCreditCode(n: number, prefix = '91'): string {
  const good = creditCode(n, prefix);
  const wrong = good[17] === '0' ? '1' : '0';
  return good.slice(0, 17) + wrong;
}

/** The 组织机构代码 inside a credit code, as `XXXXXXXX-X`. */
export function orgCodeOf(code: string): string {
  return `${code.slice(8, 16)}-${code[16]}`;
}

/** A valid 居民身份证号码 of someone born in 黄石 on `birth` (YYYYMMDD), sequence `n`. */
export function idNumber(birth: string, n: number, area = '420202'): string {
  const first17 = `${area}${birth}${String(n).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

/** A valid one ending in a digit, so it can be typed into a spreadsheet as a number (and lose its last digits). */
export function numericIdNumber(birth: string, from: number): string {
  for (let n = from; ; n++) {
    const id = idNumber(birth, n);
    if (id[17] !== 'X') return id;
  }
}

/** Digits and capitals as full-width characters, as IMEs in full-width mode type them. */
export function fullWidth(text: string): string {
  return text.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Authorities: 机关 codes (prefix 11) of the departments whose exports these are. */
export const AUTHORITIES = {
  jyj: { name: '黄石市教育局', code: creditCode(90001, '11') },
  rsj: { name: '黄石市人力资源和社会保障局', code: creditCode(90002, '11') },
  scjg: { name: '黄石市市场监督管理局', code: creditCode(90003, '11') },
  lyj: { name: '黄石市林业局', code: creditCode(90004, '11') },
  swj: { name: '国家税务总局黄石市税务局', code: creditCode(90005, '11') },
  xyb: { name: '湖北省社会信用体系建设领导小组办公室', code: creditCode(90006, '11', '420000') },
} as const;
