# Luukku: `make run` serves the demo city, `make test` runs every test.
# Both install what they need on a fresh Debian machine when run as root.

GO       ?= go
BIN      := bin/luukku
PG_BIN   := $(firstword $(shell command -v initdb 2>/dev/null) $(wildcard /usr/lib/postgresql/*/bin/initdb))
CHROMIUM := $(firstword $(shell command -v chromium 2>/dev/null) $(wildcard /usr/bin/chromium))

.PHONY: run build test bench soak vet check-generated deps deps-postgres deps-chromium echarts clean

run: deps-postgres build
	./$(BIN) serve

build:
	$(GO) build -o $(BIN) ./cmd/luukku

# Measurements on a throw-away cluster; the table is printed and written
# to bench/results.json.
bench: deps-postgres build
	./$(BIN) bench $(BENCH_ARGS)

# A screen left turning for days: SOAK_STEPS turns of the council
# chamber's playlist in headless chromium, with data changing among them;
# prints the JavaScript heap at the start, half-way and the end.
SOAK_STEPS ?= 6000
soak: deps-postgres deps-chromium
	LUUKKU_SOAK_STEPS=$(SOAK_STEPS) $(GO) test -count=1 -timeout 3h -run TestScreenMemoryStaysFlat -v ./internal/server

# The timeout only stops a hung test: the suite takes 6-7 minutes, its
# browser tests (internal/server) 4-6 of them, and a slow day on a shared
# machine has taken twice as long as a fast one.
test: deps-postgres deps-chromium vet check-generated
	$(GO) test -count=1 -timeout 15m ./...

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi

# The generated *_templ.go files are committed; regenerating them must
# change nothing.
check-generated:
	@sum() { cat components/*_templ.go | sha256sum; }; before=$$(sum); \
	$(GO) tool templ generate >/dev/null 2>&1 || $(GO) tool templ generate; \
	after=$$(sum); \
	if [ "$$before" != "$$after" ]; then echo "components/*_templ.go were out of date: commit the regenerated files"; exit 1; fi
	$(GO) tool templ fmt -fail components

deps: deps-postgres deps-chromium

# PostgreSQL server binaries for the private cluster (Debian's package).
deps-postgres:
ifeq ($(PG_BIN),)
	@if [ "$$(id -u)" = 0 ]; then \
		echo "Installing PostgreSQL server binaries (Debian package postgresql)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else \
		echo "PostgreSQL server binaries not found: run 'sudo apt-get install postgresql' or set DATABASE_URL"; exit 1; \
	fi
endif

# Headless Chromium for the browser tests.
deps-chromium:
ifeq ($(CHROMIUM),)
	@if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser tests (Debian package chromium)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
		echo "chromium not found: the browser tests will be skipped unless CI=true"; \
	fi
endif

# Bundles static/vendor/echarts.min.js again from the pinned npm packages:
# only the charts and components the dashboards use. Needs npm; neither
# run nor test calls it, the bundle is committed.
echarts:
	cd static/vendor/echarts-build && npm ci --no-audit --no-fund && \
	npx esbuild entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=eof \
		--banner:js="$$(cat banner.js)" --outfile=../echarts.min.js

clean:
	rm -rf bin
