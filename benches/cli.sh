#!/usr/bin/env bash
# The command line as a whole process: `emfilter check --file`, `check --format json --file` and
# `fmt --file` over the benchmarks' corpus (10,000 filters, tests/gen_filters.rs), each timed by
# hyperfine (wall, user and system time, mean of RUNS runs) and, when valgrind is installed,
# counted in instructions by callgrind (the same on every run, whatever the machine's load).
#
#   bash benches/cli.sh [N]            (N filters, 10000 by default; data in target/, not committed;
#                                       hyperfine from Debian: apt-get install hyperfine)
#   BASE=/path/to/emfilter bash benches/cli.sh     also measures another build, side by side
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${RUNS:-15}
FILTERS=target/filters-$N.txt

cargo build --release --quiet --bin emfilter --example gen_filters
BIN=target/release/emfilter
[ -s "$FILTERS" ] || target/release/examples/gen_filters "$N" > "$FILTERS"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $N filters, $(stat -c %s "$FILTERS") bytes"

builds=("$BIN")
if [ -n "${BASE:-}" ]; then
  builds+=("$BASE")
fi
commands=("check --file $FILTERS" "check --format json --file $FILTERS" "fmt --file $FILTERS")

if command -v hyperfine >/dev/null; then
  json=$(mktemp)
  for args in "${commands[@]}"; do
    for bin in "${builds[@]}"; do
      hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$json" "$bin $args" >/dev/null 2>&1
      python3 - "$json" "$N" "$bin $args" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
n = int(sys.argv[2])
print(f"{sys.argv[3]:<70} {r['mean']*1e3:8.1f} ms  {r['mean']*1e6/n:6.2f} µs/filter"
      f"  (user {r['user']*1e3:.1f} ms, system {r['system']*1e3:.1f} ms)")
EOF
    done
  done
  rm -f "$json"
else
  echo "hyperfine is not installed: no times (apt-get install hyperfine)"
fi

if command -v valgrind >/dev/null; then
  out=$(mktemp)
  for args in "${commands[@]}"; do
    for bin in "${builds[@]}"; do
      # shellcheck disable=SC2086 # the arguments are words
      valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" $args >/dev/null 2>&1
      total=$(sed -n 's/^summary: //p' "$out")
      printf '%-70s %14d instructions  %8d per filter\n' "$bin $args" "$total" "$((total / N))"
    done
  done
  rm -f "$out"
fi
