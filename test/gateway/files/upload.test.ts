import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { placeUpload, storeUpload, uploadName, UploadError, type UploadProfile } from '../../../gateway/files/upload.js';

t.test('an upload keeps a name that follows the naming rule', async (t) => {
  t.equal(uploadName('P07-002_2026-11.xlsx'), 'P07-002_2026-11.xlsx');
  t.equal(uploadName('C:\\fakepath\\P07-002_十一月.csv'), 'P07-002_十一月.csv', 'the browser path is dropped');
  t.equal(uploadName('P07-002_2017.XLS'), 'P07-002_2017.XLS', 'an Excel 97-2003 template is taken too');
});

/** A profile as the upload sees it: its label, name pattern and header signature. */
function profile(label: string, pattern: RegExp | null, signature: string[] = [], category = 'P07-001'): UploadProfile {
  return { label, category, matchesName: (file) => pattern !== null && pattern.test(file), signature };
}

t.test('an export whose name a profile\'s pattern fits is taken as it is, and the page is told which profile reads it', async (t) => {
  const profiles = [profile('全国教师资格信息系统 认定导出', /^教师资格认定.*\.xls$/i)];
  t.same(placeUpload('教师资格认定2017年6月.xls', undefined, profiles), { name: '教师资格认定2017年6月.xls', way: 'profile', profile: '全国教师资格信息系统 认定导出' });
  t.same(placeUpload('P07-002_十一月.xlsx', undefined, profiles), { name: 'P07-002_十一月.xlsx', way: 'template' }, 'a template name stays a template');
});

t.test('a name with no code that no pattern fits is taken when a profile may claim it by its headers, and refused when none can', async (t) => {
  t.same(placeUpload('导出数据.xls', undefined, [profile('行政许可导出', null, ['许可文书号', '行政相对人名称'])]), { name: '导出数据.xls', way: 'signature' });
  t.throws(() => placeUpload('导出数据.xls', undefined, [profile('按名称', /^jszg/)]), { code: 'FILE_PROFILE_NONE' }, 'profiles that match by name only cannot claim it');
  t.throws(() => placeUpload('导出数据.xls'), { code: 'FILE_NAME_INVALID' }, 'with no profile the name rule holds as before');
  const any = [profile('任意', /.*/, ['姓名'])];
  t.equal(placeUpload('../../导出.xls', undefined, any).name, '导出.xls', 'a path never reaches the folder');
  t.equal(placeUpload('导出\u0001数据.xls', undefined, any).name, '导出_数据.xls', 'nor a control character');
  t.throws(() => placeUpload('导出数据.doc', undefined, [profile('任意', /.*/, ['姓名'])]), { code: 'FILE_FORMAT_UNSUPPORTED' });
});

t.test('the category chosen on the form is put in front of a name without it', async (t) => {
  t.equal(uploadName('十一月处罚.xlsx', 'P07-002'), 'P07-002_十一月处罚.xlsx');
  t.equal(uploadName('P07-002_x.xlsx', 'P07-002'), 'P07-002_x.xlsx', 'not twice');
  t.equal(uploadName('p07-002_x.xlsx', 'P07-002'), 'p07-002_x.xlsx', 'codes compare without case');
});

t.test('an export a profile takes by its name keeps its name when the form\'s category is that profile\'s', async (t) => {
  const profiles = [profile('全国行政许可系统 导出', /^行政许可信息导出.*\.xlsx$/, [], 'P07-001')];
  t.same(placeUpload('行政许可信息导出_20261201.xlsx', 'P07-001', profiles), { name: '行政许可信息导出_20261201.xlsx', way: 'profile', profile: '全国行政许可系统 导出' }, 'not renamed into a template file');
  t.same(placeUpload('十二月许可.xlsx', 'P07-001', profiles), { name: 'P07-001_十二月许可.xlsx', way: 'template' }, 'a name no profile takes is still prefixed');
  const two = [profile('处罚导出', /导出.*\.xlsx$/, [], 'P07-002'), ...profiles];
  t.match(placeUpload('行政许可信息导出_20261201.xlsx', 'P07-001', two), { name: '行政许可信息导出_20261201.xlsx', way: 'profile', profile: '全国行政许可系统 导出' }, 'the page names the profile of the chosen category');
});

