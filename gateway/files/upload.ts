/**
 * A file uploaded on the status page joins the drop folder like any dropped
 * file: same naming rule, same checks, same report. It is written beside the
 * folder first and renamed into incoming/ only when complete, so the watcher
 * never sees half a file, and a file too large is never there at all.
 * It holds record values: created 0600 (a new file, so no umask can widen it).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { classifyName, noCodeDetail, safeName } from '../../connectors/files/naming.js';
import { routeFile } from './file-route.js';

export type UploadErrorCode = 'FILE_NAME_INVALID' | 'FILE_FORMAT_UNSUPPORTED' | 'FILE_PROFILE_NONE' | 'FILE_CATEGORY_MISMATCH' | 'FILE_NAME_CATEGORY_MISMATCH' | 'FILE_TOO_LARGE' | 'FILE_UPLOAD_EMPTY';

export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    /** The values the page's sentence for the code names (file, profile, categories). */
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** How an accepted upload will be read, for the page to say. */
export type UploadWay =
  /** A template file: its name starts with a category code (or the form's category was put in front). */
  | { way: 'template' }
  /** An export whose name a profile's pattern fits: that profile reads it (`profile`: its title or name). */
  | { way: 'profile'; profile: string }
  /** A name with no code that no pattern fits: read if a profile's header signature is found in it, else rejected with a report. */
  | { way: 'signature' };

export interface UploadProfile {
  /** The title, or the name. */
  label: string;
  /** The category its records report. */
  category: string;
  matchesName(file: string): boolean;
  readonly signature: readonly string[];
}

const NAME_RULE = 'name the file <category code>_<anything>.xlsx|.xls|.csv (e.g. P07-002_2026-11.xlsx), or choose its category on the form';

/**
 * The name the upload is stored under, and how the folder will read it:
 * the browser's name without any path (old browsers send `C:\fakepath\…`),
 * made safe for the file system, and starting with the category code chosen
 * on the form when it does not already start with one. A name with no code
 * is accepted when the folder has profiles (the drop folder's own rule,
 * file-route.ts): a profile whose pattern fits reads it, or one whose header
 * signature the file holds; with no profile it is refused here, as before.
 *
 * The form's category is not put in front of an export a profile takes by
 * its name: the code would make it a template file, read against the
 * template's columns and rejected, though the folder could read it. When
 * the profiles taking it report another category, the clerk is told so
 * (FILE_CATEGORY_MISMATCH) rather than the file being read as either; so
 * too when the name starts with another category's code
 * (FILE_NAME_CATEGORY_MISMATCH).
 */
export function placeUpload(original: string, category?: string, profiles: readonly UploadProfile[] = []): { name: string } & UploadWay {
  const base = original.split(/[\\/]/).pop() ?? '';
  let name = safeName(base.trim());
  let byName: readonly UploadProfile[] = [];
  if (category) {
    const verdict = classifyName(name);
    const code = verdict.kind === 'data' ? verdict.category?.toUpperCase() : null;
    byName = verdict.kind === 'data' ? profiles.filter((p) => p.matchesName(name)) : [];
    if (code === category.toUpperCase()) byName = [];
    else if (byName.length === 0) {
      // P07-001_P07-002_x.xlsx would be read as a P07-001 template: one of the two codes is wrong, and only the clerk knows which.
      if (code) throw nameCategoryMismatch(name, category, code);
      name = safeName(`${category}_${name}`);
    } else {
      byName = byName.filter((p) => p.category.toUpperCase() === category.toUpperCase());
      if (byName.length === 0) throw categoryMismatch(name, category, profiles.find((p) => p.matchesName(name))!);
    }
  }
  const verdict = classifyName(name);
  if (verdict.kind === 'refused') throw new UploadError(verdict.code, `${verdict.detail}: ${NAME_RULE}`);
  if (verdict.kind === 'ignored') {
    throw new UploadError('FILE_NAME_INVALID', `a name like "${name}" is taken for a temporary or notes file: ${NAME_RULE}`);
  }
  // The catalog is not asked: a code the catalog lacks is the folder's report to make, as for a dropped file.
  const route = routeFile(name, verdict, profiles, () => true);
  if (route.way === 'profiles') return route.byName ? { name, way: 'profile', profile: (byName[0] ?? route.candidates[0]!).label } : { name, way: 'signature' };
  if (route.way === 'template') return { name, way: 'template' };
  if (route.way === 'unnamed') throw new UploadError('FILE_NAME_INVALID', `${noCodeDetail(name)}: ${NAME_RULE}`);
  throw new UploadError('FILE_PROFILE_NONE', `"${name}" starts with no category code and no export profile of this folder can read it by its headers: ${NAME_RULE}, or add a profile (credit-gateway profile suggest)`);
}

function categoryMismatch(file: string, category: string, profile: UploadProfile): UploadError {
  return new UploadError(
    'FILE_CATEGORY_MISMATCH',
    `"${file}" is an export the profile "${profile.label}" reads by its name, for category ${profile.category}, not the ${category} chosen on the form: choose ${profile.category} (or no category) to have it read so, or name it ${category}_<anything> if it is a ${category} template file`,
    { file, profile: profile.label, profileCategory: profile.category, category },
  );
}

function nameCategoryMismatch(file: string, category: string, nameCategory: string): UploadError {
  return new UploadError(
    'FILE_NAME_CATEGORY_MISMATCH',
    `"${file}" starts with category code ${nameCategory}, not the ${category} chosen on the form: choose ${nameCategory} (or no category), or rename it to start with ${category}_`,
    { file, nameCategory, category },
  );
}

/** The name alone (placeUpload), for a folder with no profiles. */
export function uploadName(original: string, category?: string, profiles: readonly UploadProfile[] = []): string {
  return placeUpload(original, category, profiles).name;
}

export interface StoreUploadOptions {
  /** The drop folder's root (holding incoming/). */
  root: string;
  incoming: string;
  name: string;
  stream: Readable;
  maxBytes: number;
  now?: () => Date;
}

/** Writes the upload and renames it into incoming/; returns the name it got there (a name in use gets a time suffix). */
export async function storeUpload(options: StoreUploadOptions): Promise<string> {
  const staging = join(options.root, '.uploading');
  await mkdir(staging, { recursive: true });
  await mkdir(options.incoming, { recursive: true });
  const temp = join(staging, `${randomBytes(8).toString('hex')}.part`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) done(new UploadError('FILE_TOO_LARGE', `the file is larger than ${Math.round(options.maxBytes / 1024 / 1024)} MiB`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(options.stream, limit, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    if (bytes === 0) throw new UploadError('FILE_UPLOAD_EMPTY', 'the file is empty');
    const name = await freeName(options.incoming, options.name, options.now ?? (() => new Date()));
    await rename(temp, join(options.incoming, name));
    return name;
  } catch (err) {
    await rm(temp, { force: true });
    // The rest of a refused stream is drained so the HTTP request can end with an answer.
    options.stream.resume();
    throw err;
  }
}

async function freeName(folder: string, name: string, now: () => Date): Promise<string> {
  if (!(await exists(join(folder, name)))) return name;
  const dot = name.lastIndexOf('.');
  const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let i = 0; ; i++) {
    const candidate = `${name.slice(0, dot)}-${stamp}${i > 0 ? `-${i}` : ''}${name.slice(dot)}`;
    if (!(await exists(join(folder, candidate)))) return candidate;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
