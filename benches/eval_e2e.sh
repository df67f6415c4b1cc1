#!/usr/bin/env bash
# End to end: `emfilter eval --count` over 1,000,000 generated sessions (JSON lines), next to a
# program that only parses the same file with serde_json (the floor), and next to jq running the
# same selection; then the peak memory (RSS) on the JSON lines and on the same sessions as one
# EM query result (a single JSON document).
#
#   bash benches/eval_e2e.sh [N]        (N sessions, 1000000 by default; data in target/, not
#                                        committed; needs jq and GNU time: apt-get install jq time)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
JSONL=target/sessions-$N.jsonl
QUERY=target/sessions-$N-query.json

cargo build --release --quiet --bin emfilter --example gen_sessions --example parse_floor
BIN=target/release
[ -s "$JSONL" ] || "$BIN/examples/gen_sessions" "$N" "$JSONL" 42
if [ ! -s "$QUERY" ]; then
  # The same sessions as the answer of GET /api/query?type=ReplicaJobSession&format=Entities.
  {
    printf '\xef\xbb\xbf{"Refs":null,"Entities":{"Jobs":null,"ReplicaJobSessions":{"ReplicaJobSessions":[\n'
    sed '$!s/$/,/' "$JSONL"
    printf ']},"Repositories":null},"Resources":null,"Links":null,"PagingInfo":null}\n'
  } > "$QUERY"
fi
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "input: $N sessions, $(du -m "$JSONL" | cut -f1) MB of JSON lines ($((  $(stat -c %s "$JSONL") / N )) bytes each)"

# The best of three wall-clock times, in seconds; the command's output must be $2.
best() {
  local name=$1 want=$2; shift 2
  local best=999999 out t
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    out=$("$@")
    end=$(date +%s.%N)
    if [ "$out" != "$want" ]; then
      echo "$name: printed $out, expected $want" >&2
      exit 1
    fi
    t=$(echo "$end - $start" | bc)
    if (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  printf '%-52s %7.2f s  %6.0f MB/s  %5.2f M records/s\n' "$name" "$best" \
    "$(echo "$(stat -c %s "$JSONL") / 1000000 / $best" | bc -l)" "$(echo "$N / 1000000 / $best" | bc -l)"
}

F1='Result==Failed'
F3='Result>Success;CreationTime>=2025-06-01T00:00:00Z;BackupServerName=="VBR01.tech.local"'
J1='select(.Result | ascii_downcase == "failed")'
J3='select((.Result | ascii_downcase) as $r | ($r == "warning" or $r == "failed")
  and .CreationTimeUTC >= "2025-06-01T00:00:00Z"
  and ([.Links[]? | select(.Rel == "Up" and .Type == "BackupServerReference") | .Name][0] // "" | ascii_downcase) == "vbr01.tech.local")'
C1=$("$BIN/emfilter" eval --quiet --count --filter "$F1" "$JSONL")
C3=$("$BIN/emfilter" eval --quiet --count --filter "$F3" "$JSONL")

echo
best "parse only, serde_json IgnoredAny (floor)" "$N" "$BIN/examples/parse_floor" "$JSONL"
best "parse only, serde_json Value" "$N" "$BIN/examples/parse_floor" "$JSONL" --value
best "emfilter eval --count '$F1'" "$C1" "$BIN/emfilter" eval --quiet --count --filter "$F1" "$JSONL"
best "emfilter eval --count (3 clauses)" "$C3" "$BIN/emfilter" eval --quiet --count --filter "$F3" "$JSONL"
best "emfilter eval --count (3 clauses), query result" "$C3" "$BIN/emfilter" eval --quiet --count --filter "$F3" "$QUERY"
best "jq (1 clause) | wc -l" "$C1" sh -c "jq -c '$J1' '$JSONL' | wc -l"
best "jq (3 clauses) | wc -l" "$C3" sh -c "jq -c '$J3' '$JSONL' | wc -l"

echo
echo "peak memory (/usr/bin/time -v, maximum resident set size):"
for input in "$JSONL" "$QUERY"; do
  for count in --count ""; do
    rss=$( { /usr/bin/time -v "$BIN/emfilter" eval --quiet $count --filter "$F3" "$input" > /dev/null; } 2>&1 \
      | sed -n 's/.*Maximum resident set size (kbytes): //p')
    printf '  %-52s %6.1f MB\n' "eval ${count:-(printing matches)} $(basename "$input") ($(du -m "$input" | cut -f1) MB)" "$(echo "$rss / 1024" | bc -l)"
  done
done
