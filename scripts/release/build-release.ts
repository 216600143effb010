/**
 * `npm run release`: the one file a department copies to its offline server.
 *
 *   release/credit-gateway-<version>-linux-<arch>.tar.gz
 *   release/SHA256SUMS       the archive's hash and its MANIFEST.sha256's
 *   release/SHA256SUMS.sig   with --sign-key: Ed25519 by the credit center's key
 *
 * The archive holds one folder, laid out as an installed version
 * (/opt/credit-gateway/<version>/): node/bin/node (the runtime building it),
 * app/ (compiled gateway, production node_modules with the native
 * better-sqlite3 built for that runtime, less what no runtime reads but with
 * every licence: runtime-files.ts; seeds, example configurations),
 * bin/credit-gateway, service/, install.sh, uninstall.sh, VERSION and
 * MANIFEST.sha256 (every other file's hash, so the installer can check the
 * unpacked tree and SHA256SUMS chains to it).
 *
 * Native code only runs on the architecture it was built for, so the archive
 * is labelled with this process's architecture and nothing else; an arm64
 * release is built on an arm64 machine with the same command. No build path
 * may end up inside: the release must run from wherever it is unpacked.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../gateway/paths.js';
import { signBytes } from '../../gateway/control/keys.js';
import { assertSelfContainedRuntime } from './runtime-libraries.js';
import { isRuntimeFile } from './runtime-files.js';
import { placeFile, placeTree } from './link-tree.js';

export interface ReleaseOptions {
  /** Folder the archive, SHA256SUMS and signature are written to. */
  out: string;
  /** Version string; default: package.json's. */
  version?: string;
  /** Must equal process.arch when given. */
  arch?: string;
  /** The credit center's private key (PEM file) to sign SHA256SUMS with. */
  signKey?: string;
}

export interface Release {
  archive: string;
  sums: string;
  signature: string | null;
  version: string;
  folder: string;
}

const ARCH_LABELS: Record<string, string> = { x64: 'x64', arm64: 'arm64' };

/** Files of better-sqlite3 needed at run time: the rest is its build tree, full of build paths. */
const NATIVE_BUILD_KEEP = join('build', 'Release', 'better_sqlite3.node');

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p, base);
    return e.isFile() ? [relative(base, p)] : [];
  });
}

/** Production dependency folders, relative to node_modules (nested ones included), as npm resolves them. */
function productionPackages(root: string): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const marker = `${sep}node_modules${sep}`;
  const rels = out.split('\n').filter((l) => l.includes(marker)).map((l) => l.slice(l.indexOf(marker) + marker.length));
  return [...new Set(rels)].sort();
}

function copyDependencies(root: string, appDir: string): void {
  const from = join(root, 'node_modules');
  for (const rel of productionPackages(root)) {
    const src = join(from, rel);
    if (!existsSync(src)) throw new Error(`production dependency ${rel} is not installed: run npm ci first`);
    const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8')) as Record<string, unknown>;
    placeTree(src, join(appDir, 'node_modules', rel), (inside, isFolder) => {
      // Nested packages are listed (and placed) on their own, and only when they are production ones.
      if (inside.split(sep)[0] === 'node_modules') return false;
      if (rel === 'better-sqlite3' && (inside.startsWith(`build${sep}`) || inside === 'build')) {
        return inside === 'build' || NATIVE_BUILD_KEEP.startsWith(inside);
      }
      if (rel === 'better-sqlite3' && /^(deps|src)(\/|$)/.test(inside)) return false;
      return isRuntimeFile(inside, pkg, isFolder);
    });
  }
}

