# funnelplan: make run (build and serve the app), make test (every test).
SHELL := /bin/bash
GO ?= go
export GOFLAGS := -trimpath
GOROOT := $(shell $(GO) env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm
ADDR ?= 127.0.0.1:8080

.PHONY: all build run test test-native test-wasm check bench chromium clean

all: build

## build: the funnelplan command in bin/
build:
	$(GO) build -o bin/funnelplan ./cli

## run: build and serve the app with the bundled example plan
run: build
	./bin/funnelplan run core/examples/b2b.json

## check: gofmt, go vet and the core import guard
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@bad=$$($(GO) list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./core | \
	  grep -v -e '^github.com/funnelplan/funnelplan/core$$' -e '^gonum.org/v1/gonum/' || true); \
	  if [ -n "$$bad" ]; then echo "core imports more than the standard library and gonum:"; echo "$$bad"; exit 1; fi
	@echo "check: ok"

## test: check, native tests, the core's tests under wasm/Node
test: check test-native test-wasm

test-native:
	$(GO) test -count=1 ./...

test-wasm:
	PATH="$$PATH:$(WASMEXEC)" GOOS=js GOARCH=wasm $(GO) test -count=1 ./core/...

## bench: the core benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

## chromium: install Debian's chromium when missing (browser tests)
chromium:
	@command -v chromium >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

clean:
	rm -rf bin dist web/app.wasm
