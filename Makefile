# rivertrace — build, demo and test.  `make demo` and `make test` work on a fresh Debian machine with Swift.
SWIFT      ?= swift
PREFIX     ?= /usr/local
CONFIG     ?= release
APT_PKGS   := libcsv-dev libsqlite3-dev
# The browser tests (slow) print the HTML report with headless Chromium and check its fonts and text.
BROWSER_PKGS := chromium fonts-noto-cjk poppler-utils fontconfig
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DIR   ?= demo-work
# The demo writes report.html, and report.pdf when Chromium is installed (make browser-deps).
DEMO_FORMATS = --format html $(if $(shell command -v chromium chromium-browser google-chrome 2>/dev/null),--format pdf)
BIN         = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path)/rivertrace

.PHONY: deps browser-deps build demo test test-all stress bench bench-micro bench-scale install clean

# Installs the Debian packages named in $(1) that are missing.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "system packages present: $(1)"; fi
endef

## deps: install the system libraries (libcsv, SQLite) with apt-get when missing
deps:
	$(call apt_install,$(APT_PKGS))

## browser-deps: headless Chromium, the CJK fonts and poppler (PDF reports; the browser tests of `make test SLOW=1`)
browser-deps:
	$(call apt_install,$(BROWSER_PKGS))

## build: compile rivertrace ($(CONFIG))
build: deps
	$(SWIFT) build -c $(CONFIG) --product rivertrace

## demo: build, simulate three months of the sample district, ingest it and the hand-made samples, show the store,
##       analyse September (classes, events, trace-backs) and write its reports in Chinese and English
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN) simulate --network data/network --scenario demo --start 2026-07-01 --days 92 --out $(DEMO_DIR)/dumps
	$(BIN) ingest --store $(DEMO_DIR)/rivertrace.sqlite --network data/network data/samples $(DEMO_DIR)/dumps > $(DEMO_DIR)/ingest.log || [ $$? -eq 3 ]
	@tail -n 4 $(DEMO_DIR)/ingest.log
	$(BIN) status --store $(DEMO_DIR)/rivertrace.sqlite --network data/network
	@echo; echo "store: $(DEMO_DIR)/rivertrace.sqlite (rivertrace.toml points here: try '$(BIN) quarantine')"
	@echo "dumps and ground truth: $(DEMO_DIR)/dumps/ ($(DEMO_DIR)/dumps/truth.json); ingest log: $(DEMO_DIR)/ingest.log"
	$(BIN) analyze --store $(DEMO_DIR)/rivertrace.sqlite --network data/network --period 2026-09
	$(BIN) report --store $(DEMO_DIR)/rivertrace.sqlite --network data/network --period 2026-09 --out reports/2026-09 $(DEMO_FORMATS)
	$(BIN) report --store $(DEMO_DIR)/rivertrace.sqlite --network data/network --period 2026-09 --lang en --out reports/2026-09-en $(DEMO_FORMATS)
	@echo; echo "reports: reports/2026-09/report.md (中文), reports/2026-09-en/report.md (English), rivers/*.md, traces/*.md (溯源报告), *.svg"
	@echo "  the same in one file: reports/2026-09/report.html$(if $(findstring pdf,$(DEMO_FORMATS)), and report.pdf, (for report.pdf: make browser-deps, then make demo))"
	@echo "  offline map: reports/2026-09/map.html; GeoJSON for QGIS: reports/2026-09/network.geojson, traces/*.geojson"
	@echo "trace one point: $(BIN) trace LLH-04 --period 2026-09   (score against truth.json: scripts/score-detection.sh)"
	@echo; echo "== the unattended job: an installation in $(DEMO_DIR)/site, the last two days of dumps in its inbox, one run =="
	$(BIN) init $(DEMO_DIR)/site --network-from data/network > /dev/null
	cp $(DEMO_DIR)/dumps/auto/202609/*2026092[89]*.csv $(DEMO_DIR)/site/inbox/ && touch -d '10 minutes ago' $(DEMO_DIR)/site/inbox/*
	$(BIN) run --config $(DEMO_DIR)/site/rivertrace.toml || [ $$? -eq 3 ]
	$(BIN) status --health --config $(DEMO_DIR)/site/rivertrace.toml | head -n 4 || true
	@echo "installation: $(DEMO_DIR)/site (archive/, reports/, alerts/*.md); crontab and systemd: docs/operations.md"

## test: the fast tests, what to run while working; a slow test (tag .slow) is skipped and listed as skipped.
##       `make test SLOW=1` runs every test (what CI runs: .ci/run)
SLOW ?= 0
test: deps
	@if [ "$(SLOW)" != 0 ]; then $(MAKE) --no-print-directory browser-deps; fi
	RIVERTRACE_SLOW_TESTS=$(SLOW) $(SWIFT) test --parallel

## test-all: every test, the slow ones too (the same as make test SLOW=1)
test-all:
	$(MAKE) test SLOW=1

## stress: the long robustness checks, not part of test or test-all (kill -9 loop, 1 GB dump under 200 MiB, fuzzing; docs/robustness.md)
stress: deps
	scripts/stress.sh

## bench: rivertrace side by side with the tools a user would pick instead (DuckDB, polars, pandas, Python csv +
##        sqlite3, pyMannKendall; installed into bench-work/venv, never a dependency) on the same generated files:
##        one table of medians. BENCH_SIZE=small (default) or full, BENCH_RUNS=3 (docs/performance.md, "make bench")
bench: deps
	scripts/bench.sh

## bench-micro: in-process micro benchmarks of the hot paths (ordo-one/benchmark; a package of its own, Benchmarks/Micro)
bench-micro: deps
	cd Benchmarks/Micro && swift package --allow-writing-to-package-directory benchmark --no-progress

## bench-scale: ingest, analyze and report on 1, 3 and 10 simulated years of the district and on one year of ten
##              copies of it (330 points): time and peak memory, and how they grow (docs/performance.md, "Scale").
##              Takes long; SCALE_DAYS=7 BENCH_RUNS=1 make bench-scale is a smoke run
bench-scale: deps
	scripts/bench-scale.sh

## install: copy the release binary to $(PREFIX)/bin
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rivertrace

clean:
	$(SWIFT) package clean
	rm -rf $(DEMO_DIR) reports
