#!/usr/bin/env bash
# Installs what hybridsim needs on Debian/Ubuntu when it is missing: GSL (libgsl-dev) and
# pkg-config; for the tests, headless Chromium (the HTML report test; apt-get install chromium
# took 43 s, about 480 MB on disk), Python's jsonschema and nbformat. Swift itself must already be on
# PATH (swift.org toolchain).
set -euo pipefail
missing=()
pkg-config --exists gsl 2>/dev/null || missing+=(libgsl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# The report test renders the HTML report in headless Chromium (../shared/recipes/chromium.md).
if [ -z "${HYBRIDSIM_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
   && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=(chromium)
fi
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The scenario-schema test validates files with Python's jsonschema package.
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "installing: python3 jsonschema" >&2
  python3 -m pip install -q jsonschema 2>/dev/null || python3 -m pip install -q --break-system-packages jsonschema
fi
# The notebook-export test validates notebooks with Python's nbformat package (pip: about 3 s).
if ! python3 -c 'import nbformat' 2>/dev/null; then
  echo "installing: python3 nbformat" >&2
  python3 -m pip install -q nbformat 2>/dev/null || python3 -m pip install -q --break-system-packages nbformat
fi
command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install a Swift 6 toolchain first" >&2; exit 1; }
