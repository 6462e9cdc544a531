/**
 * Builds the package an instructor uploads to a grading platform, from this checkout (the grading source):
 *
 *   npm run autograder -- gradescope OUT.zip [--hidden-visibility V]   setup.sh + run_autograder + the grader
 *   npm run autograder -- classroom50 OUTDIR       autograder.py + the grader, for CLASSROOM/autograders/ASSIGNMENT/
 *   npm run autograder -- prairielearn OUTDIR      Dockerfile + grader/ (entrypoint.sh), and info.json's options
 *   npm run autograder -- github OUTDIR [--with-hidden]   the grading source .github/workflows/grade.yml checks out
 *
 * Each package grades only the submission's `src/`, with its own copy of the tests, grading.json and grader.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as yazl from "yazl";
import { copyPackage, graderFiles, stubbedSources } from "./files";
import { hiddenVisibility as gradescopeVisibility } from "../../core/report/gradescope";

const TEMPLATES = path.join(__dirname, "templates");
const template = (name: string) => path.join(TEMPLATES, name);
const EXECUTABLE = 0o755;

/**
 * Writes the Gradescope zip: `setup.sh` and `run_autograder` at its root, next to the grader's files. Hidden tests'
 * entries get `hiddenVisibility` (default `after_due_date`).
 */
export function buildGradescope(root: string, out: string, hiddenVisibility = "after_due_date"): Promise<string[]> {
  hiddenVisibility = gradescopeVisibility({ GRADESCOPE_HIDDEN_VISIBILITY: hiddenVisibility });
  const zip = new yazl.ZipFile();
  const names: string[] = [];
  const add = (from: string, name: string, mode = 0o644) => {
    zip.addFile(from, name, { mode: 0o100000 | mode });
    names.push(name);
  };
  add(template("setup.sh"), "setup.sh", EXECUTABLE);
  const runAutograder = fs.readFileSync(template("run_autograder"), "utf8").replace(":-after_due_date}", `:-${hiddenVisibility}}`);
  zip.addBuffer(Buffer.from(runAutograder), "run_autograder", { mode: 0o100000 | EXECUTABLE });
  names.push("run_autograder");
  add(template("submission.sh"), "submission.sh");
  for (const rel of graderFiles(root)) add(path.join(root, rel), rel);
  for (const [rel, text] of stubbedSources(root)) {
    zip.addBuffer(Buffer.from(text), rel, { mode: 0o100644 });
    names.push(rel);
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  return new Promise((resolve, reject) => {
    const stream = fs.createWriteStream(out);
    stream.on("close", () => resolve(names));
    stream.on("error", reject);
    zip.outputStream.on("error", reject).pipe(stream);
    zip.end();
  });
}

/** Writes the Classroom 50 bundle folder and the assignment's `runtime` entry (Node 24). */
export function buildClassroom50(root: string, dir: string): void {
  copyPackage(root, dir, {
    "autograder.py": { from: template("autograder.py"), mode: EXECUTABLE },
    "runtime.json": { from: template("classroom50-runtime.json") },
  });
}

/** Writes the PrairieLearn image's build folder (`Dockerfile`, `grader/`) and `info.json`'s external-grading options. */
export function buildPrairieLearn(root: string, dir: string): void {
  copyPackage(root, path.join(dir, "grader"), {
    "entrypoint.sh": { from: template("entrypoint.sh"), mode: EXECUTABLE },
    "submission.sh": { from: template("submission.sh") },
  });
  fs.copyFileSync(template("Dockerfile"), path.join(dir, "Dockerfile"));
  fs.copyFileSync(template("prairielearn-info.json"), path.join(dir, "info.json"));
}

/**
 * Writes the grading source of the GitHub Actions workflow: the grader, tests and grading.json, pushed to a
 * repository students cannot push to. Without `withHidden` it leaves the hidden tests out: a student who edits the
 * workflow can read that repository with its token, so hidden tests there would not stay hidden.
 */
export function buildGitHub(root: string, dir: string, withHidden = false): void {
  copyPackage(root, dir, {}, withHidden);
}

const USAGE = "expected gradescope OUT.zip, classroom50 OUTDIR, prairielearn OUTDIR or github OUTDIR [--with-hidden]";

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { root: { type: "string" }, "hidden-visibility": { type: "string" }, "with-hidden": { type: "boolean" } } });
  const [platform, out, ...rest] = positionals;
  if (!out || rest.length > 0) throw new RangeError(`${USAGE}, got ${JSON.stringify(positionals.join(" "))}`);
  const root = path.resolve(values.root ?? path.join(__dirname, "..", "..", ".."));
  if (platform === "gradescope") {
    const names = await buildGradescope(root, out, values["hidden-visibility"]);
    console.log(`Wrote ${out}: setup.sh, run_autograder and ${names.length - 3} grader files. Upload it as the assignment's autograder (docs/instructors.md, Gradescope).`);
  } else if (platform === "classroom50") {
    buildClassroom50(root, out);
    console.log(`Wrote ${out}/: commit its files under CLASSROOM/autograders/ASSIGNMENT/ and merge runtime.json into the assignment's entry (docs/instructors.md, Classroom 50).`);
  } else if (platform === "prairielearn") {
    buildPrairieLearn(root, out);
    console.log(`Wrote ${out}/: build and push the image from it, and put info.json's options in each question (docs/instructors.md, PrairieLearn).`);
  } else if (platform === "github") {
    buildGitHub(root, out, values["with-hidden"] ?? false);
    console.log(`Wrote ${out}/: push it to the grading repository and set GRADING_REF to that commit (docs/instructors.md, GitHub Actions).`);
  } else {
    throw new RangeError(`${USAGE}, got ${JSON.stringify(platform ?? "")}`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`npm run autograder: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
