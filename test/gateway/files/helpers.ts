import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { parse } from 'csv-parse/sync';
import { dropFolders, type DropFolders } from '../../../connectors/files/folder-watcher.js';
import { categoryFromMapping, type FileCategory } from '../../../gateway/files/file-category.js';
import { DropFolderJob, type DropFolderJobOptions, type FileStore } from '../../../gateway/files/drop-folder-job.js';
import { Store } from '../../../gateway/store/store.js';
import { besideTest } from '../../helpers/beside.js';

export const GATEWAY = 'hs-rsj';
export const fixture = (name: string) => besideTest(import.meta.url, `../../fixtures/files/${name}`);

const NAMES: Record<string, string> = {
  CF_WSH: '行政处罚决定书文号',
  CF_XDR_MC: '相对人名称',
  CF_XDR_SHXYM: '统一社会信用代码',
  CF_CFLB: '处罚类别',
  CF_JDRQ: '处罚决定日期',
  CF_NR_FK: '罚款金额（万元）',
  CF_CFJG: '处罚机关',
};

/**
 * 行政处罚 with the seven columns of the fixture files: headers by Chinese
 * name or code; 地方编码 is a retired field. Key: document number + party code.
 */
export function penaltyCategory(): FileCategory {
  const byHeader = new Map<string, string>();
  for (const [code, name] of Object.entries(NAMES)) {
    byHeader.set(code, code);
    byHeader.set(name, code);
  }
  return categoryFromMapping({
    code: 'P07-002',
    resolveHeader: (header) => (header === '地方编码' ? { retired: '新版模板已取消，不再发送' } : (byHeader.get(header) ?? null)),
    mapping: {
      name: 'drop-folder',
      category: 'P07-002',
      key: ['CF_WSH', 'CF_XDR_SHXYM'],
      subject: { kind: 'legal', name: 'CF_XDR_MC', code: 'CF_XDR_SHXYM' },
      fields: {
        CF_WSH: 'CF_WSH',
        CF_XDR_MC: 'CF_XDR_MC',
        CF_XDR_SHXYM: 'CF_XDR_SHXYM',
        CF_CFLB: 'CF_CFLB',
        CF_JDRQ: { column: 'CF_JDRQ', date: 'excel', required: true },
        CF_NR_FK: 'CF_NR_FK',
        CF_CFJG: 'CF_CFJG',
      },
    },
    validate: { requiredFields: ['CF_WSH'] },
    fieldName: (code) => NAMES[code],
    sheet: '数据',
  });
}

export const HEADER = Object.values(NAMES).join(',');

const dirs = new WeakMap<Test, string>();

/** The test's own folder: tap's testdir empties it on every call, so it is made once per test. */
export function testDir(t: Test): string {
  let dir = dirs.get(t);
  if (dir === undefined) {
    dir = t.testdir({});
    dirs.set(t, dir);
  }
  return dir;
}

/** A store in the test's folder, closed at the end. */
export function openStore(t: Test, dir: string = testDir(t)): Store {
  const store = Store.open({ file: join(dir, 'gateway.sqlite') });
  t.teardown(() => store.close());
  return store;
}

/** A drop folder with its three folders made. */
export function folders(t: Test): DropFolders {
  const f = dropFolders(join(testDir(t), 'drop'));
  for (const dir of [f.incoming, f.processed, f.rejected]) mkdirSync(dir, { recursive: true });
  return f;
}

export function job(store: FileStore, f: DropFolders, options: Partial<DropFolderJobOptions> = {}): DropFolderJob {
  const category = penaltyCategory();
  return new DropFolderJob({
    job: 'drop-folder',
    gatewayId: GATEWAY,
    folders: f,
    category: (code) => (code.toUpperCase() === category.code ? category : null),
    store,
    pageSize: 2,
    ...options,
  });
}

/** Puts a file into incoming/: bytes, text, or a fixture by name. */
export function drop(f: DropFolders, name: string, content: string | Buffer | { fixture: string }): string {
  const path = join(f.incoming, name);
  if (typeof content === 'object' && !Buffer.isBuffer(content)) copyFileSync(fixture(content.fixture), path);
  else writeFileSync(path, content);
  return path;
}

/** A report as rows of cells (header included), after checking it opens with a UTF-8 BOM. */
export function readReport(path: string): string[][] {
  const bytes = readFileSync(path);
  if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf) throw new Error(`${path} does not start with a UTF-8 BOM`);
  return parse(bytes.subarray(3).toString('utf8'), { relax_column_count: true }) as string[][];
}

/** The CSV of penalty rows under the fixture header. */
export function penaltiesCsv(rows: string[][]): string {
  return `${HEADER}\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
}

export const GOOD = [
  ['黄人社监罚〔2026〕11号', '黄石市甲贸易有限公司', '91420200045FUX8H1K', '罚款', '2026-11-05', '1.5', '黄石市人力资源和社会保障局'],
  ['黄人社监罚〔2026〕12号', '黄石市乙餐饮有限公司', '9142020010UP4A1B07', '警告', '2026-11-06', '', '黄石市人力资源和社会保障局'],
  ['黄人社监罚〔2026〕13号', '黄石市丙建筑有限公司', '9142020024TAJQBP0R', '罚款', '2026-11-07', '20', '黄石市人力资源和社会保障局'],
];
