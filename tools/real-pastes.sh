#!/usr/bin/env bash
# Scores `hnsdoctor analyze` on the real-paste corpus (issue #8): every case in
# <corpus>/cases/*/input.txt against <corpus>/expected.toml. Prints one line per case, the reason
# for each miss, and `N passed, M failed`. Fails when N falls below the best score recorded in
# tools/real-pastes.best (the ratchet: raise it as the score improves).
#   bash tools/real-pastes.sh [corpus-dir]      (default: ../shared/real-pastes)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/real-pastes}
if [ ! -d "$corpus/cases" ]; then
  echo "no corpus at $corpus (nothing to score)" >&2
  exit 0
fi
best=$(tr -dc '0-9' < tools/real-pastes.best)
cargo build --release --quiet -p hnsdoctor --bin hnsdoctor --example real_pastes
./target/release/examples/real_pastes "$corpus" --min "$best" --verbose
