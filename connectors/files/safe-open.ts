/**
 * Opening a dropped file without trusting its name. The drop folder is
 * writable by clerks (often through a network share), so an entry in it may
 * be a symbolic link to /etc/shadow, a hard link to the gateway's own store,
 * a FIFO that blocks any reader for ever, or something swapped in between a
 * check and the open. The rules:
 *
 *   - only a plain regular file with one link is read;
 *   - its real path must be inside the folder's real path;
 *   - it is opened with O_NOFOLLOW (and O_NONBLOCK, so a FIFO swapped in
 *     cannot hang the open), and the open descriptor must be the same inode
 *     that was checked; everything after reads through that descriptor.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { FileError } from './file-error.js';

export interface OpenedFile {
  name: string;
  path: string;
  handle: FileHandle;
  size: number;
  mtimeMs: number;
}

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Throws FileError FILE_NOT_REGULAR / FILE_OUTSIDE_FOLDER, or the fs error (e.g. ENOENT) as it is. */
export async function openInFolder(folder: string, name: string): Promise<OpenedFile> {
  if (name === '' || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new FileError('FILE_OUTSIDE_FOLDER', { name });
  }
  const realFolder = await realpath(folder);
  const path = join(realFolder, name);
  const seen = await lstat(path);
  refuseIrregular(seen);
  if (dirname(await realpath(path)) !== realFolder) throw new FileError('FILE_OUTSIDE_FOLDER', { name });

  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (err) {
    // ELOOP: the entry became a symbolic link after it was checked.
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new FileError('FILE_NOT_REGULAR', { kind: 'symbolic link' }, { cause: err });
    throw err;
  }
  try {
    const opened = await handle.stat();
    refuseIrregular(opened);
    if (opened.ino !== seen.ino || opened.dev !== seen.dev) throw new FileError('FILE_NOT_REGULAR', { kind: 'replaced while opening' });
    return { name, path, handle, size: opened.size, mtimeMs: opened.mtimeMs };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Whether the name still holds exactly what was read: not written to in
 * place (size, modification time) and not replaced by a new file under the
 * same name, as Excel does when it saves.
 */
export async function unchangedSince(file: OpenedFile): Promise<boolean> {
  const opened = await file.handle.stat();
  if (opened.size !== file.size || opened.mtimeMs !== file.mtimeMs) return false;
  try {
    const named = await lstat(file.path);
    return named.ino === opened.ino && named.dev === opened.dev;
  } catch {
    return false;
  }
}

function refuseIrregular(stats: Stats): void {
  if (stats.isSymbolicLink()) throw new FileError('FILE_NOT_REGULAR', { kind: 'symbolic link' });
  if (stats.isDirectory()) throw new FileError('FILE_NOT_REGULAR', { kind: 'folder' });
  if (!stats.isFile()) throw new FileError('FILE_NOT_REGULAR', { kind: 'device, FIFO or socket' });
  // A second name for the same data means it may be a file of someone else's, linked in.
  if (stats.nlink > 1) throw new FileError('FILE_NOT_REGULAR', { kind: 'hard link' });
}

/**
 * The bytes of an opened file from `start` up to (not including) `end`, by
 * positional reads. Unlike FileHandle.createReadStream, destroying the
 * stream never closes the handle: the file is read more than once (encoding
 * check, then rows) and checked again before it is moved.
 */
export function readBytes(handle: FileHandle, start = 0, end = Number.POSITIVE_INFINITY): Readable {
  let position = start;
  return new Readable({
    highWaterMark: 64 * 1024,
    read(size) {
      const length = Math.min(size, end - position);
      if (length <= 0) {
        this.push(null);
        return;
      }
      const buffer = Buffer.allocUnsafe(length);
      handle.read(buffer, 0, length, position).then(
        ({ bytesRead }) => {
          position += bytesRead;
          this.push(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
        },
        (err: Error) => this.destroy(err),
      );
    },
  });
}
