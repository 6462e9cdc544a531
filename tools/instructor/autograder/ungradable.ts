/**
 * Writes a platform file for a submission the grader gave no result for (it was killed, or could not start): every
 * requirement of `grading.json` at 0, with the reason. The autograder packages run it when the grader left no file.
 *
 *   node -r ts-node/register/transpile-only tools/instructor/autograder/ungradable.ts --format NAME --out FILE --reason TEXT
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadGradingConfig } from "../../core/config";
import { writeFormats } from "../../core/report/writeFormats";
import { ungradable } from "../../core/score/score";

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { format: { type: "string" }, out: { type: "string" }, reason: { type: "string" }, root: { type: "string" } } });
  if (!values.format || !values.out || !values.reason) throw new RangeError("expected --format NAME --out FILE --reason TEXT [--root DIR]");
  const root = path.resolve(values.root ?? process.cwd());
  const result = ungradable(loadGradingConfig(path.join(root, "grading.json")), "submission", "crashed", values.reason);
  writeFormats(result, [values.format], [path.resolve(values.out)]);
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`ungradable: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
