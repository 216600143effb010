/**
 * A drop folder looked at, never touched: whether the configuration may
 * name it, whether it (or the folder it will be made in) is there and can
 * be written, and what each file waiting in incoming/ would become. Nothing
 * is created, written or moved.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../config/errors.js';
import type { LocalPaths } from '../../config/local-paths.js';
import { resolvePath } from '../../config/load.js';
import type { FolderSourceConfig } from '../../config/schema.js';
import { requireAllowedPath } from '../../config/source-options.js';
import { dropFolders } from '../../connectors/files/folder-watcher.js';
import { classifyName, noCodeDetail } from '../../connectors/files/naming.js';
import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { SourceProbe, WaitingFile } from './report.js';

/** Files listed per folder; a folder holding more says how many more. */
export const FILES_SHOWN = 100;

export interface FolderProbeDeps {
  baseDir: string;
  paths: LocalPaths;
  /** The catalog category a file name's code stands for; null when there is none. */
  category(code: string): { code: string; name: string } | null;
}

export function probeFolder(source: FolderSourceConfig, index: number, deps: FolderProbeDeps): SourceProbe {
  const base: SourceProbe = {
    name: source.name, kind: source.kind, path: `sources[${index}]`, ok: true, problem: null,
    facts: null, configuredTimeZone: null, noServerZone: false, warnings: [], folder: null,
  };
  const unusable = (path: string, detail: string): SourceProbe => ({ ...base, ok: false, problem: { code: 'PROBE_FOLDER_UNUSABLE', path, detail } });
  try {
    requireAllowedPath(source, index, deps.paths);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return unusable(`sources[${index}].path`, err.problems.map((p) => p.message).join('; '));
  }
  const folders = dropFolders(resolvePath(deps.baseDir, source.path));
  const refusal = writableProblem(folders.root) ?? writableProblem(folders.incoming);
  if (refusal) return unusable(`sources[${index}].path`, refusal);
  const names = listed(folders.incoming);
  const files = names.slice(0, FILES_SHOWN).map((name) => waitingFile(name, deps));
  return { ...base, folder: { root: folders.root, incoming: folders.incoming, files, more: Math.max(0, names.length - FILES_SHOWN) } };
}

/**
 * Why the gateway could not use `dir`, or null: an existing folder must be
 * writable; a missing one is made at start, so the nearest folder that
 * exists above it must be.
 */
function writableProblem(dir: string): string | null {
  let at = dir;
  for (;;) {
    let stat;
    try {
      stat = statSync(at);
    } catch {
      const up = dirname(at);
      if (up === at) return `${dir}: no folder above it exists`;
      at = up;
      continue;
    }
    if (!stat.isDirectory()) return `${at} is not a folder`;
    try {
      accessSync(at, constants.W_OK | constants.X_OK);
    } catch {
      return at === dir ? `${at} cannot be written by this user` : `${dir} does not exist and cannot be made: ${at} cannot be written by this user`;
    }
    return null;
  }
}

function listed(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** A file's name is shown masked: a clerk may have named it after a person. */
function waitingFile(file: string, deps: FolderProbeDeps): WaitingFile {
  const verdict = classifyName(file);
  const name = maskIdNumbersIn(file);
  if (verdict.kind === 'ignored') return { name, verdict: 'ignored', reason: verdict.reason };
  if (verdict.kind === 'refused') return { name, verdict: 'refused', code: verdict.code, detail: verdict.detail };
  // An export with no code in front is read only if a profile of the folder claims it, which the file's content decides.
  if (verdict.category === null) return { name, verdict: 'refused', code: 'FILE_NAME_INVALID', detail: `${maskIdNumbersIn(noCodeDetail(file))} (read only if an export profile claims it)` };
  const category = deps.category(verdict.category);
  return category
    ? { name, verdict: 'data', category: category.code, categoryName: category.name }
    : { name, verdict: 'unknown-category', category: verdict.category };
}
