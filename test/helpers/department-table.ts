import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeCreditCode } from '../../scripts/demo/make-demo-data.js';
import type { MariadbServer } from './mariadb.js';

/**
 * A department's own 行政处罚 table as `credit-gateway init` meets it: the
 * columns named the way departments' systems name them, so every matching
 * rule is used (English, pinyin initials, field codes, Chinese field
 * names), with a primary key and a change-time column, dates as text
 * YYYYMMDD. Every row is valid
 * under the 行政处罚 standard once the department's own name and code are
 * filled in. The table is `t_penalty` and keeps the columns
 * test/helpers/conservation.ts reads (id, party_name, credit_code,
 * content, updated_at), so expectConserved checks a SQLite one.
 */
export const DEPARTMENT_CREDIT_CODE = '11420200011079463Y';

/** column → [the field init must map it to, the rule it must say]. */
export const DEPARTMENT_COLUMNS: Readonly<Record<string, readonly [string, string]>> = {
  party_name: ['CF_XDR_MC', 'common-name'],
  credit_code: ['CF_XDR_SHXYM', 'common-name'],
  fddbr: ['CF_FRDB', 'common-name'],
  cf_wsh: ['CF_WSH', 'field-code'],
  违法行为类型: ['CF_WFXW', 'chinese-name'],
  wfss: ['CF_SY', 'common-name'],
  cfyj: ['CF_YJ', 'field-code'],
  cflb: ['CF_CFLB', 'code-initials'],
  content: ['CF_NR', 'common-name'],
  处罚决定日期: ['CF_JDRQ', 'chinese-name'],
  cfyxq: ['CF_YXQ', 'field-code'],
};

export interface DepartmentRow {
  id: number;
  values: Record<string, string>;
  updated_at: string;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function departmentRows(n: number): DepartmentRow[] {
  const random = seeded(n + 7);
  return Array.from({ length: n }, (_, i) => {
    const id = i + 1;
    return {
      id,
      values: {
        party_name: `黄石测试企业${id}有限公司`,
        credit_code: makeCreditCode(random, 'company'),
        fddbr: '张伟',
        cf_wsh: `黄罚〔2026〕${id}号`,
        违法行为类型: '未按规定缴纳社会保险费',
        wfss: '未按规定为职工缴纳社会保险费',
        cfyj: '《社会保险法》第八十六条',
        cflb: '警告',
        content: 'v1',
        处罚决定日期: '20260102', // as the department's system writes it: init proposes date: YYYYMMDD from a sample
        cfyxq: '2099-12-31',
      },
      updated_at: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
    };
  });
}

const columnNames = Object.keys(DEPARTMENT_COLUMNS);

export function createDepartmentSqlite(dir: string, n: number): { file: string; db: Database.Database } {
  const file = join(dir, 'business.sqlite');
  const db = new Database(file);
  db.exec(`CREATE TABLE t_penalty (id INTEGER PRIMARY KEY, ${columnNames.map((c) => `"${c}" TEXT`).join(', ')}, updated_at TEXT NOT NULL)`);
  db.exec('CREATE TABLE t_audit_log (entry TEXT)');
  const insert = db.prepare(`INSERT INTO t_penalty VALUES (?, ${columnNames.map(() => '?').join(', ')}, ?)`);
  db.transaction(() => {
    for (const row of departmentRows(n)) insert.run(row.id, ...columnNames.map((c) => row.values[c]), row.updated_at);
  })();
  return { file, db };
}

export async function createDepartmentMariadb(server: MariadbServer, n: number): Promise<void> {
  await server.admin(`CREATE TABLE t_penalty (id INT PRIMARY KEY, ${columnNames.map((c) => `\`${c}\` VARCHAR(200)`).join(', ')}, updated_at DATETIME(3) NOT NULL) DEFAULT CHARSET = utf8mb4`);
  await server.admin('CREATE TABLE t_audit_log (entry VARCHAR(100))');
  for (const row of departmentRows(n)) {
    // Naive local time, as the department's own application writes it (the server runs in Asia/Shanghai).
    const local = new Date(Date.parse(row.updated_at) + 8 * 3600_000).toISOString().replace('T', ' ').replace('Z', '');
    await server.admin(`INSERT INTO t_penalty VALUES (?, ${columnNames.map(() => '?').join(', ')}, ?)`, [row.id, ...columnNames.map((c) => row.values[c]), local]);
  }
}
