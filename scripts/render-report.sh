#!/usr/bin/env bash
# Renders an HTML report to a PNG with headless Chromium, to look at it as a reader would.
# Usage: scripts/render-report.sh out/m2-euv/report.html [out.png] [height_px]
# Needs Debian's chromium (apt-get install chromium); not part of the test suite.
set -euo pipefail
html=${1:?usage: render-report.sh REPORT.html [OUT.png] [HEIGHT]}
png=${2:-${html%.html}.png}
height=${3:-4000}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: chromium not found; allowed: install Debian's chromium" >&2; exit 2; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,"$height" \
  --screenshot="$png" "file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")" 2>/dev/null
echo "wrote $png"
