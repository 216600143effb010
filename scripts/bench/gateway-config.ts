/**
 * The gateway's configuration for the benchmark: one MySQL source, one
 * 行政处罚 job over the table with every column mapped (the naive script
 * sends the same fields), and the reference receiver as the platform.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAUNCH_ENV } from '../../gateway/heap.js';
import type { Login } from './database.js';
import { CONSTANT_FIELDS, FIELD_COLUMNS, TABLE } from './penalty-rows.js';

export const GATEWAY_ID = 'hs-bench';
export const PLATFORM_SECRET = 'hs-bench-platform-secret';
export const JOB = 'penalties';
export const CATEGORY = 'P07-002';

export interface ConfigOptions {
  /** Holds the configuration file and the data folder (the store). */
  dir: string;
  platformUrl: string;
  reader: Login;
  timeZone: string;
  pageSize: number;
  pollSecs?: number;
  /** Only rows above this id: the freshness run without a loaded store reads only the churn's rows. */
  aboveId?: number;
}

const DATES = new Set(['punish_date', 'publish_until']);

export function writeGatewayConfig(o: ConfigOptions): string {
  mkdirSync(o.dir, { recursive: true });
  const fields: Record<string, unknown> = Object.fromEntries(Object.entries(CONSTANT_FIELDS).map(([field, value]) => [field, { const: value }]));
  for (const [field, column] of Object.entries(FIELD_COLUMNS)) fields[field] = DATES.has(column) ? { column, date: 'YYYY-MM-DD' } : column;
  const config = {
    gateway: { id: GATEWAY_ID, department: '黄石市人力资源和社会保障局（基准测试）', dataDir: join(o.dir, 'data') },
    platform: { url: o.platformUrl, secretRef: 'platform', heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    scheduling: { realtimePollSecs: o.pollSecs ?? 60 },
    sources: [{
      name: 'hr', kind: 'mysql', host: o.reader.host, port: o.reader.port, database: o.reader.database,
      user: o.reader.user, passwordRef: 'db', timeZone: o.timeZone, pageSize: o.pageSize,
    }],
    jobs: [{
      name: JOB, source: 'hr', category: CATEGORY,
      query: o.aboveId === undefined ? `SELECT * FROM ${TABLE}` : `SELECT * FROM ${TABLE} WHERE id > ${o.aboveId}`,
      cursor: ['updated_at', 'id'], key: ['id'],
      subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
      fields,
    }],
  };
  const file = join(o.dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** The secrets the configuration names, as the environment gives them, and the launcher's environment (gateway/heap.ts). */
export function gatewayEnv(reader: Login): NodeJS.ProcessEnv {
  return { ...LAUNCH_ENV, CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET, CREDIT_GATEWAY_SECRET_DB: reader.password, LOG_LEVEL: 'warn' };
}
