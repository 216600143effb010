/**
 * Excel 97-2003 exports: what 全国教师资格信息系统, the provincial labour
 * inspection and drug supervision platforms and 金税三期 hand a clerk.
 */
import { AUTHORITIES, creditCode, fullWidth, idNumber, numericIdNumber, orgCodeOf, wrongCreditCode } from './ids.js';
import { bad, day, edit, good, goodWith, nextMonth, zhDate, type Month } from './kit.js';
import type { DataRow, ExportSpec } from './spec.js';

const KIND_VALUES = { 法人及非法人组织: 'legal', 个体工商户: 'individual_business', 自然人: 'natural' };

/** 全国教师资格信息系统: title rows, 合计 and 注 below, dates as 2017年6月2日, an ID typed as a number, full-width IDs. */
export function teacherCertificates(m: Month): ExportSpec {
  const { jyj } = AUTHORITIES;
  const person = (n: number, name: string, sex: string, id: string | number, kind: string, subject: string, cert: string, date: string) => ({
    序号: n, 姓名: name, 性别: sex, 身份证件类型: '居民身份证', 身份证件号码: id, 资格种类: kind, 任教学科: subject, 证书号码: cert, 认定日期: date, 认定机构: jyj.name,
  });
  const ok = (cells: ReturnType<typeof person>, id: string, name: string, iso: string) =>
    good(cells, [cells.证书号码], { ZG_ZSBH: cells.证书号码, ZG_RQ: iso, ZG_MC: cells.资格种类, ZG_ZY: cells.任教学科, ZG_ZJLX: '身份证', ZG_JGDM: jyj.code }, { kind: 'natural', name, code: id });
  const ids = [idNumber('19900512', 11), idNumber('19881103', 25), numericIdNumber('19920817', 31), idNumber('19870221', 42), idNumber('19950630', 57), idNumber('19930915', 68), idNumber('19960101', 71)];
  const wang = person(3, '王芳', '女', Number(ids[2]), '初级中学教师资格', '英语', '20174202042000125', zhDate('2017-06-02'));
  const rows: DataRow[] = [
    ok(person(1, '张晓梅', '女', ids[0]!, '高级中学教师资格', '语文', '20174202041000123', zhDate('2017-06-02')), ids[0]!, '张晓梅', '2017-06-02'),
    // Typed in full-width mode: digits and the X of the ID number.
    ok(person(2, '李建国', '男', fullWidth(ids[1]!), '初级中学教师资格', '数学', '20174202042000124', zhDate('2017-06-02')), ids[1]!, '李建国', '2017-06-02'),
    // The system wrote the ID number as a number: its last digits are gone.
    bad(wang, '身份证件号码', 'FILE_NUMBER_PRECISION'),
    bad(person(4, '陈志强', '男', ids[3]!, '小学教师资格', '体育', '20184202043000016', '2018年13月5日'), '认定日期', 'DATE_INVALID'),
    ok(person(5, ' 刘洋 ', '男', ids[4]!, '小学教师资格', '科学', '20184202043000017', zhDate('2018-01-09')), ids[4]!, '刘洋', '2018-01-09'),
    ok(person(6, '赵丽娟', '女', ids[5]!, '幼儿园教师资格', '学前教育', '20184202051000018', zhDate('2018-12-20')), ids[5]!, '赵丽娟', '2018-12-20'),
  ];
  const month = nextMonth(rows, m, {
    0: (row) => edit({ 任教学科: '语文（书法）' }, goodWith(row, { ZG_ZY: '语文（书法）' }))(row),
    2: () => ok({ ...wang, 身份证件号码: ids[2]! }, ids[2]!, '王芳', '2017-06-02'),
  }, [ok(person(7, '孙悦', '女', ids[6]!, '高级中学教师资格', '化学', '20264202041000301', zhDate('2026-11-20')), ids[6]!, '孙悦', '2026-11-20')]);
  return {
    file: m === 0 ? '教师资格认定导出_20261101.xls' : '教师资格认定导出_20261201.xls',
    writer: 'xlwt-xls',
    what: '全国教师资格信息系统 认定导出 (.xls by xlwt)',
    sheets: [{
      name: '教师资格认定信息',
      above: [['黄石市教师资格认定信息一览表'], ['导出时间：2026-11-01 09:12:33', null, null, null, null, null, null, null, '导出人：hsjyj_admin']],
      header: ['序号', '姓名', '性别', '身份证件类型', '身份证件号码', '资格种类', '任教学科', '证书号码', '认定日期', '认定机构'],
      rows: month,
      below: [['合计', null, null, null, null, null, null, null, `${month.length} 人`], ['注：本表由全国教师资格信息系统导出，仅供工作使用']],
      profile: 'jszg-rd',
    }],
    profiles: [{
      name: 'jszg-rd',
      title: '全国教师资格信息系统 认定导出',
      origin: 'system',
      system: '全国教师资格信息系统',
      match: { name: ['教师资格认定导出*.xls'], headers: ['证书号码', '姓名', '身份证件号码'] },
      category: 'P13-013',
      key: ['证书号码'],
      subject: { kind: 'natural', name: '姓名', code: '身份证件号码' },
      fields: {
        ZG_ZTMC: '姓名',
        ZG_ZTLB: { const: '自然人' },
        ZG_ZJLX: { column: '身份证件类型', codes: 'zjlx' },
        ZG_ZJHM: { column: '身份证件号码', halfWidth: true },
        ZG_MC: '资格种类',
        ZG_ZY: '任教学科',
        ZG_ZSBH: '证书号码',
        ZG_RQ: { column: '认定日期', date: 'any' },
        ZG_JG: '认定机构',
        ZG_JGDM: { const: jyj.code },
        ZG_ZT: { const: '1' },
        ZG_SJLY: { const: jyj.name },
        ZG_SJLYDM: { const: jyj.code },
      },
    }],
  };
}

