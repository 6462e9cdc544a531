/**
 * Runs one exercise's tests with mocha inside a child process and appends one JSON line per event to the events
 * file. The parent (runExercise.ts) enforces time limits and restarts it; nothing here trusts the code under test.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV, describeThrown, type ChildEvent } from "./protocol";

// Keep our own references before any test can replace them.
const writeSync = fs.writeSync;
const now = performance.now.bind(performance);
const exitProcess = process.exit.bind(process);
/** Exits even when a test has replaced or stubbed `process.exit`. */
const realExit = (code: number) => exitProcess(code);
const stringify = JSON.stringify;

const eventsFd = fs.openSync(required(ENV.events), "a");
function emit(event: ChildEvent): void {
  writeSync(eventsFd, `${stringify(event)}\n`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`grading child: expected the ${name} environment variable`);
  return value;
}

interface MochaTest {
  title: string;
  file?: string;
  fullTitle(): string;
  parent?: MochaSuite;
}
interface MochaSuite {
  tests: MochaTest[];
  suites: MochaSuite[];
}

function idOf(test: MochaTest): string {
  return `${path.relative(process.cwd(), test.file ?? "")} :: ${test.fullTitle()}`;
}

function allTests(suite: MochaSuite): MochaTest[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

function removeTests(suite: MochaSuite, skip: Set<string>): void {
  suite.tests = suite.tests.filter((t) => !skip.has(idOf(t)));
  suite.suites.forEach((s) => removeTests(s, skip));
}

async function main(): Promise<void> {
  const files = JSON.parse(required(ENV.files)) as string[];
  const skipFile = process.env[ENV.skip];
  const skip = new Set<string>(skipFile ? (JSON.parse(fs.readFileSync(skipFile, "utf8")) as string[]) : []);
  const Mocha = (await import("mocha")).default;
  const mocha = new Mocha({ timeout: Number(process.env[ENV.testMs] ?? 5000), reporter: class {} as never });
  for (const file of files) mocha.addFile(path.resolve(file));
  try {
    await mocha.loadFilesAsync();
  } catch (error) {
    emit({ type: "load-error", message: describeThrown(error) });
    realExit(0);
    return;
  }
  const root = mocha.suite as unknown as MochaSuite;
  removeTests(root, skip);
  emit({ type: "plan", tests: allTests(root).map((t) => ({ id: idOf(t), title: t.title, file: t.file ?? "" })) });

  const started = new Map<string, number>();
  const runner = mocha.run(() => {
    emit({ type: "done" });
    realExit(0);
  });
  runner.on("test", (test: MochaTest) => {
    started.set(idOf(test), now());
    emit({ type: "start", id: idOf(test) });
  });
  const finish = (test: MochaTest, status: "passed" | "failed" | "pending", message = "") => {
    const id = idOf(test);
    const durationMs = Math.round(now() - (started.get(id) ?? now()));
    emit({ type: "end", id, status, message, durationMs });
  };
  runner.on("pass", (test: MochaTest) => finish(test, "passed"));
  runner.on("pending", (test: MochaTest) => finish(test, "pending", "skipped (pending)"));
  runner.on("fail", (runnable: MochaTest & { type?: string }, error: unknown) => {
    if (runnable.type === "hook") {
      const suite = runnable.parent ?? root;
      emit({ type: "hook-failed", ids: allTests(suite).map(idOf), message: `${runnable.title}: ${describeThrown(error)}` });
    } else {
      finish(runnable, "failed", describeThrown(error));
    }
  });
}

main().catch((error) => {
  emit({ type: "load-error", message: describeThrown(error) });
  realExit(0);
});
