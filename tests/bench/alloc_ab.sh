#!/usr/bin/env bash
# A/B of the allocator behind memberdesk-server's reads: glibc malloc vs jemalloc (LD_PRELOAD of
# Debian's libjemalloc2), same Release binary (build-bench/, run scripts/bench-server once first),
# same database, demo member 3 (115 purchases), wrk 8 connections 6 s, two rounds.
# Prints req/s and server CPU us per request. Needs: apt-get install libjemalloc2.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$MD_ROOT/tests/bench/bench_lib.sh"
B="$MD_BUILD_BENCH/native_server/memberdesk-server"
JE=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
[[ -x "$B" ]] || md_die "$B missing: run scripts/bench-server first"
[[ -f "$JE" ]] || md_die "$JE missing: apt-get install libjemalloc2"
W="$(mktemp -d)"; P=""
trap '[[ -n "$P" ]] && kill "$P" 2>/dev/null; rm -rf "$W"' EXIT
PORT="$(bench_free_port)"
start() { "$@" --demo --db "$W/ab.db" --port "$PORT" --program coffee >>"$W/server.log" 2>&1 & P=$!; bench_wait_port "$PORT" 60; }
for round in 1 2; do
  for mode in glibc jemalloc; do
    if [[ $mode == jemalloc ]]; then start env LD_PRELOAD="$JE" "$B"; else start "$B"; fi
    T="$(curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -d '{"phone":"13800000003","pin":"123456"}' |
         sed -nE 's/.*"token": *"([^"]+)".*/\1/p')"
    for route in /api/v1/me "/api/v1/me/ledger?limit=50"; do
      c0="$(bench_cpu_ticks "$P")"
      r="$(BENCH_AUTH="Bearer $T" BENCH_PATH="$route" wrk -t2 -c8 -d6s -s "$MD_ROOT/tests/bench/wrk.lua" \
           "http://127.0.0.1:$PORT$route" | grep '^RESULT')"
      c1="$(bench_cpu_ticks "$P")"
      n="$(bench_field "$r" requests)"
      printf 'round %s %-8s %-28s %9s r/s  %5s us CPU/req\n' "$round" "$mode" "$route" "$(bench_field "$r" rps)" \
        "$(( (c1 - c0) * 10000 / n ))"
    done
    kill "$P"; wait "$P" 2>/dev/null || true; P=""
  done
done
printf 'load average: %s\n' "$(bench_load)"
