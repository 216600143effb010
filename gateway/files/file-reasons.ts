/**
 * The error report's reasons, in the Chinese a clerk reads: one wording per
 * code of the file connector (connectors/errors.ts, `FILE_*`) and per check
 * the drop folder makes itself (category, columns). Each says what is wrong
 * and, where it is not obvious, what to do. Values quoted from the file are
 * masked like cells (an identity number in a header or a number cell). Pure.
 */
import { maskQuoted } from '../identifiers/mask.js';

type Params = Readonly<Record<string, string | number>>;

/** Checks of the drop folder itself: they need the catalog or the data standard. */
export type DropCheckCode = 'FILE_CATEGORY_UNKNOWN' | 'FILE_COLUMN_UNKNOWN' | 'FILE_COLUMN_MISSING' | 'FILE_COLUMN_REPEATED' | 'FILE_COLUMN_RETIRED';

/** Checks of files read by a profile (gateway/profiles/). FILE_SHEET_SKIPPED and FILE_COLUMN_ABSENT are notices, not errors. */
export type ProfileCheckCode = 'FILE_PROFILE_NONE' | 'FILE_SHEET_SKIPPED' | 'FILE_HEADER_NOT_FOUND' | 'FILE_COLUMN_ABSENT';

const KINDS: Readonly<Record<string, string>> = {
  'symbolic link': '符号链接',
  'hard link': '硬链接',
  folder: '文件夹',
  'device, FIFO or socket': '设备、管道或套接字',
  'replaced while opening': '打开时被替换的文件',
};

