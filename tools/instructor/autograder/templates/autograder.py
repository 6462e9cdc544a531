#!/usr/bin/env python3
"""Classroom 50 autograder: grades the src/ of the student's checkout (the working folder the runner gives) with
the grader, tests and grading.json bundled next to this file, and writes result.json there in the classroom50/result/v1
format. The grader reads the identity fields (CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, OWNER or USERNAME, COMMIT_URL,
RELEASE_URL, REVIEW_URL, ASSIGNMENT_TYPE or MODE, GITHUB_ACTOR, GITHUB_ACTOR_ID) from the runner's environment. Needs
Node.js 24 from the assignment's runtime block. None of the student's scripts, config or tests run."""

import os
import pathlib
import subprocess
import sys

BUNDLE = pathlib.Path(os.environ.get("CLASSROOM50_BUNDLE_DIR") or pathlib.Path(__file__).resolve().parent)
WORKSPACE = pathlib.Path.cwd()
RESULT = WORKSPACE / "result.json"
NODE = ["node", "-r", "ts-node/register/transpile-only"]


def run(command: list[str]) -> int:
    print("autograder:", " ".join(command), flush=True)
    return subprocess.run(command, cwd=BUNDLE, check=False).returncode


def main() -> int:
    status = 0
    if not (BUNDLE / "node_modules" / "ts-node").is_dir():
        status = run(["npm", "ci", "--ignore-scripts", "--include=dev", "--no-audit", "--no-fund"])
    if status == 0:
        status = run([*NODE, "tools/core/grade.ts", "--submission", str(WORKSPACE), "--format", "classroom50", "--out", str(RESULT)])
    if not RESULT.is_file():
        run([*NODE, "tools/instructor/autograder/ungradable.ts", "--format", "classroom50", "--out", str(RESULT),
             "--reason", f"the grader stopped (exit status {status}) before it wrote a result"])
    # A result.json (complete, possibly at 0) is the outcome; without one the runner records an error itself.
    return 0


if __name__ == "__main__":
    sys.exit(main())
