#!/usr/bin/env bash
# `make lock`: resolve every Python package the tool, its tests and set-up install, pinned
# with the hashes of every file PyPI has for it (any platform), into requirements/lock.txt;
# and the tool's own run-time packages, at the same versions, into requirements/runtime.txt
# (what a data repository's workflows install beside the tool: see `disclosure init`).
# Newer releases come in only through this command, in a commit of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=.venv/bin/uv
[[ -x $uv ]] || { echo "lock: run 'make setup' first (it installs uv from the lock)" >&2; exit 2; }
common=(--universal --python-version 3.11 --generate-hashes --no-header --quiet)
"$uv" pip compile "${common[@]}" ${LOCK_UPGRADE:+--upgrade} \
  pyproject.toml requirements/tools.in --extra test -o requirements/lock.txt
"$uv" pip compile "${common[@]}" --constraint requirements/lock.txt \
  pyproject.toml -o requirements/runtime.txt
echo "lock: requirements/lock.txt and requirements/runtime.txt written; review the diff, run make test, commit"
