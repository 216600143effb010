/**
 * `credit-gateway doctor` as a technical contact runs it: a child process,
 * its output and its exit code (the checks themselves: test/gateway/doctor/).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../gateway/paths.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';

const execFileP = promisify(execFile);
import { CLI } from '../helpers/cli.js';

async function doctor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, 'doctor', ...args], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

t.test('doctor exits 0 with a JSON report on a working set-up, and 1 with the fix in Chinese when the platform is down', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 2);
  business.db.close();
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  writeFileSync(join(dir, 'secrets.yaml'), `platform: ${TEST_SECRET}\n`, { mode: 0o600 });
  const withSecrets = JSON.parse(readFileSync(config, 'utf8'));
  writeFileSync(config, JSON.stringify({ ...withSecrets, secrets: { file: 'secrets.yaml' } }));

  const ok = await doctor(['--config', config, '--json', '--lang', 'en']);
  t.equal(ok.code, 0, ok.stderr);
  const report = JSON.parse(ok.stdout);
  t.equal(report.ok, true);
  t.same(report.checks.filter((c: { state: string }) => c.state === 'fail'), []);
  t.ok(report.checks.every((c: Record<string, unknown>) => typeof c.id === 'string' && typeof c.message === 'string' && 'fix' in c));
  t.equal(report.checks.find((c: { id: string }) => c.id === 'auth').state, 'pass');

  await receiver.close();
  const down = await doctor(['-c', config]);
  t.equal(down.code, 1);
  t.match(down.stdout, /\[失败\] 平台连通与 TLS: 无法访问平台/);
  t.match(down.stdout, /处理办法: 检查政务外网连接/);
  t.match(down.stdout, /检查完成：1 项失败/);
  t.notMatch(down.stdout + down.stderr, new RegExp(TEST_SECRET));
});
