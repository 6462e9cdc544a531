#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu, as root), from /autograder/source.
# It installs Node.js 24 (the system part) and the grader's own dependencies, with no install scripts.
#   AUTOGRADER_ROOT=DIR   the autograder root (default /autograder); its source/ holds this package
#   --no-system           skip the system part: use the node on PATH (20 or newer), install only the dependencies
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SYSTEM=1
for arg in "$@"; do
  case "$arg" in
    --no-system) SYSTEM=0 ;;
    *) echo "setup.sh: expected --no-system, got $arg" >&2; exit 2 ;;
  esac
done

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$SYSTEM" = 1 ] && [ "$(node_major)" -lt 24 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg >/dev/null
  # NodeSource's signed apt repository for the Node.js 24 line.
  curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
  apt-get install -y -qq nodejs >/dev/null
fi
if [ "$(node_major)" -lt 20 ]; then
  echo "setup.sh: expected Node.js 20 or newer on PATH, got $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi

cd "$ROOT/source"
npm ci --ignore-scripts --include=dev --no-audit --no-fund
echo "setup.sh: grader ready in $ROOT/source with Node.js $(node --version)"
