/**
 * Issue 10, the hostile bundle: which local files and folders a source may
 * name. Real folders, files and symbolic links in a temp dir; the rule is
 * the local configuration's, whatever a bundle says.
 */
import t, { type Test } from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePathRefusal, LocalPaths, pathUseProblems, physicalPath, type LocalPathUse } from '../../config/local-paths.js';
import { loadConfigFile } from '../../config/load.js';
import type { SourceConfig } from '../../config/schema.js';

const sqlite = (file: string): SourceConfig => ({ name: 'evil', kind: 'sqlite', file, pageSize: 500, queryTimeoutMs: 1000, connectTimeoutMs: 1000 });
const folder = (path: string): SourceConfig => ({ name: 'evil', kind: 'folder', path, stableMs: 0, usePolling: false });
const oracle = (thickLibDir: string): SourceConfig => ({
  name: 'evil', kind: 'oracle', host: '10.1.2.3', database: 'orcl', user: 'ro', passwordRef: 'ora', thickLibDir, pageSize: 500, queryTimeoutMs: 1000, connectTimeoutMs: 1000, timeZone: 'UTC',
});

/** A gateway installed as a department would: config folder, data folder, exports elsewhere, a department system beside them. */
function installation(t: Test) {
  const root = t.testdir({
    etc: { 'gateway.yaml': '', 'secrets.yaml': '', 'center-public.pem': '', data: { 'gateway.sqlite': 'store' }, bundles: {} },
    srv: { exports: { 'biz.sqlite': 'biz', drop: {} }, other: { 'hr.sqlite': 'other department' } },
    opt: { instantclient: {}, evilclient: {} },
  });
  const etc = join(root, 'etc');
  symlinkSync(join(root, 'srv', 'other'), join(root, 'srv', 'exports', 'link-out'));
  symlinkSync(join(root, 'etc', 'data'), join(root, 'srv', 'exports', 'link-data'));
  symlinkSync(join(root, 'nowhere'), join(root, 'srv', 'exports', 'dangling'));
  const local: LocalPathUse = {
    gateway: { dataDir: './data' },
    platform: {},
    secrets: { file: './secrets.yaml' },
    control: { publicKeyFile: './center-public.pem', bundleFolder: './bundles', allowPaths: [join(root, 'srv', 'exports')] },
    sources: [
      sqlite(join(root, 'srv', 'other', 'hr.sqlite')),
      { ...folder('./data/../drop-local'), name: 'local-drop' },
      { ...oracle(join(root, 'opt', 'instantclient')), name: 'ora' },
    ],
  };
  return { root, etc, local, paths: new LocalPaths(local, etc) };
}

t.test('what a local source uses, and what lies inside an allowed folder, is allowed', async (t) => {
  const { root, paths } = installation(t);
  t.equal(paths.refusal(sqlite(join(root, 'srv', 'other', 'hr.sqlite'))), null, "a local source's file, even outside the allowed folders");
  t.equal(paths.refusal(sqlite('../srv/other/hr.sqlite')), null, 'written another way, it is the same file');
  t.equal(paths.refusal(folder('./drop-local')), null, "a local source's folder");
  t.equal(paths.refusal(sqlite(join(root, 'srv', 'exports', 'biz.sqlite'))), null, 'a file inside an allowed folder');
  t.equal(paths.refusal(sqlite('../srv/exports/biz.sqlite')), null, 'relative to the configuration folder');
  t.equal(paths.refusal(folder(join(root, 'srv', 'exports', 'drop'))), null, 'a folder inside an allowed folder');
  t.equal(paths.refusal(folder(join(root, 'srv', 'exports', 'new', 'sub'))), null, 'one that does not exist yet');
  t.equal(paths.refusal(oracle(join(root, 'opt', 'instantclient'))), null, "a local Oracle source's client folder");
  t.equal(paths.refusal({ name: 'db', kind: 'mysql', host: 'x', database: 'x', user: 'x', passwordRef: 'x', pageSize: 1, queryTimeoutMs: 100, connectTimeoutMs: 100, timeZone: 'UTC' }), null, 'a network source names no local path');
});

