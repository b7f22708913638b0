#!/usr/bin/env bash
# Run every cargo-fuzz target one after the other (one job each), SECONDS seconds per target
# (default 600), seeding the corpora first. Logs go to fuzz/logs/<target>.log; the last line of
# each log holds libFuzzer's exec count. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(analyze_file parse_hns parse_windows parse_logs decode paste_split parse_config open_zip)
fi
python3 tools/fuzz-corpus.py
mkdir -p fuzz/logs
cd fuzz
for t in "${targets[@]}"; do
  echo "$(date -u +%H:%M:%S) $t: ${secs}s" >&2
  cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" \
    -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 >"logs/$t.log" 2>&1 \
    || echo "$t: FAILED (see fuzz/logs/$t.log and fuzz/artifacts/$t/)" >&2
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "logs/$t.log" | tail -1 >&2 || true
done
