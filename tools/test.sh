#!/usr/bin/env bash
# The one command that runs every test: unit, integration, doc tests, examples.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-targets
cargo test --workspace --doc
