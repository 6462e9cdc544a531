import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Lists every regular file under a folder, depth first in name order; symlinks are not followed, and a folder that
 * cannot be read gives nothing.
 * @param dir - the folder
 * @returns absolute (or `dir`-relative, as `dir` is given) paths
 */
export function filesUnder(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}
