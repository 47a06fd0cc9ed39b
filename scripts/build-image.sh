#!/usr/bin/env bash
# Builds the exportpipe container image from the Containerfile at the
# repository's root, offline: the binary is built here (static, DuckDB
# linked in), and the image adds only CA certificates, a passwd entry
# for the non-root user, /tmp and /data.
#
#   scripts/build-image.sh                    # tag exportpipe:dev
#   IMAGE=registry.example/exportpipe:1.2 scripts/build-image.sh
#
# Needs podman (Debian: apt-get install podman) and the ca-certificates
# bundle at /etc/ssl/certs/ca-certificates.crt.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${IMAGE:-exportpipe:dev}
version=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

# netgo and osusergo keep name resolution and user lookup in Go, so the
# static binary does not need glibc's NSS libraries at run time.
# The linker warns that DuckDB's own dlopen, getpwuid and getaddrinfo need
# glibc's shared libraries when used: exportpipe loads no DuckDB
# extensions and reads no remote files through DuckDB, so the warnings are
# kept out of the way unless the build fails.
if ! CGO_ENABLED=1 go build -tags 'duckdb_arrow netgo osusergo' -trimpath \
  -ldflags "-s -w -X main.version=$version -linkmode external -extldflags -static" \
  -o "$ctx/rootfs/usr/local/bin/exportpipe" ./cmd/exportpipe 2>"$ctx/build.log"; then
  cat "$ctx/build.log" >&2
  exit 1
fi

mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/tmp" "$ctx/data"
chmod 1777 "$ctx/rootfs/tmp"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/rootfs/etc/ssl/certs/"
echo 'exportpipe:x:65532:65532:exportpipe:/data:/sbin/nologin' >"$ctx/rootfs/etc/passwd"
echo 'exportpipe:x:65532:' >"$ctx/rootfs/etc/group"

podman build --quiet -f Containerfile -t "$image" "$ctx" >/dev/null
echo "built $image ($version)" >&2
