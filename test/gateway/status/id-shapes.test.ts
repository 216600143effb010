/**
 * Every shape an identity number takes, through every way out: a running
 * gateway reads them from a database and from a file dropped into its
 * folder, the platform receives them whole, and no page, API, CSV export,
 * log line or metric shows one unmasked, to a viewer or to an admin.
 *
 * The shapes: a file row whose key is 行政处罚决定书文号 + U+001F + ID number
 * (`\u001f` in JSON, which fooled the old "no letter before" rule); an ID
 * glued to letters in a date cell, quoted by the reason; 15-digit legacy
 * numbers; full-width digits; platform rejection messages, a refused batch
 * and a refused heartbeat whose texts quote ID numbers.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { containsIdNumber, maskIdNumber } from '../../../gateway/identifiers/mask.js';
import { createLogger } from '../../../gateway/logger.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import type { RejectionView } from '../../../gateway/status/snapshot.js';
import { idNumber, startStatusScenario, until, UPLOAD_ROWS } from '../../helpers/status-scenario.js';

const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The ID glued to letters, as a clerk typed it into a date column (the example). */
const GLUED = 'ID420202198001011237';
const GLUED_MASKED = 'ID420202********1237';

const FILE = {
  gluedDate: { idNumber: idNumber('42020219750607001'), decision: '黄人社监罚〔2026〕501号' },
  fullWidth: { idNumber: fullWidth(idNumber('42020219661231002')), decision: '黄人社监罚〔2026〕502号' },
  legacy: { idNumber: '420202660101003', decision: '黄人社监罚〔2026〕503号' },
  platformRefused: { idNumber: idNumber('42020219880808004'), decision: '黄人社监罚〔2026〕504号' },
};
const DB = {
  legacyKey: '420203710203005',
  fullWidthKey: fullWidth(idNumber('42020319920101006')),
  gluedDate: { idNumber: idNumber('42020219930303007'), cell: `ID${idNumber('42020219600606008')}` },
  platformRefused: idNumber('42020219940404009'),
};
const BATCH_FAULT_ID = idNumber('42020219950505010');
const HEARTBEAT_FAULT_ID = idNumber('42020219960606011');

const PASSWORDS = { viewer: 'viewer-pass-8d1f2c', admin: 'admin-pass-5b7e9a' };
const bearer = (role: keyof typeof PASSWORDS) => `Bearer ${PASSWORDS[role]}`;

const logDir = mkdtempSync(join(tmpdir(), 'id-shapes-log-'));
t.teardown(() => rmSync(logDir, { recursive: true, force: true }));
const logFile = join(logDir, 'gateway.log');
const scenario = await startStatusScenario(t, {
  logger: createLogger({ destination: logFile, level: 'debug' }),
  status: { requireLogin: true, users: [{ name: 'wang', role: 'viewer', secretRef: 'status_viewer' }, { name: 'li', role: 'admin', secretRef: 'status_admin' }] },
  secrets: { status_viewer: await hashPassword(PASSWORDS.viewer), status_admin: await hashPassword(PASSWORDS.admin) },
  authorization: bearer('admin'),
});
const get = (path: string, role: keyof typeof PASSWORDS) => fetch(new URL(path, scenario.url), { headers: { authorization: bearer(role) } });

/** The rows of the 行政处罚 template a clerk fills in, for natural persons. */
function personRow(name: string, id: string, decision: string, over: Record<string, string> = {}): Record<string, string> {
  const base = { ...UPLOAD_ROWS[0]! };
  delete base['行政相对人代码_1（统一社会信用代码）'];
  delete base['法定代表人'];
  return { ...base, 行政相对人名称: name, 行政相对人类别: '自然人', 证件类型: '身份证', 证件号码: id, 行政处罚决定书文号: decision, ...over };
}

