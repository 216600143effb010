import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { sweepTempReports } from '../../../gateway/files/file-turn.js';
import { Store } from '../../../gateway/store/store.js';
import { drop, folders, GOOD, job, penaltiesCsv, testDir } from './helpers.js';
import { programBesideTest } from '../../helpers/beside.js';

const program = programBesideTest(import.meta.url, './fixtures/kill-before-move.ts');
// The TypeScript loader this test runs under; the process-tracking hook would only get in the way of kill -9.
const loader = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));

t.test('kill -9 between commit and move: at restart the file is read again and nothing new is queued', async (t) => {
  const f = folders(t);
  const storeFile = join(testDir(t), 'gateway.sqlite');
  drop(f, 'P07-002_2026-11.csv', penaltiesCsv(GOOD));

  const child = spawn(process.execPath, [...loader, program, f.root, storeFile, 'P07-002_2026-11.csv'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  t.equal(signal, 'SIGKILL', `the program died at the move ${stderr}`);

  const store = Store.open({ file: storeFile });
  t.teardown(() => store.close());
  t.same(store.integrityCheck(), []);
  t.equal(store.lastSeq(), 3, 'its records were committed before it died');
  t.ok(existsSync(join(f.incoming, 'P07-002_2026-11.csv')), 'the file is still in incoming/');

  t.match(await job(store, f).process('P07-002_2026-11.csv'), { status: 'processed', queued: 0, unchanged: 3 });
  t.equal(store.lastSeq(), 3, 'no seq handed out at restart');
  t.equal(store.nextBatch({ maxRecords: 100, maxBytes: 1e6 }, () => 'b1')!.records.length, 3, 'each record is in the outbox once');
  t.same(readdirSync(f.incoming), []);
});

t.test('temporary reports a killed turn left behind are swept when the folder starts', async (t) => {
  const f = folders(t);
  writeFileSync(join(f.processed, '.20261126-101010-000_P07-002.csv.errors.csv.part'), 'half a report');
  writeFileSync(join(f.processed, '20261126-101010-000_P07-002.csv.errors.csv'), 'a whole report');
  t.equal(await sweepTempReports(f), 1);
  t.same(readdirSync(f.processed), ['20261126-101010-000_P07-002.csv.errors.csv']);
});
