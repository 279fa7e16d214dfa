# assessor — build, run and test.
#
#   make run    assess the bundled samples, 2022 to 2025 in order, into out/ (history in state/)
#   make test   formatting check, go vet, and every test with the race detector

GO      ?= go
BIN     := bin/assessor
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X assessor/internal/cli.version=$(VERSION)
YEARS   ?= 2022 2023 2024 2025
PUBLISHED := samples/history/2021年度评估结果（已公布）.xlsx

comma := ,

.PHONY: build run test vet lint fmt fmt-check tidy-check samples bench fuzz verify-deploy clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/assessor

# The history starts from the published 2021 results; each year then runs from
# the one before. The samples hold a handful of deliberately bad values, so each
# run ends with exit status 1 ("done, some input rejected"): for the demo that
# is success. Running it again replaces the same years with the same results.
run: build
	@./$(BIN) history import "$(PUBLISHED)" --state state --replace --log-level warn
	@for y in $(YEARS); do \
		./$(BIN) run --year $$y --in samples/data --out out --state state --log-level warn; status=$$?; \
		if [ $$status -ne 0 ] && [ $$status -ne 1 ]; then exit $$status; fi; \
	done; \
	echo "exit status 1 above means done: the samples' deliberately bad values are listed in each 问题清单 sheet"

test: fmt-check vet
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

lint: fmt-check vet tidy-check

fmt:
	gofmt -w .

fmt-check:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

tidy-check:
	$(GO) mod tidy
	git diff --exit-code go.mod go.sum

# Regenerate the committed sample workbooks (TestCommittedSamplesAreCurrent
# fails when they drift from the generator).
samples:
	$(GO) run ./cmd/assessor samples --out samples/data --published samples/history

# Benchmarks on generated rosters of each size in BENCH_ROWS (never
# committed; cached under $$TMPDIR/assessor-bench): the sheet reader against
# the stdlib floor and excelize, ingest, assess and a run end to end (Go
# benchmarks, one run each), then `assessor run` against the pandas+openpyxl
# baseline with peak RSS (bench/compare.sh; the baseline needs Debian's
# python3-pandas, and runs up to 100,000 rows).
BENCH_ROWS ?= 10000,100000,1000000
bench: build
	ASSESSOR_BENCH_ROWS=$(BENCH_ROWS) $(GO) test -run '^$$' -bench . -benchmem -benchtime 1x -timeout 3h ./ingest ./internal/job
	ROWS="$(subst $(comma), ,$(BENCH_ROWS))" RUNS=1 sh bench/compare.sh

# Every fuzz target in turn, FUZZTIME each (default 30s; the acceptance runs
# use 10m). Inputs are not minimized: with workbooks for inputs, minimizing
# each new interesting one would take most of the run (2 execs/s instead of
# 500); a failing input is saved under testdata/fuzz as found.
FUZZTIME ?= 30s
FUZZ_TARGETS := ingest:FuzzParseCell ingest:FuzzParseDate ingest:FuzzWorkbook ingest:FuzzSheetXML \
	internal/xlsxin:FuzzSheetXML internal/xlsxin:FuzzGenerated internal/xlsxout:FuzzRowWriter
fuzz:
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; target=$${pt#*:}; echo "== $$pkg $$target"; \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 0 || exit 1; \
	done

# systemd-analyze verify of deploy/'s service and timer (Debian's systemd
# package), the service's ExecStart pointed at the built binary: verify
# checks that the command exists. Any output fails, as verify exits 0 on
# unknown settings.
verify-deploy: build
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	sed 's|/usr/local/bin/assessor|$(abspath $(BIN))|' deploy/assessor.service >"$$tmp/assessor.service"; \
	cp deploy/assessor.timer "$$tmp/"; \
	out=$$(systemd-analyze verify "$$tmp/assessor.service" "$$tmp/assessor.timer" 2>&1); status=$$?; \
	if [ $$status -ne 0 ] || [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	echo "deploy/: the service and the timer pass systemd-analyze verify"

clean:
	rm -rf bin out state
