/** .xlsx exports by exceljs: skills certificates from the provincial system, and a list the department keeps itself. */
import { AUTHORITIES, creditCode, idNumber, numericIdNumber } from './ids.js';
import { bad, day, edit, good, goodWith, nextMonth, type Month } from './kit.js';
import type { DataRow, ExportSpec } from './spec.js';

/** 湖北省职业技能鉴定管理系统: certificate numbers typed as numbers (exact), one ID number typed as a number (not). */
export function skillCertificates(m: Month): ExportSpec {
  const { rsj } = AUTHORITIES;
  const cert = (n: number, name: string, id: string | number, job: string | null, level: string, no: number, iso: string) => ({
    序号: n, 姓名: name, 身份证号: id, '职业（工种）': job, 等级: level, 证书编号: no, 发证日期: day(iso), 评价机构: '黄石市职业技能鉴定指导中心',
  });
  const ok = (cells: ReturnType<typeof cert>, id: string, iso: string) =>
    good(cells, [String(cells.证书编号)], { ZG_ZSBH: String(cells.证书编号), ZG_MC: cells['职业（工种）'], ZG_DJ: cells.等级, ZG_RQ: iso, ZG_JGDM: rsj.code }, { kind: 'natural', name: cells.姓名, code: id });
  const ids = [idNumber('19800704', 101), numericIdNumber('19850919', 112), idNumber('19910228', 123), idNumber('19780111', 134), idNumber('19990505', 145)];
  const rows: DataRow[] = [
    ok(cert(1, '何志刚', ids[0]!, '电工', '四级/中级工', 1742000000123, '2026-10-12'), ids[0]!, '2026-10-12'),
    bad(cert(2, '罗小燕', Number(ids[1]), '育婴员', '五级/初级工', 1742000000124, '2026-10-12'), '身份证号', 'FILE_NUMBER_PRECISION'),
    ok(cert(3, '胡斌', ids[2]!, '焊工', '三级/高级工', 1742000000125, '2026-10-19'), ids[2]!, '2026-10-19'),
    bad(cert(4, '曾庆华', ids[3]!, null, '四级/中级工', 1742000000126, '2026-10-19'), '职业（工种）', 'FIELD_REQUIRED'),
  ];
  const month = nextMonth(rows, m, {
    0: (row) => edit({ 等级: '三级/高级工' }, goodWith(row, { ZG_DJ: '三级/高级工' }))(row),
  }, [ok(cert(5, '邓雪', ids[4]!, '保育师', '四级/中级工', 1742000000201, '2026-11-09'), ids[4]!, '2026-11-09')]);
  return {
    file: m === 0 ? '职业技能等级证书发放明细.xlsx' : '职业技能等级证书发放明细 (2).xlsx',
    writer: 'exceljs-xlsx',
    what: '湖北省职业技能鉴定管理系统 证书发放明细 (.xlsx by exceljs, numbers as codes)',
    sheets: [{ name: '证书发放明细', header: ['序号', '姓名', '身份证号', '职业（工种）', '等级', '证书编号', '发证日期', '评价机构'], rows: month, profile: 'jnjd-zs' }],
    profiles: [{
      name: 'jnjd-zs', title: '职业技能等级证书发放明细', origin: 'system', system: '湖北省职业技能鉴定管理系统',
      match: { name: ['职业技能等级证书发放明细*.xlsx'], headers: ['证书编号', '职业（工种）', '身份证号'] },
      category: 'P07-028', key: ['证书编号'],
      subject: { kind: 'natural', name: '姓名', code: '身份证号' },
      fields: {
        ZG_ZTMC: '姓名', ZG_ZTLB: { const: '自然人' }, ZG_ZJLX: { const: '身份证' }, ZG_ZJHM: '身份证号', ZG_MC: '职业（工种）', ZG_DJ: '等级', ZG_ZSBH: '证书编号',
        ZG_RQ: { column: '发证日期', date: 'any' }, ZG_JG: '评价机构', ZG_JGDM: { const: rsj.code }, ZG_SJLY: { const: rsj.name }, ZG_SJLYDM: { const: rsj.code },
      },
    }],
  };
}

/** The department's own register (not a system's export): origin own. */
export function privateSchools(m: Month): ExportSpec {
  const { jyj } = AUTHORITIES;
  const school = (name: string, code: string, no: string, scope: string, iso: string | null, until: string) => ({
    学校名称: name, 统一社会信用代码: code, 举办者: '黄石市启航教育投资有限公司', 校长: '郭敏', 办学许可证号: no, 办学内容: scope, 发证日期: iso ? day(iso) : null, 有效期至: day(until),
  });
  const ok = (cells: ReturnType<typeof school>, iso: string, until: string) =>
    good(cells, [cells.办学许可证号], { ZZ_MC: '民办学校办学许可证', ZZ_ZSBH: cells.办学许可证号, ZZ_FW: cells.办学内容, ZZ_RQ: iso, ZZ_YXQZI: until }, { kind: 'legal', name: cells.学校名称, code: cells.统一社会信用代码 });
  const rows: DataRow[] = [
    ok(school('黄石市启航外国语学校', creditCode(801, '52'), '教民142020070000011号', '初中、高中学历教育', '2024-08-20', '2029-08-19'), '2024-08-20', '2029-08-19'),
    ok(school('黄石市育英艺术学校', creditCode(802, '52'), '教民142020070000012号', '艺术类非学历教育', '2025-03-12', '2030-03-11'), '2025-03-12', '2030-03-11'),
    bad(school('黄石市博雅职业培训学校', creditCode(803, '52'), '教民142020070000013号', '职业技能培训', null, '2030-06-30'), '发证日期', 'FIELD_REQUIRED'),
  ];
  const month = nextMonth(rows, m, {
    1: (row) => edit({ 办学内容: '艺术类非学历教育；文化课辅导' }, goodWith(row, { ZZ_FW: '艺术类非学历教育；文化课辅导' }))(row),
  });
  return {
    file: m === 0 ? '民办学校办学许可证台账.xlsx' : '民办学校办学许可证台账(12月).xlsx',
    writer: 'exceljs-xlsx',
    what: '市教育局 own register of private schools (.xlsx by exceljs, origin own)',
    sheets: [{ name: '台账', header: ['学校名称', '统一社会信用代码', '举办者', '校长', '办学许可证号', '办学内容', '发证日期', '有效期至'], rows: month, profile: 'mbxx-zz' }],
    profiles: [{
      name: 'mbxx-zz', title: '民办学校办学许可证台账', origin: 'own',
      match: { name: ['民办学校办学许可证台账*.xlsx'] },
      category: 'P13-003', key: ['办学许可证号'],
      subject: { kind: 'legal', name: '学校名称', code: '统一社会信用代码' },
      fields: {
        ZZ_ZTMC: '学校名称', ZZ_ZTLB: { const: '法人及非法人组织' }, ZZ_TYSHXYDM: '统一社会信用代码', ZZ_FDDBR: '校长', ZZ_MC: { const: '民办学校办学许可证' },
        ZZ_ZSBH: '办学许可证号', ZZ_FW: '办学内容', ZZ_RQ: { column: '发证日期', date: 'any' }, ZZ_YXQZ: { column: '发证日期', date: 'any' }, ZZ_YXQZI: { column: '有效期至', date: 'any' },
        ZZ_JG: { const: jyj.name }, ZZ_JGDM: { const: jyj.code }, ZZ_ZT: { const: '1' }, ZZ_SJLY: { const: jyj.name }, ZZ_SJLYDM: { const: jyj.code },
      },
    }],
  };
}
