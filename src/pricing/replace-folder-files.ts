/**
 * Replaces a set of files in one folder all together or not at all: the catalogue's
 * provider files and its manifest must agree, so an update that fails halfway (a disk
 * full, a file that cannot be replaced) leaves every file as it was.
 *
 * 1. Each new file is written to a hidden temporary file beside its target and synced.
 * 2. Each file about to be replaced or removed is copied to a hidden backup.
 * 3. The temporary files are renamed over their targets, in the order given (put the
 *    file that says what the others are, the manifest, last), then the files to remove go.
 * A failure in any step puts back every target already renamed or removed (from its
 * backup, or by removing a file that did not exist before) and deletes the temporary
 * files and backups: the folder is as it was.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderFile {
  /** The file name inside the folder. */
  name: string;
  text: string;
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function writeSynced(path: string, text: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `files` into `dir` (created when missing) and removes the files named in `remove`,
 * all or none. Throws the first error met, after putting the folder back as it was.
 */
export function replaceFolderFiles(dir: string, files: readonly FolderFile[], remove: readonly string[] = []): void {
  mkdirSync(dir, { recursive: true });
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const temps = new Map<string, string>();
  const backups = new Map<string, string>();
  const replaced: string[] = [];
  const removed: string[] = [];
  try {
    for (const f of files) {
      const temp = join(dir, `.${f.name}.${tag}.tmp`);
      temps.set(f.name, temp);
      writeSynced(temp, f.text);
    }
    for (const name of [...files.map((f) => f.name), ...remove]) {
      const target = join(dir, name);
      if (!isFile(target) || backups.has(name)) continue;
      const backup = join(dir, `.${name}.${tag}.bak`);
      copyFileSync(target, backup);
      backups.set(name, backup);
    }
    for (const f of files) {
      renameSync(temps.get(f.name)!, join(dir, f.name));
      temps.delete(f.name);
      replaced.push(f.name);
    }
    for (const name of remove) {
      const target = join(dir, name);
      if (!isFile(target)) continue;
      unlinkSync(target);
      removed.push(name);
    }
  } catch (error) {
    for (const name of [...removed, ...replaced].reverse()) {
      const backup = backups.get(name);
      if (backup !== undefined) {
        renameSync(backup, join(dir, name));
        backups.delete(name);
      } else {
        rmSync(join(dir, name), { force: true });
      }
    }
    for (const temp of temps.values()) rmSync(temp, { force: true });
    for (const backup of backups.values()) rmSync(backup, { force: true });
    throw error;
  }
  for (const backup of backups.values()) rmSync(backup, { force: true });
}
