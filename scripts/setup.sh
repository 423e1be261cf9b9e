#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine; quick when already done.
# - Debian packages from requirements/debian.txt: CJK fonts for the PDF, pango and HarfBuzz's
#   subsetter (WeasyPrint), poppler-utils and a Java runtime for the tests, git, and chromium
#   with its chromedriver for the browser tests (a test tool's own browser download does not
#   work on a closed network; Debian's builds do, and match each other's version).
# - Python packages into .venv, only from requirements/lock.txt (every version pinned, every
#   file hashed): what was released last night never reaches a fresh machine. `make lock`
#   updates the lock on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
while read -r name _version _why; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  # A machine with its own Chrome names it (GitHub's runners: Ubuntu's chromium is a snap).
  [[ -n "${DISCLOSURE_CHROMIUM:-}" && "$name" == chromium* ]] && continue
  packages+=("$name")
done < requirements/debian.txt

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
fi

python=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $($python --version)"
  $python -m venv .venv
fi
# The lock is installed again only when it changed since the last set-up (its hash is kept
# in .venv), so `make test` after `make test` starts at once.
stamp=.venv/.lock-sha256
wanted=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  echo "setup: installing the Python packages of requirements/lock.txt into .venv"
  pip=(.venv/bin/python -m pip --quiet --disable-pip-version-check --no-input)
  # --no-deps: the lock is complete; a package it does not name is never pulled in
  "${pip[@]}" install --require-hashes --no-deps -r requirements/lock.txt
  # The tool itself, editable, built by the locked setuptools (no build isolation: nothing
  # fetched). Compat mode: a plain path entry, which imports faster than setuptools' finder.
  "${pip[@]}" install --no-deps --no-build-isolation --config-settings editable_mode=compat -e .
  echo "$wanted" > "$stamp"
fi
# Bytecode, as pip writes it for a regular install: where PYTHONDONTWRITEBYTECODE is set
# (CI images often do), every command would otherwise compile the package before starting.
.venv/bin/python -m compileall -q compiler

# Two branches that both add messages are joined message by message (scripts/messages.py).
if git rev-parse --git-dir >/dev/null 2>&1; then
  git config merge.po.name "message catalogue: union of both sides"
  git config merge.po.driver "$PWD/.venv/bin/python scripts/messages.py merge %O %A %B"
fi

# On GitHub Actions, the later steps of the job find `disclosure` (and the tools the tests
# start) in .venv; .gitlab-ci.yml puts .venv/bin on PATH itself.
if [[ -n "${GITHUB_PATH:-}" ]]; then
  echo "$PWD/.venv/bin" >> "$GITHUB_PATH"
fi