/**
 * 湖北省劳动保障监察信息系统: a two-row header (行政相对人代码 over its
 * sub-columns), a hidden column, a hidden sheet of old cases, dates as
 * serials, the 工商注册号 typed as a number (15 digits: exact).
 */
export function labourPenalties(m: Month): ExportSpec {
  const { rsj } = AUTHORITIES;
  const CODE = '行政相对人代码/统一社会信用代码';
  const kase = (n: number, name: string, kind: string, code: string | null, regNo: number | null, wsh: string, type: string, fine: string, iso: string) => ({
    序号: n, 行政相对人名称: name, 行政相对人类别: kind, [CODE]: code, '行政相对人代码/组织机构代码': code ? orgCodeOf(code) : null, '行政相对人代码/工商注册号': regNo,
    法定代表人: '张伟', 行政处罚决定书文号: wsh, 违法行为类型: type, 违法事实: `经查，该单位${type}`, 处罚依据: '《劳动保障监察条例》第二十六条',
    处罚类别: '罚款', 处罚内容: `罚款人民币${fine}万元`, '罚款金额（万元）': fine, 处罚决定日期: day(iso), 处罚有效期: day('2027-12-31'), 案件编号: `LB${wsh.slice(-5, -1)}`,
  });
  const ok = (cells: ReturnType<typeof kase>, kind: string, iso: string) =>
    good(cells, [cells.行政处罚决定书文号, cells[CODE]!], { CF_WSH: cells.行政处罚决定书文号, CF_JDRQ: iso, CF_CFLB: '罚款', CF_NR_FK: Number(cells['罚款金额（万元）']), CF_CFJG: rsj.name, CF_XDR_GSZC: cells['行政相对人代码/工商注册号'] === null ? null : String(cells['行政相对人代码/工商注册号']) },
      { kind, name: cells.行政相对人名称, code: cells[CODE]! });
  const rows: DataRow[] = [
    ok(kase(1, '黄石市华新建筑劳务有限公司', '法人及非法人组织', creditCode(101), 420200000123456, '黄人社监罚〔2026〕31号', '未按规定支付劳动报酬', '2', '2026-10-09'), 'legal', '2026-10-09'),
    ok(kase(2, '黄石港区鑫源餐饮店', '个体工商户', creditCode(102, '92'), 420202600012345, '黄人社监罚〔2026〕32号', '未依法签订劳动合同', '0.5', '2026-10-15'), 'individual_business', '2026-10-15'),
    bad(kase(3, '黄石市大冶湖物流有限公司', '法人及非法人组织', wrongCreditCode(103), null, '黄人社监罚〔2026〕33号', '违反工作时间规定', '1', '2026-10-20'), CODE, 'CREDIT_CODE_CHECK'),
    bad({ ...kase(4, '黄石市铁山矿业有限公司', '法人及非法人组织', creditCode(104), null, '黄人社监罚〔2026〕34号', '未按规定参加社会保险', '3', '2026-10-22'), 违法事实: null }, '违法事实', 'FIELD_REQUIRED'),
    ok(kase(5, '黄石市西塞山机械厂', '法人及非法人组织', creditCode(105), null, '黄人社监罚〔2026〕35号', '使用童工', '5', '2026-10-28'), 'legal', '2026-10-28'),
  ];
  const month = nextMonth(rows, m, {
    4: (row) => edit({ '罚款金额（万元）': '6', 处罚内容: '罚款人民币6万元' }, goodWith(row, { CF_NR_FK: 6 }))(row),
  }, [ok(kase(6, '黄石市下陆区永安保安服务有限公司', '法人及非法人组织', creditCode(106), null, '黄人社监罚〔2026〕41号', '未按规定支付加班费', '1.5', '2026-11-12'), 'legal', '2026-11-12')]);
  return {
    file: m === 0 ? '行政处罚案件导出_202610.xls' : '行政处罚案件导出_202611.xls',
    writer: 'xlwt-xls',
    what: '湖北省劳动保障监察信息系统 处罚案件 (.xls by xlwt, two-row header, hidden sheet and column)',
    sheets: [
      {
        name: '处罚案件',
        header: ['序号', '行政相对人名称', '行政相对人类别', { group: '行政相对人代码', columns: ['统一社会信用代码', '组织机构代码', '工商注册号'] }, '法定代表人', '行政处罚决定书文号',
          '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚有效期', '案件编号'],
        hiddenColumns: ['案件编号'],
        rows: month,
        below: [['注：处罚决定日期以决定书落款日期为准']],
        profile: 'ldbz-cf',
      },
      {
        // Cases of past years the system keeps in a hidden sheet: never read.
        name: '历史案件',
        hidden: true,
        header: ['序号', '行政相对人名称', '行政相对人类别', { group: '行政相对人代码', columns: ['统一社会信用代码', '组织机构代码', '工商注册号'] }, '法定代表人', '行政处罚决定书文号',
          '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚有效期', '案件编号'],
        rows: [{ cells: kase(1, '黄石市旧案有限公司', '法人及非法人组织', creditCode(199), null, '黄人社监罚〔2019〕7号', '未按规定支付劳动报酬', '1', '2019-05-06'), expect: { unread: true } }],
      },
    ],
    profiles: [{
      name: 'ldbz-cf',
      title: '湖北省劳动保障监察信息系统 处罚案件',
      origin: 'system',
      system: '湖北省劳动保障监察信息系统',
      match: { name: ['行政处罚案件导出_*.xls'], headers: ['行政处罚决定书文号', '行政相对人名称', '违法行为类型'] },
      header: { rows: 2 },
      category: 'P07-002',
      key: ['行政处罚决定书文号', CODE],
      subject: { kind: { column: '行政相对人类别', values: KIND_VALUES }, name: '行政相对人名称', code: CODE },
      fields: {
        CF_XDR_MC: '行政相对人名称',
        CF_XDR_LB: '行政相对人类别',
        CF_XDR_SHXYM: CODE,
        CF_XDR_ZZJG: '行政相对人代码/组织机构代码',
        CF_XDR_GSZC: '行政相对人代码/工商注册号',
        CF_FRDB: '法定代表人',
        CF_WSH: '行政处罚决定书文号',
        CF_WFXW: '违法行为类型',
        CF_SY: '违法事实',
        CF_YJ: '处罚依据',
        CF_CFLB: '处罚类别',
        CF_NR: '处罚内容',
        CF_NR_FK: '罚款金额（万元）',
        CF_JDRQ: { column: '处罚决定日期', date: 'any' },
        CF_YXQ: { column: '处罚有效期', date: 'any' },
        CF_CFJG: { const: rsj.name },
        CF_CFJGDM: { const: rsj.code },
        CF_SJLY: { const: rsj.name },
        CF_SJLYDM: { const: rsj.code },
      },
    }],
  };
}
