import t from 'tap';
import { execFileSync, spawn, spawnSync } from 'node:child_process';

// What every test's own programs start with (test/helpers/test-process.mjs):
// a CLI or gateway process a test starts must load as a department's would,
// without tap's process-tracking hook, which would cost each one about a
// second and the suite minutes.
const REPORT = 'process.stdout.write(JSON.stringify({ nodeOptions: process.env.NODE_OPTIONS ?? null, execArgv: process.execArgv }))';
const tapHooks = (report: { nodeOptions: string | null; execArgv: string[] }) =>
  [report.nodeOptions ?? '', ...report.execArgv].filter((arg) => arg.includes('@tapjs/'));

t.test('the test itself runs without tap’s module hooks and source maps, yet as tap’s child', async (t) => {
  t.same(process.execArgv.filter((arg) => arg.includes('@tapjs/') || arg === '--enable-source-maps'), []);
  t.ok(process.send, 'tap’s message channel (its timeout notice) reaches the test');
  t.ok(process.env.TAP_CHILD_ID, 'tap’s environment reaches the test');
});

t.test('a child started with spawnSync or execFileSync gets no tap hook', async (t) => {
  const viaSpawnSync = JSON.parse(spawnSync(process.execPath, ['-e', REPORT], { encoding: 'utf8' }).stdout);
  t.same(tapHooks(viaSpawnSync), [], 'spawnSync');
  t.equal(viaSpawnSync.nodeOptions, null, 'no NODE_OPTIONS at all');
  const viaExecFile = JSON.parse(execFileSync(process.execPath, ['-e', REPORT], { encoding: 'utf8' }));
  t.same(tapHooks(viaExecFile), [], 'execFileSync');
});

t.test('a child started with spawn and an explicit environment gets no tap hook either', async (t) => {
  const child = spawn(process.execPath, ['-e', REPORT], { env: { ...process.env, EXTRA: '1' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  t.same(tapHooks(JSON.parse(out)), []);
});
