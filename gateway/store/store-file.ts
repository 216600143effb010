import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * What is wrong with a store file's SQLite header, or null when the header
 * holds together. Cheap (100 bytes and a stat) and run before the file is
 * opened: SQLite itself opens a truncated file without complaint and fails
 * only when it reaches a missing page, maybe hours later.
 * https://www.sqlite.org/fileformat2.html#the_database_header
 */
export function headerProblem(file: string): string | null {
  const size = statSync(file).size;
  if (size === 0) return null;
  if (size < 100) return `${size} bytes, shorter than a SQLite header`;
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return 'it does not start with the SQLite header';
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `its header gives an impossible page size (${raw})`;
  if (size % pageSize !== 0) return `${size} bytes is not a whole number of ${pageSize}-byte pages: the file was cut`;
  const pages = header.readUInt32BE(28);
  // The page count is trusted only when written by a SQLite that keeps it (version-valid-for = change counter).
  if (header.readUInt32BE(92) === header.readUInt32BE(24) && pages * pageSize > size) {
    return `it holds ${size} bytes of the ${pages * pageSize} its header counts: the file was cut`;
  }
  return null;
}

/** A SQLite error that means the file itself is damaged, not missing or unwritable. */
export function isCorruption(err: unknown): boolean {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) return true;
  }
  return false;
}
