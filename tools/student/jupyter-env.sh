# Sourced by the Jupyter scripts. `use_project_jupyter` points Jupyter at a project-local data folder, so
# the notebook run never touches the user's ~/.local/share/jupyter; `npm run kernel` is the only script that does.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

use_project_jupyter() {
  export JUPYTER_DATA_DIR="$ROOT/.jupyter/data"
  export JUPYTER_CONFIG_DIR="$ROOT/.jupyter/config"
  export JUPYTER_RUNTIME_DIR="$ROOT/.jupyter/runtime"
  export JUPYTER_PLATFORM_DIRS=1
}

# Writes the kernelspec `npm run kernel` registers (tools/student/frontEnds.ts), named "lecture34" (the name the notebooks
# ask for), into $1/kernels/lecture34.
write_kernelspec() {
  local dir="$1/kernels/lecture34"
  mkdir -p "$dir"
  (cd "$ROOT" && node -r ts-node/register/transpile-only -e \
    'process.stdout.write(JSON.stringify(require("./tools/student/frontEnds").kernelSpec(), null, 2))') > "$dir/kernel.json"
}

# Prints what is missing for a real Jupyter run and returns 1, or returns 0 when Jupyter is there.
require_jupyter() {
  if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1 \
     || ! jupyter kernelspec --version >/dev/null 2>&1; then
    echo "Jupyter is not installed: the real-Jupyter notebook run needs jupyter nbconvert, nbclient and jupyter_client." >&2
    echo "  Debian/Ubuntu: sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel" >&2
    echo "  elsewhere:     pip install nbconvert nbclient jupyter_client ipykernel" >&2
    echo "(npm test already runs every notebook in-process without Jupyter; npm run doctor says which front ends you have.)" >&2
    return 1
  fi
}
