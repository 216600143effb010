/**
 * A running gateway with data flowing, for tests of what the status page
 * shows: the reference receiver and a Gateway in this process, on a temp
 * data dir, polling a SQLite business database of 市人社局 (P07) every
 * second, with a drop folder for uploads.
 *
 *  - job `penalties` feeds 行政处罚信息 (P07-002): legal persons, natural
 *    persons with valid 18-digit ID numbers, and one natural person whose
 *    ID number has a wrong check digit (rejected with its Chinese reason);
 *  - job `persons` feeds 个人身份标识信息 (P07-024) from a table keyed by the
 *    ID number itself, as many person tables are: its rejected row's key
 *    is an ID number, which pages must mask like any other;
 *  - job `licences` feeds 行政许可/行政确认信息 (P07-008) from an empty table,
 *    and the store remembers a run of it last month: fed since before the
 *    previous month ended, nothing delivered since, so the category is
 *    overdue;
 *  - source `drop` is a drop folder (uploads go there).
 */
import Database from 'better-sqlite3';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Test } from 'tap';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { idCardCheckDigit } from '../../gateway/identifiers/id-card.js';
import type { StatusSnapshot } from '../../gateway/status/snapshot.js';
import { Store } from '../../gateway/store/store.js';
import { createReceiver, type Receiver } from '../../scripts/receiver/index.js';
import { fillTemplate } from './filled-template.js';

export const GATEWAY_ID = 'hs-rsj';
export const DEPARTMENT = '市人社局';
const SECRET = 'hs-credit-status-scenario-secret';

/** The category data flows into, and the one that is overdue. */
export const FED_CATEGORY = { code: 'P07-002', name: '行政处罚信息', job: 'penalties' } as const;
export const OVERDUE_CATEGORY = { code: 'P07-008', name: '行政许可/行政确认信息', job: 'licences' } as const;
export const PERSON_CATEGORY = { code: 'P07-024', name: '个人身份标识信息', job: 'persons' } as const;

/** A valid 18-digit 居民身份证号码 from its first 17 digits. */
export function idNumber(first17: string): string {
  return first17 + idCardCheckDigit(first17);
}

/** Natural persons whose valid ID numbers the platform must receive unmasked. */
export const PEOPLE = [
  { id: 11, name: '张三', idNumber: idNumber('42020219850312004') },
  { id: 12, name: '李四', idNumber: idNumber('42020319781120567') },
  { id: 13, name: '王五', idNumber: idNumber('42022219920715008') },
] as const;

/** The row that fails validation: its check digit should be 1. */
export const REJECTED = {
  id: 14,
  name: '赵六',
  idNumber: '420202199001011234',
  masked: '420202********1234',
  code: 'ID_CHECK_DIGIT',
  reason: '居民身份证号码校验位错误',
} as const;

const COMPANIES = [
  { id: 1, name: '黄石港湾人力资源服务股份有限公司', code: '91420200846J0URW7B' },
  { id: 2, name: '黄石长乐建筑劳务有限责任公司', code: '9142020057W3YEXR82' },
  { id: 3, name: '黄石铁山机械制造有限公司', code: '9142020065DALEPN5J' },
] as const;

const AUTHORITY = '黄石市人力资源和社会保障局';
const AUTHORITY_CODE = '11420200011079463Y';

/**
 * A person whose valid ID number is the key of a row refused for another
 * reason (born in the future): the rejection's key is the ID number.
 */
export const KEYED_REJECTED = {
  idNumber: idNumber('42020219800101002'),
  name: '钱八',
  reason: '出生日期和信息变更日期不能晚于报送当天',
} as const;

/** Rows delivered from the database once data flows: companies, and valid people in two categories. */
export const DATABASE_DELIVERED = COMPANIES.length + 2 * PEOPLE.length;
/** Rows refused by the gateway's checks: REJECTED and KEYED_REJECTED. */
export const DATABASE_REJECTED = 2;

