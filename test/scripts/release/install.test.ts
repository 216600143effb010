/**
 * The release as a department gets it: one archive and SHA256SUMS, unpacked
 * and installed on a machine with no network, no npm cache, no checkout and
 * no node of its own, then started against the platform.
 *
 * Isolation (we run as root): a network namespace (`unshare -n`) with only
 * loopback holds the installer, the installed gateway and the reference
 * receiver. The installer and the installed gateway run, in addition, in a
 * mount namespace where the checkout, the folder node_modules really lives
 * in, root's home (with the npm cache) and the build's node binary are
 * covered (empty tmpfs, /dev/null): what they need must come from the
 * prefix. The receiver is the platform, not part of the release: it runs
 * from the checkout, in the same network namespace.
 *
 * Needs `npm run build` first (the receiver runs from dist/).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import { generateKeys, signBytes } from '../../../gateway/control/keys.js';
import { packageRoot } from '../../../gateway/paths.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { buildRelease, filesUnder } from '../../../scripts/release/build-release.js';
import { isLegalFile } from '../../../scripts/release/runtime-files.js';
import { createPenaltyDb, readRows, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { buildAndUnpack, cleanEnv, install, installedCommand, outsideDir, run, untracked, type Run } from '../../helpers/release.js';
import { until } from '../../helpers/wait.js';

// upgrade.test's release N: one build (release-cache.ts) serves both files.
const VERSION = '1.4.0';
const root = packageRoot();
const receiverMain = join(root, 'dist', 'scripts', 'receiver', 'main.js');
// Building the release (when no other file has built it yet) takes much of this file's time.
t.setTimeout(400_000);
const work = outsideDir(t, 'install');
const release = buildAndUnpack(join(work, 'dist'), VERSION);

/** The folders the release was built from: no file inside may name them. */
const buildFolders = [...new Set([root, dirname(realpathSync(join(root, 'node_modules')))])];
/** Everything the installed copy must do without: the build folders and the builder's home (its npm cache). */
const hidden = [...new Set([...buildFolders, homedir()])];

/** Run by the installed node in the installed app folder: imports each dependency (and the drivers' entry points the connectors use), as JSON. */
const IMPORT_EVERY_DEPENDENCY = `
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const names = [...Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies), 'mysql2/promise'];
const connectors = readdirSync('dist/connectors').map((name) => \`dist/connectors/\${name}/index.js\`).filter((f) => existsSync(f)).map((f) => pathToFileURL(f).href);
const loaded = [], failed = [];
for (const name of [...names, ...connectors]) {
  try { await import(name); loaded.push(name); } catch (err) { failed.push(\`\${name}: \${err.message}\`); }
}
process.stdout.write(JSON.stringify({ loaded, failed }));
process.exit(0);
`;

/** Production packages of the release (scoped ones as @scope/name), by the folders in its node_modules. */
function productionPackageFolders(checkout: string, released: string): string[] {
  return readdirSync(released).flatMap((name) => name.startsWith('@') ? readdirSync(join(released, name)).map((n) => `${name}/${n}`) : [name])
    .filter((pkg) => !pkg.startsWith('.') && existsSync(join(checkout, pkg, 'package.json')));
}

/** A process holding a network namespace with loopback up, or why there is none. */
function networkNamespace(): { pid: number; holder: ChildProcess } | { skip: string } {
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && ip -o link show'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skip: `unshare -n refused here: ${(probe.stderr || String(probe.error)).trim()}` };
  const holder = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec sleep 3600'], { stdio: 'ignore' });
  return { pid: holder.pid!, holder };
}

const ns = networkNamespace();

/** `nsenter` into the namespace; `sealed` adds the mount namespace that covers the checkout, the cache and the build's node. */
function inNamespace(command: string[], sealed: boolean): [string, string[]] {
  if ('skip' in ns) throw new Error(ns.skip);
  const cover = [
    ...hidden.map((d) => `mount -t tmpfs -o size=1m,mode=0 none '${d}'`),
    `mount --bind /dev/null '${realpathSync(process.execPath)}'`,
  ];
  const inner = sealed
    ? ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', `${cover.join(' && ')} && exec "$@"`, 'sealed', ...command]
    : command;
  return untracked('nsenter', [`--net=/proc/${ns.pid}/ns/net`, '--', ...inner]);
}

