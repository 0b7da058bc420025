# shellcheck shell=bash
# Helpers shared by scripts/bench-server, scripts/bench-scale and tests/crash/run.
# Source after scripts/lib.sh.

MD_BUILD_BENCH="${MD_BUILD_BENCH:-$MD_ROOT/build-bench}"

# Release build of memberdesk-server in build-bench/ (tests off), then hello_server compiled with
# the very compile command CMake uses for native_server/src/app/app.cpp (same cpp-httplib header,
# same -D/-O flags), so the baseline differs from ours only in what the handlers do.
bench_build() {
  local t0; t0="$(md_now)"
  if [[ ! -f "$MD_BUILD_BENCH/CMakeCache.txt" ]]; then
    cmake -S "$MD_ROOT" -B "$MD_BUILD_BENCH" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
      -DMEMBERDESK_BUILD_TESTS=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null \
      || md_die "configure of $MD_BUILD_BENCH failed"
  fi
  cmake --build "$MD_BUILD_BENCH" --target memberdesk-server -j"$MD_JOBS" >"$MD_BUILD_BENCH/build.log" 2>&1 \
    || { tail -30 "$MD_BUILD_BENCH/build.log" >&2; md_die "build of memberdesk-server failed"; }
  # --server BIN: another build of ours (an A/B against an older commit in the same run conditions).
  MD_SERVER_BIN="${MD_BENCH_SERVER_BIN:-$MD_BUILD_BENCH/native_server/memberdesk-server}"
  local cmd
  # app.cpp's own command, or (server sources compiled in batches) its batch's: same target flags.
  cmd="$(awk '/"command":/ { c = $0 }
              /"file": ".*native_server\/(src\/app\/app\.cpp|CMakeFiles\/memberdesk_server_lib\.dir\/Unity\/unity_[0-9]+_cxx\.cxx)"/ { print c; exit }' \
          "$MD_BUILD_BENCH/compile_commands.json")"
  [[ -n "$cmd" ]] || md_die "no compile command for app.cpp (or its batch) in $MD_BUILD_BENCH/compile_commands.json"
  cmd="${cmd#*\"command\": \"}"; cmd="${cmd%\",}"
  # Drop "-o <obj> -c <src>" and the project include dirs: keep compiler, -D, -O, -isystem, -std.
  HELLO_FLAGS="$(sed -E 's/ -o [^ ]+ -c [^ ]+$//; s/ -I[^ ]+//g' <<<"$cmd")"
  HELLO_BIN="$MD_BUILD_BENCH/hello_server"
  if [[ ! -x "$HELLO_BIN" || "$MD_ROOT/tests/bench/hello_server.cpp" -nt "$HELLO_BIN" ||
        "$MD_ROOT/native_server/src/http/http_server_settings.hpp" -nt "$HELLO_BIN" ||
        "$MD_BUILD_BENCH/compile_commands.json" -nt "$HELLO_BIN" ]]; then
    # shellcheck disable=SC2086
    $HELLO_FLAGS -o "$HELLO_BIN" "$MD_ROOT/tests/bench/hello_server.cpp" -pthread \
      || md_die "build of hello_server failed"
  fi
  md_log "built memberdesk-server + hello_server (Release) in $(md_elapsed "$t0") s"
  md_log "hello_server flags: $HELLO_FLAGS"
}

# A TCP port nobody listens on (bash /dev/tcp probe).
bench_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  md_die "no free port found"
}

# bench_wait_port PORT [SECONDS]
bench_wait_port() {
  local port="$1" secs="${2:-30}" i
  for ((i = 0; i < secs * 20; i++)); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# bench_wrk CONNS SECONDS URL  (BENCH_* variables as in tests/bench/wrk.lua) -> prints the RESULT line
bench_wrk() {
  local conns="$1" secs="$2" url="$3"
  local threads=2; ((conns < 2)) && threads=1
  wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s -s "$MD_ROOT/tests/bench/wrk.lua" "$url" 2>&1 |
    grep '^RESULT' || echo "RESULT requests=0 duration_us=1 rps=0 p50_us=0 p99_us=0 errors=-1 non2xx=-1"
}

# bench_field LINE NAME -> value of NAME=value in a RESULT line
bench_field() { sed -nE "s/.* $2=([^ ]+).*/\1/p" <<<"$1"; }

# Peak RSS (kB) of a live process.
bench_peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# 1/5/15-minute load averages (the machine is shared: figures taken under load are lower).
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }

# CPU time (user + system, in clock ticks of 1/100 s) a process has used so far.
bench_cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The same for one thread: bench_thread_cpu_ticks PID TID. memberdesk-server runs its connection
# front (epoll, TLS, request framing) on the main thread, so TID = PID is the front's own cost.
bench_thread_cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/task/$2/stat" 2>/dev/null || echo 0; }
