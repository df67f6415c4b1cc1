#!/usr/bin/env bash
# How fast the fuzz targets run: each target for SECONDS (60 by default), one job, from a copy of
# its seeds (so fuzz/corpus/ is left as it is), with the dictionary and a fixed libFuzzer seed,
# then the executions and executions per second libFuzzer reports at the end.
#
#   bash benches/fuzz_rate.sh [SECONDS] [TARGET...]     (targets: parse check roundtrip by default)
#
# Set FUZZ_BIN to a folder of already built targets to measure those instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(parse check roundtrip)
if [ -z "${FUZZ_BIN:-}" ]; then
  RUSTC_BOOTSTRAP=1 cargo fuzz build
  FUZZ_BIN=fuzz/target/x86_64-unknown-linux-gnu/release
fi
echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for target in "${TARGETS[@]}"; do
  work=$(mktemp -d)
  cp fuzz/corpus/"$target"/seed-* "$work"/
  log=$(mktemp)
  "$FUZZ_BIN/$target" "$work" -max_total_time="$SECONDS_EACH" -seed=1 -dict=fuzz/filter.dict \
    -print_final_stats=1 >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  printf '%-10s %3d s  %10d runs  %8d exec/s  (corpus: %d inputs)\n' "$target" "$SECONDS_EACH" \
    "$runs" "$rate" "$(ls "$work" | wc -l)"
  rm -rf "$work" "$log"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
