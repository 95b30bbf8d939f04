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

"$gloss" --gapplication-service &
pid=$!
gdbus wait --session --timeout 20 "$name" 2>/dev/null

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
  i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
done
if xdotool search --onlyvisible --name "^Tsundere" >/dev/null 2>&1; then
  ok "ActivateResult opens Gloss at that entry"
else
  fail "ActivateResult opens Gloss at that entry" "no window titled Tsundere appeared"
fi

# A glossary searched together with the last one: its results come too,
# named by their glossary, and open in it.
kill $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
printf '%s\n' '{"format": "gloss-bundle", "version": 1, "id": "test.second",' \
  ' "title": "Second Glossary",' \
  ' "entries": [{"id": "tsun", "term": "Tsun", "summary": "The cold half."}]}' \
  >"$tmp/second.gloss.json"
mkdir -p "$tmp/config/glib-2.0/settings"
printf "[io/github/glossapp/Gloss]\ngroup-bundles=['%s']\n" "$tmp/second.gloss.json" \
  >"$tmp/config/glib-2.0/settings/keyfile"
GSETTINGS_BACKEND=keyfile "$gloss" --gapplication-service &
pid=$!
gdbus wait --session --timeout 20 "$name" 2>/dev/null

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
  i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
done
if xdotool search --onlyvisible --name "^Tsun — Second Glossary" >/dev/null 2>&1; then
  ok "ActivateResult opens the entry in its glossary"
else
  fail "ActivateResult opens the entry in its glossary" "no window titled Tsun appeared"
fi

echo "1..$n"
exit $status