const WORDING: Readonly<Record<string, (p: Params) => string>> = {
  // --- the file as a whole ---
  FILE_NAME_INVALID: () => '文件名不符合规则：应为“类别代码_任意说明.xlsx”（或 .xls、.csv、.ndjson），如 P07-002_2026-11.xlsx',
  FILE_FORMAT_UNSUPPORTED: () => '不支持此文件类型：请另存为 .xlsx 或 .xls，或另存为“CSV UTF-8”',
  FILE_CATEGORY_UNKNOWN: (p) => `文件名中的类别代码“${p.category}”不在信息目录中（可用 credit-gateway catalog 查询本部门的类别代码）`,
  FILE_NOT_REGULAR: (p) => `不是普通文件（${KINDS[String(p.kind)] ?? p.kind}），未读取：请把文件本身复制到交换目录，不要放链接`,
  FILE_OUTSIDE_FOLDER: () => '文件实际位于交换目录之外，未读取',
  FILE_TOO_LARGE: (p) => `文件大小 ${p.bytes} 字节，超过上限 ${p.limit} 字节，未读取：请拆分为多个文件`,
  FILE_EMPTY: () => '文件没有表头：第一行应为列名（模板中的中文字段名或字段代码）',
  FILE_ENCODING_INVALID: encoding,
  FILE_ZIP_BOMB: () => 'XLSX 文件解压后的数据量异常，疑似压缩炸弹，未读取：请用 Excel 打开后重新保存；数据确实很多时请改用 CSV',
  FILE_XLSX_INVALID: () => 'XLSX 文件已损坏或不是 Excel 工作簿：请用 Excel 或 WPS 打开后另存为 .xlsx',
  // --- .xls (issue 13, reader) ---
  FILE_XLS_INVALID: (p) =>
    p.problem === 'not an Excel 97-2003 file'
      ? '文件扩展名是 .xls，但内容不是 Excel 97-2003 工作簿（常见于系统导出的网页或文本文件）：请用 Excel 或 WPS 打开后另存为 .xlsx'
      : 'XLS 文件已损坏或不是 Excel 工作簿：请用 Excel 或 WPS 打开后另存为 .xlsx',
  FILE_XLS_ENCRYPTED: () => '工作簿设置了密码（已加密），无法读取：请用 Excel 或 WPS 打开，取消密码或工作簿保护后重新保存',
  FILE_XLS_TOO_COMPLEX: (p) =>
    p.problem === 'time'
      ? 'XLS 文件读取超时，未读取：请用 Excel 或 WPS 打开后另存为 .xlsx，或拆分为多个文件'
      : 'XLS 文件读取所需内存超过上限，未读取：请用 Excel 或 WPS 打开后另存为 .xlsx，或拆分为多个文件',
  // --- end .xls ---
  FILE_CSV_MALFORMED: () => 'CSV 格式错误（例如引号没有闭合），从此行起无法继续读取：请用 Excel 打开修改后重新保存',
  FILE_ROW_TOO_LARGE: (p) => `此行超过 ${p.limit} 字节的上限，未读取：通常是引号没有闭合`,
  FILE_HEADER_EMPTY: (p) => `表头第 ${p.columns} 列没有列名：请填写模板中的列名，或删除该列`,
  FILE_HEADER_DUPLICATE: (p) => `表头中的列名重复：${p.headers}`,
  FILE_TOO_MANY_COLUMNS: (p) => `表头有 ${p.columns} 列，超过上限 ${p.limit} 列：请使用模板`,
  FILE_COLUMN_UNKNOWN: (p) => `列“${p.header}”（第 ${p.column} 列）不是 ${p.category} 数据标准中的字段：请使用模板中的列名或字段代码，不需要的列请删除`,
  FILE_COLUMN_MISSING: (p) => `缺少必需的列“${p.field}”`,
  FILE_COLUMN_REPEATED: (p) => `列 ${p.headers} 都对应字段“${p.field}”，只能保留一列`,
  FILE_COLUMN_RETIRED: (p) => `（提示）列“${p.header}”是已停用的字段，其值不再报送：${p.note}`,
  FILE_CHANGED_WHILE_READING: () => '读取过程中文件发生了变化，稍后将重新读取',
  // --- files read by an export profile ---
  FILE_PROFILE_NONE: () =>
    '未找到匹配的导出方案，也不是以类别代码开头的模板文件名：如是业务系统的导出文件，请在配置中为它添加导出方案（profiles，可用 credit-gateway profile suggest 文件名 生成）；如是模板文件，请以类别代码开头命名，如 P07-002_2026-11.xlsx',
  FILE_COLUMN_ABSENT: (p) => `（提示）导出方案“${p.profile}”读取的列“${p.column}”在本工作表中没有，这一列对应的字段按空值发送；列名写错了请改正导出方案`,
  FILE_SHEET_SKIPPED: (p) => `（提示）工作表“${p.sheet}”${p.why === 'hidden' ? '是隐藏的工作表' : '没有导出方案所需的表头'}，未读取`,
  FILE_HEADER_NOT_FOUND: (p) => `前 30 行中没有找到导出方案“${p.profile}”的表头（应包含：${p.headers}）：请确认导出的是同一种报表，或修改导出方案的 match.headers / header.row`,
  // --- one row ---
  FILE_ROW_RAGGED: (p) =>
    p.unexpected !== undefined
      ? `此行有首行没有的键：${p.unexpected}`
      : `此行有 ${p.cells} 个单元格，表头有 ${p.expected} 列：常见原因是值中的逗号没有加引号`,
  FILE_CELL_TOO_LARGE: (p) => `${p.cell ? `单元格 ${p.cell} ` : '此值'}有 ${p.chars} 个字符，超过上限 ${p.limit}`,
  FILE_FORMULA_CELL: (p) => `单元格 ${p.cell} 是公式：网关不计算公式，也不采用其缓存结果，请复制后“粘贴为数值”`,
  FILE_CELL_ERROR: (p) => `单元格 ${p.cell} 不是可用的值（${p.error}）：请填写值本身`,
  FILE_JSON_INVALID: (p) => (p.problem === 'not-object' ? '此行不是 JSON 对象（应为 {…}）' : '此行不是合法的 JSON'),
  FILE_CELL_NOT_SCALAR: () => '值是对象或数组：应为文本、数字、true/false 或 null',
  FILE_NUMBER_PRECISION: (p) =>
    `${p.cell ? `单元格 ${p.cell} 的` : ''}数字 ${p.value} 超过 15 位有效数字，末位已丢失：请把该列设为文本格式后重新录入（身份证号、代码等都应为文本）`,
};

function encoding(p: Params): string {
  switch (p.reason) {
    case 'utf16': return '文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”';
    case 'bom-not-utf8': return `文件标明为 UTF-8，但第 ${p.line} 行有无效字节：文件可能已损坏`;
    case 'damaged-utf8': return `文件是 UTF-8 编码，但第 ${p.line} 行有无效字节：文件可能已损坏，或混入了其他编码的文字`;
    case 'neither': return `文件既不是有效的 UTF-8（第 ${p.line} 行起），也不是有效的 GB18030/GBK（第 ${p.gb18030Line} 行起）：请用模板另存为“CSV UTF-8”`;
    case 'changed': return '读取过程中文件内容发生变化，出现无效字节';
    default: return '文件编码无法识别：请另存为“CSV UTF-8”';
  }
}

/** The Chinese reason for a code and its facts; an unknown code is named as it is, never dropped. */
export function reasonText(code: string, params: Params = {}): string {
  const wording = WORDING[code];
  const masked = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, maskQuoted(String(v))]));
  return wording ? wording(masked) : `无法读取（${code}）`;
}

export function hasWording(code: string): boolean {
  return Object.hasOwn(WORDING, code);
}
