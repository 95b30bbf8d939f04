#!/bin/sh
# Installs the Debian packages Gloss needs to build and test, only when one is
# missing. Quiet and quick when everything is already there.
set -eu

packages="meson ninja-build pkg-config gcc clang libclang-rt-14-dev
libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev
libmd4c-dev gettext desktop-file-utils appstream libxml2-utils python3-jsonschema
xvfb xauth xdotool imagemagick dbus dbus-x11 fonts-cantarell fonts-vlgothic
fonts-wqy-microhei valgrind"

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing="$missing $p"
done

[ -z "$missing" ] && exit 0

echo "Installing missing packages:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
