#!/usr/bin/env bash
# Install everything the test suite needs, then run it: Debian packages (only those missing),
# the package with its test extras, axe-core from npm (pinned in tests/package-lock.json), then
# ruff, mypy and pytest. Extra arguments go to pytest (e.g. `bash tests/run-all.sh -k search`).
# Installing Debian packages needs root or sudo (it stops with a message otherwise); nothing else does.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's own python3 refuses `pip install` outside a virtual environment ("externally-managed-
# environment", PEP 668): there, everything goes into .venv/ (made here, python3-venv installed if missing).
externally_managed=$(python3 -c 'import os, sys, sysconfig
print(int(sys.prefix == sys.base_prefix
          and os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))))')

missing=()
if [ "$externally_managed" = 1 ] && [ ! -x .venv/bin/python3 ] && ! python3 -c 'import ensurepip' 2>/dev/null; then
  missing+=(python3-venv)
fi
for package in chromium fonts-noto-cjk; do
  # No pipe into `grep -q` here: with pipefail its early exit can fail the pipeline (SIGPIPE).
  [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: installing ${missing[*]} needs root: run this script as root, or install them first" >&2
      exit 1
    fi
    sudo="sudo"
  fi
  # Wait (up to 5 minutes) for another apt/dpkg run, e.g. unattended-upgrades, instead of failing at once.
  lock=(-o DPkg::Lock::Timeout=300)
  $sudo apt-get "${lock[@]}" update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq "${missing[@]}"
fi

if [ "$externally_managed" = 1 ]; then
  [ -x .venv/bin/python3 ] || python3 -m venv .venv
  echo "using the virtual environment .venv/ (this python3 is externally managed)"
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
(cd tests && npm ci --no-audit --no-fund --loglevel=error)

python3 -m ruff check generator tests
python3 -m mypy
python3 -m pytest "$@"
