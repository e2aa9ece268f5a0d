# Parley: `make run` and `make test` are the two commands; everything else is a helper.
# Each target installs what is missing first (deploy/bootstrap.sh is idempotent and quick when warm).
SHELL := /bin/bash
.DEFAULT_GOAL := help

LLAMA_VERSION := 0.3.36
PARLEY_CACHE ?= $(if $(filter 0,$(shell id -u)),/var/cache/parley,$(HOME)/.cache/parley)
CONFIG ?= config/parley.example.yaml
PREFIX ?= /usr/local
export PARLEY_CACHE
# Our own llama.pc (written by bootstrap) comes first; an operator's LLAMA_PREFIX is honoured there.
export PKG_CONFIG_PATH := $(PARLEY_CACHE)/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
export PARLEY_MODEL ?= $(PARLEY_CACHE)/models/gemma-3-270m-it-Q4_K_M.gguf
# llama.cpp's own server (deploy/anchors.sh llama-server): the replica failover test runs two.
ANCHORS := $(PARLEY_CACHE)/anchors-$(LLAMA_VERSION)/bin
export PARLEY_LLAMA_SERVER ?= $(ANCHORS)/llama-server

# The binary finds libllama through an rpath to wherever pkg-config says it lives, so nobody has
# to set LD_LIBRARY_PATH; installed (deploy/install.sh), the libraries beside it in
# ../lib/parley come first. Evaluated by the shell at recipe time, after bootstrap has run.
LINK_FLAGS = -Xlinker -rpath -Xlinker '$$ORIGIN/../lib/parley' -Xlinker -rpath -Xlinker "$$(pkg-config --variable=libdir llama)"
# The compiler as guard: a target that imports a module it does not declare fails the build.
SWIFT_BUILD = swift build $(LINK_FLAGS) --explicit-target-dependency-import-check=error

.PHONY: help deps test-deps llama-server build release run chat test bench anchors install uninstall check-config clean format lint

help:
	@echo "make run    - install what is missing, build, start Parley (console channel without DISCORD_TOKEN)"
	@echo "make test   - install what is missing, run every test"
	@echo "make build | release | chat | bench | anchors | install | uninstall | check-config | format | clean"

deps:
	@bash deploy/bootstrap.sh

# The one anchor `make test` needs (see below); built once into the cache, a check when warm.
llama-server:
	@bash deploy/anchors.sh llama-server

# Builds too run with a TMPDIR of their own (see test below): SwiftPM and the compiler leave
# driver folders and lock files in /tmp on every invocation.
build: deps
	bash deploy/test-in-scratch-tmpdir.sh --unchecked $(SWIFT_BUILD)

release: deps
	bash deploy/test-in-scratch-tmpdir.sh --unchecked $(SWIFT_BUILD) -c release

run: build
	.build/debug/parley run --config $(CONFIG)

chat: build
	.build/debug/parley chat --config $(CONFIG)

check-config: build
	.build/debug/parley check-config $(CONFIG)

# The build and the tests (and every process they start) each get a TMPDIR of their own, removed
# afterwards, so nothing lands in /tmp (SwiftPM's own scratch folders included); anything a test
# leaves in its TMPDIR fails the run. Besides the bootstrap, `make test` builds one of llama.cpp's
# tools, llama-server (about 5 minutes once, on 2 cores): the end-to-end replica test kills one
# of two real ones mid-run.
# The tests' own packages too (the PostgreSQL server the shared-memory tests start).
test-deps:
	@bash deploy/bootstrap.sh --test

test: test-deps llama-server lint
	mkdir -p .build; set -o pipefail; bash deploy/test-in-scratch-tmpdir.sh --unchecked $(SWIFT_BUILD) --build-tests 2>&1 | tee .build/build.log
	# No warnings in our own code (the packages we depend on are SwiftPM's to silence).
	! grep -E '^$(CURDIR)/(Sources|Tests)/.*: warning:' .build/build.log
	# One suite at a time: on 2 cores, parallel suites (model decodes, network bursts, websocket
	# threads) starve each other and turn protocol timeouts into noise.
	bash deploy/test-in-scratch-tmpdir.sh swift test $(LINK_FLAGS) --skip-build --no-parallel

# llama.cpp's own llama-bench, llama-batched-bench and llama-server, built once per tool from the
# pinned source into the cache: the anchors `make bench` measures against. Never part of `make run`;
# of `make test` only llama-server is (the one exception, above).
anchors:
	@bash deploy/anchors.sh

# Then the chat workload: Parley through the fake Discord against llama-server, same prompts (see README).
bench: release anchors
	mkdir -p bench/out && .build/release/parley bench --config $(CONFIG) --anchors $(ANCHORS) --json bench/out/bench.json
	.build/release/parley-workload --anchors $(ANCHORS) --model $(PARLEY_MODEL) --rounds 3 --json bench/out/workload.json

# The layout the code keeps (.swift-format); `make test` fails on a file that strays from it.
format:
	swift format format --in-place --parallel --recursive Package.swift Sources Tests

lint:
	swift format lint --strict --parallel --recursive Package.swift Sources Tests

install:
	PREFIX=$(PREFIX) bash deploy/install.sh

uninstall:
	PREFIX=$(PREFIX) bash deploy/uninstall.sh

clean:
	rm -rf .build
