#!/usr/bin/env bash
# Prepares podman for the container test on a machine without a container registry:
#   1. installs podman + runc + mmdebstrap from Debian (root only),
#   2. builds local/debian:bookworm from the Debian mirror (mmdebstrap),
#   3. builds a stand-in for docker.io/library/node:24-bookworm-slim from the pinned Node 24 in
#      .tools/node (scripts/fetch-node.sh: the official Linux build, from the npm registry) and the
#      host's npm, so the project Dockerfile builds unchanged with `--pull=never`.
# Every step is skipped when its result exists. Exit 0 with a message when podman cannot be set up
# (the container test then reports the reason and skips). TEST ONLY: the stand-in trusts the
# host's CA bundle; the production image never does.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="$PWD/test/container/containers.conf"
BASE=local/debian:bookworm
NODE_STANDIN=docker.io/library/node:24-bookworm-slim
log() { echo "podman-setup: $*"; }

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v iptables >/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "cannot install podman (needs root and apt-get); the container test will skip"
    exit 0
  fi
  [ -f /tmp/.badgey-apt-updated ] || { apt-get update -qq && touch /tmp/.badgey-apt-updated; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    podman buildah runc mmdebstrap iptables catatonit >/dev/null \
    || { log "apt-get install podman failed; the container test will skip"; exit 0; }
fi

if ! podman image exists "$BASE"; then
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  log "building $BASE from $mirror (mmdebstrap, ~15 s)"
  built=1
  mmdebstrap --variant=minbase --quiet bookworm "$tmp/rootfs.tar" "$mirror"
  podman import --change 'CMD ["/bin/bash"]' "$tmp/rootfs.tar" "$BASE" >/dev/null
fi

bash scripts/fetch-node.sh
node_version=$(.tools/node/bin/node -p 'process.version')
if [ "$(podman image inspect --format '{{index .Config.Labels "badgey.standin.node"}}' "$NODE_STANDIN" 2>/dev/null)" != "$node_version" ]; then
  ctx=$(mktemp -d)
  cp .tools/node/bin/node "$ctx/node"
  cp -r "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ctx/npm"
  cp -r .tools/node/include/node "$ctx/include-node"   # node-gyp headers, should a native dep compile
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-bundle.crt"
  cat > "$ctx/Containerfile" <<CONTAINERFILE
FROM $BASE
LABEL badgey.standin.node="$node_version"
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY include-node /usr/include/node
COPY ca-bundle.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_VERSION=${node_version#v} NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt npm_config_cafile=/etc/ssl/certs/ca-certificates.crt npm_config_nodedir=/usr npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/bash node
CMD ["node"]
CONTAINERFILE
  log "building stand-in $NODE_STANDIN (node $node_version from .tools/node)"
  built=1
  podman build --quiet --format docker -t "$NODE_STANDIN" "$ctx" >/dev/null
  rm -rf "$ctx"
fi
[ -z "${built:-}" ] || log "ready: $(podman --version), base $BASE, stand-in $NODE_STANDIN"
