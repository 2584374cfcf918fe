# funnelplan: make run (build and serve the app), make test (every test).
SHELL := /bin/bash
GO ?= go
export GOFLAGS := -trimpath
GOROOT := $(shell $(GO) env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm
ADDR ?= 127.0.0.1:8080

.PHONY: all build run web test test-native test-wasm test-browser check bench bench-batch chromium clean charts build-embed precompress size

all: build

## build: the funnelplan command in bin/
build:
	$(GO) build -o bin/funnelplan ./cli

## web: the browser app. web/app.wasm (GOOS=js GOARCH=wasm, -s -w, against
## build/browser/go.mod: go-app without its server half, see tools/browsermod),
## then the static site in dist/ (go-app's pages, service worker, web/ assets);
## Handler.Version is the first 16 hex digits of sha256 over app.wasm and the web/ assets.
web:
	$(GO) run ./tools/browsermod -out build/browser
	GOOS=js GOARCH=wasm $(GO) build -modfile build/browser/go.mod -ldflags='-s -w' -o web/app.wasm ./wasm
	$(GO) build -o bin/funnelplan-web ./wasm
	./bin/funnelplan-web -gen -out dist -web web

## run: build the app and serve dist/ on $(ADDR) with funnelplan serve (prints the URL;
## brotli copies are sent too after make precompress)
run: web build
	./bin/funnelplan serve --dir dist --addr $(ADDR)

## check: gofmt, go vet and the core import guard
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@bad=$$($(GO) list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./core | \
	  grep -v -e '^github.com/funnelplan/funnelplan/core$$' -e '^gonum.org/v1/gonum/' || true); \
	  if [ -n "$$bad" ]; then echo "core imports more than the standard library and gonum:"; echo "$$bad"; exit 1; fi
	@bad=$$($(GO) list -deps ./cli | grep -e '^github.com/maxence-charriere/go-app' || true); \
	  if [ -n "$$bad" ]; then echo "the CLI imports go-app:"; echo "$$bad"; exit 1; fi
	@echo "check: ok"

## test: check, native tests, the core's tests under wasm/Node, the real browser
test: check test-native test-wasm test-browser

test-native:
	$(GO) test -count=1 ./...

test-wasm:
	PATH="$$PATH:$(WASMEXEC)" GOOS=js GOARCH=wasm $(GO) test -count=1 ./core/...

## test-browser: end-to-end tests of dist/ in headless Chromium (chromedp);
## screenshots for the README with SCREENSHOTS=docs/screens
test-browser: chromium web build
	FUNNELPLAN_DIST=$(CURDIR)/dist FUNNELPLAN_BIN=$(CURDIR)/bin/funnelplan FUNNELPLAN_WEBGEN=$(CURDIR)/bin/funnelplan-web FUNNELPLAN_SCREENSHOTS=$(SCREENSHOTS) $(GO) test -count=1 -timeout 20m ./e2e/

## bench: in headless Chromium the first render and the slider latency (8 personas x 10
## stages) of the precompressed site served by funnelplan serve, then the core benchmarks
## natively and compiled to wasm under Node with their ratio, and app.wasm sizes. The
## browser runs first: minutes of the core benchmarks at full load leave this kind of
## virtual machine slower for a while (the first render read 1.60 to 1.90 s right after
## them, against 1.47 to 1.63 s before them).
BENCHCOUNT ?= 3
bench: chromium web precompress build
	$(GO) run ./tools/browserbench -dir dist -server bin/funnelplan
	$(GO) run ./tools/benchwasm -count $(BENCHCOUNT)
	$(GO) run ./tools/wasmsize

## bench-batch: funnelplan batch on small plans: BenchmarkBatch (plans/s, per core, per
## CPU second), then the peak memory of the binary on BATCHLINES lines (/usr/bin/time -v)
BATCHLINES ?= 1000000
bench-batch: build
	$(GO) test -run '^$$' -bench 'Batch' -benchmem ./cli
	@test -x /usr/bin/time || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y time; }
	@seq $(BATCHLINES) | awk '{printf "{\"funnelplan\":1,\"name\":\"p%d\",\"top\":%d,\"stages\":[{\"id\":\"visit\"},{\"id\":\"lead\",\"rate\":0.05},{\"id\":\"customer\",\"rate\":0.2}],\"order_value\":100}\n", $$1, 1000+$$1}' | \
	  /usr/bin/time -f "batch of $(BATCHLINES) plans: %e s wall, %U s user + %S s system, peak RSS %M kB" ./bin/funnelplan batch > /dev/null

## size: app.wasm raw, gzip and brotli against the budget; PROBES=1 adds what each dependency costs
size:
	$(GO) run ./tools/wasmsize $(if $(PROBES),-probes) $(if $(WASMOPT),-wasm-opt)

## chromium: install Debian's chromium when missing (browser tests)
chromium:
	@test -x /usr/bin/chromium || { apt-get update && { DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || DEBIAN_FRONTEND=noninteractive apt-get --fix-broken install -y; }; }

clean:
	rm -rf bin build dist web/app.wasm

## build-embed: a funnelplan binary that carries the built site (serve needs no dist/)
build-embed:
	@test -f dist/index.html || { echo "build-embed: no dist/index.html (make web first)"; exit 1; }
	rm -rf cli/site && cp -r dist cli/site
	$(GO) build -tags embedweb -o bin/funnelplan ./cli
	rm -rf cli/site

## precompress: brotli -q 11 and gzip -9 copies beside the site's text and wasm files
## (kept only when smaller); funnelplan serve sends them to browsers that accept them
precompress:
	@command -v brotli >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y brotli; }
	@test -d dist || { echo "precompress: no dist/ (make web first)"; exit 1; }
	find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
	  -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' \) -print0 | \
	  xargs -0 -r -P2 -n1 sh -c 'f="$$1"; brotli -f -n -q 11 -o "$$f.br" "$$f" && chmod 644 "$$f.br" && gzip -9 -n -k -f "$$f" && \
	    for c in "$$f.br" "$$f.gz"; do [ $$(stat -c %s "$$c") -lt $$(stat -c %s "$$f") ] || rm -f "$$c"; done' sh

## charts: redraw the README's chart pictures (docs/charts) with headless Chromium
charts: chromium
	bash docs/charts/render.sh
