/**
 * `npm start` as a newcomer runs it: a child process, a status page with
 * read / delivered / rejected and reasons, demo changes arriving within
 * seconds, Ctrl-C stopping everything.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { packageRoot } from '../../../gateway/paths.js';
import { applyDemoChange } from '../../../scripts/demo/business-db.js';

const START = join(packageRoot(), 'dist', 'scripts', 'demo', 'start-demo.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(what: () => Promise<T>, until: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await what();
  while (!until(value) && Date.now() < deadline) {
    await sleep(200);
    value = await what();
  }
  return value;
}

t.test('the embedded demo runs, shows its data arriving, takes changes, and stops on Ctrl-C', async (t) => {
  const dataDir = t.testdir({});
  const child = spawn(process.execPath, [START], { env: { ...process.env, DEMO_DATA_DIR: dataDir, DEMO_STATUS_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let output = '';
  const lines = createInterface({ input: child.stdout! });
  const statusUrl = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output += line + '\n';
      const m = /status page.*?(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`demo exited early:\n${output}`)));
  });
  const receiverUrl = /reference platform:\s+(\S+)\/exchange/.exec(await poll(async () => output, (o) => /reference platform/.test(o)))![1]!;

  const status = () => fetch(`${statusUrl}api/status`).then((r) => r.json() as Promise<any>);
  const first = await poll(status, (s) => s.totals.delivered >= 38 && s.queue.pending === 0);
  t.equal(first.totals.read, 46, 'every demo row was read');
  t.equal(first.totals.delivered, 42, 'every valid row was delivered');
  t.equal(first.totals.rejectedLocal, 4, 'the four invalid rows were rejected');
  t.same(
    first.rejections.recent.map((r: any) => r.code).sort(),
    ['CREDIT_CODE_CHARSET', 'CREDIT_CODE_CHECK', 'CREDIT_CODE_LENGTH', 'SUBJECT_NAME_MISSING'],
    'each with its reason',
  );
  const page = await (await fetch(statusUrl)).text();
  t.match(page, /信用信息前置交换网关/);
  t.match(page, /统一社会信用代码校验位错误/);

  const platform = () => fetch(`${receiverUrl}/_receiver/records`).then((r) => r.json() as Promise<any[]>);
  t.equal((await platform()).length, 42, 'the platform holds the valid rows');

  const change = applyDemoChange(join(dataDir, 'business.sqlite'));
  const after = await poll(platform, (recs) => recs.length === 43 && recs.some((r) => r.data?.XK_YXQZI === '2099-12-31' && r.seq > 42));
  t.equal(after.length, 43, `the new penalty ${change.inserted.id} arrived`);
  t.ok(after.some((r) => r.seq > 42 && r.data?.XK_YXQZI === '2099-12-31'), `the changed licence ${change.updated.id} arrived as a new seq`);

  child.kill('SIGINT');
  t.equal(await exited, 0, 'Ctrl-C stops cleanly');
  t.match(output, /stopped\./);
  await t.rejects(fetch(`${receiverUrl}/_receiver/stats`), 'the reference platform stopped with it');
});
