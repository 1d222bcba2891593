# opencode-ops: `make run` builds and opens the console; `make test` runs every test suite.
SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run build release deps test test-setup goldens bench install clean

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

# Installs what the tests need (podman, runc, rclone, redis, tmux, test images); idempotent.
test-setup:
	bash Tests/setup-all.sh

test: test-setup build
	bash Tests/run-all.sh

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
