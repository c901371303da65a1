#!/usr/bin/env bash
# Builds a local TimescaleDB + pgvector PostgreSQL image from Debian's packages,
# for machines that can reach Debian's archive but no container registry.
#
#   docker/local-image/build.sh [TAG]      (default: timescale-testkit/timescaledb-local:pg17)
#
# Skips the build when TAG exists and was built from this recipe (a label carries the
# recipe's hash; an edited Dockerfile or entrypoint rebuilds). Needs: docker (engine running),
# debootstrap, root. The Debian mirror is taken from DEBIAN_MIRROR or from this
# machine's apt sources.
set -euo pipefail

TAG="${1:-${TIMESCALE_TESTKIT_LOCAL_TAG:-timescale-testkit/timescaledb-local:pg17}}"
SUITE="${DEBIAN_SUITE:-trixie}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOCKER_BUILDKIT=0

RECIPE=$(cat "$HERE/Dockerfile" "$HERE/docker-entrypoint.sh" | sha256sum | cut -c1-16)
built=$(docker image inspect --format '{{ index .Config.Labels "org.timescale-testkit.recipe" }}' "$TAG" 2>/dev/null || true)
if [ "$built" = "$RECIPE" ]; then
  echo "local-image: $TAG already present"
  exit 0
fi

mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror=$(grep -hoE '^URIs:[[:space:]]+\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -hoE '^deb[[:space:]]+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n 1 || true)
fi
if [ -z "$mirror" ]; then
  echo "local-image: no Debian mirror found; set DEBIAN_MIRROR" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "local-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

base="${TAG%%:*}-base:${SUITE}"
if ! docker image inspect "$base" >/dev/null 2>&1; then
  root=$(mktemp -d /tmp/timescale-testkit-rootfs.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  echo "local-image: debootstrap $SUITE from $mirror"
  debootstrap --variant=minbase \
    --include=postgresql-17,postgresql-17-pgvector,postgresql-17-timescaledb,util-linux \
    "$SUITE" "$root" "$mirror" >/tmp/timescale-testkit-debootstrap.log 2>&1 \
    || { tail -n 30 /tmp/timescale-testkit-debootstrap.log >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import - "$base" >/dev/null
fi

echo "local-image: building $TAG"
docker build -q --build-arg "BASE=$base" --label "org.timescale-testkit.recipe=$RECIPE" -t "$TAG" "$HERE" >/dev/null
echo "local-image: $TAG built"