t.test('an export a profile of another category takes by its name is refused, saying which profile and category, not renamed', async (t) => {
  const profiles = [profile('全国行政许可系统 导出', /^行政许可信息导出.*\.xlsx$/, [], 'P07-001')];
  const err = (() => {
    try {
      placeUpload('行政许可信息导出_20261201.xlsx', 'P07-002', profiles);
      return null;
    } catch (e) {
      return e;
    }
  })();
  t.ok(err instanceof UploadError, 'refused');
  t.match(err, { code: 'FILE_CATEGORY_MISMATCH', params: { file: '行政许可信息导出_20261201.xlsx', profile: '全国行政许可系统 导出', profileCategory: 'P07-001', category: 'P07-002' } });
  t.match((err as Error).message, /P07-001[\s\S]*P07-002/);
});

t.test('a name starting with another category\'s code than the one chosen is refused, naming both, not prefixed twice', async (t) => {
  t.throws(() => placeUpload('P07-002_十一月.xlsx', 'P07-001'), {
    code: 'FILE_NAME_CATEGORY_MISMATCH',
    params: { file: 'P07-002_十一月.xlsx', nameCategory: 'P07-002', category: 'P07-001' },
  });
  t.equal(uploadName('P07-002_十一月.xlsx', 'p07-002'), 'P07-002_十一月.xlsx', 'the same code in another case is the same category');
});

t.test('names the folder would refuse or ignore are refused with the rule spelled out', async (t) => {
  for (const [name, code] of [['处罚.doc', 'FILE_FORMAT_UNSUPPORTED'], ['处罚.xlsx', 'FILE_NAME_INVALID'], ['.hidden.csv', 'FILE_NAME_INVALID'], ['x.tmp', 'FILE_NAME_INVALID']] as const) {
    const err = (() => {
      try {
        uploadName(name);
        return null;
      } catch (e) {
        return e;
      }
    })();
    t.ok(err instanceof UploadError, `${name} is refused`);
    t.equal((err as UploadError).code, code, name);
    t.match((err as UploadError).message, /category code/, 'the message says how to name the file');
  }
});

t.test('a stored upload appears in incoming/ whole, and a name in use gets a time suffix', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'upload-'));
  const incoming = join(root, 'incoming');
  const now = () => new Date('2026-11-27T01:02:03.456Z');
  const first = await storeUpload({ root, incoming, name: 'P07-002_a.csv', stream: Readable.from([Buffer.from('a,b\n1,2\n')]), maxBytes: 1024, now });
  const second = await storeUpload({ root, incoming, name: 'P07-002_a.csv', stream: Readable.from([Buffer.from('c\n')]), maxBytes: 1024, now });
  t.equal(first, 'P07-002_a.csv');
  t.equal(second, 'P07-002_a-20261127T010203Z.csv');
  t.equal(await readFile(join(incoming, first), 'utf8'), 'a,b\n1,2\n');
  t.same((await readdir(incoming)).sort(), [first, second].sort());
});

t.test('a file over the limit, or an empty one, never reaches incoming/', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'upload-'));
  const incoming = join(root, 'incoming');
  const big = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
  await t.rejects(storeUpload({ root, incoming, name: 'P07-002_big.csv', stream: big, maxBytes: 1000 }), { code: 'FILE_TOO_LARGE' });
  await t.rejects(storeUpload({ root, incoming, name: 'P07-002_empty.csv', stream: Readable.from([]), maxBytes: 1000 }), { code: 'FILE_UPLOAD_EMPTY' });
  t.same(await readdir(incoming), []);
  t.same(await readdir(join(root, '.uploading')), [], 'no partial file is left behind');
});

t.test('an uploaded file holds record values: it is 0600 in incoming/ whatever the umask', async (t) => {
  for (const umask of [0o022, 0o000]) {
    const previous = process.umask(umask);
    try {
      const root = t.testdir({});
      const incoming = join(root, 'incoming');
      const name = await storeUpload({ root, incoming, name: 'P07-002_p.csv', stream: Readable.from([Buffer.from('证件号码\n420202198503010111\n')]), maxBytes: 1024 });
      t.equal(((await stat(join(incoming, name))).mode & 0o777).toString(8), '600', `umask ${umask.toString(8)}`);
    } finally {
      process.umask(previous);
    }
  }
});
