/** 金税三期 exports: the 纳税信用 results as WPS saved them after a clerk's edit, and the penalty list by xlwt. */
import { AUTHORITIES, creditCode, wrongCreditCode } from './ids.js';
import { bad, day, edit, good, goodWith, nextMonth, type Month } from './kit.js';
import type { DataRow, ExportSpec } from './spec.js';

const ZH_DAY = 'yyyy"年"m"月"d"日"';

/** 纳税信用评价结果, opened and saved in WPS 表格: CJK built-in date formats, the year as a number. */
export function taxCredit(m: Month): ExportSpec {
  const { swj } = AUTHORITIES;
  const taxpayer = (n: number, code: string, name: string, level: string, iso: string, fmt = ZH_DAY) => ({
    序号: n, 纳税人识别号: code, 纳税人名称: name, 法定代表人: '吴海涛', 评价年度: 2025, 信用级别: level, 评价日期: day(iso, fmt), 主管税务机关: '国家税务总局黄石市黄石港区税务局',
  });
  const ok = (cells: ReturnType<typeof taxpayer>, level: string, iso: string) =>
    good(cells, [cells.纳税人识别号, '2025'], { NS_PJND: 2025, NS_XYJB: level, NS_PDRQ: iso, NS_PJJG: '国家税务总局黄石市黄石港区税务局' },
      { kind: 'legal', name: cells.纳税人名称, code: cells.纳税人识别号 });
  const rows: DataRow[] = [
    ok(taxpayer(1, creditCode(401), '黄石东贝电器股份有限公司', 'A', '2026-04-28'), 'A', '2026-04-28'),
    ok(taxpayer(2, creditCode(402), '黄石市金港物流有限公司', 'B', '2026-04-28', 'yyyy/m/d'), 'B', '2026-04-28'),
    bad(taxpayer(3, creditCode(403), '黄石市长江建材有限公司', 'E', '2026-04-28'), '信用级别', 'CODE_NOT_IN_TABLE'),
    ok(taxpayer(4, creditCode(404), '黄石市新港园区开发有限公司', 'M', '2026-04-28'), 'M', '2026-04-28'),
    ok(taxpayer(5, creditCode(405), '黄石市中发建设工程有限公司', 'A级', '2026-04-28', 'yyyy/m/d'), 'A', '2026-04-28'),
  ];
  const month = nextMonth(rows, m, {
    // 复评: the level changed after the taxpayer's appeal.
    1: (row) => edit({ 信用级别: 'A', 评价日期: day('2026-11-16') }, goodWith(row, { NS_XYJB: 'A', NS_PDRQ: '2026-11-16' }))(row),
    2: (row) => ok({ ...(row.cells as ReturnType<typeof taxpayer>), 信用级别: 'C' }, 'C', '2026-04-28'),
  });
  return {
    file: m === 0 ? '纳税信用评价结果_2025年度.xlsx' : '纳税信用评价结果_2025年度(复评后).xlsx',
    writer: 'wps-xlsx',
    what: '金税三期 纳税信用评价结果 (.xlsx saved by WPS 表格)',
    sheets: [{
      name: '评价结果',
      above: [['2025年度纳税信用评价结果']],
      header: ['序号', '纳税人识别号', '纳税人名称', '法定代表人', '评价年度', '信用级别', '评价日期', '主管税务机关'],
      rows: month,
      profile: 'js3-nsxy',
    }],
    profiles: [{
      name: 'js3-nsxy',
      title: '金税三期 纳税信用评价结果',
      origin: 'system',
      system: '金税三期税收管理系统',
      match: { name: ['纳税信用评价结果*.xlsx'], headers: ['纳税人识别号', '信用级别', '评价年度'] },
      category: 'P36-007',
      key: ['纳税人识别号', '评价年度'],
      subject: { kind: 'legal', name: '纳税人名称', code: '纳税人识别号' },
      fields: {
        NS_ZTMC: '纳税人名称', NS_ZTLB: { const: '法人及非法人组织' }, NS_TYSHXYDM: '纳税人识别号', NS_FDDBR: '法定代表人',
        NS_PJND: '评价年度', NS_XYJB: { column: '信用级别', codes: 'nsxy-jb' }, NS_PDRQ: { column: '评价日期', date: 'any' },
        NS_PJJG: '主管税务机关', NS_PJJGDM: { const: swj.code }, NS_SJLY: { const: swj.name }, NS_SJLYDM: { const: swj.code },
      },
    }],
  };
}

