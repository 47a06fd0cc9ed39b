#!/usr/bin/env bash
# Builds the image (scripts/build-image.sh) and checks it as far as these
# machines allow: containers cannot run here, so the binary is copied out
# of the image and runs the demo, and the image's settings are read back
# (non-root user, entrypoint, working folder, CA bundle present).
set -euo pipefail
cd "$(dirname "$0")/.."
image=${IMAGE:-exportpipe:check}
IMAGE=$image scripts/build-image.sh >/dev/null

out=$(mktemp -d)
cid=$(podman create "$image")
trap 'podman rm -f "$cid" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
podman cp "$cid:/usr/local/bin/exportpipe" "$out/exportpipe"
podman cp "$cid:/etc/ssl/certs/ca-certificates.crt" "$out/ca.crt"
podman cp "$cid:/etc/passwd" "$out/passwd"
test -s "$out/ca.crt"
grep -q '^exportpipe:x:65532:' "$out/passwd"

config=$(podman image inspect --format '{{.Config.User}}|{{.Config.Entrypoint}}|{{.Config.WorkingDir}}' "$image")
if [ "$config" != "65532:65532|[/usr/local/bin/exportpipe]|/data" ]; then
  echo "image settings are $config, want 65532:65532|[/usr/local/bin/exportpipe]|/data" >&2
  exit 1
fi

# The binary from the image needs nothing from this machine: run the demo
# with an empty environment (no PATH, no locale), as in the image.
if ! env -i HOME="$out" TMPDIR="$out" "$out/exportpipe" run --data-dir "$out/data" --demo-listings 2000 >"$out/summary.txt" 2>"$out/run.log"; then
  cat "$out/summary.txt" "$out/run.log" >&2
  exit 1
fi
grep -q 'reconciles' "$out/summary.txt"
test -f "$out/data/analytics.duckdb"
echo "image $image: $(du -h "$out/exportpipe" | cut -f1) static binary runs the demo; user 65532, entrypoint exportpipe"
