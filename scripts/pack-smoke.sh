#!/usr/bin/env bash
# What a team installs: packs the tarball, installs it in an empty project (from the npm
# registry, as `npm i -D` would), and runs the installed command against the embedded reference
# server. Prints the tarball's size, the install's size (node_modules) and time, and the run's.
#
#   bash scripts/pack-smoke.sh          # exit 0: the installed package runs and conforms
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/pack-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
secs() { printf '%d.%01d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "pack-smoke: $tarball, $(du -k "$work/$tarball" | cut -f1) KiB packed, $(tar -tzf "$work/$tarball" | wc -l) files"

mkdir "$work/project"
cd "$work/project"
npm init -y >/dev/null
started=$(date +%s%3N)
npm i --no-audit --no-fund --loglevel=error "../$tarball"
installed=$(date +%s%3N)
echo "pack-smoke: installed in $(secs $((installed - started))) s, node_modules $(du -sh node_modules | cut -f1) ($(ls node_modules | wc -l) top-level entries)"

# The tarball carries the compiled CLI (built by `prepare` when packing): the installed command
# runs it, with no TypeScript transform in its process.
test -f node_modules/accounts-conformance/dist/.built || { echo "pack-smoke: the tarball has no compiled CLI (dist/)" >&2; exit 1; }
# --report-dir inside the temp project: nothing is left behind.
npx --no-install accounts-conformance --only envelope,register --quiet --report-dir reports
finished=$(date +%s%3N)
echo "pack-smoke: the installed command ran --only envelope,register in $(secs $((finished - installed))) s, exit 0"
