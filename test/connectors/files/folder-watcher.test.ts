import t, { type Test } from 'tap';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FolderWatcher, type FolderWatcherOptions } from '../../../connectors/files/folder-watcher.js';

const timing = { stableMs: 200, pollMs: 25, rescanMs: 300 };

/** Resolves when `check` holds; fails the wait (not a timing assertion) after `ms`. */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A started watcher whose onFile records each name with the file's content at that moment, then moves it to processed/. */
async function watcher(t: Test, root: string, options: Partial<FolderWatcherOptions> = {}) {
  const handed: { name: string; content: string }[] = [];
  const w: FolderWatcher = new FolderWatcher({
    root,
    ...timing,
    onFile: async (name) => {
      const path = join(w.folders.incoming, name);
      handed.push({ name, content: readFileSync(path, 'utf8') });
      renameSync(path, join(w.folders.processed, name));
    },
    ...options,
  });
  await w.start();
  t.teardown(() => w.stop());
  return { w, handed };
}

t.test('start creates incoming/, processed/ and rejected/', async (t) => {
  const root = join(t.testdir({}), 'drop');
  const { w } = await watcher(t, root);
  for (const dir of [w.folders.incoming, w.folders.processed, w.folders.rejected]) t.ok(existsSync(dir), dir);
});

t.test('files already there at start are handed out; temp, lock and notes files never are', async (t) => {
  const root = t.testdir({ incoming: {
    'P07-002_a.csv': 'a\n', 'P07-002_b.xlsx': 'b', 'P07-002.csv.part': 'partial', '~$P07-002.xlsx': 'lock', '.hidden.csv': 'h', 'notes.txt': 'n',
    sub: { 'P07-002_c.csv': 'in a subfolder' },
  } });
  const { handed } = await watcher(t, root);
  await until(() => handed.length >= 2, 'both data files are handed out');
  await sleep(timing.rescanMs * 2);
  t.same(handed.map((h) => h.name).sort(), ['P07-002_a.csv', 'P07-002_b.xlsx']);
});

t.test('names the naming rule refuses are still handed out, so they can be moved to rejected/ with a reason', async (t) => {
  const root = t.testdir({ incoming: { 'P07-002.xls': 'old excel', '..\\P07-002.csv': 'odd' } });
  const { handed } = await watcher(t, root);
  await until(() => handed.length === 2, 'both are handed out');
  t.same(handed.map((h) => h.name).sort(), ['..\\P07-002.csv', 'P07-002.xls']);
});

t.test('a file still being written is not handed out until it stops growing', async (t) => {
  const root = t.testdir({ incoming: {} });
  const { w, handed } = await watcher(t, root);
  const path = join(w.folders.incoming, 'P07-002_growing.csv');
  writeFileSync(path, 'header\n');
  // Each append lands well inside the stability window, so the file is never stable while it grows.
  for (let i = 1; i <= 12; i++) {
    await sleep(timing.stableMs / 4);
    appendFileSync(path, `row ${i}\n`);
  }
  await until(() => handed.length === 1, 'the file is handed out once complete');
  t.equal(handed[0]!.content.split('\n').filter(Boolean).length, 13, 'with every line the writer wrote');
});

t.test('a file written under a temporary name and renamed into place is handed out once, under its real name', async (t) => {
  const root = t.testdir({ incoming: {} });
  const { w, handed } = await watcher(t, root);
  const temp = join(w.folders.incoming, 'P07-002_x.csv.part');
  writeFileSync(temp, 'header\n');
  for (let i = 0; i < 3; i++) {
    await sleep(timing.stableMs * 1.5);
    appendFileSync(temp, `row ${i}\n`);
  }
  t.same(handed, [], 'nothing while the temp file sits there, however long it is stable');
  renameSync(temp, join(w.folders.incoming, 'P07-002_x.csv'));
  await until(() => handed.length === 1, 'the renamed file is handed out');
  t.same(handed, [{ name: 'P07-002_x.csv', content: 'header\nrow 0\nrow 1\nrow 2\n' }]);
});

t.test('files are handed out one at a time, and an error in one turn does not stop the next', async (t) => {
  const root = t.testdir({ incoming: { 'P07-002_1.csv': '1', 'P07-002_2.csv': '2', 'P07-002_3.csv': '3' } });
  let active = 0;
  let most = 0;
  const names: string[] = [];
  const errors: unknown[] = [];
  const w: FolderWatcher = new FolderWatcher({
    root, ...timing,
    onFile: async (name) => {
      active += 1;
      most = Math.max(most, active);
      await sleep(30);
      names.push(name);
      renameSync(join(w.folders.incoming, name), join(w.folders.processed, name));
      active -= 1;
      if (name === 'P07-002_1.csv') throw new Error('this turn failed');
    },
    onError: (err) => errors.push(err),
  });
  await w.start();
  t.teardown(() => w.stop());
  await until(() => names.length === 3, 'all three turns ran');
  t.equal(most, 1);
  t.match(errors, [{ message: 'this turn failed' }]);
});

t.test('a file left in incoming/ after its turn gets another turn at the next rescan', async (t) => {
  const root = t.testdir({ incoming: { 'P07-002.csv': 'a' } });
  let turns = 0;
  const w: FolderWatcher = new FolderWatcher({
    root, ...timing,
    onFile: async (name) => {
      turns += 1;
      if (turns === 2) renameSync(join(w.folders.incoming, name), join(w.folders.processed, name));
    },
  });
  await w.start();
  t.teardown(() => w.stop());
  await until(() => turns === 2, 'the file is tried again');
  await sleep(timing.rescanMs * 2);
  t.equal(turns, 2, 'and not again once it has been moved');
});

t.test('stop waits for the turn in hand', async (t) => {
  const root = t.testdir({ incoming: { 'P07-002.csv': 'a' } });
  let finished = false;
  let started = false;
  const w = new FolderWatcher({
    root, ...timing,
    onFile: async () => {
      started = true;
      await sleep(100);
      finished = true;
    },
  });
  await w.start();
  await until(() => started, 'the turn started');
  await w.stop();
  t.equal(finished, true);
});

t.test('a file that starts changing again while it waits for its turn waits until it is stable again', async (t) => {
  const root = t.testdir({ incoming: { 'P07-002_1.csv': 'first', 'P07-002_2.csv': 'second\n' } });
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const handed: { name: string; content: string }[] = [];
  const w: FolderWatcher = new FolderWatcher({
    root, ...timing,
    onFile: async (name) => {
      const path = join(w.folders.incoming, name);
      if (name === 'P07-002_1.csv') await held;
      handed.push({ name, content: readFileSync(path, 'utf8') });
      renameSync(path, join(w.folders.processed, name));
    },
  });
  await w.start();
  t.teardown(() => w.stop());
  // By now both are ready; the second waits behind the first, whose turn is held.
  await sleep(timing.stableMs * 3);
  const second = join(w.folders.incoming, 'P07-002_2.csv');
  appendFileSync(second, 'more\n');
  release();
  await sleep(timing.stableMs / 4);
  appendFileSync(second, 'last\n');
  await until(() => handed.length === 2, 'both files had their turn');
  t.same(handed.map((h) => h.name), ['P07-002_1.csv', 'P07-002_2.csv']);
  t.equal(handed[1]!.content, 'second\nmore\nlast\n');
});