/** 金税三期 税务行政处罚: dates as serials in a CJK format, hidden columns the system keeps for itself. */
export function taxPenalties(m: Month): ExportSpec {
  const { swj } = AUTHORITIES;
  const CODE = '纳税人识别号';
  const kase = (n: number, code: string, name: string, wsh: string, fact: string, fine: string, iso: string) => ({
    序号: n, [CODE]: code, 纳税人名称: name, 法定代表人姓名: '徐国庆', 税务行政处罚决定书文号: wsh, 违法事实: fact, 处罚依据: '《中华人民共和国税收征收管理法》第六十二条',
    处罚种类: '罚款', 处罚结果: `处以罚款${fine}万元`, '罚款金额（万元）': fine, 处罚决定日期: day(iso, ZH_DAY), 税务机关: swj.name, 登记序号: `10014202000${n}`, 录入人员: '黄石港区局管理员',
  });
  const ok = (cells: ReturnType<typeof kase>, iso: string) =>
    good(cells, [cells.税务行政处罚决定书文号, cells[CODE]!], { CF_WSH: cells.税务行政处罚决定书文号, CF_JDRQ: iso, CF_SY: cells.违法事实, CF_CFLB: '罚款', CF_CFJGDM: swj.code },
      { kind: 'legal', name: cells.纳税人名称, code: cells[CODE]! });
  const rows: DataRow[] = [
    ok(kase(1, creditCode(501), '黄石市恒达贸易有限公司', '黄税罚〔2026〕101号', '未按照规定期限办理纳税申报', '0.2', '2026-09-11'), '2026-09-11'),
    bad(kase(2, wrongCreditCode(502), '黄石市顺丰建材有限公司', '黄税罚〔2026〕102号', '未按照规定设置、保管账簿', '0.5', '2026-09-19'), CODE, 'CREDIT_CODE_CHECK'),
    // Dated after the day it is read: 2036 typed for 2026.
    bad(kase(3, creditCode(503), '黄石市宏图广告有限公司', '黄税罚〔2026〕103号', '未按照规定开具发票', '0.1', '2036-01-05'), '处罚决定日期', 'DATE_IN_FUTURE'),
    ok(kase(4, creditCode(504), '黄石市楚风装饰工程有限公司', '黄税罚〔2026〕104号', '虚开增值税普通发票', '5', '2026-10-26'), '2026-10-26'),
  ];
  const month = nextMonth(rows, m, {
    2: (row) => ok({ ...(row.cells as ReturnType<typeof kase>), 处罚决定日期: day('2026-01-05', ZH_DAY) }, '2026-01-05'),
  }, [ok(kase(5, creditCode(505), '黄石市开元物业服务有限公司', '黄税罚〔2026〕131号', '未按照规定期限办理纳税申报', '0.1', '2026-11-18'), '2026-11-18')]);
  return {
    file: m === 0 ? 'SB_XZCF_2026Q3.xls' : 'SB_XZCF_2026Q4.xls',
    writer: 'xlwt-xls',
    what: '金税三期 税务行政处罚 (.xls by xlwt, CJK date format, hidden columns)',
    sheets: [{
      name: '税务行政处罚',
      header: ['序号', CODE, '纳税人名称', '法定代表人姓名', '税务行政处罚决定书文号', '违法事实', '处罚依据', '处罚种类', '处罚结果', '罚款金额（万元）', '处罚决定日期', '税务机关', '登记序号', '录入人员'],
      hiddenColumns: ['登记序号', '录入人员'],
      rows: month,
      profile: 'js3-xzcf',
    }],
    profiles: [{
      name: 'js3-xzcf',
      title: '金税三期 税务行政处罚',
      origin: 'system',
      system: '金税三期税收管理系统',
      match: { name: ['SB_XZCF_*.xls'], headers: ['税务行政处罚决定书文号', '纳税人识别号'] },
      category: 'P36-008',
      key: ['税务行政处罚决定书文号', CODE],
      subject: { kind: 'legal', name: '纳税人名称', code: CODE },
      fields: {
        CF_XDR_MC: '纳税人名称', CF_XDR_LB: { const: '法人及非法人组织' }, CF_XDR_SHXYM: CODE, CF_FRDB: '法定代表人姓名', CF_WSH: '税务行政处罚决定书文号',
        CF_WFXW: '违法事实', CF_SY: '违法事实', CF_YJ: '处罚依据', CF_CFLB: '处罚种类', CF_NR: '处罚结果', CF_NR_FK: '罚款金额（万元）',
        CF_JDRQ: { column: '处罚决定日期', date: 'any' }, CF_YXQ: { const: '2099-12-31' },
        CF_CFJG: '税务机关', CF_CFJGDM: { const: swj.code }, CF_SJLY: { const: swj.name }, CF_SJLYDM: { const: swj.code },
      },
    }],
  };
}