t.test("the gateway's own places are refused even inside an allowed folder", async (t) => {
  const { root, etc } = installation(t);
  // An operator who allowed a folder holding the whole installation.
  const paths = new LocalPaths({ ...installation(t).local, control: { ...installation(t).local.control, allowPaths: [root] } }, etc);
  for (const [written, what, why] of [
    ['./data/gateway.sqlite', /data folder/, "the gateway's own store"],
    [join(etc, 'data', 'gateway.sqlite'), /data folder/, 'the store, absolute'],
    ['./secrets.yaml', /configuration folder|secrets file/, 'the secrets file'],
    ['./center-public.pem', /configuration folder|public key/, 'the key file'],
    ['./bundles/x.sqlite', /configuration folder|bundle folder/, 'the bundle folder'],
  ] as const) {
    t.match(paths.refusal(sqlite(written)), { kind: 'own', member: 'file', what }, why);
  }
  t.match(paths.refusal(folder('./data')), { kind: 'own', member: 'path', path: join(etc, 'data'), what: /data folder/ }, 'a folder source on the data folder');
  t.match(paths.refusal(folder(root)), { kind: 'own', what: /data folder/ }, 'a folder holding the data folder');
  t.match(paths.refusal(folder(join(root, 'srv', 'exports', 'link-data'))), { kind: 'own', path: join(etc, 'data') }, 'a link to the data folder');
});

t.test('`..` and symbolic links cannot lead out of an allowed folder', async (t) => {
  const { root, paths } = installation(t);
  const exports = join(root, 'srv', 'exports');
  const dotdot = paths.refusal(sqlite(`${exports}/../other/hr2.sqlite`));
  t.match(dotdot, { kind: 'outside', path: join(root, 'srv', 'other', 'hr2.sqlite'), viaLink: false }, '`..` out of the allowed folder');
  t.match(paths.refusal(sqlite(`${exports}/new/../../other/x.sqlite`)), { kind: 'outside' }, '`..` through a folder that does not exist yet');
  const link = paths.refusal(sqlite(join(exports, 'link-out', 'secret.sqlite')));
  t.match(link, { kind: 'outside', path: join(root, 'srv', 'other', 'secret.sqlite'), viaLink: true }, 'a link inside the allowed folder pointing outside');
  t.match(describePathRefusal('evil', link!), /source "evil" may not use file ".*other\/secret\.sqlite": it lies outside the allowed folders \(it leads there through a symbolic link\); the local configuration allows only paths inside .*srv\/exports \(control\.allowPaths\)/);
  t.match(paths.refusal(sqlite(join(exports, 'dangling'))), { kind: 'unclear' }, 'a link to nowhere (yet) is refused');
  t.match(paths.refusal(sqlite(join(exports, 'dangling', 'x.sqlite'))), { kind: 'unclear' }, 'and so is anything under it');
  t.match(paths.refusal(sqlite('/etc/passwd')), { kind: 'outside', path: '/etc/passwd' }, 'anywhere else');
});

t.test('`..` after a link leads where the link leads, not where the text suggests', async (t) => {
  const dir = t.testdir({ allowed: { deep: {} }, outside: { 'x.sqlite': 'x' } });
  // allowed/up → outside/…/deep-ish: "allowed/up/../x.sqlite" reads as allowed/x.sqlite but is outside/x.sqlite's sibling.
  mkdirSync(join(dir, 'outside', 'sub'));
  symlinkSync(join(dir, 'outside', 'sub'), join(dir, 'allowed', 'up'));
  t.equal(physicalPath(dir, 'allowed/up/../x.sqlite'), join(dir, 'outside', 'x.sqlite'));
  const paths = new LocalPaths({ gateway: { dataDir: './data' }, platform: {}, control: { allowPaths: ['./allowed'] }, sources: [] }, join(dir, 'etc'));
  t.match(paths.refusal(sqlite('../allowed/up/../x.sqlite')), { kind: 'outside', path: join(dir, 'outside', 'x.sqlite') });
});

t.test("an Oracle client folder only as a local Oracle source's", async (t) => {
  const { root, paths } = installation(t);
  const r = paths.refusal(oracle(join(root, 'srv', 'exports')));
  t.match(r, { kind: 'client', member: 'thickLibDir', allowed: [join(root, 'opt', 'instantclient')] }, 'even inside an allowed folder');
  t.match(describePathRefusal('evil', r!), /source "evil" may not use thickLibDir ".*srv\/exports": native client libraries are loaded only from a folder a local Oracle source names \(.*opt\/instantclient\)/);
  t.match(paths.refusal(oracle(join(root, 'opt', 'evilclient'))), { kind: 'client' }, 'another client folder');
  const none = new LocalPaths({ gateway: { dataDir: './data' }, platform: {}, sources: [] }, root);
  t.match(describePathRefusal('evil', none.refusal(oracle(join(root, 'opt', 'instantclient')))!), /\(none does\)/, 'without a local Oracle source, none');
});

