/**
 * Stops a detached child with everything it started: its process group and the process groups of its
 * descendants (the grader runs each test process in a group of its own), frozen first so nothing in the tree can
 * start another process between the look-up and the kill. Quiet when they are already gone.
 */
import * as fs from "node:fs";

/** The processes below `pid`, found through /proc (Linux); empty elsewhere. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const visit = (p: number) => (children.get(p) ?? []).forEach((c) => (found.push(c), visit(c)));
  visit(pid);
  return found;
}

/** Sends `signal` to the process group led by `pid` and to `pid` itself; quiet when they are gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      // gone already, or not a group leader
    }
  }
}

/** Kills a detached child's process group and every process below it, with SIGKILL. */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    for (const p of tree) signalGroup(p, "SIGSTOP");
    grew = false;
    for (const p of [...tree].flatMap((p) => descendants(p))) {
      if (!tree.has(p)) {
        tree.add(p);
        grew = true;
      }
    }
  }
  for (const p of tree) signalGroup(p, "SIGKILL");
}