function writeAppPackageJson(root: string, appDir: string, version: string): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const app = { name: pkg.name, version, description: pkg.description, type: pkg.type, license: pkg.license, private: true, engines: pkg.engines, dependencies: pkg.dependencies };
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(app, null, 2)}\n`);
}

/** Paths of the build machine found in the tree: any is a bug, the release must run from anywhere. */
export function buildPathsIn(dir: string, buildPaths: readonly string[]): string[] {
  const needles = buildPaths.map((p) => Buffer.from(p));
  return filesUnder(dir).filter((f) => {
    const bytes = readFileSync(join(dir, f));
    return needles.some((n) => bytes.includes(n));
  });
}

function stage(root: string, folder: string, version: string): void {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'gateway', 'cli.js'))) throw new Error('dist/gateway/cli.js is missing: run npm run build first');
  const app = join(folder, 'app');
  for (const part of ['gateway', 'config', 'connectors']) {
    cpSync(join(dist, part), join(app, 'dist', part), { recursive: true, filter: (p) => !p.endsWith('.map') });
  }
  cpSync(join(root, 'seeds'), join(app, 'seeds'), { recursive: true });
  cpSync(join(root, 'config', 'examples'), join(app, 'config', 'examples'), { recursive: true });
  copyFileSync(join(root, 'README.md'), join(app, 'README.md'));
  writeAppPackageJson(root, app, version);
  copyDependencies(root, app);

  mkdirSync(join(folder, 'node', 'bin'), { recursive: true });
  const node = join(folder, 'node', 'bin', 'node');
  // A link shares the mode of the builder's runtime: only linked when that is already the mode the release needs.
  if ((statSync(process.execPath).mode & 0o7777) === 0o755) placeFile(process.execPath, node);
  else {
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
  }

  const files = join(root, 'scripts', 'release', 'files');
  mkdirSync(join(folder, 'bin'));
  mkdirSync(join(folder, 'service'));
  const place: [string, string, number][] = [
    ['credit-gateway', join('bin', 'credit-gateway'), 0o755],
    ['credit-gateway.service', join('service', 'credit-gateway.service'), 0o644],
    ['gateway.yaml', join('service', 'gateway.yaml'), 0o644],
    ['install.sh', 'install.sh', 0o755],
    ['uninstall.sh', 'uninstall.sh', 0o755],
  ];
  for (const [from, to, mode] of place) {
    copyFileSync(join(files, from), join(folder, to));
    chmodSync(join(folder, to), mode);
  }
  writeFileSync(join(folder, 'VERSION'), `${version}\n`);
  const manifest = filesUnder(folder).sort().map((f) => `${sha256(join(folder, f))}  ./${f}\n`).join('');
  writeFileSync(join(folder, 'MANIFEST.sha256'), manifest);
}

export function buildRelease(o: ReleaseOptions): Release {
  const root = packageRoot();
  const arch = ARCH_LABELS[process.arch];
  if (!arch) throw new Error(`no release for architecture ${process.arch}: only x64 and arm64 are built`);
  if (o.arch !== undefined && o.arch !== arch) {
    throw new Error(`refusing to label a release linux-${o.arch}: this machine runs ${arch}, and the Node runtime and native modules would be ${arch}. Build on a linux-${o.arch} machine with the same command.`);
  }
  if (process.platform !== 'linux') throw new Error(`releases are built on linux, this is ${process.platform}`);
  assertSelfContainedRuntime(process.execPath);
  const version = o.version ?? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  if (!/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(version)) throw new Error(`version ${JSON.stringify(version)}: letters, digits, . + - only`);
  const folder = `credit-gateway-${version}-linux-${arch}`;
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });

  const work = mkdtempSync(join(tmpdir(), 'credit-gateway-release-'));
  try {
    const tree = join(work, folder);
    mkdirSync(tree);
    stage(root, tree, version);
    const leaks = buildPathsIn(tree, [...new Set([root, realpathSync(root), dirname(realpathSync(join(root, 'node_modules')))])]);
    if (leaks.length > 0) throw new Error(`build paths inside the release (it must run from anywhere): ${leaks.slice(0, 10).join(', ')}`);
    const archiveName = `${folder}.tar.gz`;
    const archive = join(out, archiveName);
    execFileSync('tar', ['-C', work, '--owner=0', '--group=0', '--numeric-owner', '-czf', archive, folder]);
    const lines = [`${sha256(archive)}  ${archiveName}`, `${sha256(join(tree, 'MANIFEST.sha256'))}  ${folder}/MANIFEST.sha256`];
    const sums = join(out, 'SHA256SUMS');
    writeFileSync(sums, `${lines.join('\n')}\n`);
    let signature: string | null = null;
    if (o.signKey) {
      signature = `${sums}.sig`;
      writeFileSync(signature, `${signBytes(readFileSync(sums), readFileSync(o.signKey, 'utf8'))}\n`);
    } else {
      rmSync(`${sums}.sig`, { force: true });
    }
    return { archive, sums, signature, version, folder };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'release' },
      version: { type: 'string' },
      arch: { type: 'string' },
      'sign-key': { type: 'string' },
    },
  });
  try {
    const r = buildRelease({ out: values.out!, version: values.version ?? process.env.CREDIT_GATEWAY_RELEASE_VERSION, arch: values.arch, signKey: values['sign-key'] });
    process.stdout.write(`wrote ${r.archive} (${(statSync(r.archive).size / 1048576).toFixed(1)} MiB)\nwrote ${r.sums}\n${r.signature ? `wrote ${r.signature}\n` : 'not signed (give --sign-key center-private.pem to sign)\n'}`);
  } catch (err) {
    process.stderr.write(`release failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(new URL(import.meta.url).pathname)) main();
