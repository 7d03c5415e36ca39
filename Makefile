# rivertrace — build, demo and test.  `make demo` and `make test` work on a fresh Debian machine with Swift.
SWIFT      ?= swift
PREFIX     ?= /usr/local
CONFIG     ?= release
APT_PKGS   := libcsv-dev libsqlite3-dev
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DIR   ?= demo-work
BIN         = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path)/rivertrace

.PHONY: deps build demo test install clean

## deps: install the system libraries (libcsv, SQLite) with apt-get when missing
deps:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "system packages present: $(APT_PKGS)"; fi

## build: compile rivertrace ($(CONFIG))
build: deps
	$(SWIFT) build -c $(CONFIG) --product rivertrace

## demo: build, ingest the sample district into a fresh store, show what it holds
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN) ingest --store $(DEMO_DIR)/rivertrace.sqlite --network data/network data/samples || [ $$? -eq 3 ]
	$(BIN) status --store $(DEMO_DIR)/rivertrace.sqlite --network data/network
	@echo; echo "store: $(DEMO_DIR)/rivertrace.sqlite — try: $(BIN) quarantine --store $(DEMO_DIR)/rivertrace.sqlite"

## test: run the whole test suite
test: deps
	$(SWIFT) test --parallel

## install: copy the release binary to $(PREFIX)/bin
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rivertrace

clean:
	$(SWIFT) package clean
	rm -rf $(DEMO_DIR) reports
