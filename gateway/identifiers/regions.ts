/**
 * First two digits of a GB/T 2260 administrative division code: the
 * province-level divisions. A full six-digit table would go stale with every
 * redistricting, and old ID numbers keep codes that no longer exist, so only
 * the province is checked.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', // 北京 天津 河北 山西 内蒙古
  '21', '22', '23', // 辽宁 吉林 黑龙江
  '31', '32', '33', '34', '35', '36', '37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41', '42', '43', '44', '45', '46', // 河南 湖北 湖南 广东 广西 海南
  '50', '51', '52', '53', '54', // 重庆 四川 贵州 云南 西藏
  '61', '62', '63', '64', '65', // 陕西 甘肃 青海 宁夏 新疆
  '71', // 台湾
  '81', '82', // 香港 澳门
]);

/**
 * Taiwan residents' residence permits (港澳台居民居住证, since 2018) carry
 * GB 11643 numbers starting 83; Hong Kong and Macao permits reuse 81 and 82.
 */
export const ID_AREA_PREFIXES: ReadonlySet<string> = new Set([...PROVINCE_CODES, '83']);

/** Credit codes of units registered by central authorities carry 100000. */
export const CREDIT_CODE_REGION_PREFIXES: ReadonlySet<string> = new Set([...PROVINCE_CODES, '10']);
