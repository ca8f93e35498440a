#!/usr/bin/env bash
# Installs the non-npm tools that the test suite uses, once. Idempotent and quiet when done.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "test-deps: need root to apt-get install $*; install them yourself" >&2
    return 1
  fi
  if [ ! -f /tmp/.badgey-apt-updated ]; then
    apt-get update -qq && touch /tmp/.badgey-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# promtool (Debian package prometheus) checks the /metrics exposition.
command -v promtool >/dev/null || apt_install prometheus

# helm + kubectl for the chart tests (pinned, cached in .tools/; not an npm devDependency).
bash scripts/fetch-k8s-tools.sh

# podman + runc + a local bookworm stand-in base image for the container test (root only; without
# it the container test reports why and skips).
bash scripts/podman-setup.sh
