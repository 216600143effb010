/** .xlsx exports: forestry's 双公示 workbook (a sheet per category), a provincial 审批 system's xk_export, skills certificates, the department's own list. */
import { AUTHORITIES, creditCode, wrongCreditCode } from './ids.js';
import { bad, compactDate, dotDate, edit, good, goodWith, nextMonth, unread, type Month } from './kit.js';
import type { DataRow, ExportSpec } from './spec.js';

/** 湖北省林业综合管理平台 双公示: 行政许可 and 行政处罚 in one workbook, each read by its own profile; dates as 2017.6.2 and 20170602. */
export function forestryPublicity(m: Month): ExportSpec {
  const { lyj } = AUTHORITIES;
  const permit = (name: string, code: string, no: string, place: string, iso: string, until: string) => ({
    申请单位: name, 统一社会信用代码: code, 法定代表人: '彭立新', 许可证号: no, 采伐地点: place, 许可内容: `林木采伐，地点：${place}`, 发证日期: dotDate(iso), 有效期限: dotDate(until),
  });
  const okPermit = (cells: ReturnType<typeof permit>, iso: string, until: string) =>
    good(cells, [cells.许可证号, cells.统一社会信用代码], { XK_WSH: cells.许可证号, XK_JDRQ: iso, XK_YXQZI: until, XK_XKJG: lyj.name }, { kind: 'legal', name: cells.申请单位, code: cells.统一社会信用代码 });
  const kase = (name: string, code: string, wsh: string, fact: string, iso: string) => ({
    当事人: name, 统一社会信用代码: code, 法定代表人: '彭立新', 处罚决定书文号: wsh, 违法事实: fact, 处罚依据: '《中华人民共和国森林法》第七十六条', 处罚种类: '罚款', 处罚内容: '责令补种并处罚款', 罚款金额: '0.8', 决定日期: compactDate(iso),
  });
  const okCase = (cells: ReturnType<typeof kase>, iso: string) =>
    good(cells, [cells.处罚决定书文号, cells.统一社会信用代码], { CF_WSH: cells.处罚决定书文号, CF_JDRQ: iso, CF_CFLB: '罚款', CF_CFJG: lyj.name }, { kind: 'legal', name: cells.当事人, code: cells.统一社会信用代码 });
  const permits: DataRow[] = [
    okPermit(permit('阳新县富池林场', creditCode(601, '12', '420222'), '鄂黄采字〔2026〕0017号', '阳新县富池镇', '2026-10-09', '2026-12-31'), '2026-10-09', '2026-12-31'),
    okPermit(permit('大冶市保安林业专业合作社', creditCode(602, '93', '420281'), '鄂黄采字〔2026〕0018号', '大冶市保安镇', '2026-10-21', '2027-03-31'), '2026-10-21', '2027-03-31'),
    bad(permit('黄石市绿源苗木有限公司', creditCode(603), '鄂黄采字〔2026〕0019号', '下陆区长乐山', '2026-10-29', '2026-9-31'), '有效期限', 'DATE_INVALID'),
  ];
  const cases: DataRow[] = [
    okCase(kase('黄石市铜绿山矿业有限公司', creditCode(611), '黄林罚决字〔2026〕第012号', '未经批准擅自改变林地用途', '2026-10-14'), '2026-10-14'),
    bad(kase('黄石市金山木业有限公司', wrongCreditCode(612), '黄林罚决字〔2026〕第013号', '无证运输木材', '2026-10-23'), '统一社会信用代码', 'CREDIT_CODE_CHECK'),
  ];
  const permitRows = nextMonth(permits, m, {}, [okPermit(permit('阳新县王英林场', creditCode(604, '12', '420222'), '鄂黄采字〔2026〕0023号', '阳新县王英镇', '2026-11-16', '2027-04-30'), '2026-11-16', '2027-04-30')]);
  const caseRows = nextMonth(cases, m, { 0: (row) => edit({ 罚款金额: '1.2' }, goodWith(row, { CF_NR_FK: 1.2 }))(row) });
  return {
    file: m === 0 ? '双公示数据_2026-10.xlsx' : '双公示数据_2026-11.xlsx',
    writer: 'sheetjs-xlsx',
    what: '湖北省林业综合管理平台 双公示 (.xlsx by SheetJS, a sheet per category)',
    sheets: [
      { name: '行政许可', header: ['申请单位', '统一社会信用代码', '法定代表人', '许可证号', '采伐地点', '许可内容', '发证日期', '有效期限'], rows: permitRows, profile: 'ly-xk' },
      { name: '行政处罚', header: ['当事人', '统一社会信用代码', '法定代表人', '处罚决定书文号', '违法事实', '处罚依据', '处罚种类', '处罚内容', '罚款金额', '决定日期'], rows: caseRows, profile: 'ly-cf' },
      { name: '说明', header: ['填报说明'], rows: [unread({ 填报说明: '许可与处罚分表填报，日期格式为 年.月.日' })] },
    ],
    profiles: [
      {
        name: 'ly-xk', title: '林业双公示 行政许可', origin: 'system', system: '湖北省林业综合管理平台',
        match: { name: ['双公示数据_*.xlsx'], headers: ['申请单位', '许可证号', '采伐地点'] },
        category: 'P45-001', key: ['许可证号', '统一社会信用代码'],
        subject: { kind: 'legal', name: '申请单位', code: '统一社会信用代码' },
        fields: {
          XK_XDR_MC: '申请单位', XK_XDR_LB: { const: '法人及非法人组织' }, XK_XDR_SHXYM: '统一社会信用代码', XK_FRDB: '法定代表人', XK_XKWS: { const: '林木采伐许可证' },
          XK_WSH: '许可证号', XK_XKLB: { const: '普通' }, XK_XKZS: { const: '林木采伐许可证' }, XK_XKBH: '许可证号', XK_NR: '许可内容',
          XK_JDRQ: { column: '发证日期', date: 'YYYY.MM.DD' }, XK_YXQZ: { column: '发证日期', date: 'YYYY.MM.DD' }, XK_YXQZI: { column: '有效期限', date: 'YYYY.MM.DD' },
          XK_XKJG: { const: lyj.name }, XK_XKJGDM: { const: lyj.code }, XK_ZT: { const: '1' }, XK_LYDW: { const: lyj.name }, XK_LYDWDM: { const: lyj.code },
        },
      },
      {
        name: 'ly-cf', title: '林业双公示 行政处罚', origin: 'system', system: '湖北省林业综合管理平台',
        match: { name: ['双公示数据_*.xlsx'], headers: ['当事人', '处罚决定书文号', '决定日期'] },
        category: 'P45-002', key: ['处罚决定书文号', '统一社会信用代码'],
        subject: { kind: 'legal', name: '当事人', code: '统一社会信用代码' },
        fields: {
          CF_XDR_MC: '当事人', CF_XDR_LB: { const: '法人及非法人组织' }, CF_XDR_SHXYM: '统一社会信用代码', CF_FRDB: '法定代表人', CF_WSH: '处罚决定书文号',
          CF_WFXW: '违法事实', CF_SY: '违法事实', CF_YJ: '处罚依据', CF_CFLB: '处罚种类', CF_NR: '处罚内容', CF_NR_FK: '罚款金额',
          CF_JDRQ: { column: '决定日期', date: 'any' }, CF_YXQ: { const: '2099-12-31' },
          CF_CFJG: { const: lyj.name }, CF_CFJGDM: { const: lyj.code }, CF_SJLY: { const: lyj.name }, CF_SJLYDM: { const: lyj.code },
        },
      },
    ],
  };
}

