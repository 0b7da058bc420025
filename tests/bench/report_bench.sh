#!/usr/bin/env bash
# Staff reports at scale (issue #19 item 7): a region's monthly report on the generated database of
# scripts/bench-scale (1,000,000 members / 20,000,000 ledger rows by default, all at store S001).
#
#   tests/bench/report_bench.sh [--members N] [--asks N] [--reuse] [--keep]
#     --members N   members to generate (default 1000000)
#     --asks N      asks per report (default 5)
#     --reuse       keep and reuse build-bench/scale/reports-<N>.db if it was generated before
#     --keep        do not delete the database afterwards
#   REPORT_BENCH_SERVER=path   measure that server binary instead of a Release build in build-bench/
#
# memberdesk-server (Release, build-bench/) creates the schema, member 1, region R1 with stores
# S001 and S002 and a region_manager r1.lead through the admin API; tests/bench/gen_scale_db.cpp
# fills in the members (and marks the report facts stale); the server starts on a copy and builds
# the report facts from the rows (its log prints the time). Then r1.lead signs in and asks
# GET /api/v1/staff/reports for October 2026: the whole region, store S001, and the region with
# group=week, --asks times each. Prints each ask's time, the server's peak RSS and the load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$MD_ROOT/tests/bench/bench_lib.sh"

MEMBERS=1000000
ASKS=5
REUSE=0
KEEP=0
while (($#)); do
  case "$1" in
    --members) MEMBERS="$2"; shift 2 ;;
    --asks) ASKS="$2"; shift 2 ;;
    --reuse) REUSE=1; KEEP=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) md_die "unknown argument '$1' (see --help)" ;;
  esac
done

LOAD_START="$(bench_load)"
# REPORT_BENCH_SERVER=path: measure that binary (e.g. build/native's) instead of building build-bench/.
if [[ -n "${REPORT_BENCH_SERVER:-}" ]]; then MD_SERVER_BIN="$REPORT_BENCH_SERVER"; else bench_build; fi
GEN="$MD_BUILD_BENCH/gen_scale_db"
if [[ ! -x "$GEN" || "$MD_ROOT/tests/bench/gen_scale_db.cpp" -nt "$GEN" ]]; then
  g++ -O2 -std=c++17 -o "$GEN" "$MD_ROOT/tests/bench/gen_scale_db.cpp" -lsqlite3 || md_die "build of gen_scale_db failed"
fi
DIR="$MD_BUILD_BENCH/scale"
mkdir -p "$DIR"
DB="$DIR/reports-$MEMBERS.db"
COPY="$DIR/reports-$MEMBERS.copy.db"
ADMIN_KEY="bench-admin-key-0123456789"
POS_KEY="bench-pos-key-0123456789ab"
KIOSK_KEY="bench-kiosk-key-0123456789"
PASSWORD="region-lead-pass-2026"
SPID=""
stop_server() {
  if [[ -n "$SPID" ]]; then kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; SPID=""; fi
}
cleanup() {
  stop_server
  rm -f "$COPY" "$COPY-wal" "$COPY-shm"
  if ((KEEP == 0)); then rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.done"; fi
}
trap cleanup EXIT

start_server() {
  PORT="$(bench_free_port)"
  "$MD_SERVER_BIN" --db "$1" --port "$PORT" --program coffee --admin-key "$ADMIN_KEY" --pos-key "$POS_KEY" \
    --kiosk-key "$KIOSK_KEY" >>"$DIR/reports-server.log" 2>&1 &
  SPID=$!
  bench_wait_port "$PORT" 3600 || md_die "memberdesk-server did not start (see $DIR/reports-server.log)"
}
admin_post() {
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/admin/$1" -H "X-Api-Key: $ADMIN_KEY" -d "$2" ||
    md_die "POST /api/v1/admin/$1 failed"
}

if ((REUSE)) && [[ -f "$DB.done" && -f "$DB" ]]; then
  md_log "reusing $DB"
else
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.done"
  start_server "$DB"
  admin_post members '{"phone":"13800000001","pin":"123456","name":"Bench One"}'
  admin_post regions '{"id":"R1","name":"Region One"}'
  admin_post stores '{"id":"S001","name":"Store 1","region":"R1"}'
  admin_post stores '{"id":"S002","name":"Store 2","region":"R1"}'
  admin_post staff "{\"username\":\"r1.lead\",\"password\":\"$PASSWORD\",\"name\":\"R1 Lead\",\"role\":\"region_manager\",\"region\":\"R1\"}"
  stop_server
  md_log "generating $MEMBERS members ($((MEMBERS * 20)) ledger rows) into $DB"
  t0="$(md_now)"
  "$GEN" "$DB" "$MEMBERS" || md_die "generation failed"
  md_elapsed "$t0" >"$DB.done"
fi
md_log "copying the database"
cp "$DB" "$COPY"
: >"$DIR/reports-server.log"
t0="$(md_now)"
start_server "$COPY"
START_S="$(md_elapsed "$t0")"
md_log "server ready after $START_S s (snapshots and report facts built at start: see below)"
grep -E "report facts|member snapshots: done" "$DIR/reports-server.log" || true

login="$(curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/staff/login" \
  -d "{\"username\":\"r1.lead\",\"password\":\"$PASSWORD\"}")" || md_die "staff sign-in failed"
TOKEN="$(sed -nE 's/.*"token": *"([^"]+)".*/\1/p' <<<"$login")"

ask() {  # ask LABEL QUERY
  local label="$1" query="$2" i t times=() body
  for ((i = 0; i < ASKS; i++)); do
    t="$(curl -fsS -o "$DIR/reports-answer.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$PORT/api/v1/staff/reports?$query")" || md_die "report $query failed"
    times+=("$t")
  done
  body="$(head -c 400 "$DIR/reports-answer.json")"
  printf '%-34s %s s\n' "$label" "$(printf '%s ' "${times[@]}")"
  printf '    %s...\n' "$body"
}
printf '\nGET /api/v1/staff/reports, October 2026, %s members, as r1.lead (region R1 = S001 + S002)\n' "$MEMBERS"
ask "whole region" "from=2026-10-01&to=2026-10-31"
ask "store S001" "from=2026-10-01&to=2026-10-31&store=S001"
ask "whole region, group=week" "from=2026-10-01&to=2026-10-31&group=week"
printf 'server peak RSS: %s MB\n' "$(awk -v k="$(bench_peak_rss_kb "$SPID")" 'BEGIN { printf "%.1f", k / 1024 }')"
printf 'database: %s MB\n' "$(du -cb "$COPY"* | awk '/total$/ { printf "%.1f", $1 / 1048576 }')"
printf 'load average at start: %s, at end: %s\n' "$LOAD_START" "$(bench_load)"
