# The two commands: `make run` and `make check`. Both install missing Debian
# packages first, then build with meson in ./build.

BUILDDIR ?= build
MESON_OPTS ?= -Dbuildtype=debugoptimized

.PHONY: all deps build run check bench fuzz clean

all: build

deps:
	@build-aux/ensure-deps.sh

$(BUILDDIR)/build.ninja: | deps
	@meson setup $(BUILDDIR) $(MESON_OPTS) >$(BUILDDIR).setup.log 2>&1 || \
	  { cat $(BUILDDIR).setup.log; rm -rf $(BUILDDIR); exit 1; }
	@rm -f $(BUILDDIR).setup.log

build: deps $(BUILDDIR)/build.ninja
	@ninja -C $(BUILDDIR) --quiet

run: build
	@$(BUILDDIR)/src/app/gloss $(ARGS)

check: build
	@meson test -C $(BUILDDIR) --print-errorlogs $(TESTS)

clean:
	rm -rf $(BUILDDIR)
