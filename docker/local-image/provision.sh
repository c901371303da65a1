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

# Docker publishes container ports on host ports taken in order from the start of the kernel's
# ephemeral range (32768 up), the range the kernel also gives client sockets: a container start
# fails with "bind: address already in use" when one of the suite's connections holds the port
# Docker picked. Keeping the kernel from handing the first RESERVED of them to clients leaves
# them to Docker (a CI run starts far fewer containers than that).
reserve_docker_ports() {
  local range=/proc/sys/net/ipv4/ip_local_port_range reserved=/proc/sys/net/ipv4/ip_local_reserved_ports
  local first count=2000 current wanted
  read -r first _ <"$range" || return 0
  current="$(cat "$reserved" 2>/dev/null || true)"
  wanted="$first-$((first + count - 1))"
  if echo "${current:+$current,}$wanted" >"$reserved" 2>/dev/null; then
    say "kept host ports $wanted for Docker (ip_local_reserved_ports)"
  else
    say "could not reserve host ports $wanted for Docker ($reserved is read-only); a container start may now and then find its port taken"
  fi
}

if docker info >/dev/null 2>&1; then
  say "Docker engine answers"
else
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing Debian's docker.io"
    apt_install docker.io
  fi
  reserve_docker_ports
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