function csv(rows: Record<string, string>[]): string {
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\uFEFF${[headers, ...rows.map((r) => headers.map((h) => r[h] ?? ''))].map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

t.before(async () => {
  // The platform refuses two records by the whole ID number they carry (so it received it whole), quoting it.
  scenario.receiver.addRejectRules([FILE.platformRefused.idNumber, DB.platformRefused].map((id) => ({
    field: { code: 'CF_XDR_ZJHM', equals: id }, code: 'ID_NOT_FOUND', message: `证件号码${id}在人口库中不存在`,
  })));
  scenario.receiver.injectFault([
    { path: 'batches', status: 500, body: { code: 'INTERNAL', message: `记录 ${BATCH_FAULT_ID} 处理失败` } },
    { path: 'heartbeat', status: 401, times: 1_000_000, body: { code: 'AUTH_REFUSED', message: `网关 hs-rsj 的联系人 ${HEARTBEAT_FAULT_ID} 未登记` } },
  ]);

  const db = new Database(join(scenario.dir, 'business.sqlite'));
  // After every row read so far, still well behind the job's safety lag.
  const at = (n: number) => new Date(Date.now() - 3_600_000 + n * 1000).toISOString();
  const person = db.prepare('INSERT INTO t_person VALUES (?, ?, ?, ?, ?)');
  person.run(DB.legacyKey, '吴十', '身份证', '2999-01-01', at(100));
  person.run(DB.fullWidthKey, '郑十一', '身份证', '2999-01-01', at(101));
  const penalty = db.prepare(`INSERT INTO t_xzcf (id, party_name, party_type, party_code, id_type, id_no, decision_no, violation, facts, basis, punish_type, content, punish_date, publish_until, updated_at)
    VALUES (?, ?, '自然人', ?, '身份证', ?, ?, '未按规定参加社会保险', '经查', '《社会保险法》第八十四条', '警告', '警告', ?, '2027-11-02', ?)`);
  penalty.run(21, '冯十二', DB.gluedDate.idNumber, DB.gluedDate.idNumber, '黄人社监罚〔2026〕601号', DB.gluedDate.cell, at(102));
  penalty.run(22, '陈十三', DB.platformRefused, DB.platformRefused, '黄人社监罚〔2026〕602号', '2026-11-02', at(103));
  db.close();

  writeFileSync(join(scenario.dropFolder, 'incoming', 'P07-002_shapes.csv'), csv([
    personRow('周九', FILE.gluedDate.idNumber, FILE.gluedDate.decision, { 处罚决定日期: GLUED }),
    personRow('吴九', FILE.fullWidth.idNumber, FILE.fullWidth.decision, { 处罚决定日期: '2026-13-45' }),
    personRow('郑九', FILE.legacy.idNumber, FILE.legacy.decision, { 处罚决定日期: '2026-02-30' }),
    personRow('王九', FILE.platformRefused.idNumber, FILE.platformRefused.decision),
  ]));

  const total = async (query: string) => ((await (await get(`/api/rejections?${query}`, 'admin')).json()) as { total: number }).total;
  await until(() => total('source=platform'), (n) => n >= 2, 'the platform refused both records');
  await until(() => total('source=local'), (n) => n >= 2 + 3 + 3, 'the database\'s and the file\'s bad rows were rejected');
  await until(async () => (await scenario.status()).platform.heartbeat.lastError?.message ?? '', (m) => m.includes('AUTH_REFUSED'), 'the heartbeat was refused');
  await until(() => readFileSync(logFile, 'utf8'), (log) => log.includes(maskIdNumber(BATCH_FAULT_ID)), 'the refused batch was logged');
});

t.test('the platform received the ID numbers whole', async (t) => {
  const platformRejections = ((await (await get('/api/rejections?source=platform', 'admin')).json()) as { items: RejectionView[] }).items;
  t.equal(platformRejections.filter((r) => r.code === 'ID_NOT_FOUND').length, 2, 'both records matched the platform\'s rule by their whole ID number');
  t.ok(containsIdNumber(JSON.stringify(scenario.receiver.records())), 'what the platform holds carries whole ID numbers');
});

/** Every page, API and export a GET reaches. */
const ENDPOINTS = [
  '/', '/?lang=en', '/rejections', '/rejections?lang=en', '/rejections?source=platform', `/rejections?q=${encodeURIComponent(FILE.gluedDate.decision)}`,
  `/rejections?q=${FILE.gluedDate.idNumber}`, '/rejections.csv', '/rejections.csv?lang=en', '/api/status', '/api/rejections?limit=500',
  '/config', '/upload', '/metrics', '/healthz', '/readyz',
];

for (const role of ['viewer', 'admin'] as const) {
  t.test(`a ${role} sees every shape, masked, and no whole ID number anywhere`, async (t) => {
    const bodies = new Map<string, string>();
    for (const path of ENDPOINTS) {
      const res = await get(path, role);
      t.equal(res.status, 200, `${path} answers`);
      bodies.set(path, await res.text());
    }
    for (const [path, body] of bodies) t.notOk(containsIdNumber(body), `${path} holds no unmasked ID number`);

    const api = bodies.get('/api/rejections?limit=500')!;
    const items = (JSON.parse(api) as { items: RejectionView[] }).items;
    const keyed = (id: string) => items.find((r) => r.key.includes(maskIdNumber(id)));
    for (const { idNumber: id, decision } of Object.values(FILE)) {
      t.equal(keyed(id)?.key, `${decision} / ${maskIdNumber(id)}`, `the file row's key ${maskIdNumber(id)} is shown value by value`);
    }
    t.ok(keyed(DB.legacyKey), 'a database key that is a legacy 15-digit number, masked');
    t.ok(keyed(DB.fullWidthKey), 'a database key in full-width digits, masked');
    t.notOk(api.includes('\\u001f'), 'no raw key separator in the JSON');
    t.ok(items.some((r) => r.message.includes(GLUED_MASKED)), 'the file\'s date cell is quoted masked in the reason');
    t.ok(items.some((r) => r.message.includes(`ID${maskIdNumber(DB.gluedDate.cell.slice(2))}`)), 'the database\'s date cell is quoted masked in the reason');
    for (const id of [FILE.platformRefused.idNumber, DB.platformRefused]) {
      t.ok(items.some((r) => r.source === 'platform' && r.message === `证件号码${maskIdNumber(id)}在人口库中不存在`), 'the platform\'s message is shown masked');
    }
    const status = JSON.parse(bodies.get('/api/status')!) as { platform: { heartbeat: { lastError: { message: string } | null } } };
    t.match(status.platform.heartbeat.lastError?.message, maskIdNumber(HEARTBEAT_FAULT_ID), 'the refused heartbeat\'s text is shown masked');
    t.match(bodies.get('/rejections')!, `${FILE.gluedDate.decision} / ${maskIdNumber(FILE.gluedDate.idNumber)}`, 'the page shows the key value by value');
    t.match(bodies.get('/rejections.csv')!, maskIdNumber(FILE.legacy.idNumber), 'the export holds the legacy key masked');
    t.match(bodies.get('/metrics')!, /credit_gateway_records_rejected_total\{[^}]*stage="platform"/, 'the metrics count the refusals');
  });
}

t.test('an admin\'s action on a rejection keyed by an ID number answers without it', async (t) => {
  const items = ((await (await get('/api/rejections?limit=500', 'admin')).json()) as { items: RejectionView[] }).items;
  const target = items.find((r) => r.key.includes(maskIdNumber(FILE.gluedDate.idNumber)))!;
  const res = await fetch(new URL(`api/rejections/${target.id}/resend`, scenario.url), { method: 'POST', headers: { authorization: bearer('admin') } });
  const body = await res.text();
  t.ok(res.status === 200 || res.status === 422, `the resend is answered (${res.status})`);
  t.notOk(containsIdNumber(body));
  const viewer = await fetch(new URL(`api/rejections/${target.id}/resend`, scenario.url), { method: 'POST', headers: { authorization: bearer('viewer') } });
  t.equal(viewer.status, 403, 'a viewer may not act');
  t.notOk(containsIdNumber(await viewer.text()));
});

t.test('the log holds every event, and no whole ID number', async (t) => {
  const log = readFileSync(logFile, 'utf8');
  t.ok(log.split('\n').length > 10, 'the gateway logged its work');
  t.match(log, maskIdNumber(BATCH_FAULT_ID), 'the refused batch\'s text is logged masked');
  t.match(log, maskIdNumber(HEARTBEAT_FAULT_ID), 'the refused heartbeat\'s text is logged masked');
  t.notOk(containsIdNumber(log), 'no line of the log holds an unmasked ID number');
});
