#!/usr/bin/env bash
# Windows distribution of hnsdoctor: cross-builds hnsdoctor.exe for x86_64-pc-windows-gnu (as
# tools/wine-smoke.sh does), zips it with README.md, the licence files and a SHA-256 file, and
# writes a scoop manifest and a winget manifest (version, download URL, SHA-256 of the zip).
# Then it checks what it wrote (tools/dist-check.py): zip contents, the exe's hash inside the
# zip, and that both manifests carry the zip's hash and version.
#
# Usage: bash tools/dist.sh [--profile release|dev] [--out DIR] [--base-url URL] [--exe FILE]
#   --profile   cargo profile of the cross-build (default release; CI uses dev to reuse the
#               wine-smoke build)
#   --out       output folder (default target/dist)
#   --base-url  where the zip will be downloadable (the manifests' URL is BASE/ZIPNAME);
#               default: a file:// URL of the output folder, fine for a local
#               `scoop install ./hnsdoctor.json`, to be replaced for a public release
#   --exe       package this hnsdoctor.exe instead of building one (tests)
# Needs: cargo with the x86_64-pc-windows-gnu target and mingw-w64 (tools/ci-install.sh), python3.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release out=target/dist base_url="" exe=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --base-url) base_url="$2"; shift 2 ;;
    --exe) exe="$2"; shift 2 ;;
    *) echo "dist.sh: unknown argument $1" >&2; exit 4 ;;
  esac
done

target=x86_64-pc-windows-gnu
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
[ -n "$version" ] || { echo "dist.sh: no version in Cargo.toml [workspace.package]" >&2; exit 5; }

if [ -z "$exe" ]; then
  cargo build --target "$target" -p hnsdoctor --profile "$profile" --quiet
  dir=$profile; [ "$profile" = dev ] && dir=debug
  exe="target/$target/$dir/hnsdoctor.exe"
fi
[ -f "$exe" ] || { echo "dist.sh: $exe not found" >&2; exit 5; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
[ -n "$base_url" ] || base_url="file://$out"

python3 tools/dist-make.py --version "$version" --exe "$exe" --out "$out" --base-url "$base_url" \
  --files README.md LICENSE LICENSE-MIT LICENSE-APACHE
python3 tools/dist-check.py "$out"
