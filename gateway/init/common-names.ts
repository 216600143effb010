/**
 * Column names departments' systems commonly give the fields of the data
 * standards, besides the standard's own codes and Chinese names: pinyin
 * initials (`tyshxydm`), English (`credit_code`) and older Chinese wording.
 * Keyed by what a field is (its subject role, or its Chinese name, which
 * the standards share: 数据来源单位 is the same in every one), written as
 * columnKey() compares them (lower case, no `_`, `-` or spaces).
 */
import type { SubjectRole } from '../standards/types.js';

export const COMMON_BY_ROLE: Readonly<Record<SubjectRole, readonly string[]>> = {
  name: ['xdrmc', 'dsrmc', 'ztmc', 'qymc', 'dwmc', 'partyname', 'corpname', 'companyname', 'entname', 'enterprisename', 'subjectname', '当事人', '当事人名称', '企业名称', '单位名称', '相对人名称'],
  kind: ['xdrlb', 'ztlb', 'partytype', 'subjecttype', '相对人类别', '主体类型'],
  legalCode: ['tyshxydm', 'shxydm', 'tyxydm', 'xydm', 'creditcode', 'uscc', 'socialcreditcode', 'unifiedcreditcode', 'unifiedsocialcreditcode', '信用代码'],
  naturalCode: ['sfzh', 'sfzhm', 'zjhm', 'idcard', 'idno', 'idnumber', 'certno', 'certificateno', '身份证号码', '身份证号'],
};

export const COMMON_BY_NAME: Readonly<Record<string, readonly string[]>> = {
  法定代表人: ['fddbr', 'frdb', 'fr', 'legalperson', 'legalrep', 'legalrepresentative', '法人代表', '法人'],
  '法定代表人（负责人）': ['fddbr', 'frdb', 'fzr', 'legalperson', 'legalrep', 'legalrepresentative', '法人代表', '负责人'],
  证件类型: ['zjlx', 'idtype', 'certtype'],
  数据来源单位: ['sjly', 'sjlydw', 'datasource'],
  备注: ['bz', 'remark', 'remarks', 'memo', 'note'],
  有效期自: ['yxqq', 'validfrom', 'startdate'],
  有效期至: ['yxqz', 'validto', 'validuntil', 'expirydate', 'enddate'],
  行政处罚决定书文号: ['cfjdsh', 'jdswh', 'jdsh', 'wsh', 'decisionno', 'documentno', '决定书文号', '处罚决定书号'],
  违法行为类型: ['wfxw', 'violation', 'violationtype', '违法行为'],
  违法事实: ['wfss', 'facts', 'fact'],
  处罚依据: ['cfyj', 'basis', 'legalbasis'],
  处罚类别: ['cflb', 'punishtype', 'penaltytype'],
  处罚内容: ['cfnr', 'content', 'penaltycontent', 'punishcontent'],
  处罚决定日期: ['cfrq', 'jdrq', 'cfjdrq', 'punishdate', 'decisiondate', 'penaltydate', '处罚日期', '决定日期'],
  处罚有效期: ['cfyxq', 'publishuntil', 'validuntil'],
  处罚机关: ['cfjg', 'authority', 'punishorg', '执法机关'],
  处罚机关统一社会信用代码: ['cfjgdm', 'cfjgxydm', 'authoritycode', 'punishorgcode', '执法机关代码'],
  // 万元 in the name or the column: a column of 元 is not proposed, the amount would be off ten thousand times.
  '罚款金额（万元）': ['fkjewy', 'fkwy', 'finewan', 'finetenthousand'],
  行政许可决定文书号: ['xkjdsh', 'xkwsh', 'wsh', 'licenceno', 'licenseno', 'permitno', '许可文书号', '许可决定书号'],
  许可决定日期: ['xkrq', 'jdrq', 'xkjdrq', 'licencedate', 'licensedate', 'permitdate', '许可日期'],
  许可机关: ['xkjg', 'authority', 'licenceorg', 'licenseorg'],
  许可机关统一社会信用代码: ['xkjgdm', 'xkjgxydm', 'authoritycode', 'licenceorgcode', 'licenseorgcode'],
};

/** Columns a change time is usually kept in, best first: they make a job incremental. */
export const CHANGE_TIME_COLUMNS: readonly string[] = [
  'updatedat', 'updatetime', 'updatedtime', 'updateat', 'modifiedat', 'modifytime', 'modifiedtime', 'lastmodified', 'lastupdate', 'lastupdated',
  'gxsj', 'xgsj', 'zhgxsj', 'sjc', 'rowversion', '更新时间', '修改时间', '最后更新时间', '时间戳',
];

/** Names a row's own id usually has, when the table declares no primary key. */
export const ID_COLUMNS: readonly string[] = ['id', 'rowid', 'uuid', 'guid', 'xh', 'bh', 'pkid', '编号', '序号'];
