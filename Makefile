# Badgey — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
NPM ?= npm

.PHONY: all install build run test lint format typecheck bench load demo image chart-lint chart-template k8s deploy tools clean

all: build

# Install npm packages only when the lockfile changed since the last install.
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed

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
# chart and container tests. scripts/test-deps.sh installs tools the tests need.
test: install
	bash scripts/test-deps.sh
	$(MAKE) lint
	$(NPM) run build
	$(NPM) test

bench: build
	$(NPM) run bench

load: build
	$(NPM) run load

clean:
	rm -rf dist coverage node_modules/.installed
