#!/usr/bin/env bash
# Builds the embedded reference server as a container image, locally (no registry is needed or
# used): reference/main.ts bundled by esbuild into one ESM file (Node built-ins only), this
# machine's node binary and the shared libraries it loads (paths kept, with the dynamic loader),
# on top of an empty (scratch) image.
#
#   bash scripts/build-reference-image.sh [TAG]      # default tag: accounts-conformance/reference:local
#   docker run --rm -p 127.0.0.1:18999:8000 accounts-conformance/reference:local
#
# The server listens on 0.0.0.0:8000 with its test hooks on (/__conformance__/otp and
# /__conformance__/clock), prints "reference server listening on ..." when ready, and exits 0
# on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-accounts-conformance/reference:local}
command -v docker >/dev/null 2>&1 || { echo "build-reference-image: docker is not installed (see scripts/docker-setup.sh)" >&2; exit 1; }
[ -x node_modules/.bin/esbuild ] || { echo "build-reference-image: node_modules/.bin/esbuild is missing (run npm ci)" >&2; exit 1; }

ctx=$(mktemp -d "${TMPDIR:-/tmp}/reference-image.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
root="$ctx/rootfs"
mkdir -p "$root/app" "$root/usr/local/bin"

node_modules/.bin/esbuild reference/main.ts --bundle --platform=node --format=esm \
  --outfile="$root/app/reference.mjs" --log-level=warning

node_bin=$(readlink -f "$(command -v node)")
cp "$node_bin" "$root/usr/local/bin/node"
# ldd lines: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)";
# linux-vdso has no file. Each library is copied (symlinks followed) to the same path in the image.
libs=$(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
[ -n "$libs" ] || { echo "build-reference-image: ldd listed no libraries for $node_bin" >&2; exit 1; }
for lib in $libs; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
LABEL org.opencontainers.image.title="accounts-conformance reference server" \
      org.opencontainers.image.description="In-memory conforming implementation of the TaskLink accounts API, with test hooks"
EXPOSE 8000
USER 65534:65534
CMD ["/usr/local/bin/node", "/app/reference.mjs", "--host", "0.0.0.0", "--port", "8000", "--hooks"]
EOF

# docker's own output (and the legacy builder's deprecation notice) only when the build fails.
if ! out=$(docker build --tag "$tag" "$ctx" 2>&1); then
  echo "$out" >&2
  echo "build-reference-image: docker build failed" >&2
  exit 1
fi
echo "build-reference-image: built $tag ($(docker image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'), node $("$node_bin" --version))"
