#!/bin/sh
# Runs one test program: run-test.sh [--display] PROGRAM ARGS...
#
# --display gives the program a virtual X display of its own (the widget
# tests). When GLOSS_TEST_WRAPPER is set (`make valgrind` puts valgrind and
# its options there), the program runs inside it, within the display: the
# tool sees the test process itself, not xvfb-run's shell. The wrapper is
# split on spaces, without globbing.
set -euf

if [ "${1:-}" = --display ]; then
  shift
  # shellcheck disable=SC2086
  exec xvfb-run -a -s '-screen 0 1280x1024x24' ${GLOSS_TEST_WRAPPER:-} "$@"
fi

# shellcheck disable=SC2086
exec ${GLOSS_TEST_WRAPPER:-} "$@"
