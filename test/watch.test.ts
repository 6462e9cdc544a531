import { expect } from "./helpers/expect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { watchSaves, type SaveBatch, type SaveWatcher } from "../tools/student/saves";
import { splitForFirstRun } from "../tools/student/watch";
import { runQueue } from "../tools/student/runQueue";

/**
 * Real file system events in a temporary folder; each step awaits the burst of saves it causes (the watcher's own
 * 50 ms quiet period ends a burst), never a timer of its own.
 */
describe("#21 watch mode sees every save", () => {
  let root: string;
  let watcher: SaveWatcher;
  let batches: SaveBatch[];
  let waiting: ((batch: SaveBatch) => void) | undefined;
  const nextBatch = () => new Promise<SaveBatch>((resolve) => (waiting = resolve));
  const file = (name: string) => path.join(root, "src", "ex1", name);

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-watch-"));
    fs.mkdirSync(path.join(root, "src", "ex1"), { recursive: true });
    fs.mkdirSync(path.join(root, "test"));
    fs.writeFileSync(file("a.ts"), "export const a = 1;\n");
    batches = [];
    watcher = watchSaves({
      root,
      dirs: ["src", "test"],
      onSaves: (batch) => {
        batches.push(batch);
        const resolve = waiting;
        waiting = undefined;
        resolve?.(batch);
      },
    });
    await watcher.ready;
  });

  afterEach(async () => {
    await watcher.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("#21 a file replaced by a rename (mv, git checkout, sed -i, atomic save) and then saved again gives two runs", async () => {
    let seen = nextBatch();
    fs.writeFileSync(file(".a.ts.tmp"), "export const a = 2;\n");
    fs.renameSync(file(".a.ts.tmp"), file("a.ts"));
    expect((await seen).files).to.include("src/ex1/a.ts");
    seen = nextBatch();
    fs.writeFileSync(file("a.ts"), "export const a = 3;\n");
    expect((await seen).files).to.deep.equal(["src/ex1/a.ts"]);
    expect(batches.filter((b) => b.files.includes("src/ex1/a.ts"))).to.have.length(2);
  });

  it("#21 new and deleted files, in new folders too, are saves of their own", async () => {
    let seen = nextBatch();
    fs.mkdirSync(path.join(root, "src", "ex1", "deep"));
    fs.writeFileSync(file("deep/b.ts"), "export const b = 1;\n");
    expect((await seen).files).to.include("src/ex1/deep/b.ts");
    seen = nextBatch();
    fs.writeFileSync(file("deep/b.ts"), "export const b = 2;\n");
    expect((await seen).files).to.deep.equal(["src/ex1/deep/b.ts"]);
    seen = nextBatch();
    fs.unlinkSync(file("a.ts"));
    expect((await seen).files).to.deep.equal(["src/ex1/a.ts"]);
  });
});

describe("#21 watch mode's first run", () => {
  it("#21 splits the exercises over the cores in snake order, every exercise once, no empty group", () => {
    expect(splitForFirstRun([1, 2, 3, 4], 2)).to.deep.equal([[1, 4], [2, 3]]);
    expect(splitForFirstRun([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 4, 5], [2, 3]]);
    expect(splitForFirstRun([1, 2], 8)).to.deep.equal([[1], [2]]);
    expect(splitForFirstRun([1, 2, 3], 1)).to.deep.equal([[1, 2, 3]]);
    expect(splitForFirstRun([1, 2, 3], 0)).to.deep.equal([[1, 2, 3]]);
    expect(splitForFirstRun([], 2)).to.deep.equal([]);
  });
});

describe("#21 watch mode's re-runs never fall behind the saves", () => {
  /** A run that ends when the test says so. */
  function controlledRuns() {
    const calls: { ids: number[]; savedAt: number; finish: (error?: Error) => void }[] = [];
    const run = (ids: number[], savedAt: number) =>
      new Promise<void>((resolve, reject) => calls.push({ ids, savedAt, finish: (error) => (error ? reject(error) : resolve()) }));
    return { calls, run };
  }
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("#21 saves made while a run is going wait for one next run: their exercises merged, timed from the earliest", async () => {
    const { calls, run } = controlledRuns();
    const queue = runQueue(run);
    queue.add([2], 100);
    await tick();
    expect(calls.map((c) => c.ids)).to.deep.equal([[2]]);
    for (const [ids, at] of [[[2], 200], [[3], 150], [[2], 300], [[1, 3], 400]] as const) queue.add(ids, at);
    await tick();
    expect(calls).to.have.length(1);
    calls[0].finish();
    await tick();
    expect(calls.slice(1).map((c) => [c.ids, c.savedAt])).to.deep.equal([[[1, 2, 3], 150]]);
    calls[1].finish();
    await queue.idle();
    expect(calls).to.have.length(2);
  });

  it("#21 saves made while the next run waits for its worker join that run", async () => {
    const { calls, run } = controlledRuns();
    let workerReady!: () => void;
    const queue = runQueue(run, Promise.resolve(), () => new Promise<void>((resolve) => (workerReady = resolve)));
    queue.add([2], 10);
    await tick();
    expect(calls).to.have.length(0);
    queue.add([3], 20);
    workerReady();
    await tick();
    expect(calls.map((c) => [c.ids, c.savedAt])).to.deep.equal([[[2, 3], 10]]);
    calls[0].finish();
    await queue.idle();
  });

  it("#21 nothing runs before the first run is over, and a failed run does not stop later ones", async () => {
    let endFirst!: () => void;
    const first = new Promise<void>((resolve) => (endFirst = resolve));
    const { calls, run } = controlledRuns();
    const queue = runQueue(run, first);
    queue.add([4], 1);
    queue.add([], 2);
    await tick();
    expect(calls).to.have.length(0);
    endFirst();
    await tick();
    expect(calls.map((c) => c.ids)).to.deep.equal([[4]]);
    queue.add([1], 3);
    calls[0].finish(new Error("worker died"));
    await tick();
    expect(calls.map((c) => c.ids)).to.deep.equal([[4], [1]]);
    calls[1].finish();
    await queue.idle();
    queue.add([2], 5);
    await tick();
    expect(calls.map((c) => c.ids)).to.deep.equal([[4], [1], [2]]);
    calls[2].finish();
    await queue.idle();
  });
});
