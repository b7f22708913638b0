#!/usr/bin/env bash
# The one command that runs every test: unit, integration, doc tests, examples.
# On a fresh Debian/Ubuntu machine it first provisions what the tests need beyond Rust: Chromium
# for the HTML report test (crates/report/tests/html_chromium.rs), from the distribution's
# packages, as tools/ci-install.sh does for CI. It says what it found or installed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_chromium() {
  local c
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}

sudo=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=(sudo); fi

if bin=$(find_chromium); then
  echo "test.sh: Chromium found: $bin ($("$bin" --version 2>/dev/null || echo 'version unknown'))"
else
  echo "test.sh: Chromium (needed by the HTML report test) is missing: installing it from the distribution's packages"
  if [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; then
    echo "test.sh: not root and no sudo: install Chromium yourself (apt-get install chromium) and rerun" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: no apt-get on this system: install Chromium with your package manager and rerun" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  # Debian names the package chromium; Ubuntu's chromium-browser is a snap wrapper
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium-browser >/dev/null
  bin=$(find_chromium) || { echo "test.sh: Chromium still not found after installing" >&2; exit 1; }
  echo "test.sh: Chromium installed: $bin ($("$bin" --version 2>/dev/null || echo 'version unknown'))"
fi
export HNSDOCTOR_CHROMIUM="$bin"

# python3 packs and checks the Windows zip in the tools/dist.sh test
if ! command -v python3 >/dev/null 2>&1; then
  echo "test.sh: python3 (needed by the tools/dist.sh test) is missing: installing it"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends python3 >/dev/null
fi

cargo test --workspace --all-targets
cargo test --workspace --doc