function runSealed(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Run {
  const [cmd, args] = inNamespace(command, true);
  return run(cmd, args, options);
}

/** The receiver's control API, asked from inside the namespace. */
function control(url: string): unknown {
  const [cmd, args] = inNamespace([process.execPath, '-e', 'fetch(process.argv[1]).then((r) => r.text()).then((b) => process.stdout.write(b))', url], false);
  return JSON.parse(execFileSync(cmd, args, { encoding: 'utf8' })) as unknown;
}

t.teardown(() => {
  if (!('skip' in ns)) ns.holder.kill('SIGKILL');
});

t.test('the release file', async (t) => {
  t.match(release.archive, new RegExp(`credit-gateway-${VERSION.replace(/\./g, '\\.')}-linux-(x64|arm64)\\.tar\\.gz$`), 'is named after the version and the architecture it was built on');
  const sums = readFileSync(release.sums, 'utf8');
  const archiveHash = execFileSync('sha256sum', [release.archive], { encoding: 'utf8' }).split(' ')[0];
  t.match(sums, `${archiveHash}  ${release.folder}.tar.gz`, 'SHA256SUMS holds the hash of the archive');

  const tree = release.unpacked;
  for (const part of ['node/bin/node', 'app/dist/gateway/cli.js', 'app/package.json', 'app/seeds/catalog.json', 'app/config/examples/mysql.yaml',
    'app/node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'bin/credit-gateway', 'service/credit-gateway.service', 'install.sh', 'uninstall.sh', 'VERSION']) {
    t.ok(existsSync(join(tree, part)), `holds ${part}`);
  }
  t.equal(readFileSync(join(tree, 'VERSION'), 'utf8').trim(), VERSION, 'VERSION names the version');
  t.notOk(existsSync(join(tree, 'app/node_modules/tap')), 'development dependencies are left out');
  t.notOk(existsSync(join(tree, 'app/node_modules/better-sqlite3/build/Makefile')), 'so is the native module build tree');

  const files = filesUnder(tree);
  t.same(files.filter((f) => /\.(d\.[cm]?ts|map)$/.test(f)), [], 'no type declaration or source map: Node never reads them');
  t.same(files.filter((f) => /\.[cm]?ts$/.test(f)), [], 'nor any TypeScript');
  const licences = productionPackageFolders(join(root, 'node_modules'), join(tree, 'app', 'node_modules'))
    .flatMap((pkg) => readdirSync(join(root, 'node_modules', pkg)).filter(isLegalFile).map((f) => join('app', 'node_modules', pkg, f)));
  t.ok(licences.length > 100, 'the production packages have licence files', { count: licences.length });
  t.same(licences.filter((f) => !existsSync(join(tree, f))), [], "and every package's licence, notice and copying file is in the release");

  // Paths into the build folders, not the folder names alone: a checkout at a short path (`/src`) would match any text.
  const buildPaths = buildFolders.flatMap((dir) => ['node_modules', 'dist', 'gateway', 'connectors', 'config', 'scripts', 'seeds'].map((sub) => `${dir}/${sub}/`));
  const grep = spawnSync('grep', ['-rlF', ...buildPaths.flatMap((p) => ['-e', p]), tree], { encoding: 'utf8' });
  t.equal(grep.status, 1, 'no file inside names the build folders');
  t.equal(grep.stdout, '', 'so it runs from wherever it is unpacked');
});

t.test('the release is labelled only with the architecture it was built on', async (t) => {
  const other = process.arch === 'arm64' ? 'x64' : 'arm64';
  t.throws(() => buildRelease({ out: join(work, 'other'), version: VERSION, arch: other }), new RegExp(`refusing to label a release linux-${other}.*Build on a linux-${other} machine`));
  t.notOk(existsSync(join(work, 'other', `credit-gateway-${VERSION}-linux-${other}.tar.gz`)), 'and writes nothing');
});

t.test('install offline with --prefix, then deliver from the installed copy', async (t) => {
  if ('skip' in ns) return t.pass(ns.skip, { skip: true });
  const prefix = join(work, 'trial');
  const home = join(work, 'home');
  const cwd = join(work, 'elsewhere');
  mkdirSync(cwd, { recursive: true });
  const env = cleanEnv(home);

  const probe = runSealed(['sh', '-c', `ip -o link show | wc -l; ls '${root}'; node --version || echo no-node`], { cwd, env });
  t.match(probe.output, /^1\n/, 'the namespace has loopback only: no network');
  t.match(probe.output, /no-node/, 'and no node to borrow');
  t.notMatch(probe.output, /package\.json/, 'and the checkout is not there');

  const installed = runSealed(['sh', join(release.unpacked, 'install.sh'), '--prefix', prefix], { cwd, env });
  t.equal(installed.status, 0, 'the installer succeeds offline', { output: installed.output });
  t.match(installed.output, /every file checked/, 'after checking every file of the release');
  t.match(installed.output, /doctor/, 'and names the next step');

  const home_ = join(prefix, 'opt', 'credit-gateway');
  t.equal(realpathSync(join(home_, 'current')), join(home_, VERSION), 'current points to the version installed');
  t.equal(realpathSync(installedCommand(prefix)), join(home_, VERSION, 'bin', 'credit-gateway'), 'the command is linked from usr/local/bin');
  const etc = join(prefix, 'etc', 'credit-gateway');
  const data = join(prefix, 'var', 'lib', 'credit-gateway');
  t.equal(statSync(data).mode & 0o777, 0o700, 'the data folder is private (0700), as the gateway demands');
  t.equal(statSync(join(data, 'drop')).mode & 0o777, 0o700, 'so is the drop folder');
  t.equal(statSync(join(etc, 'secrets.yaml')).mode & 0o777, 0o600, 'the secrets file is 0600');
  t.notOk(existsSync(join(prefix, 'etc', 'systemd')), 'a trial install writes no systemd unit');

  // Every dependency, each connector's driver among them, loads from the installed copy with its own node: nothing the runtime reaches was left out.
  const app = join(home_, VERSION, 'app');
  const imported = runSealed([join(home_, VERSION, 'node', 'bin', 'node'), '--input-type=module', '-e', IMPORT_EVERY_DEPENDENCY], { cwd: app, env });
  t.equal(imported.status, 0, 'the installed copy imports every dependency', { output: imported.output });
  const loaded = JSON.parse(imported.output) as { loaded: string[]; failed: string[] };
  t.same(loaded.failed, [], 'none fails to load');
  for (const driver of ['mssql', 'oracledb', 'pg', 'mysql2/promise', 'exceljs', 'better-sqlite3', 'fastify']) t.ok(loaded.loaded.includes(driver), `${driver} loads`);

  const cli = installedCommand(prefix);
  const version = runSealed([cli, '--version'], { cwd, env });
  t.equal(version.output.trim(), VERSION, 'the installed command runs on its own node and reports its version');

  const secret = runSealed([cli, 'secrets', 'set', 'platform', '--file', join(etc, 'secrets.yaml')], { cwd, env, input: `${TEST_SECRET}\n` });
  t.equal(secret.status, 0, 'the platform secret is stored', { output: secret.output });
  const example = runSealed([cli, 'config', 'check', join(etc, 'gateway.yaml')], { cwd, env });
  t.equal(example.status, 0, 'the example configuration the installer wrote is valid', { output: example.output });

  // The platform: the reference receiver, in the same network namespace.
  const [rcmd, rargs] = inNamespace([process.execPath, receiverMain, '--gateway', `hs-test=${TEST_SECRET}`], false);
  const receiver = spawn(rcmd, rargs, { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => receiver.kill('SIGTERM'));
  const lines = createInterface({ input: receiver.stdout! });
  const listening = await new Promise<{ url: string; control: string }>((resolve, reject) => {
    lines.once('line', (l) => resolve(JSON.parse(l) as { url: string; control: string }));
    receiver.once('exit', () => reject(new Error('the receiver ended before listening')));
  });
  lines.on('line', () => undefined);

  const business = createPenaltyDb(work, 120);
  t.teardown(() => business.db.close());
  const config = JSON.parse(readFileSync(writeTestConfig({ dir: work, businessDb: business.file, platformUrl: listening.url }), 'utf8')) as Record<string, Record<string, unknown>>;
  config.gateway!.dataDir = data;
  config.secrets = { file: './secrets.yaml' };
  writeFileSync(join(etc, 'gateway.yaml'), JSON.stringify(config, null, 2));
  const checked = runSealed([cli, 'config', 'check', join(etc, 'gateway.yaml')], { cwd, env });
  t.equal(checked.status, 0, "config check passes on the department's configuration", { output: checked.output });

  // doctor without --config: the launcher's CREDIT_GATEWAY_HOME leads it to the installed configuration.
  const doctor = runSealed([cli, 'doctor', '--lang', 'en', '--json'], { cwd, env });
  t.equal(doctor.status, 0, 'doctor finds nothing failing in the installed set-up', { output: doctor.output });
  const report = JSON.parse(doctor.output.slice(doctor.output.indexOf('{'))) as { checks?: { id: string; state: string }[] };
  t.ok((report.checks ?? []).length > 5, 'after running its checks', { report });

  const [gcmd, gargs] = inNamespace([cli, 'start', '--config', join(etc, 'gateway.yaml')], true);
  const gateway = spawn(gcmd, gargs, { cwd, env: { ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  gateway.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  gateway.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
  t.teardown(() => gateway.kill('SIGKILL'));

  const stats = until(() => control(`${listening.control}/stats`) as { accepted: number }, (s) => s.accepted >= 120 || gateway.exitCode !== null, 90_000);
  t.equal((await stats).accepted, 120, 'the installed gateway delivered every row', { output: out });
  const held = control(`${listening.control}/records`) as { id: string; data: Record<string, string> }[];
  const expected = new Set(readRows(business.db).map((r) => recordId('hs-test', 'P07-002', String(r.id))));
  t.same(held.map((r) => r.id).filter((id) => !expected.has(id)), [], 'the platform holds the source rows and nothing else');
  t.equal(held.length, expected.size, 'each once');

  gateway.kill('SIGTERM');
  t.equal(await exited, 0, 'and stops cleanly on SIGTERM, as systemd stops it');
  t.ok(existsSync(join(data, 'gateway.sqlite')), 'its store is in the data folder of the layout');
});

t.test('a root install creates the service user and folders the gateway accepts', async (t) => {
  // In a mount namespace over a copy of /etc, with empty /opt, /var/lib and
  // /usr/local/bin: the installer runs as on a real server, without
  // changing this machine's users or folders.
  const sysEtc = join(work, 'sys-etc');
  execFileSync('cp', ['-a', '/etc', sysEtc]);
  const installer = join(release.unpacked, 'install.sh');
  const cg = '/usr/local/bin/credit-gateway';
  const script = [
    'set -e',
    `mount --bind '${sysEtc}' /etc`,
    'for d in /opt /var/lib /usr/local/bin; do mount -t tmpfs none "$d"; done',
    `sh '${installer}' >/dev/null`,
    'id -un credit-gateway',
    'stat -c "%n %U %a" /var/lib/credit-gateway /var/lib/credit-gateway/drop /etc/credit-gateway/secrets.yaml',
    'test -f /etc/systemd/system/credit-gateway.service && echo unit installed',
    `printf '%s\\n' '${TEST_SECRET}' | ${cg} secrets set platform --file /etc/credit-gateway/secrets.yaml >/dev/null`,
    'stat -c "after secrets set: %U %a" /etc/credit-gateway/secrets.yaml',
    `runuser -u credit-gateway -- ${cg} config check /etc/credit-gateway/gateway.yaml`,
    // The example configuration started as the unit starts it: the service user, its umask, the drop folder of the layout.
    'ip link set lo up',
    'umask 077', // as the unit's UMask=0077
    `setpriv --reuid=credit-gateway --regid=credit-gateway --init-groups -- ${cg} start --config /etc/credit-gateway/gateway.yaml >'${work}/root-start.log' 2>&1 &`,
    'pid=$!',
    `while kill -0 "$pid" 2>/dev/null && ! grep -q running '${work}/root-start.log'; do sleep 0.2; done`,
    `grep -o 'running; status page' '${work}/root-start.log' || cat '${work}/root-start.log'`,
    'kill -TERM "$pid" 2>/dev/null || true',
    'wait "$pid" || true',
    'stat -c "%n %U %a" /var/lib/credit-gateway/gateway.sqlite /var/lib/credit-gateway/drop/incoming',
  ].join('\n');
  const r = run('unshare', ['--mount', '--net', '--propagation', 'private', '--', 'sh', '-c', script], { cwd: work, env: cleanEnv(join(work, 'home-root')) });
  t.equal(r.status, 0, 'the root install and the checks after it succeed', { output: r.output });
  t.match(r.output, /^credit-gateway$/m, 'the service user exists');
  t.match(r.output, /^\/var\/lib\/credit-gateway credit-gateway 700$/m, 'the data folder is the service user\'s, 0700');
  t.match(r.output, /^\/var\/lib\/credit-gateway\/drop credit-gateway 700$/m, 'so is the drop folder');
  t.match(r.output, /^\/etc\/credit-gateway\/secrets\.yaml credit-gateway 600$/m, 'the secrets file is the service user\'s, 0600');
  t.match(r.output, /^unit installed$/m, 'the systemd unit is installed (systemd is not running here, so not enabled)');
  t.match(r.output, /^after secrets set: credit-gateway 600$/m, 'root setting a secret leaves the file the service user\'s');
  t.match(r.output, /gateway\.yaml: ok/, 'the service user reads the example configuration and its secrets');
  t.match(r.output, /^running; status page$/m, 'the gateway starts as the service user on the example configuration');
  t.match(r.output, /^\/var\/lib\/credit-gateway\/gateway\.sqlite credit-gateway 600$/m, 'with a private store in the data folder the installer made');
  t.match(r.output, /^\/var\/lib\/credit-gateway\/drop\/incoming credit-gateway 700$/m, 'and its drop folder inside it');
});

t.test('the systemd unit', async (t) => {
  const unit = readFileSync(join(release.unpacked, 'service', 'credit-gateway.service'), 'utf8');
  const directives = new Map(unit.split('\n').filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  t.equal(directives.get('User'), 'credit-gateway', 'runs as its own user');
  for (const [key, value] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['Restart', 'on-failure']]) {
    t.equal(directives.get(key!), value, `${key}=${value}`);
  }
  t.equal(directives.get('ReadWritePaths'), '/var/lib/credit-gateway', 'may write its data folder (store and drop folder) only');
  t.ok(Number.parseInt(directives.get('TimeoutStopSec') ?? '0', 10) > 600, 'waits on stop longer than the longest platform timeout, so the batch in flight ends');
  t.equal(directives.get('StandardOutput'), 'journal', 'logs go to journald');

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (analyze.status !== 0) return t.pass('systemd-analyze is not installed here', { skip: true });
  // A root laid out as an installed system: the release under /opt, the unit in /etc, systemd's own units.
  const sysroot = join(work, 'sysroot');
  const installed = install(release, ['--prefix', sysroot], { cwd: work, env: cleanEnv(join(work, 'home2')) });
  t.equal(installed.status, 0, 'succeeds', { output: installed.output });
  mkdirSync(join(sysroot, 'etc', 'systemd', 'system'), { recursive: true });
  cpSync(join(release.unpacked, 'service', 'credit-gateway.service'), join(sysroot, 'etc', 'systemd', 'system', 'credit-gateway.service'));
  cpSync('/usr/lib/systemd/system', join(sysroot, 'usr', 'lib', 'systemd', 'system'), { recursive: true, verbatimSymlinks: true });
  const verify = spawnSync('systemd-analyze', ['verify', `--root=${sysroot}`, 'credit-gateway.service'], { encoding: 'utf8' });
  t.equal(verify.status, 0, 'systemd-analyze verify passes');
  t.equal(`${verify.stdout}${verify.stderr}`, '', 'without a warning');
});

t.test('the installer checks the release before it changes anything', async (t) => {
  const env = cleanEnv(join(work, 'home3'));
  const keys = generateKeys();
  const keyFile = join(work, 'center-public.pem');
  writeFileSync(keyFile, keys.publicKeyPem);
  const sig = `${release.sums}.sig`;

  writeFileSync(sig, `${signBytes(readFileSync(release.sums), generateKeys().privateKeyPem)}\n`);
  const forged = install(release, ['--prefix', join(work, 'p-forged'), '--public-key', keyFile], { cwd: work, env });
  t.not(forged.status, 0, 'a release signed with another key is refused');
  t.match(forged.output, /not signed by the credit center/, 'saying so');
  t.notOk(existsSync(join(work, 'p-forged', 'opt')), 'and nothing is installed');

  writeFileSync(sig, `${signBytes(readFileSync(release.sums), keys.privateKeyPem)}\n`);
  const signed = install(release, ['--prefix', join(work, 'p-signed'), '--public-key', keyFile], { cwd: work, env });
  t.equal(signed.status, 0, "a release signed with the center's key installs", { output: signed.output });
  t.match(signed.output, /signature of SHA256SUMS: good/);
  t.equal(readFileSync(join(work, 'p-signed', 'etc', 'credit-gateway', 'center-public.pem'), 'utf8'), keys.publicKeyPem, "and the center's key is installed");

  execFileSync('rm', [sig]);
  const unsigned = install(release, ['--prefix', join(work, 'p-signed')], { cwd: work, env });
  t.not(unsigned.status, 0, 'once a center key is installed, an unsigned release is refused');
  t.match(unsigned.output, /SHA256SUMS.sig not found/);

  const readme = join(release.unpacked, 'app', 'README.md');
  const original = readFileSync(readme);
  writeFileSync(readme, Buffer.concat([original, Buffer.from('\nchanged\n')]));
  t.teardown(() => writeFileSync(readme, original));
  const changed = install(release, ['--prefix', join(work, 'p-changed')], { cwd: work, env });
  t.not(changed.status, 0, 'a file changed after the build is refused');
  t.match(changed.output, /app\/README\.md: FAILED/, 'naming the file');
  t.notOk(existsSync(join(work, 'p-changed', 'opt')), 'and nothing is installed');
});

t.test('uninstall keeps configuration and data unless told otherwise', async (t) => {
  const env = cleanEnv(join(work, 'home4'));
  const prefix = join(work, 'p-uninstall');
  t.equal(install(release, ['--prefix', prefix], { cwd: work, env }).status, 0);
  const uninstall = join(prefix, 'opt', 'credit-gateway', 'current', 'uninstall.sh');
  const kept = run('sh', [uninstall, '--prefix', prefix], { cwd: work, env });
  t.equal(kept.status, 0, 'succeeds', { output: kept.output });
  t.notOk(existsSync(join(prefix, 'opt', 'credit-gateway')), 'the program is gone');
  t.notOk(existsSync(installedCommand(prefix)), 'and its command');
  t.ok(existsSync(join(prefix, 'etc', 'credit-gateway', 'gateway.yaml')), 'the configuration stays');
  t.ok(existsSync(join(prefix, 'var', 'lib', 'credit-gateway')), 'and the data');

  const copy = join(release.unpacked, 'uninstall.sh');
  const asked = run('sh', [copy, '--prefix', prefix, '--purge'], { cwd: work, env, input: '' });
  t.not(asked.status, 0, '--purge with no one to ask refuses');
  t.ok(existsSync(join(prefix, 'var', 'lib', 'credit-gateway')), 'and deletes nothing');
  const purged = run('sh', [copy, '--prefix', prefix, '--purge', '--yes'], { cwd: work, env });
  t.equal(purged.status, 0, 'succeeds', { output: purged.output });
  t.notOk(existsSync(join(prefix, 'etc', 'credit-gateway')), '--purge --yes deletes the configuration');
  t.notOk(existsSync(join(prefix, 'var', 'lib', 'credit-gateway')), 'and the data');
});
