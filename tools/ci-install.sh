#!/usr/bin/env bash
# Installs everything CI and the test suite need on a fresh Debian machine (idempotent).
set -euo pipefail
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null || need+=(wine wine64)
command -v chromium >/dev/null || need+=(chromium)
command -v xvfb-run >/dev/null || need+=(xvfb)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt
echo "installed: $(x86_64-w64-mingw32-gcc --version | head -1); $(wine --version); $(chromium --version 2>/dev/null || echo no chromium)"
