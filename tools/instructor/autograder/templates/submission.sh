# Sourced by the autograder scripts. submission_dir DIR prints the folder to grade: DIR when it holds src/ (a whole
# repository, or an upload of src/), the one folder below DIR that holds src/ (an upload of the repository's folder),
# else a copy of DIR's files as src/ (an upload of src/'s content). Only src/ of it is ever read.
submission_dir() {
  local dir="$1"
  if [ -d "$dir/src" ] && [ ! -L "$dir/src" ]; then
    printf '%s\n' "$dir"
    return
  fi
  local inner=()
  for candidate in "$dir"/*/src; do
    if [ -d "$candidate" ] && [ ! -L "$candidate" ]; then inner+=("$candidate"); fi
  done
  if [ "${#inner[@]}" -eq 1 ]; then
    dirname "${inner[0]}"
    return
  fi
  local wrapped
  wrapped="$(mktemp -d)"
  mkdir "$wrapped/src"
  cp -R "$dir"/. "$wrapped/src/" 2>/dev/null || true
  printf '%s\n' "$wrapped"
}
