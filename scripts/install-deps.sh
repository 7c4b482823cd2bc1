#!/usr/bin/env bash
# Installs what hybridsim needs on Debian/Ubuntu when it is missing.
#   scripts/install-deps.sh              # to build and run: GSL (libgsl-dev) and pkg-config
#   scripts/install-deps.sh --for-tests  # also what the tests use: headless Chromium (the HTML
#                                        # report test; apt-get install chromium took 43 s, about
#                                        # 480 MB on disk), Python's jsonschema and nbformat,
#                                        # python3-venv for the validation testbed's venv
# scripts/run-example.sh uses the first form, scripts/test.sh the second. Swift itself must
# already be on PATH (a Swift 6 toolchain from swift.org).
set -euo pipefail
for_tests=false
case "${1:-}" in
  "") ;;
  --for-tests) for_tests=true ;;
  *) echo "usage: scripts/install-deps.sh [--for-tests]" >&2; exit 2 ;;
esac
missing=()
pkg-config --exists gsl 2>/dev/null || missing+=(libgsl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# The report test renders the HTML report in headless Chromium ($HYBRIDSIM_CHROMIUM, else the
# first of chromium, chromium-browser, google-chrome on PATH).
if $for_tests && [ -z "${HYBRIDSIM_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
   && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=(chromium)
fi
# The validation testbed's smoke test creates a venv (validation/testbed/install.sh).
if $for_tests && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if $for_tests; then
  # The scenario-schema test validates files with Python's jsonschema package, the
  # notebook-export test notebooks with nbformat (pip: about 3 s each).
  for package in jsonschema nbformat; do
    if ! python3 -c "import $package" 2>/dev/null; then
      echo "installing: python3 $package" >&2
      python3 -m pip install -q "$package" 2>/dev/null || python3 -m pip install -q --break-system-packages "$package"
    fi
  done
fi
command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install a Swift 6 toolchain first" >&2; exit 1; }
