/**
 * Which local files and folders a source may name, decided by the local
 * configuration alone, so that not even a bundle signed with the credit
 * center's own key can make the gateway read (and ship), move, or load code
 * from a local place of the bundle's choosing:
 *
 * - a `sqlite` source's `file` and a `folder` source's `path` may be what a
 *   local source of the same kind uses, or lie inside a folder the local
 *   `control.allowPaths` lists;
 * - never the gateway's own places: its data folder (the store, with full ID
 *   numbers and cursors, and the error reports), its bundle folder, its
 *   configuration folder, its secrets file, key and certificate files, its
 *   audit log, nor a folder that holds one of them (a local source's own
 *   path is trusted as written);
 * - an Oracle `thickLibDir` (the folder native client libraries are loaded
 *   from: code execution) only as exactly a local Oracle source's.
 *
 * Paths are compared where they physically lead: resolved against the
 * configuration's folder and followed part by part as the system does
 * (links through `realpath`, a `..` after a link from where the link led), so
 * a `..` or a symbolic link inside an allowed folder cannot lead out of it; a
 * dangling link, or a part that cannot be read, is refused. The check runs
 * when a bundle is verified and again where the source is opened (a link
 * changed in between is caught there).
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import type { ConfigProblem } from './errors.js';
import type { SourceConfig } from './schema.js';

/** What decides the paths: the local configuration (a bundle has no say). */
export interface LocalPathUse {
  gateway: { dataDir: string };
  platform: { caFile?: string; clientCertFile?: string; clientKeyFile?: string };
  status?: { tls?: { certFile: string; keyFile: string; caFile?: string }; auditFile?: string };
  secrets?: { file?: string };
  control?: { publicKeyFile?: string; bundleFolder?: string; allowPaths?: readonly string[] };
  sources: readonly SourceConfig[];
}

export type PathMember = 'file' | 'path' | 'thickLibDir';

/** Why a source may not name a path; `path` is where it physically leads (or as written when that cannot be told). */
export type PathRefusal =
  | { kind: 'own'; member: PathMember; path: string; what: string }
  | { kind: 'outside'; member: PathMember; path: string; allowed: string[]; viaLink: boolean }
  | { kind: 'client'; member: 'thickLibDir'; path: string; allowed: string[] }
  | { kind: 'unclear'; member: PathMember; path: string };

interface Own {
  path: string;
  what: string;
}

/** The member a source names a local path with, if any. */
export function localPathOf(source: SourceConfig): { member: PathMember; written: string } | null {
  if (source.kind === 'sqlite') return { member: 'file', written: source.file };
  if (source.kind === 'folder') return { member: 'path', written: source.path };
  if (source.kind === 'oracle' && source.thickLibDir !== undefined) return { member: 'thickLibDir', written: source.thickLibDir };
  return null;
}

/**
 * Where a path physically leads now: every existing part through realpath,
 * the rest (which does not exist yet, so cannot be a link) appended as
 * written. Null when that cannot be told for certain: a dangling link, a
 * loop, a part the gateway may not read, a NUL.
 */
export function physicalPath(baseDir: string, written: string): string | null {
  if (written.includes('\0')) return null;
  // Not path.resolve: it would drop `link/..` as text, while the system follows the link first. So part by part, as the system does.
  const whole = isAbsolute(written) ? written : `${resolve(baseDir)}${sep}${written}`;
  const { root } = parse(whole);
  let current: string;
  try {
    current = realpathSync.native(root);
  } catch {
    return null;
  }
  // Parts below the first one that does not exist: they cannot be links (yet), so they are text.
  const missing: string[] = [];
  for (const part of whole.slice(root.length).split(sep === '\\' ? /[\\/]+/ : /\/+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (missing.length > 0) missing.pop();
      else current = dirname(current);
      continue;
    }
    if (missing.length > 0) {
      missing.push(part);
      continue;
    }
    const next = join(current, part);
    let link: boolean;
    try {
      link = lstatSync(next).isSymbolicLink();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
      missing.push(part);
      continue;
    }
    if (!link) {
      current = next;
      continue;
    }
    try {
      current = realpathSync.native(next);
    } catch {
      // A link to nowhere (yet), or a loop: where it will lead cannot be told.
      return null;
    }
  }
  return missing.length > 0 ? join(current, ...missing) : current;
}

const same = (a: string, b: string) => relative(a, b) === '';

