/**
 * Path rules shared by the loaders: CSV paths must stay inside their dataset's folder, audio files are
 * recognised by extension (case-insensitive), and folder listings are sorted so item order is stable.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DatasetError } from '../util/errors.js';

/** Extensions (lower-case, with dot) the loaders treat as audio. */
export const AUDIO_EXTENSIONS: readonly string[] = ['.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga'];

/** True when the file name ends in an audio extension, in any letter case. */
export function isAudioFile(name: string): boolean {
  const lower = name.toLowerCase();
  return AUDIO_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** True when `path` (absolute) is `root` or lies inside it, lexically. */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolve a path cell of a CSV against `root`; reject empty cells and paths that escape `root`
 * (a `../` climb or an absolute path elsewhere): a dataset must not read files outside its folder.
 * Backslashes are read as folder separators (CSVs made on Windows).
 */
export function resolveInside(root: string, cell: string, where: { file: string; line: number }): string {
  if (cell === '') throw new DatasetError('csv-path', `line ${where.line}: empty path`, { file: where.file });
  const abs = resolve(root, cell.replace(/\\/g, '/'));
  if (!isInside(root, abs)) {
    throw new DatasetError('path-outside', `line ${where.line}: path "${cell}" resolves outside the dataset folder ${root}`, {
      file: where.file,
      hint: "paths must be relative to the CSV's folder and stay inside it",
    });
  }
  return abs;
}

/** Sorted names of the entries of `dir` (code-unit order, like Python's sorted()). */
export function sortedEntries(dir: string): { name: string; isDir: boolean; isFile: boolean }[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError('folder-unreadable', code === 'ENOENT' ? 'folder not found' : `cannot list folder (${code})`, {
      file: dir,
      cause: err,
    });
  }
  return entries
    .map((e) => {
      if (!e.isSymbolicLink()) return { name: e.name, isDir: e.isDirectory(), isFile: e.isFile() };
      const st = statSync(join(dir, e.name), { throwIfNoEntry: false }); // follow links; dangling ones are skipped
      return { name: e.name, isDir: st?.isDirectory() ?? false, isFile: st?.isFile() ?? false };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every audio file under `dir` (recursively, hidden entries skipped), as absolute paths in sorted path order. */
export function listAudioFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of sortedEntries(d)) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDir) walk(p);
      else if (e.isFile && isAudioFile(e.name)) out.push(p);
    }
  };
  walk(dir);
  // A depth-first walk over sorted names is not the same as sorting full paths ("a b/x" vs "a/x"): sort paths.
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Compare strings by code units (the order Python's sorted() gives for BMP text). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
