/** In-memory grids shaped like national systems' exports, and a profile for one (药师 资格, P06-031). */
import type { Value } from '../../../connectors/contract.js';
import type { GridRow, SheetInfo } from '../../../connectors/files/workbook.js';
import type { ProfileConfig } from '../../../config/schema.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { compileProfile, type CompiledProfile } from '../../../gateway/profiles/index.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { idNumber } from '../../helpers/status-scenario.js';

export const GATEWAY = 'hs-sjj';
export const CTX = { gatewayId: GATEWAY, observedAt: '2026-03-02T01:00:00.000Z' };
export const SHEET: SheetInfo = { name: '2017年6月', index: 0, hidden: false };
export const NO_LAYOUT = { merges: [], hiddenColumns: new Set<number>() };

/** Rows numbered from `first`, as a grid reader gives them (blank rows skipped). */
export function grid(rows: (Value[] | null)[], first = 1): GridRow[] {
  return rows.flatMap((cells, i) => (cells === null ? [] : [{ rowNumber: first + i, cells, problems: [], hidden: false }]));
}

export const PEOPLE = [
  { name: '张三', id: idNumber('42020219850312004'), cert: 'YS2017001' },
  { name: '李四', id: idNumber('42020319781120567'), cert: 'YS2017002' },
  { name: '王五', id: idNumber('42022219920715008'), cert: 'YS2017003' },
];

export const AUTHORITY = '黄石市食品药品监督管理局';
export const AUTHORITY_CODE = '11420200011079463Y';

export function pharmacistProfile(overrides: Partial<ProfileConfig> = {}): ProfileConfig {
  return {
    name: 'hbfda-ys',
    title: '湖北省食品药品监管信息化业务平台 药师资格导出',
    origin: 'system',
    system: '湖北省食品药品监管信息化业务平台',
    match: { name: ['药师资格*.xls', '药师资格*.csv'], headers: ['姓名', '身份证号', '证书编号'] },
    category: 'P06-031',
    subject: { kind: 'natural', name: '姓名', code: '身份证号' },
    fields: {
      ZG_ZTMC: '姓名',
      ZG_ZTLB: { const: '自然人' },
      ZG_ZJLX: { const: '身份证' },
      ZG_ZJHM: '身份证号',
      ZG_MC: { const: '执业药师' },
      ZG_ZSBH: '证书编号',
      ZG_RQ: '取得日期',
      ZG_JG: { const: AUTHORITY },
      ZG_JGDM: { const: AUTHORITY_CODE },
      ZG_SJLY: { const: AUTHORITY },
      ZG_SJLYDM: { const: AUTHORITY_CODE },
    },
    key: ['证书编号'],
    ...overrides,
  } as ProfileConfig;
}

export function compiled(profile: ProfileConfig = pharmacistProfile()): CompiledProfile {
  const catalog = loadCatalog();
  const standards = loadStandards();
  return compileProfile(profile, standards.standardFor(catalog.byCode(profile.category)!), standards.codeTables);
}