t.test('without control.allowPaths, only what local sources use', async (t) => {
  const { root, etc, local } = installation(t);
  const paths = new LocalPaths({ ...local, control: { ...local.control, allowPaths: [] } }, etc);
  const r = paths.refusal(sqlite(join(root, 'srv', 'exports', 'biz.sqlite')));
  t.match(describePathRefusal('evil', r!), /control\.allowPaths is empty/);
});

t.test('config check refuses an allowed folder that is one of the gateway\'s own places, naming the member', async (t) => {
  const { root, etc, local } = installation(t);
  t.same(pathUseProblems(local, etc), [], 'a folder of exports is fine');
  t.same(pathUseProblems({ ...local, control: { allowPaths: [root] } }, etc), [], 'a folder holding the installation is fine: the own places inside stay refused');
  const problems = pathUseProblems({ ...local, control: { allowPaths: [join(root, 'srv'), './data', './data/sub', join(root, 'srv', 'exports', 'dangling')] } }, etc);
  t.match(problems, [
    { path: 'control.allowPaths[1]', message: /"\.\/data" \(.*etc\/data\) is or lies inside the gateway's data folder/ },
    { path: 'control.allowPaths[2]', message: /data folder/ },
    { path: 'control.allowPaths[3]', message: /cannot be told for certain/ },
  ]);
  t.equal(problems.length, 3);

  const file = join(etc, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-x', department: '某局', dataDir: './data' },
    platform: { url: 'https://platform.example/x', secretRef: 'platform' },
    control: { allowPaths: ['./data'] },
  }));
  t.throws(() => loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: 'p' }), { code: 'CONFIG_PATH_MISUSED', message: /control\.allowPaths\[0\]: "\.\/data"/ }, 'loading the configuration refuses it');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-x', department: '某局', dataDir: './data' },
    platform: { url: 'https://platform.example/x', secretRef: 'platform' },
    control: { allowPaths: [''] },
  }));
  t.throws(() => loadConfigFile(file, {}), { code: 'CONFIG_INVALID', message: /control\.allowPaths\/0|control\.allowPaths\[0\]/ }, 'an empty entry is a schema error');
});

t.test("a local source's own path is trusted as written, even where it cannot be followed now; only that exact text", async (t) => {
  const dir = t.testdir({ exports: {} });
  symlinkSync(join(dir, 'not-yet'), join(dir, 'exports', 'later.sqlite'));
  const paths = new LocalPaths({ gateway: { dataDir: './data' }, platform: {}, control: { allowPaths: ['./exports'] }, sources: [sqlite('./exports/later.sqlite')] }, dir);
  t.equal(paths.refusal(sqlite('./exports/later.sqlite')), null, 'the local text');
  t.match(paths.refusal(sqlite('./exports/../exports/later.sqlite')), { kind: 'unclear' }, 'another spelling must be followed, and cannot be');
});

t.test("the status page's key and the audit log are the gateway's own too, wherever they are", async (t) => {
  const dir = t.testdir({ exports: { tls: { 'key.pem': 'k', 'cert.pem': 'c' }, 'audit.log': '' } });
  const paths = new LocalPaths({
    gateway: { dataDir: './data' }, platform: {}, control: { allowPaths: ['../exports'] },
    status: { tls: { certFile: '../exports/tls/cert.pem', keyFile: '../exports/tls/key.pem' }, auditFile: '../exports/audit.log' }, sources: [],
  }, join(dir, 'etc'));
  t.match(paths.refusal(sqlite('../exports/tls/key.pem')), { kind: 'own', what: /status page's private key/ });
  t.match(paths.refusal(folder('../exports/tls')), { kind: 'own', what: /certificate|private key/ }, 'or a folder holding it');
  t.match(paths.refusal(sqlite('../exports/audit.log')), { kind: 'own', what: /audit log/ });
});
