import t from 'tap';
import { fieldByCode, fieldByHeader, headerKey, lookupHeader, loadStandards } from '../../../gateway/standards/index.js';

const standards = loadStandards();
const xzcf = standards.byInfoType('行政处罚');
const xzxk = standards.byInfoType('行政许可');

t.test('a file header finds its field by code, Chinese name or alias', async (t) => {
  t.equal(fieldByHeader(xzcf, 'CF_WSH')?.code, 'CF_WSH');
  t.equal(fieldByHeader(xzcf, '行政处罚决定书文号')?.code, 'CF_WSH');
  t.equal(fieldByHeader(xzcf, '罚款金额（万元）')?.code, 'CF_NR_FK');
  t.equal(fieldByHeader(xzcf, '统一社会信用代码')?.code, 'CF_XDR_SHXYM');
  t.match(lookupHeader(xzcf, '行政处罚决定书文号'), { kind: 'field', via: 'name' });
  t.match(lookupHeader(xzcf, 'CF_WSH'), { kind: 'field', via: 'code' });
});

t.test('headers match whatever their widths, spaces, case or required marks', async (t) => {
  t.equal(fieldByHeader(xzcf, '罚款金额(万元)')?.code, 'CF_NR_FK');
  t.equal(fieldByHeader(xzcf, ' 处罚 决定日期 ')?.code, 'CF_JDRQ');
  t.equal(fieldByHeader(xzcf, 'cf_wsh')?.code, 'CF_WSH');
  t.equal(fieldByHeader(xzcf, 'ＣＦ＿ＷＳＨ')?.code, 'CF_WSH');
  t.equal(fieldByHeader(xzcf, '*处罚决定日期')?.code, 'CF_JDRQ');
  t.equal(fieldByHeader(xzcf, '处罚决定日期（必填）')?.code, 'CF_JDRQ');
  t.equal(fieldByHeader(xzcf, '行政相对人代码_1(统一社会信用代码)')?.code, 'CF_XDR_SHXYM');
  t.equal(headerKey('罚款金额（万元）'), headerKey('罚款金额(万元)'));
});

t.test('the older 双公示 templates\' codes and headers land on the new fields', async (t) => {
  const pairs: [string, string][] = [
    ['XK_XDR', 'XK_XDR_MC'], ['XK_XDR_ZDM', 'XK_XDR_ZZJG'], ['XK_XDR_GSDJ', 'XK_XDR_GSZC'], ['XK_XDR_SFZ', 'XK_XDR_ZJHM'],
    ['XK_FR', 'XK_FRDB'], ['XK_XMMC', 'XK_XKWS'], ['XK_SPLB', 'XK_XKLB'], ['XK_JZQ', 'XK_YXQZI'], ['XK_XZJG', 'XK_XKJG'],
    ['审批类别', 'XK_XKLB'], ['许可截止期', 'XK_YXQZI'],
  ];
  for (const [old, current] of pairs) t.equal(fieldByHeader(xzxk, old)?.code, current, `${old} → ${current}`);
  const penalties: [string, string][] = [
    ['CF_CFMC', 'CF_WFXW'], ['CF_CFLB1', 'CF_CFLB'], ['CF_XDR_ZDM', 'CF_XDR_ZZJG'], ['CF_XDR_GSDJ', 'CF_XDR_GSZC'],
    ['CF_XDR_SFZ', 'CF_XDR_ZJHM'], ['CF_FR', 'CF_FRDB'], ['CF_JG', 'CF_NR'], ['CF_XZJG', 'CF_CFJG'], ['处罚事由', 'CF_SY'], ['处罚结果', 'CF_NR'],
  ];
  for (const [old, current] of penalties) t.equal(fieldByHeader(xzcf, old)?.code, current, `${old} → ${current}`);
});

t.test('old fields the new template dropped are recognised as retired, not as unknown', async (t) => {
  t.match(lookupHeader(xzcf, 'CF_CFLB2'), { kind: 'retired', retired: { code: 'CF_CFLB2' } });
  t.match(lookupHeader(xzcf, '地方编码'), { kind: 'retired', retired: { code: 'DFBM' } });
  t.equal(fieldByHeader(xzcf, 'CF_ZT'), undefined);
  t.same(lookupHeader(xzcf, '处罚金额'), { kind: 'unknown' });
});

t.test('fieldByCode takes current codes only', async (t) => {
  t.equal(fieldByCode(xzcf, 'CF_WSH')?.name, '行政处罚决定书文号');
  t.equal(fieldByCode(xzcf, 'CF_CFMC'), undefined);
});
