#!/bin/sh
# The GNOME Shell search provider, over D-Bus, as the Shell calls it: the
# app runs as a D-Bus service on a private session bus and a private display.
# Usage: test-search-provider.sh GLOSS SCHEMA_DIR
set -eu

gloss=$1
schemas=$2

if [ -z "${GLOSS_PROVIDER_INNER:-}" ]; then
  export GLOSS_PROVIDER_INNER=1
  exec xvfb-run -a -s '-screen 0 1024x768x24' dbus-run-session -- "$0" "$@" 2>/dev/null
fi

tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$schemas" NO_AT_BRIDGE=1 GTK_A11Y=none
export XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config"

name=io.github.glossapp.Gloss
path=/io/github/glossapp/Gloss/SearchProvider
iface=org.gnome.Shell.SearchProvider2

# GLOSS_TEST_WRAPPER (valgrind, under `make valgrind`) runs the app too,
# many times slower; what it reports goes to app.log, shown on failure.
slow=1
[ -z "${GLOSS_TEST_WRAPPER:-}" ] || slow=20
# shellcheck disable=SC2086
${GLOSS_TEST_WRAPPER:-} "$gloss" --gapplication-service 2>"$tmp/app.log" &
pid=$!
gdbus wait --session --timeout $((20 * slow)) "$name" 2>/dev/null

n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
fail () { n=$((n + 1)); echo "not ok $n - $1"; echo "# $2"; status=1; }
status=0

out=$(gdbus call --session --dest "$name" --object-path "$path" \
      --method "$iface.GetInitialResultSet" "['tsun']")
case $out in *"'tsundere'"*) ok "GetInitialResultSet finds tsundere" ;;
  *) fail "GetInitialResultSet finds tsundere" "$out" ;; esac

out=$(gdbus call --session --dest "$name" --object-path "$path" \
      --method "$iface.GetSubsearchResultSet" "['tsundere']" "['tsund']")
case $out in *"'tsundere'"*) ok "GetSubsearchResultSet narrows" ;;
  *) fail "GetSubsearchResultSet narrows" "$out" ;; esac

out=$(gdbus call --session --dest "$name" --object-path "$path" \
      --method "$iface.GetInitialResultSet" "['netorare']")
case $out in *"'netorare'"*|*"'netori'"*|*"'netorase'"*) fail "mature entries are never results" "$out" ;;
  *) ok "mature entries are never results" ;; esac

out=$(gdbus call --session --dest "$name" --object-path "$path" \
      --method "$iface.GetResultMetas" "['tsundere', 'netorare', 'no-such-entry']")
case $out in *"'name': <'Tsundere'>"*"'description': <"*) ok "GetResultMetas gives term and summary" ;;
  *) fail "GetResultMetas gives term and summary" "$out" ;; esac
case $out in *"Netorare"*) fail "GetResultMetas hides mature entries" "$out" ;;
  *) ok "GetResultMetas hides mature entries" ;; esac

gdbus call --session --dest "$name" --object-path "$path" \
  --method "$iface.ActivateResult" "tsundere" "['tsun']" 0 >/dev/null
i=0
until xdotool search --onlyvisible --name "^Tsundere" >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt $((100 * slow)) ] || break; sleep 0.1
done
if xdotool search --onlyvisible --name "^Tsundere" >/dev/null 2>&1; then
  ok "ActivateResult opens Gloss at that entry"
else
  fail "ActivateResult opens Gloss at that entry" "no window titled Tsundere appeared"
fi

# Quits the app as a user would (app.quit), so that it ends on its own and
# a wrapper such as valgrind gets to check it; its exit status says how
# that went.
quit_app () {
  gdbus call --session --dest "$name" --object-path /io/github/glossapp/Gloss \
    --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null
  i=0
  while kill -0 $pid 2>/dev/null; do
    i=$((i + 1)); [ $i -lt $((100 * slow)) ] || break; sleep 0.1
  done
  if kill -0 $pid 2>/dev/null; then
    fail "$1: app.quit ends the app" "still running after $((10 * slow)) s"
  elif wait $pid; then
    ok "$1: app.quit ends the app, exit status 0"
  else
    code=$?
    fail "$1: app.quit ends the app, exit status 0" "exit status $code"
    sed 's/^/# /' "$tmp/app.log"
  fi
}

quit_app "one glossary"

# A glossary searched together with the last one: its results come too,
# named by their glossary, and open in it.
printf '%s\n' '{"format": "gloss-bundle", "version": 1, "id": "test.second",' \
  ' "title": "Second Glossary",' \
  ' "entries": [{"id": "tsun", "term": "Tsun", "summary": "The cold half."}]}' \
  >"$tmp/second.gloss.json"
mkdir -p "$tmp/config/glib-2.0/settings"
printf "[io/github/glossapp/Gloss]\ngroup-bundles=['%s']\n" "$tmp/second.gloss.json" \
  >"$tmp/config/glib-2.0/settings/keyfile"
# shellcheck disable=SC2086
GSETTINGS_BACKEND=keyfile ${GLOSS_TEST_WRAPPER:-} "$gloss" --gapplication-service \
  2>"$tmp/app.log" &
pid=$!
gdbus wait --session --timeout $((20 * slow)) "$name" 2>/dev/null

out=$(gdbus call --session --dest "$name" --object-path "$path" \
      --method "$iface.GetInitialResultSet" "['tsun']")
case $out in *"'tsun@1'"*"'tsundere'"*) ok "the group's results, one ranking from both" ;;
  *) fail "the group's results, one ranking from both" "$out" ;; esac

out=$(gdbus call --session --dest "$name" --object-path "$path" \
      --method "$iface.GetResultMetas" "['tsun@1', 'tsun@7', 'tsun@x']")
case $out in *"'name': <'Tsun'>"*"Second Glossary"*) ok "GetResultMetas names the glossary" ;;
  *) fail "GetResultMetas names the glossary" "$out" ;; esac
case $out in *"'id': <'tsun@7'>"*|*"'id': <'tsun@x'>"*) fail "unknown places give nothing" "$out" ;;
  *) ok "unknown places give nothing" ;; esac

gdbus call --session --dest "$name" --object-path "$path" \
  --method "$iface.ActivateResult" "tsun@1" "['tsun']" 0 >/dev/null
i=0
until xdotool search --onlyvisible --name "^Tsun — Second Glossary" >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt $((100 * slow)) ] || break; sleep 0.1
done
if xdotool search --onlyvisible --name "^Tsun — Second Glossary" >/dev/null 2>&1; then
  ok "ActivateResult opens the entry in its glossary"
else
  fail "ActivateResult opens the entry in its glossary" "no window titled Tsun appeared"
fi

quit_app "a group of glossaries"

echo "1..$n"
exit $status
