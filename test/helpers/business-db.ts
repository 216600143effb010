import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCreditCode } from '../../scripts/demo/make-demo-data.js';

/**
 * A department's penalty table for end-to-end tests: `n` valid rows, plus
 * rows with broken credit codes when asked. Rows carry a version number in
 * `content` so tests can tell which version reached the platform.
 */
export interface PenaltyRow {
  id: number;
  party_name: string;
  credit_code: string;
  content: string;
  updated_at: string;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function createPenaltyDb(dir: string, n: number, options: { invalid?: number[] } = {}): { file: string; db: Database.Database } {
  const file = join(dir, 'business.sqlite');
  const db = new Database(file);
  db.exec(`CREATE TABLE t_penalty (id INTEGER PRIMARY KEY, party_name TEXT, credit_code TEXT, content TEXT, punish_date TEXT, updated_at TEXT NOT NULL);
           CREATE INDEX t_penalty_cursor ON t_penalty (updated_at, id);`);
  const random = seeded(n);
  const insert = db.prepare('INSERT INTO t_penalty VALUES (?, ?, ?, ?, ?, ?)');
  const invalid = new Set(options.invalid ?? []);
  db.transaction(() => {
    for (let id = 1; id <= n; id++) {
      const code = makeCreditCode(random, 'company');
      // Rows share timestamps in groups of 7: ties must not lose rows.
      const ts = new Date(Date.UTC(2026, 0, 1) + Math.floor(id / 7) * 1000).toISOString();
      insert.run(id, `黄石测试企业${id}有限公司`, invalid.has(id) ? code.slice(0, 17) + (code[17] === '0' ? '1' : '0') : code, 'v1', '20260102', ts);
    }
  })();
  return { file, db };
}

/** Changes `content` of the given rows to a new version, with a fresh timestamp. */
export function updateRows(db: Database.Database, ids: number[], version: string, at: Date = new Date()): void {
  const update = db.prepare('UPDATE t_penalty SET content = ?, updated_at = ? WHERE id = ?');
  db.transaction(() => ids.forEach((id, i) => update.run(version, new Date(at.getTime() + i).toISOString(), id)))();
}

export function readRows(db: Database.Database): PenaltyRow[] {
  return db.prepare('SELECT id, party_name, credit_code, content, updated_at FROM t_penalty ORDER BY id').all() as PenaltyRow[];
}

export interface TestConfigOptions {
  dir: string;
  businessDb: string;
  platformUrl: string;
  statusPort?: number;
  pageSize?: number;
  batchMaxRecords?: number;
  pollSecs?: number;
}

/**
 * The penalty job's fields over the test table: its own columns, and what
 * the 行政处罚 data standard requires besides, the same on every row.
 */
export const TEST_PENALTY_FIELDS = {
  CF_XDR_MC: 'party_name', CF_XDR_SHXYM: 'credit_code', CF_NR: 'content', CF_JDRQ: { column: 'punish_date', date: 'YYYYMMDD' },
  CF_XDR_LB: { const: '法人及非法人组织' }, CF_FRDB: { const: '张伟' }, CF_WSH: { const: '黄人社监罚〔2026〕1号' },
  CF_WFXW: { const: '未按规定缴纳社会保险费' }, CF_SY: { const: '未按规定为职工缴纳社会保险费' }, CF_YJ: { const: '《社会保险法》第八十六条' },
  CF_CFLB: { const: '警告' }, CF_YXQ: { const: '2099-12-31' },
  CF_CFJG: { const: '黄石市人力资源和社会保障局' }, CF_CFJGDM: { const: '11420200011079463Y' },
  CF_SJLY: { const: '黄石市人力资源和社会保障局' }, CF_SJLYDM: { const: '11420200011079463Y' },
} as const;

/** A gateway configuration file for one penalty job over the test table. */
export function writeTestConfig(o: TestConfigOptions): string {
  const file = join(o.dir, 'gateway.yaml');
  const config = {
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(o.dir, 'data') },
    platform: { url: o.platformUrl, secretRef: 'platform', batchMaxRecords: o.batchMaxRecords ?? 5000, backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: o.statusPort ?? 0 },
    scheduling: { realtimePollSecs: o.pollSecs ?? 1, retryBaseSecs: 1, retryMaxSecs: 2 },
    sources: [{ name: 'biz', kind: 'sqlite', file: o.businessDb, pageSize: o.pageSize ?? 500 }],
    jobs: [
      {
        name: 'penalties', source: 'biz', category: 'P07-002', query: 'SELECT * FROM t_penalty',
        cursor: ['updated_at', 'id'], key: ['id'],
        subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
        fields: TEST_PENALTY_FIELDS,
      },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export const TEST_SECRET = 'hs-credit-test-secret';
