/** CSV exports: a GBK one with title rows from the drug supervision system, and a list returned by the province in UTF-8 with a BOM. */
import { AUTHORITIES, creditCode, fullWidth } from './ids.js';
import { bad, compactDate, edit, good, goodWith, nextMonth, slashDate, type Month } from './kit.js';
import type { DataRow, ExportSpec } from './spec.js';

/** 湖北省药品监管综合业务系统 GSP 认证: GBK, title rows, dates as 20170602, a credit code typed in full-width. */
export function gspCertificates(m: Month): ExportSpec {
  const { scjg } = AUTHORITIES;
  const cert = (name: string, code: string, no: string, scope: string, iso: string, until: string) => ({
    企业名称: name, 统一社会信用代码: code, 证书编号: no, 认证范围: scope, 发证日期: compactDate(iso), 有效期至: compactDate(until), 发证机关: '湖北省药品监督管理局',
  });
  const ok = (cells: ReturnType<typeof cert>, name: string, code: string, iso: string, until: string) =>
    good(cells, [cells.证书编号], { ZZ_MC: '药品经营质量管理规范认证', ZZ_ZSBH: cells.证书编号, ZZ_RQ: iso, ZZ_YXQZI: until, ZZ_TYSHXYDM: code }, { kind: 'legal', name, code });
  const rows: DataRow[] = [
    ok(cert('黄石市同济堂大药房连锁有限公司', creditCode(901), 'HB-A-20180012', '药品零售连锁', '2018-06-02', '2023-06-01'), '黄石市同济堂大药房连锁有限公司', creditCode(901), '2018-06-02', '2023-06-01'),
    // Typed with the IME in full-width mode; the name with an ideographic space the system kept.
    ok(cert('黄石市百姓缘大药房　', fullWidth(creditCode(902)), 'HB-A-20180013', '处方药、甲类非处方药、乙类非处方药', '2018-07-16', '2023-07-15'), '黄石市百姓缘大药房', creditCode(902), '2018-07-16', '2023-07-15'),
    bad(cert('黄石市仁和医药有限公司', creditCode(903), 'HB-B-20180101', '药品批发', '2018-11-31', '2023-11-30'), '发证日期', 'DATE_INVALID'),
  ];
  const month = nextMonth(rows, m, {}, [ok(cert('黄石市康宁医药有限公司', creditCode(904), 'HB-B-20180102', '药品批发', '2018-12-03', '2023-12-02'), '黄石市康宁医药有限公司', creditCode(904), '2018-12-03', '2023-12-02')]);
  return {
    file: m === 0 ? 'GSP认证企业名单_导出.csv' : 'GSP认证企业名单_导出(1).csv',
    writer: 'csv-gbk',
    what: '湖北省药品监管综合业务系统 GSP 认证 (CSV in GBK with title rows)',
    sheets: [{
      name: '',
      above: [['药品经营企业GSP认证信息'], ['导出日期：2026年11月1日']],
      header: ['企业名称', '统一社会信用代码', '证书编号', '认证范围', '发证日期', '有效期至', '发证机关'],
      rows: month,
      profile: 'gsp-rz',
    }],
    profiles: [{
      name: 'gsp-rz', title: '药品经营企业 GSP 认证', origin: 'system', system: '湖北省药品监管综合业务系统',
      match: { name: ['GSP认证企业名单*.csv'], headers: ['企业名称', '证书编号', '认证范围'] },
      category: 'P06-011', key: ['证书编号'],
      subject: { kind: 'legal', name: '企业名称', code: '统一社会信用代码' },
      fields: {
        ZZ_ZTMC: '企业名称', ZZ_ZTLB: { const: '法人及非法人组织' }, ZZ_TYSHXYDM: { column: '统一社会信用代码', halfWidth: true, upper: true },
        ZZ_MC: { const: '药品经营质量管理规范认证' }, ZZ_ZSBH: '证书编号', ZZ_FW: '认证范围',
        ZZ_RQ: { column: '发证日期', date: 'YYYYMMDD' }, ZZ_YXQZ: { column: '发证日期', date: 'YYYYMMDD' }, ZZ_YXQZI: { column: '有效期至', date: 'YYYYMMDD' },
        ZZ_JG: '发证机关', ZZ_JGDM: { const: scjg.code }, ZZ_SJLY: { const: scjg.name }, ZZ_SJLYDM: { const: scjg.code },
      },
    }],
  };
}

