/**
 * The data folder's lock is the operating system's: held by a live process,
 * gone the moment it dies, kill -9 included, with nothing stale to clean up.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeError } from '../../../gateway/errors.js';
import { dataFolderFiles } from '../../../gateway/store/data-folder.js';
import { DataFolderLock, readHolder } from '../../../gateway/store/lock.js';
import { programBesideTest } from '../../helpers/beside.js';

const loader = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));
const holder = programBesideTest(import.meta.url, './fixtures/lock-holder.ts');

t.test('a second process is refused while the first lives, naming it; after kill -9 the lock is free', async (t) => {
  const dir = t.testdir({});
  const files = dataFolderFiles(dir);
  const child = spawn(process.execPath, [...loader, holder, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.teardown(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));

  let refused: unknown = null;
  try {
    DataFolderLock.take(files, 'run');
  } catch (err) {
    refused = err;
  }
  t.match(describeError(refused), { code: 'STORE_LOCKED', message: new RegExp(`process ${child.pid} on .+ \\(credit-gateway start, since `) });
  t.equal(readHolder(files.pid)?.pid, child.pid, 'the pid file names the holder');

  child.kill('SIGKILL');
  await exited;
  const next = DataFolderLock.take(files, 'run');
  t.equal(readHolder(files.pid)?.pid, process.pid, 'the next process takes it at once, and says so');
  next.release();
  t.notOk(existsSync(files.pid), 'a clean release leaves no pid file');
});
