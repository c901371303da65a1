#!/usr/bin/env bash
# Makes a machine that has no Docker engine, or cannot pull images, ready for the kit:
# installs Debian's docker.io and debootstrap when missing, starts dockerd when no engine
# answers, and builds the local TimescaleDB + pgvector image (build.sh, cached by recipe).
# The same provisioning .ci/run uses. Needs root and Debian's archive.
#
#   sudo bash node_modules/timescale-testkit/docker/local-image/provision.sh [TAG]
#   export TIMESCALE_TESTKIT_IMAGE=timescale-testkit/timescaledb-local:pg17
set -euo pipefail

TAG="${1:-${TIMESCALE_TESTKIT_LOCAL_TAG:-timescale-testkit/timescaledb-local:pg17}}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DOCKERD_LOG="${TIMESCALE_TESTKIT_DOCKERD_LOG:-/tmp/timescale-testkit-dockerd.log}"
say() { printf 'provision: %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
  echo "provision: needs root (apt-get, dockerd); run it with sudo" >&2
  exit 1
fi

apt_ready=0
apt_install() {
  if [ "$apt_ready" = 0 ]; then apt-get update -qq; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if docker info >/dev/null 2>&1; then
  say "Docker engine answers"
else
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing Debian's docker.io"
    apt_install docker.io
  fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  nohup dockerd >"$DOCKERD_LOG" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "provision: the Docker engine did not come up; its log:" >&2
    tail -n 40 "$DOCKERD_LOG" >&2
    exit 1
  fi
fi

command -v debootstrap >/dev/null 2>&1 || { say "installing debootstrap"; apt_install debootstrap; }
bash "$HERE/build.sh" "$TAG"
say "ready: export TIMESCALE_TESTKIT_IMAGE=$TAG"
