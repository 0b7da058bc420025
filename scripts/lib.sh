# shellcheck shell=bash
# Shared helpers for scripts/setup, scripts/build, scripts/run, scripts/test.
# Source it:  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Repository root (this file lives in <root>/scripts/).
MD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MD_ROOT

MD_BUILD_NATIVE="$MD_ROOT/build/native"
MD_BUILD_WASM="$MD_ROOT/build/wasm"
MD_THIRD_PARTY="${MEMBERDESK_THIRD_PARTY_DIR:-$MD_ROOT/third_party}"
# Parallel build jobs: the machines have 2 cores.
MD_JOBS="${MD_JOBS:-2}"

md_log()  { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
md_warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
md_die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, else through sudo.
md_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    md_die "need root (or sudo) to run: $*"
  fi
}

# Seconds since the epoch with sub-second precision (for timings).
md_now() { date +%s.%N; }
# md_elapsed START -> prints "12.3" (seconds since START)
md_elapsed() { awk -v s="$1" -v e="$(md_now)" 'BEGIN { printf "%.1f", e - s }'; }

# Environment that em++/emcc need on this machine.
# Debian's emscripten runs its JS optimiser passes (acorn-optimizer.js, at -O1
# and above) with the system node; the acorn module lives in /usr/share/nodejs,
# which the nodesource build of node does not search by default.
md_emscripten_env() {
  if [[ -d /usr/share/nodejs ]]; then
    case ":${NODE_PATH:-}:" in
      *:/usr/share/nodejs:*) ;;
      *) export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}" ;;
    esac
  fi
}

# Configure and build one preset (build/<preset>).  Extra args go to
# "cmake --build".  Configuring an existing tree again is cheap (a second or
# two) and keeps cache variables from the presets in sync.
# "--keep-going" as the first extra arg builds past errors (make -k / ninja -k 0),
# so that the targets that do compile (e.g. core_tests) can still be tested.
# MD_WERROR=ON (scripts/test) makes warnings in our code errors; otherwise they
# are only shown, so that scripts/run still builds with a compiler that warns more.
md_build_preset() {
  local preset="$1"; shift
  local keep_going=0
  if [[ "${1:-}" == --keep-going ]]; then keep_going=1; shift; fi
  local t0; t0="$(md_now)"
  if [[ "$preset" == wasm ]]; then md_emscripten_env; fi
  (cd "$MD_ROOT" && cmake --preset "$preset" -DMEMBERDESK_WERROR="${MD_WERROR:-OFF}") \
    || { md_warn "configure failed for preset '$preset'"; return 1; }
  local t1; t1="$(md_now)"
  md_log "configured '$preset' in $(md_elapsed "$t0")s"
  local -a native_args=()
  if ((keep_going)); then
    if grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja' "$MD_ROOT/build/$preset/CMakeCache.txt"; then
      native_args=(-- -k 0)
    else
      native_args=(-- -k)
    fi
  fi
  local rc=0
  (cd "$MD_ROOT" && cmake --build --preset "$preset" -j "$MD_JOBS" "$@" "${native_args[@]+"${native_args[@]}"}") \
    || rc=$?
  if ((rc)); then
    md_warn "build of '$preset' failed after $(md_elapsed "$t1")s"
    return "$rc"
  fi
  md_log "built '$preset' in $(md_elapsed "$t1")s"
}

# scripts/setup is idempotent and its no-op run takes well under a second, so
# the other scripts simply run it every time.
md_ensure_setup() {
  bash "$MD_ROOT/scripts/setup"
}
