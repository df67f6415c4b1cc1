#!/usr/bin/env bash
# 1,000,000 sessions in DuckDB and in PostgreSQL against `emfilter eval` on the same data: the
# time to turn the export into rows and load them, and the time each filter takes in each, with
# the counts checked equal (the differential tests at scale).
#
#   bash benches/sql_e2e.sh [N]     (N sessions, 1000000 by default; data in target/, not
#                                    committed; needs PostgreSQL's server, and Python's duckdb:
#                                    what .ci/run installs)
#
# PostgreSQL runs as a throwaway cluster on 127.0.0.1 (as the `postgres` user when run as root),
# with its defaults but for fsync=off; it is stopped and removed at the end. Each query is timed
# as the best of three runs, warm (the table in memory), counting the rows the statement selects:
# `SELECT count(*) FROM (<statement>) s`, the statement as `emfilter sql --inline` prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=target/sql-bench
mkdir -p "$OUT"
JSONL=$OUT/sessions-$N.jsonl
CSV=$OUT/sessions-$N.csv

cargo build --release --quiet --bin emfilter --example gen_sessions
BIN=target/release
E=$BIN/emfilter
[ -s "$JSONL" ] || "$BIN/examples/gen_sessions" "$N" "$JSONL" 42
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "input: $N sessions, $(du -m "$JSONL" | cut -f1) MB of JSON lines"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

t0=$(now); "$E" rows "$JSONL" > "$CSV"; t1=$(now)
printf 'emfilter rows (JSON lines -> CSV, %s MB): %.2f s\n' "$(du -m "$CSV" | cut -f1)" "$(secs "$t0" "$t1")"

FILTERS=(
  'Result==Failed'
  'Result>Success;CreationTime>=2025-06-01T00:00:00Z;BackupServerName=="VBR01.tech.local"'
  '(JobName=="replica job 07",JobName=="REPLICA JOB 13");EndTime<2025-03-01T00:00:00Z'
  'JobUid==urn:veeam:Job:00000000-0000-0000-0000-000000000000,(IsRetry==True;Result!=Success)'
)

# --- emfilter eval ---------------------------------------------------------------------------
declare -A EVAL
echo
echo "emfilter eval --count (best of 3):"
for f in "${FILTERS[@]}"; do
  best=999999
  for _ in 1 2 3; do
    t0=$(now); c=$("$E" eval --quiet --count --filter "$f" "$JSONL"); t1=$(now)
    t=$(secs "$t0" "$t1"); if (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  EVAL[$f]=$c
  printf '  %8.3f s  %7d rows  %s\n' "$best" "$c" "$f"
done

# --- DuckDB ----------------------------------------------------------------------------------
echo
"$E" sql --create-table --dialect duckdb > "$OUT/create-duckdb.sql"
for f in "${FILTERS[@]}"; do "$E" sql --dialect duckdb --inline "$f"; done > "$OUT/select-duckdb.sql"
python3 - "$OUT" "$CSV" <<'PY' > "$OUT/duckdb.out"
import sys, time, duckdb
out, csv = sys.argv[1], sys.argv[2]
con = duckdb.connect(f"{out}/sessions.duckdb")
con.execute('DROP TABLE IF EXISTS "ReplicaJobSession"')
con.execute(open(f"{out}/create-duckdb.sql").read())
t = time.time()
con.execute(f"""COPY "ReplicaJobSession" FROM '{csv}' (FORMAT csv, HEADER true, ALLOW_QUOTED_NULLS false)""")
print(f"load {time.time() - t:.2f}")
for sql in open(f"{out}/select-duckdb.sql").read().splitlines():
    best = None
    for _ in range(3):
        t = time.time()
        n = con.execute(f"SELECT count(*) FROM ({sql}) s").fetchone()[0]
        d = time.time() - t
        best = d if best is None or d < best else best
    print(f"{best:.3f} {n}")
PY
echo "DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)') (file database, all cores):"
printf '  load (COPY from CSV): %s s\n' "$(sed -n 's/^load //p' "$OUT/duckdb.out")"
i=0
tail -n +2 "$OUT/duckdb.out" | while read -r t n; do
  f=${FILTERS[$i]}
  [ "$n" = "${EVAL[$f]}" ] || { echo "DuckDB counts $n for $f, eval ${EVAL[$f]}" >&2; exit 1; }
  printf '  %8.3f s  %7d rows  %s\n' "$t" "$n" "$f"
  i=$((i + 1))
done

# --- PostgreSQL ------------------------------------------------------------------------------
echo
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/emfilter-bench-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AS=()
if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; AS=(runuser -u postgres --); fi
"${AS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U emfilter --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c shared_buffers=1GB -c work_mem=64MB" start >/dev/null
trap '"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=emfilter PGDATABASE=postgres
"$E" sql --create-table --dialect postgresql | psql -q
t0=$(now); psql -q -c '\copy "ReplicaJobSession" FROM '"'$CSV'"' (FORMAT csv, HEADER true)'; t1=$(now)
psql -q -c 'VACUUM ANALYZE "ReplicaJobSession"'
echo "PostgreSQL $(psql -At -c 'SHOW server_version') (no index, shared_buffers 1GB):"
printf '  load (\\copy from CSV): %.2f s\n' "$(secs "$t0" "$t1")"
for f in "${FILTERS[@]}"; do
  sql=$("$E" sql --dialect postgresql --inline "$f")
  best=999999
  for _ in 1 2 3; do
    t=$(psql -At -c '\timing on' -c "SELECT count(*) FROM ($sql) s" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
    t=$(echo "$t / 1000" | bc -l); if (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  n=$(psql -At -c "SELECT count(*) FROM ($sql) s")
  [ "$n" = "${EVAL[$f]}" ] || { echo "PostgreSQL counts $n for $f, eval ${EVAL[$f]}" >&2; exit 1; }
  printf '  %8.3f s  %7d rows  %s\n' "$best" "$n" "$f"
done
