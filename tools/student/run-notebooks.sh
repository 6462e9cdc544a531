#!/usr/bin/env bash
# Executes every notebook (or the ones named) through real Jupyter: nbconvert over the tslab kernel protocol.
# Fails on a cell error, a compile error or a check cell that prints ✘, and in the instructor's repository also on
# a ⏳ (a check or example that reached an unwritten stub): the verdict npm run notebooks:ui gives too
# (tools/student/notebookVerdict.cjs). Outputs go to .nbout/, never over the sources.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/jupyter-env.sh"
cd "$ROOT"
require_jupyter || exit 1
use_project_jupyter
[ -f dist/index.js ] || npm run build --silent
write_kernelspec "$JUPYTER_DATA_DIR"
mkdir -p .nbout
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
status=0
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb")"
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=lecture34 \
       --ExecutePreprocessor.timeout=180 --output-dir .nbout "$nb" >".nbout/${name%.ipynb}.log" 2>&1; then
    # The verdict npm run notebooks:ui gives too (tools/student/notebookVerdict.cjs).
    node tools/student/notebookVerdict.cjs ".nbout/$name" || status=1
  else
    echo "FAIL $nb:"; tail -30 ".nbout/${name%.ipynb}.log" | sed 's/^/  /'; status=1
  fi
done
exit $status
