#!/usr/bin/env bash
# Install everything the test suite needs, then run it: Debian packages (only those missing),
# the package with its test extras, axe-core from npm (pinned in tests/package-lock.json), then
# ruff, mypy and pytest. Extra arguments go to pytest (e.g. `bash tests/run-all.sh -k search`).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in chromium fonts-noto-cjk; do
  # No pipe into `grep -q` here: with pipefail its early exit can fail the pipeline (SIGPIPE).
  [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
(cd tests && npm ci --no-audit --no-fund --loglevel=error)

python3 -m ruff check generator tests
python3 -m mypy
python3 -m pytest "$@"
