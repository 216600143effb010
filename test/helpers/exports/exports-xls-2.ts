/** More .xls exports: SheetJS-written ones from the drug supervision platforms, and 金税三期's penalty list by xlwt. */
import { AUTHORITIES, creditCode, wrongCreditCode } from './ids.js';
import { bad, compactDate, day, edit, good, goodWith, nextMonth, unread, type Month } from './kit.js';
import type { DataRow, ExportSpec, Profile } from './spec.js';

const FOOD_HEADER = ['序号', '经营者名称', '社会信用代码', '法定代表人（负责人）', '经营场所', '主体业态', '经营项目', '许可证编号', '发证日期', '有效期至', '发证机关'];

/** 湖北省食品药品监管信息化业务平台: one sheet per month, a notes sheet first, dates as serials. */
export function foodLicences(m: Month): ExportSpec {
  const { scjg } = AUTHORITIES;
  const licence = (n: number, name: string, code: string, items: string | null, no: string, iso: string, fmt = 'yyyy-mm-dd') => ({
    序号: n, 经营者名称: name, 社会信用代码: code, '法定代表人（负责人）': '周建华', 经营场所: `黄石市黄石港区天津路${n}号`, 主体业态: '餐饮服务经营者',
    经营项目: items, 许可证编号: no, 发证日期: day(iso, fmt), 有效期至: day('2031-' + iso.slice(5), fmt), 发证机关: scjg.name,
  });
  const ok = (cells: ReturnType<typeof licence>, iso: string) =>
    good(cells, [cells.许可证编号, cells.社会信用代码], { XK_WSH: cells.许可证编号, XK_JDRQ: iso, XK_YXQZ: iso, XK_YXQZI: '2031-' + iso.slice(5), XK_NR: cells.经营项目, XK_XKLB: '普通', XK_ZT: '1' },
      { kind: 'legal', name: cells.经营者名称, code: cells.社会信用代码 });
  const september: DataRow[] = [
    ok(licence(1, '黄石市湖畔人家餐饮有限公司', creditCode(201), '热食类食品制售', 'JY24202020012345', '2026-09-03'), '2026-09-03'),
    ok(licence(2, '黄石市磁湖茶楼有限公司', creditCode(202), '热食类食品制售；冷食类食品制售', 'JY24202020012346', '2026-09-18', 'yyyy/m/d'), '2026-09-18'),
  ];
  const october: DataRow[] = [
    ok(licence(1, '黄石市团城山食品有限公司', creditCode(203), '预包装食品（含冷藏冷冻食品）销售', 'JY14202030023456', '2026-10-08'), '2026-10-08'),
    bad(licence(2, '黄石市沈家营烘焙坊有限公司', creditCode(204), null, 'JY14202030023457', '2026-10-12'), '经营项目', 'FIELD_REQUIRED'),
    ok(licence(3, '黄石市胜阳港超市有限公司', creditCode(205), '预包装食品销售；散装食品销售', 'JY14202030023458', '2026-10-30'), '2026-10-30'),
  ];
  const octoberRows = nextMonth(october, m, {
    1: () => ok(licence(2, '黄石市沈家营烘焙坊有限公司', creditCode(204), '糕点类食品制售', 'JY14202030023457', '2026-10-12'), '2026-10-12'),
  });
  const sheets = [
    { name: '填表说明', header: ['说明'], rows: [unread({ 说明: '本表由湖北省食品药品监管信息化业务平台导出，每月一个工作表' })] },
    { name: '2026年9月', header: FOOD_HEADER, rows: september, profile: 'spjy-xk' },
    { name: '2026年10月', header: FOOD_HEADER, rows: octoberRows, profile: 'spjy-xk' },
  ];
  if (m === 1) {
    sheets.push({ name: '2026年11月', header: FOOD_HEADER, rows: [ok(licence(1, '黄石市陈家湾粮油食品有限公司', creditCode(206), '预包装食品销售', 'JY14202030023501', '2026-11-05'), '2026-11-05')], profile: 'spjy-xk' });
  }
  return {
    file: m === 0 ? '食品经营许可证_2026年10月.xls' : '食品经营许可证_2026年11月.xls',
    writer: 'sheetjs-xls',
    what: '湖北省食品药品监管信息化业务平台 食品经营许可 (.xls by SheetJS, a sheet per month)',
    sheets,
    profiles: [{
      name: 'spjy-xk',
      title: '食品经营许可证 月度导出',
      origin: 'system',
      system: '湖北省食品药品监管信息化业务平台',
      match: { name: ['食品经营许可证_*.xls'], headers: ['经营者名称', '许可证编号', '经营项目'] },
      sheets: { include: ['*月'], exclude: ['填表说明'] },
      category: 'P06-001',
      key: ['许可证编号', '社会信用代码'],
      subject: { kind: 'legal', name: '经营者名称', code: '社会信用代码' },
      fields: {
        XK_XDR_MC: '经营者名称',
        XK_XDR_LB: { const: '法人及非法人组织' },
        XK_XDR_SHXYM: '社会信用代码',
        XK_FRDB: '法定代表人（负责人）',
        XK_XKWS: { const: '食品经营许可决定书' },
        XK_WSH: '许可证编号',
        XK_XKLB: { const: '普通' },
        XK_XKZS: { const: '食品经营许可证' },
        XK_XKBH: '许可证编号',
        XK_NR: '经营项目',
        XK_JDRQ: { column: '发证日期', date: 'any' },
        XK_YXQZ: { column: '发证日期', date: 'any' },
        XK_YXQZI: { column: '有效期至', date: 'any' },
        XK_XKJG: '发证机关',
        XK_XKJGDM: { const: scjg.code },
        XK_ZT: { const: '1' },
        XK_LYDW: { const: scjg.name },
        XK_LYDWDM: { const: scjg.code },
      },
    }],
  };
}