/** 上级部门返还: the province's credit platform returns the 黑名单 it holds for 黄石, as UTF-8 with a BOM. */
export function returnedBlacklist(m: Month): ExportSpec {
  const { xyb } = AUTHORITIES;
  const entry = (n: number, name: string, code: string, doc: string, reason: string | null, iso: string, fmt: (s: string) => string) => ({
    序号: String(n), 主体名称: name, 统一社会信用代码: code, 法定代表人: '冯大海', 名单类型: '拖欠农民工工资失信联合惩戒对象名单', 列入事由: reason,
    列入依据: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条', 认定文书号: doc, 列入日期: fmt(iso), 认定部门: '黄石市人力资源和社会保障局', 移出日期: null as string | null, 移出原因: null as string | null,
  });
  const ok = (cells: ReturnType<typeof entry>, iso: string, extra: Record<string, string | null> = {}) =>
    good(cells, [cells.认定文书号], { HMD_MC: cells.名单类型, HMD_LRRQ: iso, HMD_WH: cells.认定文书号, HMD_SY: cells.列入事由, ...extra }, { kind: 'legal', name: cells.主体名称, code: cells.统一社会信用代码 });
  const rows: DataRow[] = [
    ok(entry(1, '黄石市宏发建筑工程有限公司', creditCode(1001), '黄人社欠薪认字〔2026〕3号', '拖欠农民工工资数额达到认定拒不支付劳动报酬罪数额标准', '2026-08-12', slashDate), '2026-08-12'),
    ok(entry(2, '黄石市鼎盛劳务有限公司', creditCode(1002), '黄人社欠薪认字〔2026〕5号', '因拖欠农民工工资引发群体性事件', '2026-09-03', (s) => s), '2026-09-03'),
    bad(entry(3, '黄石市恒泰装饰有限公司', creditCode(1003), '黄人社欠薪认字〔2026〕6号', null, '2026-09-21', slashDate), '列入事由', 'FIELD_REQUIRED'),
  ];
  const month = nextMonth(rows, m, {
    // Paid up and taken off the list: the same record, updated.
    0: (row) => edit({ 移出日期: '2026/11/20', 移出原因: '已全额支付拖欠工资' }, goodWith(row, { HMD_YCRQ: '2026-11-20', HMD_YCYY: '已全额支付拖欠工资' }))(row),
  });
  return {
    file: m === 0 ? '省平台返还_黑名单_20261101.csv' : '省平台返还_黑名单_20261201.csv',
    writer: 'csv-utf8-bom',
    what: '湖北省社会信用信息服务平台 返还 黑名单 (CSV, UTF-8 with BOM, origin returned)',
    sheets: [{
      name: '',
      header: ['序号', '主体名称', '统一社会信用代码', '法定代表人', '名单类型', '列入事由', '列入依据', '认定文书号', '列入日期', '认定部门', '移出日期', '移出原因'],
      rows: month,
      profile: 'sheng-hmd',
    }],
    profiles: [{
      name: 'sheng-hmd', title: '省信用平台返还 黑名单', origin: 'returned', system: '湖北省社会信用信息服务平台',
      match: { name: ['省平台返还_黑名单_*.csv'], headers: ['名单类型', '列入事由', '认定文书号'] },
      category: 'P07-007', key: ['认定文书号'],
      subject: { kind: 'legal', name: '主体名称', code: '统一社会信用代码' },
      fields: {
        HMD_ZTMC: '主体名称', HMD_ZTLB: { const: '法人及非法人组织' }, HMD_TYSHXYDM: '统一社会信用代码', HMD_FDDBR: '法定代表人', HMD_MC: '名单类型',
        HMD_SY: '列入事由', HMD_YJ: '列入依据', HMD_WH: '认定文书号', HMD_LRRQ: { column: '列入日期', date: 'any' },
        HMD_RDJG: '认定部门', HMD_RDJGDM: { const: AUTHORITIES.rsj.code }, HMD_YCRQ: { column: '移出日期', date: 'any' }, HMD_YCYY: '移出原因',
        HMD_SJLY: { const: xyb.name }, HMD_SJLYDM: { const: xyb.code },
      },
    }],
  };
}
