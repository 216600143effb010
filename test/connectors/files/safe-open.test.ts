import t from 'tap';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openInFolder, readBytes, unchangedSince } from '../../../connectors/files/safe-open.js';
import { refusal } from './helpers.js';

const posix = process.platform !== 'win32';

t.test('a plain file in the folder opens, with its size and time', async (t) => {
  const dir = t.testdir({ 'P07-002.csv': 'a,b\n' });
  const file = await openInFolder(dir, 'P07-002.csv');
  t.teardown(() => file.handle.close());
  t.equal(file.size, 4);
  t.ok(await unchangedSince(file));
});

t.test('symbolic links are refused, whether they point inside or outside the folder, or nowhere', { skip: !posix }, async (t) => {
  const root = t.testdir({ secret: 'password', incoming: { 'real.csv': 'a\n' } });
  const incoming = join(root, 'incoming');
  symlinkSync(join(root, 'secret'), join(incoming, 'out.csv'));
  symlinkSync('real.csv', join(incoming, 'in.csv'));
  symlinkSync('nowhere', join(incoming, 'dangling.csv'));
  for (const name of ['out.csv', 'in.csv', 'dangling.csv']) {
    t.same(await refusal(openInFolder(incoming, name)), { code: 'FILE_NOT_REGULAR', params: { kind: 'symbolic link' } }, name);
  }
});

t.test('a hard link is refused: it may be someone else\'s file under a new name', { skip: !posix }, async (t) => {
  const root = t.testdir({ store: 'the gateway store', incoming: {} });
  linkSync(join(root, 'store'), join(root, 'incoming', 'P07-002.csv'));
  t.same(await refusal(openInFolder(join(root, 'incoming'), 'P07-002.csv')), { code: 'FILE_NOT_REGULAR', params: { kind: 'hard link' } });
});

t.test('a FIFO is refused without ever blocking on it; a folder too', { skip: !posix }, async (t) => {
  const dir = t.testdir({});
  execFileSync('mkfifo', [join(dir, 'P07-002.csv')]);
  mkdirSync(join(dir, 'P07-002_dir.csv'));
  t.same(await refusal(openInFolder(dir, 'P07-002.csv')), { code: 'FILE_NOT_REGULAR', params: { kind: 'device, FIFO or socket' } });
  t.same(await refusal(openInFolder(dir, 'P07-002_dir.csv')), { code: 'FILE_NOT_REGULAR', params: { kind: 'folder' } });
});

t.test('a name with a path in it is refused before the file system is asked', async (t) => {
  const dir = t.testdir({});
  for (const name of ['../x.csv', 'a/b.csv', '..', '']) t.match(await refusal(openInFolder(dir, name)), { code: 'FILE_OUTSIDE_FOLDER' }, JSON.stringify(name));
});

t.test('a drop folder that is itself a symbolic link is followed: the check is against its real path', { skip: !posix }, async (t) => {
  const root = t.testdir({ real: { 'P07-002.csv': 'a\n' } });
  symlinkSync(join(root, 'real'), join(root, 'drop'));
  const file = await openInFolder(join(root, 'drop'), 'P07-002.csv');
  t.teardown(() => file.handle.close());
  t.equal(file.path, join(root, 'real', 'P07-002.csv'));
});

t.test('unchangedSince notices a file written to in place, and a file replaced under the same name', async (t) => {
  const dir = t.testdir({ 'a.csv': 'a\n', 'b.csv': 'b\n' });
  const a = await openInFolder(dir, 'a.csv');
  const b = await openInFolder(dir, 'b.csv');
  t.teardown(() => a.handle.close());
  t.teardown(() => b.handle.close());
  writeFileSync(join(dir, 'a.csv'), 'a\nmore\n');
  writeFileSync(join(dir, 'b.new'), 'b\n');
  execFileSync('mv', [join(dir, 'b.new'), join(dir, 'b.csv')]);
  t.equal(await unchangedSince(a), false);
  t.equal(await unchangedSince(b), false);
});

t.test('readBytes reads a range and never closes the handle it reads through', async (t) => {
  const dir = t.testdir({ 'x.bin': '0123456789' });
  const file = await openInFolder(dir, 'x.bin');
  t.teardown(() => file.handle.close());
  const text = async (start?: number, end?: number) => {
    const chunks: Buffer[] = [];
    for await (const c of readBytes(file.handle, start, end)) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  };
  t.equal(await text(), '0123456789');
  const early = readBytes(file.handle);
  early.destroy();
  t.equal(await text(2, 5), '234', 'still open after a stream was destroyed');
});
