/**
 * The data folder and the store's files are private to the service user:
 * folder 0700, gateway.sqlite and its -wal and -shm 0600. They are created
 * that way whatever the umask (mode given at creation, umask can only take
 * bits away), and a gateway finding them looser refuses to start, naming
 * the exact chmod to run, as it refuses a secrets file others can read
 * (config/secrets.ts). SQLite creates -wal and -shm with the mode of the
 * database file, so creating that file 0600 first covers them.
 *
 * Windows has no mode bits (Node reports 0666/0777 whatever the ACL):
 * nothing is checked there; the installer's folder ACL is what protects it.
 */
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { GatewayError } from '../errors.js';

const CHECKED = process.platform !== 'win32';

/** The store file and the files SQLite keeps beside it. */
export function storeFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

/** Creates the folder 0700 if it is missing, then refuses it when group or others have any access. */
export function preparePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!CHECKED) return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new GatewayError('STORE_NOT_PRIVATE', `${dir} has mode ${mode.toString(8)}: run chmod 700 '${dir}'`);
  }
}

/** Creates the store file 0600 before SQLite opens it (an existing file is left as it is, and checked). */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
}

/** Refuses the start when any of these existing files can be read or written by group or others. */
export function checkPrivateFiles(files: readonly string[]): void {
  if (!CHECKED) return;
  const loose = files.flatMap((file) => {
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      return [];
    }
    return (mode & 0o077) !== 0 ? [{ file, mode }] : [];
  });
  if (loose.length === 0) return;
  const list = loose.map((l) => `${l.file} has mode ${l.mode.toString(8)}`).join(', ');
  throw new GatewayError('STORE_NOT_PRIVATE', `${list}: run chmod 600 ${loose.map((l) => `'${l.file}'`).join(' ')}`);
}