/** `inner` is `outer` or lies inside it. */
export function within(outer: string, inner: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

export class LocalPaths {
  readonly #local: LocalPathUse;
  readonly #baseDir: string;

  constructor(local: LocalPathUse, baseDir: string) {
    this.#local = local;
    this.#baseDir = baseDir;
  }

  /** The gateway's own places, resolved now (a folder created since start counts as it is). */
  #own(): Own[] {
    const c = this.#local;
    const own: [string | undefined, string][] = [
      [c.gateway.dataDir, "the gateway's data folder (its store with full ID numbers and cursors, and its reports)"],
      [c.control?.bundleFolder ?? './bundles', "the gateway's bundle folder"],
      ['.', "the gateway's configuration folder"],
      [c.secrets?.file, "the gateway's secrets file"],
      [c.control?.publicKeyFile, "the credit center's public key file"],
      [c.platform.caFile, "the platform's CA file"],
      [c.platform.clientCertFile, "the gateway's client certificate"],
      [c.platform.clientKeyFile, "the gateway's client key"],
      [c.status?.tls?.certFile, "the status page's certificate"],
      [c.status?.tls?.keyFile, "the status page's private key"],
      [c.status?.tls?.caFile, "the status page's CA file"],
      [c.status?.auditFile, "the gateway's audit log"],
    ];
    return own.flatMap(([written, what]) => {
      if (written === undefined) return [];
      return [{ path: physicalPath(this.#baseDir, written) ?? resolve(this.#baseDir, written), what }];
    });
  }

  /** Which of the gateway's own places a (resolved) path is or lies inside, if any. */
  ownPlaceAround(real: string): string | null {
    return this.#own().find((o) => within(o.path, real))?.what ?? null;
  }

  /** The folders `control.allowPaths` lists, resolved now. */
  roots(): string[] {
    return (this.#local.control?.allowPaths ?? []).flatMap((p) => {
      const real = physicalPath(this.#baseDir, p);
      return real === null ? [] : [real];
    });
  }

  /** What the local sources name with this member, resolved now. */
  #localUse(member: PathMember): string[] {
    return this.#local.sources.flatMap((s) => {
      const used = localPathOf(s);
      if (!used || used.member !== member) return [];
      const real = physicalPath(this.#baseDir, used.written);
      return real === null ? [] : [real];
    });
  }

  /** Null when the source may use the path it names (or names none); otherwise why not. Reads the file system, opens nothing. */
  refusal(source: SourceConfig): PathRefusal | null {
    const used = localPathOf(source);
    if (!used) return null;
    const { member, written } = used;
    // A local source's own path is trusted as written, even where it cannot be followed now; the text, not normalised (`link/..` is not `.`).
    const whole = (w: string) => (isAbsolute(w) ? w : `${resolve(this.#baseDir)}${sep}${w}`);
    if (this.#local.sources.some((s) => localPathOf(s)?.member === member && whole(localPathOf(s)!.written) === whole(written))) return null;
    const asWritten = resolve(this.#baseDir, written);
    const real = physicalPath(this.#baseDir, written);
    if (real === null) return { kind: 'unclear', member, path: asWritten };
    const local = this.#localUse(member);
    if (local.some((l) => same(l, real))) return null;
    if (member === 'thickLibDir') return { kind: 'client', member, path: real, allowed: local };
    const own = this.#own().find((o) => within(o.path, real) || within(real, o.path));
    if (own) return { kind: 'own', member, path: real, what: own.what };
    const roots = this.roots();
    if (roots.some((r) => within(r, real))) return null;
    return { kind: 'outside', member, path: real, allowed: roots, viaLink: !same(asWritten, real) && roots.some((r) => within(r, asWritten)) };
  }
}

/** The refusal in words for logs, pages and the platform: the source, the member and the path. */
export function describePathRefusal(source: string, refusal: PathRefusal): string {
  const head = `source "${source}" may not use ${refusal.member} ${JSON.stringify(refusal.path)}`;
  switch (refusal.kind) {
    case 'own':
      return `${head}: it is, holds or lies inside ${refusal.what}, which no source may read`;
    case 'unclear':
      return `${head}: where it leads cannot be told for certain (a link to nowhere, a loop, or a folder the gateway may not read)`;
    case 'client':
      return `${head}: native client libraries are loaded only from a folder a local Oracle source names${refusal.allowed.length > 0 ? ` (${refusal.allowed.join(', ')})` : ' (none does)'}`;
    case 'outside': {
      const how = refusal.viaLink ? ' (it leads there through a symbolic link)' : '';
      const allowed = refusal.allowed.length > 0 ? `the local configuration allows only paths inside ${refusal.allowed.join(', ')} (control.allowPaths)` : 'the local configuration allows no folder besides its own sources\' (control.allowPaths is empty)';
      return `${head}: it lies outside the allowed folders${how}; ${allowed}`;
    }
  }
}

/**
 * The local configuration's own `control.allowPaths`, checked at load
 * (`config check`): each entry must be a folder that can be told for
 * certain, and neither one of the gateway's own places nor inside one.
 */
export function pathUseProblems(local: LocalPathUse, baseDir: string): ConfigProblem[] {
  const paths = new LocalPaths(local, baseDir);
  return (local.control?.allowPaths ?? []).flatMap((entry, i) => {
    const at = `control.allowPaths[${i}]`;
    const real = physicalPath(baseDir, entry);
    if (real === null) return [{ path: at, message: `where "${entry}" leads cannot be told for certain (a link to nowhere, a loop, or a folder the gateway may not read)` }];
    const own = paths.ownPlaceAround(real);
    return own ? [{ path: at, message: `"${entry}" (${real}) is or lies inside ${own}: list only folders that hold the department's exports` }] : [];
  });
}