/** 国家药品监督管理局药品业务应用系统 查询结果: title rows, dates as 20170602 text, a 注 row. */
export function drugManufacturing(m: Month): ExportSpec {
  const { scjg } = AUTHORITIES;
  const permit = (name: string, code: string, no: string, scope: string, iso: string, until: string) => ({
    企业名称: name, 统一社会信用代码: code, 法定代表人: '黄志明', 企业负责人: '钱文', 生产地址: '黄石经济技术开发区金山大道', 许可证编号: no, 生产范围: scope,
    发证日期: compactDate(iso), 有效期至: compactDate(until), 发证机关: '湖北省药品监督管理局',
  });
  const ok = (cells: ReturnType<typeof permit>, iso: string, until: string) =>
    good(cells, [cells.许可证编号], { XK_XKBH: cells.许可证编号, XK_JDRQ: iso, XK_YXQZI: until, XK_NR: cells.生产范围, XK_XKJG: '湖北省药品监督管理局' },
      { kind: 'legal', name: cells.企业名称, code: cells.统一社会信用代码 });
  const rows: DataRow[] = [
    ok(permit('黄石市劲牌生物医药有限公司', creditCode(301), '鄂20160012', '片剂，硬胶囊剂，颗粒剂', '2020-12-25', '2025-12-24'), '2020-12-25', '2025-12-24'),
    ok(permit('黄石卫生材料药业有限公司', creditCode(302), '鄂20160027', '原料药，小容量注射剂', '2021-03-02', '2026-03-01'), '2021-03-02', '2026-03-01'),
    bad(permit('黄石市三丰制药有限公司', wrongCreditCode(303), '鄂20160031', '中药饮片', '2021-06-30', '2026-06-29'), '统一社会信用代码', 'CREDIT_CODE_CHECK'),
    bad(permit('湖北美天生物科技股份有限公司', creditCode(304), '鄂20160045', '体外诊断试剂', '2021-02-30', '2026-02-27'), '发证日期', 'DATE_INVALID'),
  ];
  const month = nextMonth(rows, m, {
    1: (row) => edit({ 有效期至: '20310301' }, goodWith(row, { XK_YXQZI: '2031-03-01' }))(row),
  });
  const profile: Profile = {
    name: 'ypsc-xk',
    title: '药品生产许可证 查询结果导出',
    origin: 'system',
    system: '国家药品监督管理局药品业务应用系统',
    match: { headers: ['许可证编号', '生产范围', '企业负责人'] },
    category: 'P06-021',
    key: ['许可证编号'],
    subject: { kind: 'legal', name: '企业名称', code: '统一社会信用代码' },
    fields: {
      XK_XDR_MC: '企业名称', XK_XDR_LB: { const: '法人及非法人组织' }, XK_XDR_SHXYM: '统一社会信用代码', XK_FRDB: '法定代表人',
      XK_XKWS: { const: '药品生产许可证' }, XK_WSH: '许可证编号', XK_XKLB: { const: '普通' }, XK_XKZS: { const: '药品生产许可证' }, XK_XKBH: '许可证编号',
      XK_NR: '生产范围', XK_JDRQ: { column: '发证日期', date: 'YYYYMMDD' }, XK_YXQZ: { column: '发证日期', date: 'YYYYMMDD' }, XK_YXQZI: { column: '有效期至', date: 'YYYYMMDD' },
      XK_XKJG: '发证机关', XK_XKJGDM: { const: scjg.code }, XK_ZT: { const: '1' }, XK_LYDW: { const: scjg.name }, XK_LYDWDM: { const: scjg.code },
    },
  };
  return {
    // Saved by the browser under the system's default name: no date, no category code; the header signature places it.
    file: m === 0 ? '查询结果.xls' : '查询结果(1).xls',
    writer: 'sheetjs-xls',
    what: '国家药品监督管理局药品业务应用系统 药品生产许可证 (.xls by SheetJS, matched by headers only)',
    sheets: [{
      name: 'Sheet1',
      above: [['药品生产许可证信息查询结果'], ['查询条件：所在地=黄石市；状态=有效'], []],
      header: ['企业名称', '统一社会信用代码', '法定代表人', '企业负责人', '生产地址', '许可证编号', '生产范围', '发证日期', '有效期至', '发证机关'],
      rows: month,
      below: [[], ['注：数据截止 2026-11-01，以发证机关公布为准']],
      profile: 'ypsc-xk',
    }],
    profiles: [profile],
  };
}