/** 湖北省特种设备安全监察信息系统 xk_export: hidden columns, dates as 2017.6.2, stray and ideographic spaces, a 合计 row. */
export function specialEquipment(m: Month): ExportSpec {
  const { scjg } = AUTHORITIES;
  const licence = (n: number, name: string, code: string, no: string, item: string, iso: string, until: string) => ({
    流水号: `TSSB2026${String(n).padStart(6, '0')}`, 单位名称: name, 统一社会信用代码: code, 法定代表人: ' 郑国平', 许可证编号: no, 许可项目: item, 许可级别: 'A级',
    发证日期: dotDate(iso), 有效期至: dotDate(until), 办理人: '黄石市场监管局特设科', 状态: '有效',
  });
  const ok = (cells: ReturnType<typeof licence>, name: string, iso: string, until: string) =>
    good(cells, [cells.许可证编号], { XK_WSH: cells.许可证编号, XK_JDRQ: iso, XK_YXQZI: until, XK_NR: `${cells.许可项目}；${cells.许可级别}`, XK_FRDB: '郑国平', XK_XDR_MC: name }, { kind: 'legal', name, code: cells.统一社会信用代码 });
  const rows: DataRow[] = [
    // Names pasted from a Word document: a leading space, a trailing ideographic space.
    ok(licence(1, ' 黄石市华达锅炉安装有限公司　', creditCode(701), 'TS3842002-2030', '锅炉安装改造修理', '2026-10-10', '2030-10-09'), '黄石市华达锅炉安装有限公司', '2026-10-10', '2030-10-09'),
    ok(licence(2, '黄石市安顺电梯工程有限公司', creditCode(702), 'TS3342011-2030', '电梯安装改造修理', '2026-10-17', '2030-10-16'), '黄石市安顺电梯工程有限公司', '2026-10-17', '2030-10-16'),
    bad(licence(3, '黄石市宏昌起重机械有限公司', wrongCreditCode(703), 'TS3442007-2030', '起重机械安装改造修理', '2026-10-24', '2030-10-23'), '统一社会信用代码', 'CREDIT_CODE_CHECK'),
    ok(licence(4, '黄石市鑫源压力容器有限公司 ', creditCode(704), 'TS3242031-2030', '压力容器改造修理', '2026-10-30', '2030-10-29'), '黄石市鑫源压力容器有限公司', '2026-10-30', '2030-10-29'),
  ];
  const month = nextMonth(rows, m, {
    2: () => ok(licence(3, '黄石市宏昌起重机械有限公司', creditCode(703), 'TS3442007-2030', '起重机械安装改造修理', '2026-10-24', '2030-10-23'), '黄石市宏昌起重机械有限公司', '2026-10-24', '2030-10-23'),
  });
  return {
    file: m === 0 ? 'xk_export(1).xlsx' : 'xk_export(2).xlsx',
    writer: 'exceljs-xlsx',
    what: '湖北省特种设备安全监察信息系统 xk_export (.xlsx by exceljs)',
    sheets: [{
      name: 'sheet1',
      header: ['流水号', '单位名称', '统一社会信用代码', '法定代表人', '许可证编号', '许可项目', '许可级别', '发证日期', '有效期至', '办理人', '状态'],
      hiddenColumns: ['流水号', '办理人'],
      rows: month,
      below: [[null, '合计', null, null, null, `共 ${month.length} 条`]],
      profile: 'tzsb-xk',
    }],
    profiles: [{
      name: 'tzsb-xk', title: '特种设备安装改造修理许可', origin: 'system', system: '湖北省特种设备安全监察信息系统',
      match: { name: ['xk_export*.xlsx'], headers: ['单位名称', '许可证编号', '许可项目'] },
      category: 'P02-010', key: ['许可证编号'],
      subject: { kind: 'legal', name: '单位名称', code: '统一社会信用代码' },
      fields: {
        XK_XDR_MC: '单位名称', XK_XDR_LB: { const: '法人及非法人组织' }, XK_XDR_SHXYM: '统一社会信用代码', XK_FRDB: '法定代表人', XK_XKWS: { const: '特种设备生产许可决定书' },
        XK_WSH: '许可证编号', XK_XKLB: { const: '普通' }, XK_XKZS: { const: '特种设备生产许可证' }, XK_XKBH: '许可证编号',
        XK_NR: { concat: { columns: ['许可项目', '许可级别'], separator: '；' } },
        XK_JDRQ: { column: '发证日期', date: 'YYYY.MM.DD' }, XK_YXQZ: { column: '发证日期', date: 'YYYY.MM.DD' }, XK_YXQZI: { column: '有效期至', date: 'YYYY.MM.DD' },
        XK_XKJG: { const: scjg.name }, XK_XKJGDM: { const: scjg.code }, XK_ZT: { column: '状态', codes: 'zt' }, XK_LYDW: { const: scjg.name }, XK_LYDWDM: { const: scjg.code },
      },
    }],
  };
}
