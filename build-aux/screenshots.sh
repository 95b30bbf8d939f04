#!/bin/sh
# Renders the real window under Xvfb at 1280x800 and 400x800, light and dark,
# into PNGs: `build-aux/screenshots.sh [BUILDDIR] [OUTDIR]`.
# Used for the README and the AppStream metainfo.
set -eu

builddir=$(realpath "${1:-build}")
outdir=${2:-screenshots}
mkdir -p "$outdir"
outdir=$(realpath "$outdir")

config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/gtk-4.0"
printf '[Settings]\ngtk-font-name=Cantarell 11\n' >"$config/gtk-4.0/settings.ini"

shoot () {
  width=$2; height=$3; color_scheme=$4; shift 4
  # The window restores its size from settings: start it at the screen's.
  mkdir -p "$config/glib-2.0/settings"
  printf '[io/github/glossapp/Gloss]\nwindow-width=%s\nwindow-height=%s\n' \
    "$width" "$height" >"$config/glib-2.0/settings/keyfile"
  XDG_CONFIG_HOME="$config" GSETTINGS_BACKEND=keyfile \
  GSETTINGS_SCHEMA_DIR="$builddir/data" GSK_RENDERER=cairo NO_AT_BRIDGE=1 \
  ADW_DEBUG_COLOR_SCHEME="$color_scheme" \
  xvfb-run -a -s "-screen 0 ${width}x${height}x24" sh -c '
    "$0" "$@" &
    pid=$!
    sleep 3
    xdotool mousemove 0 0 >/dev/null 2>&1 || true
    sleep 0.5
    import -window root "$OUT"
    kill $pid
  ' "$builddir/src/app/gloss" "$@"
}

for scheme in light dark; do
  case $scheme in light) s=prefer-light ;; dark) s=prefer-dark ;; esac
  OUT="$outdir/wide-$scheme.png" shoot wide 1280 800 "$s" --entry tsundere
  OUT="$outdir/narrow-$scheme.png" shoot narrow 400 800 "$s" --entry yandere
done

echo "Screenshots in $outdir"
