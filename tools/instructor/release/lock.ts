/**
 * The student's package-lock.json: the instructor's lock pruned to what the student's package.json needs. npm does
 * it (`npm install --package-lock-only --offline`): its arborist builds the ideal tree from the lock, drops every
 * package nothing depends on any more and recomputes the dev/optional/peer flags exactly as a student's
 * `npm install` would, so that command leaves the lock unchanged. Nothing is fetched: the lock already holds
 * every package's version, location and integrity.
 */
import { execFileSync } from "node:child_process";

/** npm could not prune the lock (it needed the network, or package.json and the lock disagree). */
export class LockPruneError extends Error {
  override name = "LockPruneError";
}

/** The command that runs npm: the npm running this process when there is one, else `npm` from PATH. */
function npmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  return execPath && /npm-cli\.js$/.test(execPath) ? [process.execPath, [execPath]] : ["npm", []];
}

/**
 * Rewrites `dir`/package-lock.json to the closure of `dir`/package.json's dependencies, offline.
 * @throws LockPruneError with npm's own message when npm fails
 */
export function pruneLock(dir: string): void {
  const [command, prefix] = npmCommand();
  const args = [...prefix, "install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"];
  try {
    execFileSync(command, args, { cwd: dir, stdio: "pipe", encoding: "utf8", env: { ...process.env, npm_config_dry_run: "false" } });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? "";
    throw new LockPruneError(`${dir}: expected npm to prune package-lock.json to package.json's dependencies offline, got: ${stderr || (error as Error).message}`, { cause: error });
  }
}
