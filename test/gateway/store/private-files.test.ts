/**
 * The data folder is created 0700 and the store files 0600 whatever the
 * umask, and anything looser is refused with the exact chmod to run.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { openDataFolder } from '../../../gateway/store/data-folder.js';
import { checkPrivateFiles, preparePrivateFolder, storeFiles } from '../../../gateway/store/private-files.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const logger = pino({ enabled: false });

for (const umask of [0o022, 0o000]) {
  t.test(`umask ${umask.toString(8).padStart(3, '0')}: a new data folder is 700, the store and its WAL and SHM 600`, async (t) => {
    const previous = process.umask(umask);
    t.teardown(() => void process.umask(previous));
    const dataDir = join(t.testdir({}), 'deep', 'data');
    const file = join(dataDir, 'gateway.sqlite');
    preparePrivateFolder(dataDir);
    const folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
    t.teardown(() => folder.close());
    const { store } = folder;
    store.resetCursor('any');
    t.equal(mode(dataDir), '700');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) t.equal(mode(f), '600', f);
  });
}

t.test('a folder group or others can enter is refused, naming the chmod', async (t) => {
  const dir = join(t.testdir({}), 'data');
  mkdirSync(dir, { mode: 0o750 });
  chmodSync(dir, 0o750);
  t.throws(() => preparePrivateFolder(dir), { code: 'STORE_NOT_PRIVATE', message: new RegExp(`${dir} has mode 750: run chmod 700 '${dir}'`) });
  chmodSync(dir, 0o700);
  t.doesNotThrow(() => preparePrivateFolder(dir));
});

t.test('every looser store file is named in one refusal, with one chmod for all', async (t) => {
  const dir = t.testdir({});
  chmodSync(dir, 0o700);
  const file = join(dir, 'gateway.sqlite');
  writeFileSync(file, '', { mode: 0o600 });
  writeFileSync(`${file}-wal`, '');
  chmodSync(`${file}-wal`, 0o640);
  writeFileSync(`${file}-shm`, '');
  chmodSync(`${file}-shm`, 0o604);
  t.throws(() => checkPrivateFiles(storeFiles(file)), {
    code: 'STORE_NOT_PRIVATE',
    message: new RegExp(`-wal has mode 640, .*-shm has mode 604: run chmod 600 '${file}-wal' '${file}-shm'$`),
  });
  t.throws(() => openDataFolder(dir, { logger, lockFor: 'start' }), { code: 'STORE_NOT_PRIVATE', message: /-wal has mode 640/ }, 'opening refuses too, before SQLite touches the files');
});
