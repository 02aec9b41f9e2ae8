# ordrel: `make run` starts the demo, `make test` runs every test. See README.md.
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN := .build/release

.PHONY: run build release test deps test-deps bench bench-stall bench-reload bench-floor soak clean container-test

# Installs the Debian packages the build and the demo need, when missing.
DEPS := libev-dev libc-ares-dev socat
# What the integration tests run next to ordrel: haproxy 2.6 (the oracle), dnsmasq (ResolversTests),
# tmux (TopTests), redis-server and postgresql (ProtocolCheckTests), openssl (real ClientHellos).
# chromium and the PyPI clients are optional: their tests are skipped without them (.ci/run adds them).
TEST_DEPS := $(DEPS) haproxy dnsmasq-base tmux redis-server postgresql openssl

define install-missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
endef

deps:
	$(call install-missing,$(DEPS))

test-deps:
	$(call install-missing,$(TEST_DEPS))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The demo: two tiny HTTP backends on 127.0.0.1:9101/9102 and ordrel on conf/ordrel.cfg in front.
run: release
	@./examples/demo/run-demo.sh $(RELEASE_BIN)

# Every test is XCTest; Swift Testing is off so the run closes on XCTest's own summary line.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

# ordrel vs haproxy vs direct on 127.0.0.1 (docs/performance.md); run.sh makes the release build itself.
bench: deps
	@./bench/run.sh
	@./bench/stall.sh
	@./bench/reload.sh
	@./bench/floor.sh

# Proxied round trips while a stats client loads the CLI, ordrel next to haproxy (docs/performance.md).
bench-stall: deps
	@./bench/stall.sh

# A master-worker reload every second under keep-alive and connection-per-request loads, ordrel
# next to haproxy: errors and added p99 (docs/reload.md).
bench-reload: deps
	@./bench/reload.sh

# Proxy CPU per request of ordrel and haproxy next to a minimal C forwarder, the floor no proxy
# can undercut (docs/performance.md). Needs a C compiler (cc).
bench-floor: deps
	@./bench/floor.sh

# The release ordrel under mixed traffic for SOAK_SECONDS (600), then leak and integrity checks
# (docs/reliability.md, Soak). Not part of make test.
soak: deps
	@./bench/soak/run.sh

# The container image built and checked in a running container: traffic, non-root, stats sockets,
# HEALTHCHECK, USR2 reload, soft stop, sizes, compose and Kubernetes files (docs/container.md).
# Needs root: installs docker.io and mmdebstrap, starts a Docker engine and makes the base images
# locally when missing (examples/docker/local-bases.sh), stops the engine it started at the end.
container-test:
	@./examples/docker/container-test.sh

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz

# Sanitizers (docs/reliability.md): the unit and integration suites against ASan / TSan builds in
# .build-asan / .build-tsan; any report from the tests or the daemons they start fails the target.
.PHONY: test-asan test-tsan
test-asan: test-deps
	@./Tests/sanitize.sh address all

test-tsan: test-deps
	@./Tests/sanitize.sh thread all

# Fuzzing (docs/reliability.md): builds the libFuzzer targets of fuzz/ into .build-fuzz and runs
# each FUZZ_SECONDS on one core; FUZZ_TARGETS picks some of: tokenizer config request session http logformat acl clienthello proxy.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
.PHONY: fuzz
fuzz: deps
	SWIFT=$(SWIFT) ./fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
