/** In-memory sheets as the workbook reader hands them over, for the pure tests of profile suggest. */
import type { Value } from '../../../../connectors/contract.js';
import type { CellRange, GridRow } from '../../../../connectors/files/workbook.js';
import type { Sample, SampleSheet } from '../../../../gateway/profiles/suggest/sample.js';

/** Rows numbered from 1 as a spreadsheet shows them; an empty array is a blank row (left out, as the reader does). */
export function sheet(name: string, rows: Value[][], options: { merges?: CellRange[]; hiddenColumns?: number[]; hidden?: boolean; index?: number } = {}): SampleSheet {
  const grid: GridRow[] = [];
  rows.forEach((cells, i) => {
    if (cells.every((c) => c === null || c === '')) return;
    grid.push({ rowNumber: i + 1, cells, problems: [], hidden: false });
  });
  return {
    info: { name, index: options.index ?? 0, hidden: options.hidden ?? false },
    hiddenColumns: new Set(options.hiddenColumns ?? []),
    merges: options.merges ?? [],
    rows: grid,
  };
}

export function sample(fileName: string, ...sheets: SampleSheet[]): Sample {
  return { fileName, format: fileName.endsWith('.csv') ? 'csv' : fileName.endsWith('.xls') ? 'xls' : 'xlsx', sheets };
}

/** 全国教师资格信息系统-style export: two title rows, a header, three people, a 合计 and a 注 row. */
export const teachers = () => sample('教师资格证书导出_20170602.csv', sheet('', [
  ['全国教师资格信息系统 资格证书信息导出'],
  ['导出时间：2017-06-05 10:12'],
  ['序号', '姓名', '身份证件号码', '资格名称', '资格证书编号', '取得日期', '发证机关', '备注'],
  ['1', '张三', '420202199002154568', '高级中学教师资格', '20174200000001', '2017年6月2日', '黄石市教育局', ''],
  ['2', '李四', '420202199001011231', '初级中学教师资格', '20174200000002', '2017年6月3日', '黄石市教育局', ''],
  ['3', '王五', '11010519491231002X', '小学教师资格', '20174200000003', '2017年6月4日', '黄石市教育局', ''],
  ['合计', '3 人'],
  ['注：本表由系统导出'],
]));
