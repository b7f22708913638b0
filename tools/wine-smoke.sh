#!/usr/bin/env bash
# Cross-builds hnsdoctor.exe for x86_64-pc-windows-gnu and runs it under wine.
# wine 8 lacks bcryptprimitives.dll (ProcessPrng, used by Rust's std): a test-only shim built
# from tools/wine-shim/ is placed next to the .exe.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
cargo build --target "$target" -p hnsdoctor --quiet
out="target/$target/debug"
x86_64-w64-mingw32-gcc -shared -O2 -o "$out/bcryptprimitives.dll" tools/wine-shim/bcryptprimitives.c
# The exe must not import the container DLLs statically (it has to start without the Containers feature).
if x86_64-w64-mingw32-objdump -p "$out/hnsdoctor.exe" | grep -iE 'DLL Name: (computenetwork|vmcompute)\.dll'; then
  echo "hnsdoctor.exe imports a container DLL statically" >&2; exit 1
fi
export WINEDEBUG=-all WINEPREFIX="${WINEPREFIX:-$PWD/target/wineprefix}"
run() { timeout 300 wine "$out/hnsdoctor.exe" "$@"; }
log=$(mktemp)
echo "+ hnsdoctor.exe --version"
run --version | tee "$log"
grep -q '^hnsdoctor ' "$log"
for t in tools/wine-checks/*.sh; do
  [ -e "$t" ] || continue
  echo "+ $t"
  # shellcheck source=/dev/null
  . "$t"
done
echo "wine smoke passed"
