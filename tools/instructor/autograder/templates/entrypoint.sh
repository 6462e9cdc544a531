#!/usr/bin/env bash
# PrairieLearn runs this in the grader image for every submission: it grades the src/ of $GRADE_ROOT/student
# (the files the student submitted) and writes $GRADE_ROOT/results/results.json. GRADE_ROOT is /grade by default,
# GRADER_DIR (this package) /grader.
set -uo pipefail
GRADE_ROOT="${GRADE_ROOT:-/grade}"
GRADER_DIR="${GRADER_DIR:-/grader}"
RESULTS="$GRADE_ROOT/results/results.json"
cd "$GRADER_DIR" || exit 1
# shellcheck source=submission.sh
. ./submission.sh
mkdir -p "$GRADE_ROOT/results"
rm -f "$RESULTS"
SUBMISSION="$(submission_dir "$GRADE_ROOT/student")"
node -r ts-node/register/transpile-only tools/core/grade.ts --submission "$SUBMISSION" --format prairielearn --out "$RESULTS"
status=$?
if [ ! -s "$RESULTS" ]; then
  node -r ts-node/register/transpile-only tools/instructor/autograder/ungradable.ts --format prairielearn --out "$RESULTS" \
    --reason "the grader stopped (exit status $status) before it wrote a result"
fi
exit 0
