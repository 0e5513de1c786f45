#!/usr/bin/env bash
# Makes a container engine available on this machine (a developer's or CI's), for --image runs
# and the container self-tests. Idempotent:
#   - an engine that already answers `docker info` is left alone;
#   - otherwise Debian's docker.io is installed if docker/dockerd are missing, dockerd is started
#     in the background (log: $DOCKERD_LOG, default /tmp/accounts-conformance-dockerd.log), and
#     containers are kept off the outside network: forwarded traffic leaving through the
#     default-route interface is dropped (one iptables mangle rule, added once).
# Exits non-zero, with one clear line on stderr, when no engine can be had.
set -uo pipefail

log_file=${DOCKERD_LOG:-/tmp/accounts-conformance-dockerd.log}
socket=/var/run/docker.sock
say() { echo "docker-setup: $*"; }
fail() {
  echo "docker-setup: $*" >&2
  exit 1
}

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  say "a container engine already answers (docker info); nothing to do"
  exit 0
fi

[ "$(id -u)" = 0 ] || fail "no container engine answers and starting one needs root (start Docker yourself, then rerun)"

if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null || fail "apt-get install docker.io failed"
fi
command -v dockerd >/dev/null 2>&1 || fail "dockerd is still missing after installing docker.io"
command -v iptables >/dev/null 2>&1 || fail "iptables is missing: cannot keep containers off the outside network"

# The outside-network guard goes in before dockerd runs any container. Forwarded packets leaving
# through the default-route interface (containers reaching out) are dropped; published ports on
# loopback are not forwarded traffic and keep working.
iface=$(ip route show default 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
if [ -n "$iface" ]; then
  if ! iptables -t mangle -C FORWARD -o "$iface" -j DROP 2>/dev/null; then
    iptables -t mangle -I FORWARD 1 -o "$iface" -j DROP || fail "could not add the iptables rule that keeps containers off the outside network ($iface)"
  fi
  say "containers are kept off the outside network (iptables -t mangle FORWARD -o $iface -j DROP)"
else
  say "no default route: containers have no outside network to reach"
fi

if [ -S "$socket" ] && docker info >/dev/null 2>&1; then
  exit 0
fi
if pid=$(pidof dockerd 2>/dev/null); then
  say "dockerd is already running (pid $pid); waiting for it"
else
  say "starting dockerd (log: $log_file)"
  # setsid: dockerd outlives this script and its session (CI steps, a terminal closing).
  setsid nohup dockerd >"$log_file" 2>&1 </dev/null &
fi

started=$SECONDS
until docker info >/dev/null 2>&1; do
  if [ $((SECONDS - started)) -ge 60 ]; then
    tail -n 5 "$log_file" 2>/dev/null | sed 's/^/  dockerd: /' >&2
    fail "dockerd did not answer within 60 s (log: $log_file)"
  fi
  if ! pidof dockerd >/dev/null 2>&1; then
    tail -n 5 "$log_file" 2>/dev/null | sed 's/^/  dockerd: /' >&2
    fail "dockerd exited while starting (log: $log_file)"
  fi
  sleep 0.5
done
say "container engine ready in $((SECONDS - started)) s ($(docker version --format 'server {{.Server.Version}}' 2>/dev/null))"
