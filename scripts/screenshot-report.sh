#!/usr/bin/env bash
# Renders a report.html in headless Chromium, saves a 1280x2400 screenshot, and fails when
# the browser console shows a message (report.html runs no script, so any message is an
# error) or when the page loads a file. Chromium does not log failed file loads to stderr,
# so the script looks for src= attributes, <link> and <script> in the HTML instead.
# Needs Debian's chromium (apt-get install chromium). A manual check, not part of CI.
# Usage: scripts/screenshot-report.sh REPORT.html OUT.png
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 REPORT.html OUT.png" >&2
    exit 2
fi
report=$(realpath "$1")
output=$(realpath -m "$2")
[ -f "$report" ] || { echo "error: $1 not found; give the report.html of a reram-emu run" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: chromium not found; install it with apt-get install chromium" >&2; exit 2; }

external=$(grep -noE '<script|<link|<img|<iframe| src=' "$report" || true)
if [ -n "$external" ]; then
    echo "$external" >&2
    echo "error: $1 loads files or runs scripts at the lines above; report.html must be self-contained" >&2
    exit 1
fi

log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$profile"' EXIT
rm -f "$output"
"$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 --window-size=1280,2400 --screenshot="$output" \
    "file://$report" 2>"$log" || { cat "$log" >&2; echo "error: chromium failed" >&2; exit 1; }

[ -s "$output" ] || { cat "$log" >&2; echo "error: chromium wrote no screenshot to $output" >&2; exit 1; }
# Chromium (version 156 from Debian 12) logs each console message of the page as a line
# with "CONSOLE".
console=$(grep -E 'CONSOLE|Uncaught' "$log" || true)
if [ -n "$console" ]; then
    echo "$console" >&2
    echo "error: the browser console shows the messages above" >&2
    exit 1
fi
echo "wrote $output; the console shows no errors"
