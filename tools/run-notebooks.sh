#!/usr/bin/env bash
# Executes every notebook (or the ones named) through real Jupyter: nbconvert over the tslab kernel protocol.
# Fails on a cell error, a compile error, a check cell that prints ✘, or an example that prints ⏳ (it reached an
# unwritten stub). Outputs go to .nbout/, never over the sources.
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
    if grep -q '✘\|⏳' ".nbout/$name"; then
      echo "FAIL $nb: a check cell printed ✘ or an example reached an unwritten stub (⏳):"
      grep -o '[✘⏳][^"]*' ".nbout/$name" | sed 's/\\n$//; s/^/  /'; status=1
    else
      echo "ok   $nb ($(grep -c '✔' ".nbout/$name") checks passed)"
    fi
  else
    echo "FAIL $nb:"; tail -30 ".nbout/${name%.ipynb}.log" | sed 's/^/  /'; status=1
  fi
done
exit $status