function createBusinessDb(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE t_xzcf (
      id INTEGER PRIMARY KEY, party_name TEXT, party_type TEXT, party_code TEXT,
      credit_code TEXT, id_type TEXT, id_no TEXT, legal_rep TEXT,
      decision_no TEXT, violation TEXT, facts TEXT, basis TEXT, punish_type TEXT, content TEXT,
      punish_date TEXT, publish_until TEXT, updated_at TEXT NOT NULL);
    CREATE TABLE t_person (
      id_no TEXT PRIMARY KEY, name TEXT, id_type TEXT, birth_date TEXT, updated_at TEXT NOT NULL);
    CREATE TABLE t_xzxk (
      id INTEGER PRIMARY KEY, corp_name TEXT, party_type TEXT, credit_code TEXT, legal_rep TEXT,
      licence_doc TEXT, licence_no TEXT, licence_type TEXT, licence_name TEXT, content TEXT,
      decision_date TEXT, valid_from TEXT, valid_to TEXT, status TEXT, updated_at TEXT NOT NULL);`);
  const insert = db.prepare(`INSERT INTO t_xzcf VALUES (@id, @name, @type, @code, @creditCode, @idType, @idNo, @legalRep,
    @decisionNo, '未按规定参加社会保险', '经查，未按规定参加社会保险。', '《中华人民共和国社会保险法》第八十四条', '警告', '警告',
    '2026-11-02', '2027-11-02', @updatedAt)`);
  // An hour ago: well behind the job's safety lag, so the first run reads every row.
  const at = (n: number) => new Date(Date.now() - 3_600_000 + n * 1000).toISOString();
  db.transaction(() => {
    for (const c of COMPANIES) {
      insert.run({ id: c.id, name: c.name, type: '法人及非法人组织', code: c.code, creditCode: c.code, idType: null, idNo: null, legalRep: '张伟', decisionNo: `黄人社监罚〔2026〕${c.id}号`, updatedAt: at(c.id) });
    }
    for (const p of [...PEOPLE, REJECTED]) {
      insert.run({ id: p.id, name: p.name, type: '自然人', code: p.idNumber, creditCode: null, idType: '身份证', idNo: p.idNumber, legalRep: null, decisionNo: `黄人社监罚〔2026〕${p.id}号`, updatedAt: at(p.id) });
    }
    const person = db.prepare('INSERT INTO t_person VALUES (?, ?, ?, ?, ?)');
    PEOPLE.forEach((p, i) => person.run(p.idNumber, p.name, '身份证', `${p.idNumber.slice(6, 10)}-${p.idNumber.slice(10, 12)}-${p.idNumber.slice(12, 14)}`, at(20 + i)));
    person.run(KEYED_REJECTED.idNumber, KEYED_REJECTED.name, '身份证', '2999-01-01', at(30));
  })();
  db.close();
}

const KIND = { column: 'party_type', values: { 法人及非法人组织: 'legal', 个体工商户: 'individual_business', 自然人: 'natural' } };

function writeConfig(dir: string, platformUrl: string, businessDb: string, status: Record<string, unknown> = {}): string {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: GATEWAY_ID, department: DEPARTMENT, provider: 'P07', dataDir: './data', contacts: [{ name: '刘洋', role: '技术联系人', phone: '0714-6200000' }] },
    platform: { url: platformUrl, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 5 },
    status: { host: '127.0.0.1', port: 0, ...status },
    scheduling: { realtimePollSecs: 1, retryBaseSecs: 1, retryMaxSecs: 2 },
    sources: [
      { name: 'rsj', kind: 'sqlite', file: businessDb },
      { name: 'drop', kind: 'folder', path: './drop', stableMs: 200 },
    ],
    jobs: [
      {
        name: FED_CATEGORY.job, source: 'rsj', category: FED_CATEGORY.code, query: 'SELECT * FROM t_xzcf',
        cursor: ['updated_at', 'id'], key: ['id'], schedule: { intervalSecs: 1 },
        subject: { kind: KIND, name: 'party_name', code: 'party_code' },
        fields: {
          CF_XDR_MC: 'party_name', CF_XDR_LB: 'party_type', CF_XDR_SHXYM: 'credit_code', CF_XDR_ZJLX: 'id_type', CF_XDR_ZJHM: 'id_no',
          CF_FRDB: 'legal_rep', CF_WSH: 'decision_no', CF_WFXW: 'violation', CF_SY: 'facts', CF_YJ: 'basis',
          CF_CFLB: 'punish_type', CF_NR: 'content',
          CF_JDRQ: { column: 'punish_date', date: 'YYYY-MM-DD' }, CF_YXQ: { column: 'publish_until', date: 'YYYY-MM-DD' },
          CF_CFJG: { const: AUTHORITY }, CF_CFJGDM: { const: AUTHORITY_CODE }, CF_SJLY: { const: AUTHORITY }, CF_SJLYDM: { const: AUTHORITY_CODE },
        },
      },
      {
        name: PERSON_CATEGORY.job, source: 'rsj', category: PERSON_CATEGORY.code, query: 'SELECT * FROM t_person',
        cursor: ['updated_at', 'id_no'], key: ['id_no'], schedule: { intervalSecs: 1 },
        subject: { kind: 'natural', name: 'name', code: 'id_no' },
        fields: {
          GR_XM: 'name', GR_ZJLX: 'id_type', GR_ZJHM: 'id_no', GR_CSRQ: { column: 'birth_date', date: 'YYYY-MM-DD' },
          GR_SJLY: { const: AUTHORITY }, GR_SJLYDM: { const: AUTHORITY_CODE },
        },
      },
      {
        name: OVERDUE_CATEGORY.job, source: 'rsj', category: OVERDUE_CATEGORY.code, query: 'SELECT * FROM t_xzxk',
        cursor: ['updated_at', 'id'], key: ['id'], schedule: { intervalSecs: 1 },
        subject: { kind: KIND, name: 'corp_name', code: 'credit_code' },
        fields: {
          XK_XDR_MC: 'corp_name', XK_XDR_LB: 'party_type', XK_XDR_SHXYM: 'credit_code', XK_FRDB: 'legal_rep',
          XK_XKWS: 'licence_doc', XK_WSH: 'licence_no', XK_XKLB: 'licence_type', XK_XKZS: 'licence_name', XK_NR: 'content',
          XK_JDRQ: { column: 'decision_date', date: 'YYYYMMDD' }, XK_YXQZ: { column: 'valid_from', date: 'YYYY-MM-DD' },
          XK_YXQZI: { column: 'valid_to', date: 'YYYY-MM-DD' }, XK_ZT: 'status',
          XK_XKJG: { const: AUTHORITY }, XK_XKJGDM: { const: AUTHORITY_CODE }, XK_LYDW: { const: AUTHORITY }, XK_LYDWDM: { const: AUTHORITY_CODE },
        },
      },
    ],
  }, null, 2));
  return file;
}

/** The 15th of the month before the current one in China, 10:00 China time: well before the previous month ended. */
export function lastMonth(now: Date = new Date()): Date {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - 1, 15, 2, 0, 0));
}

/** The licences job ran last month (and found nothing): recorded before the gateway opens the store. */
function recordOldRun(dataDir: string): void {
  const store = Store.open({ file: join(dataDir, 'gateway.sqlite'), logger: pino({ level: 'silent' }) });
  try {
    const started = lastMonth();
    store.recordRun(OVERDUE_CATEGORY.job, { startedAt: started.toISOString(), finishedAt: new Date(started.getTime() + 2000).toISOString(), ok: true, error: null });
  } finally {
    store.close();
  }
}

export async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, label: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface StatusScenario {
  dir: string;
  gateway: Gateway;
  receiver: Receiver;
  /** The status server's base URL, ending in `/`. */
  url: string;
  /** Root of the drop folder (incoming/, processed/, rejected/ beneath). */
  dropFolder: string;
  /** GET a path of the status server as JSON. */
  status(): Promise<StatusSnapshot>;
}

export interface StatusScenarioOptions {
  /** The gateway's logger; silent when absent. */
  logger?: Logger;
  /** Members of the `status` section (users, requireLogin), over loopback on a free port. */
  status?: Record<string, unknown>;
  /** More local secrets, by name (e.g. the users' password hashes). */
  secrets?: Record<string, string>;
}

/**
 * Starts the receiver and the gateway, stopped in t.teardown, and waits
 * until the database's rows reached the platform and the bad row was
 * rejected. When the page asks for a login, `status()` needs
 * `authorization` (a user's bearer token).
 */
export async function startStatusScenario(t: Test, options: StatusScenarioOptions & { authorization?: string } = {}): Promise<StatusScenario> {
  const dir = t.testdir({ data: {}, drop: {} });
  const businessDb = join(dir, 'business.sqlite');
  createBusinessDb(businessDb);
  // As the gateway makes its data folder: private to the service user.
  chmodSync(join(dir, 'data'), 0o700);
  recordOldRun(join(dir, 'data'));

  const receiver = createReceiver({ gateways: { [GATEWAY_ID]: SECRET } });
  const { url: platformUrl } = await receiver.listen(0, '127.0.0.1');
  let gateway: Gateway;
  try {
    const secrets = Object.fromEntries(Object.entries(options.secrets ?? {}).map(([name, value]) => [`CREDIT_GATEWAY_SECRET_${name.toUpperCase()}`, value]));
    const loaded = loadConfigFile(writeConfig(dir, platformUrl, businessDb, options.status), { CREDIT_GATEWAY_SECRET_PLATFORM: SECRET, ...secrets });
    gateway = await Gateway.start(loaded, { logger: options.logger ?? pino({ level: 'silent' }), softwareVersion: 'test' });
  } catch (err) {
    await receiver.close();
    throw err;
  }
  t.teardown(async () => {
    await gateway.stop();
    await receiver.close();
  });
  const url = gateway.statusUrl!;
  const headers = options.authorization ? { authorization: options.authorization } : undefined;
  const status = async () => (await (await fetch(new URL('api/status', url), { headers })).json()) as StatusSnapshot;
  await until(status, (s) => s.totals.delivered >= DATABASE_DELIVERED && s.totals.rejectedLocal >= DATABASE_REJECTED, 'the database\'s rows were delivered and the bad rows rejected');
  return { dir, gateway, receiver, url, dropFolder: join(dir, 'drop'), status };
}

/** Rows of a filled-in 行政处罚 template: one company and one natural person. */
export const UPLOAD_ROWS: Record<string, string>[] = ([
  {
    行政相对人名称: '黄石市甲贸易有限公司', 行政相对人类别: '法人及非法人组织', '行政相对人代码_1（统一社会信用代码）': '91420200045FUX8H1K', 法定代表人: '张伟',
    行政处罚决定书文号: '黄人社监罚〔2026〕301号',
  },
  { 行政相对人名称: '孙七', 行政相对人类别: '自然人', 证件类型: '身份证', 证件号码: idNumber('42020219700205031'), 行政处罚决定书文号: '黄人社监罚〔2026〕302号' },
] as Record<string, string>[]).map((row) => ({
  违法行为类型: '未按规定缴纳社会保险费', 违法事实: '经查，未按规定缴纳社会保险费', 处罚依据: '《社会保险法》第八十六条',
  处罚类别: '警告', 处罚内容: '警告', 处罚决定日期: '2026-11-05', 处罚有效期: '2027-11-04',
  处罚机关: AUTHORITY, 处罚机关统一社会信用代码: AUTHORITY_CODE, 数据来源单位: AUTHORITY, 数据来源单位统一社会信用代码: AUTHORITY_CODE,
  ...row,
}));

/**
 * The 行政处罚 template the template command writes, filled in as a clerk
 * does in Excel: rows typed into 数据. Named as the drop folder expects
 * (`<category>_<anything>.xlsx`).
 */
export function filledTemplate(dir: string, rows: Record<string, string>[] = UPLOAD_ROWS, name = `${FED_CATEGORY.code}_upload.xlsx`): Promise<string> {
  return fillTemplate(dir, FED_CATEGORY.code, rows, name);
}
