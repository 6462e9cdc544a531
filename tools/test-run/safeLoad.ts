/**
 * Loads mocha's test files one at a time, so a file that throws while loading (a syntax error in the code it
 * imports, a missing export) becomes one failing test titled {@link LOAD_FAILED} instead of stopping the whole run:
 * a typo in Exercise 1 leaves the other exercises' tests running. Importing this module patches mocha once.
 */
import * as path from "node:path";
import Mocha from "mocha";
import { LOAD_FAILED } from "./verdict";


const PATCHED = Symbol.for("lecture34.test-run.safeLoad");
type Loader = (this: Mocha, ...args: unknown[]) => Promise<unknown>;
const proto = Mocha.prototype as unknown as { loadFilesAsync: Loader; [PATCHED]?: true };

function addLoadFailure(mocha: Mocha, file: string, error: unknown): void {
  const rel = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/");
  const suite = Mocha.Suite.create(mocha.suite, rel);
  const test = new Mocha.Test(`${LOAD_FAILED}: ${rel}`, () => {
    throw error;
  });
  test.file = path.resolve(file);
  suite.addTest(test);
}

if (!proto[PATCHED]) {
  proto[PATCHED] = true;
  const original = proto.loadFilesAsync;
  proto.loadFilesAsync = async function (this: Mocha, ...args: unknown[]) {
    const files = this.files;
    try {
      for (const file of files) {
        this.files = [file];
        try {
          await original.apply(this, args);
        } catch (error) {
          addLoadFailure(this, file, error);
        }
      }
    } finally {
      this.files = files;
    }
  };
}
