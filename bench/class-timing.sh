#!/bin/bash
# Times `npm run grade -- --class` on a class of 30 (copies of a release with the reference src/) for two commits of
# this repository graded at the same time, so both see the same machine load (issue 19: stay within 10%).
#   bash bench/class-timing.sh BASE_COMMIT [NEW_COMMIT=HEAD] [WORK=/tmp/class-timing]
# Prints wall and CPU (user+sys, children included) for each; the grades must agree.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
base=$1 new=${2:-HEAD} work=${3:-/tmp/class-timing}
rm -rf "$work" && mkdir -p "$work/class"
for which in base new; do
  commit=$([ $which = base ] && echo "$base" || echo "$new")
  mkdir "$work/$which" && git -C "$root" archive "$commit" | tar -x -C "$work/$which"
  cp -al "$root/node_modules" "$work/$which/node_modules"   # hard links: each checkout's own path, no copy
  (cd "$work/$which" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm snapshot)
done
(cd "$work/base" && node -r ts-node/register/transpile-only -e '
  const fs = require("fs"), path = require("path");
  require("./tools/instructor/release/release.ts").release(process.cwd(), process.argv[1] + "/release");
  for (let i = 1; i <= 30; i++) {
    const dir = `${process.argv[1]}/class/s${String(i).padStart(2, "0")}`;
    fs.cpSync(process.argv[1] + "/release", dir, { recursive: true });
    fs.cpSync("src", path.join(dir, "src"), { recursive: true });
  }' "$work")
echo "start $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg), $(node --version)"
for which in base new; do
  (cd "$work/$which" && /usr/bin/time -f "$which: wall %e s, user %U s, sys %S s" node -r ts-node/register/transpile-only tools/core/grade.ts \
    --class "$work/class" --out "$work/grades-$which" --force --jobs 2 > "$work/log-$which.txt" 2>&1) 2>> "$work/times.txt" &
done
wait
echo "end $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/times.txt"
for which in base new; do echo "$which totals: $(awk -F, 'NR>1{print $(NF-1)}' "$work/grades-$which/gradebook.csv" | sort | uniq -c | tr '\n' ' ')"; done
