# Shared helpers for the ops/ scripts. Source it; it defines functions and nothing runs.
# shellcheck shell=bash

FEEDLOOP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FEEDLOOP_RUN_DIR=${FEEDLOOP_RUN_DIR:-$FEEDLOOP_ROOT/.run}
RABBITMQ_BIN=/usr/lib/rabbitmq/bin
PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A TCP port nobody listens on right now (the kernel picks it).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Debian packages the project needs; installs only what is missing.
ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ ! -f "$FEEDLOOP_RUN_DIR/.apt-updated" ]; then
        $sudo apt-get update -q >&2 || die "apt-get update failed"
        mkdir -p "$FEEDLOOP_RUN_DIR" && touch "$FEEDLOOP_RUN_DIR/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
}

# Builds every executable once; prints the directory holding them.
build_release() {
    local config=${FEEDLOOP_BUILD_CONFIG:-release}
    log "building Feedloop ($config)"
    (cd "$FEEDLOOP_ROOT" && swift build -c "$config" >&2) || die "swift build failed"
    (cd "$FEEDLOOP_ROOT" && swift build -c "$config" --show-bin-path)
}
