#!/usr/bin/env bash
# Looks at livesim's dashboard as a person would: starts `newtsim livesim serve` on the study's model
# (a free loopback port, a fresh store), replays lots with a focus excursion, loads the page in
# headless Chromium, waits for a state pushed over the event stream (body[data-pushes] ≥ 1 and the
# layer's charts drawn), and takes a screenshot.
# Usage: scripts/livesim-dashboard.sh STUDY_DIR [OUT.png] [LOTS]
# Needs a release build (swift build -c release) and Debian's chromium.
set -euo pipefail
study=${1:?usage: livesim-dashboard.sh STUDY_DIR [OUT.png] [LOTS]}
png=${2:-livesim-dashboard.png}
lots=${3:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
newtsim=${NEWTSIM:-$root/.build/release/newtsim}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "error: chromium not found; allowed: install Debian's chromium" >&2; exit 2; }
[ -x "$newtsim" ] || { echo "error: $newtsim not built; run swift build -c release" >&2; exit 2; }
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
echo "dashboard-token-$RANDOM$RANDOM" > "$work/token"
"$newtsim" livesim serve --model "$study" --db "$work/live.sqlite" --port 0 --token-file "$work/token" 2> "$work/serve.log" &
server=$!
port=""
for _ in $(seq 1 200); do
  port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/serve.log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "error: livesim did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
url="http://127.0.0.1:$port"
"$newtsim" livesim replay --model "$study" --lots "$lots" --wafers-per-lot 25 --excursion "focus:+30nm@lot:$lots" --to "$url" --token-file "$work/token"
# ?snapshot=1 closes the stream after the first pushed state, so the headless page settles.
dom=$("$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=8000 --dump-dom "$url/?snapshot=1" 2>/dev/null)
pushes=$(grep -o 'data-pushes="[0-9]*"' <<<"$dom" | tr -dc 0-9)
[ "${pushes:-0}" -ge 1 ] || { echo "error: the page received no pushed state" >&2; exit 1; }
grep -q 'Layer M2' <<<"$dom" || { echo "error: the page drew no layer" >&2; exit 1; }
grep -q '<svg' <<<"$dom" || { echo "error: the page drew no chart" >&2; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1600 --virtual-time-budget=8000 \
  --screenshot="$png" "$url/?snapshot=1" 2>/dev/null
echo "pushed states received: $pushes; wrote $png"
