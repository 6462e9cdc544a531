#!/usr/bin/env bash
# Registers this checkout's pinned tslab as the user's "tslab" Jupyter kernel (npm run kernel).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/jupyter-env.sh"
require_jupyter || exit 1
data_dir="$(jupyter --data-dir)"
write_kernelspec "$data_dir"
echo "Registered kernel \"tslab\" in $data_dir/kernels/tslab, running $ROOT/node_modules/tslab (tslab $(node -p "require('$ROOT/node_modules/tslab/package.json').version"))."
echo "Open a notebook in Jupyter (jupyter lab notebooks/) or VS Code and pick the kernel \"TypeScript (tslab, lecture 34)\"."
