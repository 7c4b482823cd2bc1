#!/usr/bin/env bash
# Installs what hybridsim needs on Debian/Ubuntu when it is missing: GSL (libgsl-dev) and
# pkg-config. Swift itself must already be on PATH (swift.org toolchain).
set -euo pipefail
missing=()
pkg-config --exists gsl 2>/dev/null || missing+=(libgsl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
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
command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install a Swift 6 toolchain first" >&2; exit 1; }
