# wxshop: `make run` builds and starts the server (sandbox unless WX_APPID is set); `make test` sets up what the
# tests need on a fresh machine and runs every test, the browser journeys included; `make bench` measures the
# server against a large sandbox shop (ORDERS=1000000, DB=postgres) and prints one table.

GO      ?= go
BIN     := bin/web
HTMX    := web/static/vendor/htmx.min.js
CHROMIUM ?= /usr/bin/chromium

.DEFAULT_GOAL := help

.PHONY: help run build test bench check generate fmt lint vet setup chromium postgresql clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: build ## build everything and start the server on :8080
	./$(BIN)

build: $(HTMX) generate ## build bin/web
	$(GO) build -o $(BIN) ./cmd/web

test: setup check ## install test prerequisites, check generated code and formatting, run every test
	$(GO) test -race -count=1 -timeout 30m ./...

# BENCH_FLAGS go to cmd/bench (e.g. -requests 300 -c 1,8,32 -keep); PROFILE=dir also writes a CPU profile of
# the server under load for each page there (go tool pprof bin/web dir/orders_status-done.pprof).
# ORDERS is the size of the shop whose pages are loaded (written by `web seed`); the first sync is measured on
# at most 50 000 of them. DB=postgres runs it on a throwaway PostgreSQL cluster with two servers.
BENCH_FLAGS ?=
ORDERS ?= 100000
DB ?= sqlite
bench: build ## measure the first sync, seed an ORDERS-order shop (DB=sqlite|postgres), load the pages, print one table
	$(GO) build -o bin/bench ./cmd/bench
	./bin/bench -web $(BIN) -orders $(ORDERS) -db $(DB) $(if $(PROFILE),-profile $(PROFILE)) $(BENCH_FLAGS)

check: generate ## fail when generated templ code, gofmt or go vet would change or complain
	@test -z "$$(git status --porcelain -- '*_templ.go')" || { git status --short -- '*_templ.go'; echo 'templ generate changed these files: commit them'; exit 1; }
	@test -z "$$(gofmt -l cmd internal web e2e)" || { gofmt -l cmd internal web e2e; echo 'gofmt would change these files'; exit 1; }
	$(GO) vet ./...

generate: ## regenerate the templ components
	$(GO) tool templ generate

fmt: ## format Go and templ sources
	$(GO) tool templ fmt web/templates
	gofmt -w cmd internal web e2e

lint: check ## same as check

setup: node_modules/.installed $(HTMX) chromium postgresql ## npm packages, htmx, Chromium and PostgreSQL

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(HTMX): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

chromium: ## install Debian's Chromium (and CJK fonts) when missing
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-noto-cjk; \
	fi

# The tests start throwaway PostgreSQL clusters from Debian's package (internal/db/pgtest) unless
# TEST_DATABASE_URL names a server; no system service is used or needed.
postgresql: ## install Debian's PostgreSQL (for the tests) when missing
	@if [ -z "$$TEST_DATABASE_URL" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing PostgreSQL for the tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q postgresql; \
	fi

clean: ## remove build output
	rm -rf bin .playwright
