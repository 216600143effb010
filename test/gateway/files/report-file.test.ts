import t, { type Test } from 'tap';
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropFolders } from '../../../connectors/files/folder-watcher.js';
import { isReportName, openReport, reportRef } from '../../../gateway/files/report-file.js';

async function read(stream: NodeJS.ReadableStream | null): Promise<string | null> {
  if (!stream) return null;
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

function folder(t: Test) {
  const root = t.testdir({ drop: { incoming: {}, processed: {}, rejected: {} }, 'secret.txt': 'not a report' });
  const folders = dropFolders(join(root, 'drop'));
  writeFileSync(join(folders.processed, '20261126-163005-042_P07-002_上报.xlsx.errors.csv'), '\uFEFF工作表,行号,字段,原因代码,原因\r\n,3,证件号码,ID_CHECK_DIGIT,校验位错误\r\n', { mode: 0o600 });
  writeFileSync(join(folders.rejected, '20261126-163006-001_bad.csv.errors.csv'), '\uFEFF工作表,行号,字段,原因代码,原因\r\n,,,FILE_HEADER_UNRECOGNISED,表头无法识别\r\n', { mode: 0o600 });
  return { root, folders };
}

t.test('a report written beside a processed or refused file downloads by its own name', async (t) => {
  const { folders } = folder(t);
  t.match(await read(await openReport(folders, 'processed', '20261126-163005-042_P07-002_上报.xlsx.errors.csv')), /ID_CHECK_DIGIT,校验位错误/);
  t.match(await read(await openReport(folders, 'rejected', '20261126-163006-001_bad.csv.errors.csv')), /FILE_HEADER_UNRECOGNISED/);
  t.equal(await openReport(folders, 'processed', 'nope.errors.csv'), null, 'a report that is not there: nothing');
});

t.test('a name from a URL reaches nothing but a report in processed/ or rejected/', async (t) => {
  const { root, folders } = folder(t);
  symlinkSync(join(root, 'secret.txt'), join(folders.processed, 'link.errors.csv'));
  linkSync(join(root, 'secret.txt'), join(folders.processed, 'hard.errors.csv'));
  writeFileSync(join(folders.processed, '.20261126-163005-042_x.xlsx.errors.csv.part'), 'half');
  writeFileSync(join(folders.incoming, 'P07-002_x.xlsx.errors.csv'), 'a clerk\'s file');
  mkdirSync(join(folders.processed, 'dir.errors.csv'));
  chmodSync(join(root, 'secret.txt'), 0o600);
  const refused: [string, string][] = [
    ['processed', '../../secret.txt'],
    ['processed', '../rejected/20261126-163006-001_bad.csv.errors.csv'],
    ['processed', '..%2F..%2Fsecret.txt'],
    ['processed', 'link.errors.csv'],
    ['processed', 'hard.errors.csv'],
    ['processed', '.20261126-163005-042_x.xlsx.errors.csv.part'],
    ['processed', 'dir.errors.csv'],
    ['processed', '/etc/passwd'],
    ['incoming', 'P07-002_x.xlsx.errors.csv'],
    ['..', 'secret.txt'],
    ['root', 'secret.txt'],
  ];
  for (const [where, name] of refused) t.equal(await openReport(folders, where, name), null, `${where}/${name} is refused`);
  t.notOk(isReportName('a.errors.csv/..'), 'a name with a path is no report name');
  t.notOk(isReportName('x\u001f.errors.csv'), 'nor one with a control character');
});

t.test('the page links a report by source, folder and bare name', async (t) => {
  t.same(reportRef('drop', 'processed', '/srv/drop/processed/20261126-163005-042_a.xlsx.errors.csv'), { source: 'drop', where: 'processed', name: '20261126-163005-042_a.xlsx.errors.csv' });
  t.same(reportRef('drop', 'rejected', 'C:\\drop\\rejected\\x.csv.errors.csv'), { source: 'drop', where: 'rejected', name: 'x.csv.errors.csv' });
  t.equal(reportRef('drop', 'processed', null), null);
});
