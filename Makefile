# opencode-ops: `make run` builds and opens the console; `make test` runs every test suite.
SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run build release deps deb-deps deb test test-under-load test-setup goldens bench install clean

DEB_DIR ?= .build/deb

run: build
	.build/debug/opencode-ops

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Installs the system packages the console needs to build, when they are missing.
deps:
	@pkg-config --exists ncursesw 2>/dev/null || { \
	    echo "installing libncurses-dev and pkg-config"; \
	    $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libncurses-dev pkg-config; }

# The release build with the Swift runtime linked in needs curl's headers and archives
# (FoundationNetworking's static archive refers to them).
deb-deps: deps
	@pkg-config --exists libcurl 2>/dev/null || { \
	    echo "installing libcurl4-openssl-dev"; \
	    $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libcurl4-openssl-dev; }

# A Debian package for machines without Swift: the static-stdlib release binary, themes, shell
# completions and the man page (packaging/deb/). Written to $(DEB_DIR).
deb: deb-deps
	$(SWIFT) build -c release --static-swift-stdlib --product opencode-ops
	bash packaging/deb/build-deb.sh "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/opencode-ops" $(DEB_DIR)

# Installs what the tests need (podman, runc, rclone, redis, tmux, test images); idempotent.
test-setup:
	bash Tests/setup-all.sh

test: test-setup build
	bash Tests/run-all.sh

# The whole suite with two CPU-bound processes beside it: no test may depend on an idle machine.
test-under-load: test-setup build
	OPS_TEST_LOAD=2 bash Tests/run-all.sh

# Rewrites the golden screens after an intended change to a view; review the diff.
goldens:
	UPDATE_GOLDENS=1 $(SWIFT) test --filter OpsUITests

bench: build
	bash Tests/bench/console.sh

install: release
	install -D -m 0755 .build/release/opencode-ops $(DESTDIR)$(PREFIX)/bin/opencode-ops
	mkdir -p $(DESTDIR)$(PREFIX)/share/opencode-ops/themes
	install -m 0644 themes/*.yaml $(DESTDIR)$(PREFIX)/share/opencode-ops/themes/

clean:
	rm -rf .build
