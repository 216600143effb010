/**
 * Which files of a production package go into the release: what Node can
 * read at run time, and every licence. Type declarations, TypeScript
 * sources, source maps, documentation, the packages' own tests and
 * examples and their editor, lint and CI settings are ~40% of the bytes and
 * ~60% of the files of node_modules; copying, hashing, packing and checking
 * them made the release slow to build and to install for nothing.
 *
 * Node 20 loads .js, .cjs, .mjs, .json and .node files; it never loads
 * TypeScript (and Node 22's type stripping refuses files under
 * node_modules), and reads a .map only with --enable-source-maps, which the
 * launcher does not pass.
 */
import { basename, sep } from 'node:path';

/** Licence, notice and copyright files, kept whatever their extension (LICENSE.md, NOTICE.txt, COPYING, LICENCE-MIT …). */
const LEGAL = /^(licen[cs]e|notice|copying|copyright|patents?|authors?)([-_.].*)?$/i;

/** Files no runtime reads, by name. */
const LEFT_OUT_FILE = [
  /\.d\.[cm]?ts$/i, // type declarations
  /\.[cm]?ts$/, // TypeScript sources
  /\.map$/i, // source maps
  /\.(md|markdown)$/i, // documentation
  /^\.(eslintrc|eslintignore|nycrc|editorconfig|gitattributes|gitignore|npmignore|prettierrc|prettierignore|taprc|travis\.yml|jshintrc|jscsrc|airtap\.yml)(\..*)?$/i,
  /^tsconfig(\..*)?\.json$/i,
];

/** Folders a package keeps beside its code for its own development: they are left out when directly in the package's root. */
const LEFT_OUT_ROOT_FOLDER = new Set(['test', 'tests', '__tests__', 'example', 'examples', 'benchmark', 'benchmarks', '.github']);

/** Fields of package.json through which Node (or a bundler-style import) could reach a file. */
function entryPoints(pkg: Record<string, unknown>): string {
  return JSON.stringify([pkg.main, pkg.exports, pkg.bin, pkg.browser, pkg.module, pkg.imports]);
}

/** A development folder in the package's root, unless the package's entry points lead into it. */
function inDevelopmentFolder(parts: string[], pkg: Record<string, unknown>): boolean {
  if (parts.includes('.github')) return true;
  const top = parts[0]!;
  return LEFT_OUT_ROOT_FOLDER.has(top) && !entryPoints(pkg).includes(`${top}/`);
}

/**
 * Whether the file or folder at `inside` (relative to its package's folder,
 * `sep` separated) goes into the release. `pkg` is the package's
 * package.json: a development folder its entry points name is kept.
 */
export function isRuntimeFile(inside: string, pkg: Record<string, unknown>, isFolder: boolean): boolean {
  if (inside === '') return true;
  const parts = inside.split(sep);
  if (inDevelopmentFolder(parts, pkg)) return false;
  if (isFolder) return true;
  const name = parts[parts.length - 1]!;
  return LEGAL.test(name) || !LEFT_OUT_FILE.some((re) => re.test(name));
}

/** Whether `file` is a licence, notice or copyright file (the release keeps them all). */
export function isLegalFile(file: string): boolean {
  return LEGAL.test(basename(file));
}
