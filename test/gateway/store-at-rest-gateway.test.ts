/**
 * Issue 10 case 5, end to end through the composition root: natural persons
 * dropped in a file go through a gateway with store.encryption on to the
 * reference receiver. The receiver gets every ID number and name whole;
 * the raw gateway.sqlite and its WAL hold none of them; the status page
 * still lists the rejections; the data folder is 0700 and the store files
 * and the error report 0600, under umask 022 and 000. A looser folder or
 * store, and a wrong, malformed or missing key, refuse the start with a
 * catalogued code and what to run.
 */
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import t, { type Test } from 'tap';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { idCardCheckDigit } from '../../gateway/identifiers/id-card.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { fillTemplate } from '../helpers/filled-template.js';
import { until } from '../helpers/wait.js';

const GATEWAY = 'hs-rsj';
const SECRET = 'hs-credit-test-secret';
const logger = pino({ level: 'silent' });

function idNumber(n: number): string {
  const first17 = `42020219850301${String(n).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

const PEOPLE = [
  { name: '欧阳建国', id: idNumber(11) },
  { name: '司马秀英', id: idNumber(23) },
  { name: '诸葛卫东', id: idNumber(35) },
];
/** Refused locally: its check digit is wrong, and the record key holds it. */
const BAD = { name: '上官红梅', id: `${idNumber(47).slice(0, 17)}${idNumber(47).endsWith('0') ? '1' : '0'}` };
const ALL_TEXT = [...PEOPLE, BAD].flatMap((p) => [p.id, p.name]);

const authority = { 处罚机关: '黄石市人力资源和社会保障局', 处罚机关统一社会信用代码: '11420200011079463Y', 数据来源单位: '黄石市人力资源和社会保障局', 数据来源单位统一社会信用代码: '11420200011079463Y' };
const personRow = (n: number, p: { name: string; id: string }) => ({
  行政相对人名称: p.name, 行政相对人类别: '自然人', 证件类型: '身份证', 证件号码: p.id, 行政处罚决定书文号: `黄人社监罚〔2026〕${n}号`,
  违法行为类型: '未按规定缴纳社会保险费', 违法事实: '经查，未按规定缴纳社会保险费', 处罚依据: '《社会保险法》第八十六条',
  处罚类别: '警告', 处罚内容: '警告', 处罚决定日期: '2026-11-05', 处罚有效期: '2027-11-04', ...authority,
});

interface Setup {
  dir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  url: string;
  receiver: ReturnType<typeof createReceiver>;
}

async function setup(t: Test, options: { keyRef?: string; algorithm?: 'aes-256-gcm' | 'sm4' } = {}): Promise<Setup> {
  const dir = t.testdir({});
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(configFile, JSON.stringify({
    gateway: { id: GATEWAY, department: '市人社局', dataDir: './data' },
    platform: { url, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    store: { encryption: { keyRef: options.keyRef ?? 'store_key', algorithm: options.algorithm ?? 'aes-256-gcm' } },
    sources: [{ name: 'drop', kind: 'folder', path: './drop', stableMs: 200 }],
  }));
  const env = { CREDIT_GATEWAY_SECRET_PLATFORM: SECRET, CREDIT_GATEWAY_SECRET_STORE_KEY: randomBytes(32).toString('hex') };
  return { dir, configFile, env, url, receiver };
}

const start = (s: Setup, env: NodeJS.ProcessEnv = s.env) => Gateway.start(loadConfigFile(s.configFile, env), { logger, softwareVersion: 'test' });

/** The ID numbers and names found in the raw bytes of the store file and its WAL. */
function readable(dataDir: string): string[] {
  const files = ['gateway.sqlite', 'gateway.sqlite-wal'].map((f) => join(dataDir, f)).filter((f) => existsSync(f));
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  return ALL_TEXT.filter((text) => bytes.includes(Buffer.from(text, 'utf8')));
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

for (const umask of [0o022, 0o000]) {
  t.test(`umask ${umask.toString(8).padStart(3, '0')}: persons reach the platform whole, the store holds none of them readable, and everything is private`, async (t) => {
    const previous = process.umask(umask);
    t.teardown(() => void process.umask(previous));
    const s = await setup(t, { algorithm: umask === 0 ? 'sm4' : 'aes-256-gcm' });
    const gateway = await start(s);
    t.teardown(() => gateway.stop());
    const filled = await fillTemplate(s.dir, 'P07-002', [...PEOPLE.map((p, i) => personRow(i + 1, p)), personRow(9, BAD)], 'persons.xlsx');
    const incoming = join(s.dir, 'drop', 'incoming');
    copyFileSync(filled, join(incoming, 'P07-002_persons.xlsx.part'));
    renameSync(join(incoming, 'P07-002_persons.xlsx.part'), join(incoming, 'P07-002_persons.xlsx'));

    const held = await until(() => s.receiver.records(), (r) => r.length === PEOPLE.length);
    t.same(held.map((r) => [r.subject?.code, r.subject?.name]).sort(), PEOPLE.map((p) => [p.id, p.name]).sort(), 'the platform gets ID numbers and names whole');
    const snapshot = await until(() => gateway.snapshot(), (x) => x.sources[0]!.files!.processed === 1 && x.totals.delivered === PEOPLE.length);
    t.match(snapshot.rejections.recent, [{ source: 'local', category: 'P07-002', code: /ID_CARD|CHECK/ }], 'the status page still shows the rejection');
    const page = await (await fetch(gateway.statusUrl!)).text();
    t.notOk(page.includes(BAD.id), 'shown masked on the page');

    const dataDir = join(s.dir, 'data');
    t.same(readable(dataDir), [], 'no ID number nor name readable in gateway.sqlite or gateway.sqlite-wal');
    t.equal(mode(dataDir), '700');
    for (const f of ['gateway.sqlite', 'gateway.sqlite-wal', 'gateway.sqlite-shm']) t.equal(mode(join(dataDir, f)), '600', `${f} is 600`);
    const processed = join(s.dir, 'drop', 'processed');
    const report = readdirSync(processed).find((n) => n.endsWith('.errors.csv'));
    t.ok(report, 'the file got its error report');
    t.equal(mode(join(processed, report!)), '600', 'the report beside the processed file is 600');
    t.equal(mode(incoming), umask === 0 ? '777' : '755', 'incoming/ is left open to the clerks\' share');
  });
}

t.test('a data folder or store others can read refuses the start with the chmod to run', async (t) => {
  const s = await setup(t);
  await (await start(s)).stop();
  const dataDir = join(s.dir, 'data');
  chmodSync(dataDir, 0o755);
  await t.rejects(start(s), { code: 'STORE_NOT_PRIVATE', message: `${dataDir} has mode 755: run chmod 700 '${dataDir}'` });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, 'gateway.sqlite');
  chmodSync(file, 0o644);
  await t.rejects(start(s), { code: 'STORE_NOT_PRIVATE', message: new RegExp(`run chmod 600 '${file}'`) });
  chmodSync(file, 0o600);
  const again = await start(s);
  await again.stop();
  t.pass('starts again once fixed');
});

t.test('a wrong, malformed or missing key refuses the start with its code, never reads garbage', async (t) => {
  const s = await setup(t);
  const first = await start(s);
  await first.stop();
  await t.rejects(start(s, { ...s.env, CREDIT_GATEWAY_SECRET_STORE_KEY: randomBytes(32).toString('hex') }), { code: 'STORE_KEY_MISSING' }, 'another key');
  await t.rejects(start(s, { ...s.env, CREDIT_GATEWAY_SECRET_STORE_KEY: 'correct horse battery staple' }), { code: 'STORE_KEY_INVALID', message: /store\.encryption\.keyRef/ }, 'not a 32-byte key');
  await t.rejects(start(s, { CREDIT_GATEWAY_SECRET_PLATFORM: SECRET }), { code: 'CONFIG_SECRET_MISSING', problems: [{ path: 'store.encryption.keyRef' }] }, 'no key at all');
  const plain = JSON.parse(readFileSync(s.configFile, 'utf8'));
  delete plain.store;
  writeFileSync(s.configFile, JSON.stringify(plain));
  await t.rejects(start(s), { code: 'STORE_KEY_MISSING', message: /store\.encryption is not configured/ }, 'encryption turned off on a sealed store');
});
