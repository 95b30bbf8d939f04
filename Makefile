# The two commands: `make run` and `make check`. Both install missing Debian
# packages first, then build with meson.
#
#   make run          build and start Gloss on its built-in glossary
#   make check        every test: the normal build, the same suite under
#                     AddressSanitizer and UBSan, and a short run of each fuzzer
#   make check-quick  the normal build's tests only
#   make bench        the search, load and app benchmarks (prints tables)
#   make fuzz         each fuzzer for FUZZ_SECONDS (default 60)
#   make valgrind     every test program under valgrind memcheck

BUILDDIR ?= build
ASANDIR ?= build-asan
MESON_OPTS ?= -Dbuildtype=debugoptimized
FUZZ_SECONDS ?= 60
FUZZERS = load markdown link search cache

SANITIZER_ENV = \
	G_SLICE=always-malloc \
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	GDK_DEBUG=gl-disable

.PHONY: all deps build run check check-quick check-asan bench fuzz valgrind clean

all: build

deps:
	@build-aux/ensure-deps.sh

$(BUILDDIR)/build.ninja: | deps
	@meson setup $(BUILDDIR) $(MESON_OPTS) >$(BUILDDIR).setup.log 2>&1 || \
	  { cat $(BUILDDIR).setup.log; rm -rf $(BUILDDIR); exit 1; }
	@rm -f $(BUILDDIR).setup.log

# clang builds the sanitized tree, so the same build also has the fuzzers.
$(ASANDIR)/build.ninja: | deps
	@CC=clang meson setup $(ASANDIR) -Dbuildtype=debug -Db_sanitize=address,undefined \
	  -Db_lundef=false -Dfuzzing=true >$(ASANDIR).setup.log 2>&1 || \
	  { cat $(ASANDIR).setup.log; rm -rf $(ASANDIR); exit 1; }
	@rm -f $(ASANDIR).setup.log

build: deps $(BUILDDIR)/build.ninja
	@ninja -C $(BUILDDIR) --quiet

run: build
	@GSETTINGS_SCHEMA_DIR=$(CURDIR)/$(BUILDDIR)/data $(BUILDDIR)/src/app/gloss $(ARGS)

check-quick: build
	@meson test -C $(BUILDDIR) --print-errorlogs $(TESTS)

check-asan: deps $(ASANDIR)/build.ninja
	@ninja -C $(ASANDIR) --quiet
	@$(SANITIZER_ENV) meson test -C $(ASANDIR) --print-errorlogs --timeout-multiplier 4 $(TESTS)

check: check-quick check-asan
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

fuzz: deps $(ASANDIR)/build.ninja
	@ninja -C $(ASANDIR) --quiet
	@for t in $(FUZZERS); do \
	  mkdir -p $(ASANDIR)/corpus-$$t && \
	  echo "fuzz-$$t: $(FUZZ_SECONDS) s" && \
	  $(SANITIZER_ENV) $(ASANDIR)/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	    -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 \
	    $(ASANDIR)/corpus-$$t fuzz/corpus/$$t 2>$(ASANDIR)/fuzz-$$t.log || \
	    { tail -60 $(ASANDIR)/fuzz-$$t.log; exit 1; }; \
	  grep -E "stat::number_of_executed_units|Done" $(ASANDIR)/fuzz-$$t.log | tail -1; \
	done

bench: build
	@mkdir -p $(BUILDDIR)/bench-data
	@for n in 1000 10000 100000; do \
	  test -f $(BUILDDIR)/bench-data/bundle-$$n.json || \
	    $(BUILDDIR)/bench/gloss-gen-bundle --seed 1 $$n $(BUILDDIR)/bench-data/bundle-$$n.json; \
	done
	@$(BUILDDIR)/bench/gloss-bench-search $(BUILDDIR)/bench-data/bundle-1000.json \
	  $(BUILDDIR)/bench-data/bundle-10000.json $(BUILDDIR)/bench-data/bundle-100000.json
	@GSK_RENDERER=cairo xvfb-run -a $(BUILDDIR)/bench/gloss-bench-render
	@bench/gloss-bench-app.py $(BUILDDIR)

# Memcheck on every test program (and, through them, gloss-cli and the app):
# tests/run-test.sh puts GLOSS_TEST_WRAPPER in front of each program, inside
# its virtual display for the widget tests. A definite leak or a memory
# error fails the test. The other checks (the JSON Schema's, the desktop
# files', the translations') run as usual.
VALGRIND_SUPPRESSIONS = $(wildcard /usr/share/glib-2.0/valgrind/glib.supp \
	/usr/share/gtk-4.0/valgrind/gtk.supp) $(CURDIR)/tests/valgrind.supp
VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --num-callers=40 \
	$(addprefix --suppressions=,$(VALGRIND_SUPPRESSIONS))

valgrind: build
	@G_SLICE=always-malloc GDK_DEBUG=gl-disable GLOSS_TEST_WRAPPER='$(VALGRIND)' \
	  meson test -C $(BUILDDIR) --print-errorlogs --timeout-multiplier 20 $(TESTS)

clean:
	rm -rf $(BUILDDIR) $(ASANDIR)
