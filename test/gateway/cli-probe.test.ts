/**
 * `credit-gateway config check --probe` as a department runs it before its
 * first start: a child process, its report and its exit status (what the
 * probe finds: test/gateway/probe/).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../gateway/paths.js';
import { probeExitStatus } from '../../gateway/cli-probe.js';
import { EXIT } from '../../gateway/exit-status.js';
import type { ProbeProblemCode, ProbeReport } from '../../gateway/probe/report.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';

const execFileP = promisify(execFile);
import { CLI } from '../helpers/cli.js';

async function check(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET };
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, 'config', 'check', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The test configuration with its job changed. */
function edit(file: string, change: (job: { category: string; fields: Record<string, unknown> }) => void): void {
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config.jobs[0]);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

t.test('exit 0 for a configuration that would start and deliver; 1 for a misspelled column, with the fix', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 40);
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange' });

  const good = await check(['--probe', '--rows', '10', '--lang', 'en', config]);
  t.equal(good.code, 0, good.stderr);
  t.match(good.stdout, /: ok \(1 sources, 1 jobs\)/);
  t.match(good.stdout, /rows sampled: 10; 10 would be sent, 0 rejected/);
  t.match(good.stdout, /probe passed/);

  const json = await check(['--probe', '--json', '--rows', '5', config]);
  t.equal(json.code, 0);
  const parsed = JSON.parse(json.stdout) as { ok: boolean; probe: { ok: boolean; jobs: { name: string; rowsSampled: number }[] } };
  t.equal(parsed.ok, true, 'the check\'s answer');
  t.same([parsed.probe.ok, parsed.probe.jobs.map((j) => [j.name, j.rowsSampled])], [true, [['penalties', 5]]], 'and the probe\'s beside it');

  edit(config, (job) => { job.fields.CF_XDR_SHXYM = 'credit_cod'; });
  const line = readFileSync(config, 'utf8').split('\n').findIndex((l) => l.includes('"CF_XDR_SHXYM": "credit_cod"')) + 1;
  const misspelled = await check(['--probe', config]);
  t.equal(misspelled.code, 1, 'a missing column is a setup problem: exit 1');
  t.match(misspelled.stdout, new RegExp(`gateway\\.yaml:${line}:\\d+ jobs\\[0\\]\\.fields\\.CF_XDR_SHXYM PROBE_COLUMN_MISSING: the query's result has no column credit_cod — did you mean credit_code\\?`), 'at its line, with the close match');
  t.notOk(existsSync(join(dir, 'data')), 'no data folder made');
});

t.test('a configuration the static check refuses is not probed: nothing connects', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 2);
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange' });
  edit(config, (job) => { job.category = 'P39-020'; });
  const refused = await check(['--probe', config]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /jobs\[0\]\.category CONFIG_CATEGORY_UNKNOWN/);
  t.notMatch(refused.stdout, /试运行检查|Probe/, 'no probe report');
});

t.test('the exit status is the first problem\'s, as every command gives it', async (t) => {
  const report = (code: ProbeProblemCode | null): ProbeReport => ({ at: '', sampleRows: 1, config: code ? [{ code, path: 'jobs[0]', detail: '' }] : [], sources: [], jobs: [] });
  t.equal(probeExitStatus(report(null)), EXIT.OK);
  t.equal(probeExitStatus(report('PROBE_CONFIG_INVALID')), EXIT.SETUP);
  t.equal(probeExitStatus(report('PROBE_COLUMN_MISSING')), EXIT.SETUP);
  t.equal(probeExitStatus(report('PROBE_SOURCE_UNAVAILABLE')), EXIT.SOURCE);
  t.equal(probeExitStatus(report('PROBE_FOLDER_UNUSABLE')), EXIT.SOURCE);
  t.equal(probeExitStatus(report('PROBE_QUERY_FAILED')), EXIT.SOURCE);
  t.equal(probeExitStatus(report('PROBE_ALL_REJECTED')), EXIT.ALL_REJECTED);
});

t.test('a wrong --rows is refused with its member', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 2);
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange' });
  const wrong = await check(['--probe', '--rows', 'many', config]);
  t.equal(wrong.code, 1);
  t.match(wrong.stderr, /--rows.*"many" is not a whole number/);
});
