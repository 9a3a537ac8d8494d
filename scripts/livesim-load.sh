#!/usr/bin/env bash
# Load on loopback: a livesim service on a fresh store, one client posting 200-row JSON batches for
# DURATION seconds (default 60), then rows acknowledged against rows in the store, rows/s and the
# p50/p99 request latency. Each request is one wafer's sites (H and V lines), so the service also
# estimates a wafer and reruns the layer's charts per request, beside the ingest.
# Usage: scripts/livesim-load.sh [DURATION] [BATCH] [STUDY_DIR (default out/quick)]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60}; batch=${2:-200}; study=${3:-out/quick}
[ -f "$study/manifest.json" ] || { echo "error: STUDY_DIR = $study is not a study folder; allowed: a finished study (newtsim study --quick --out out/quick)" >&2; exit 2; }
bin=.build/release/newtsim
[ -x "$bin" ] || { echo "error: $bin not found; allowed: build it first (swift build -c release)" >&2; exit 2; }
work=$(mktemp -d); trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "load-test-token-0001" > "$work/token"
"$bin" livesim serve --model "$study" --db "$work/live.sqlite" --port 0 --token-file "$work/token" 2> "$work/log" &
pid=$!
for _ in $(seq 50); do grep -q "serving" "$work/log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/log" | head -1)
python3 - "$port" "$duration" "$batch" "$work/live.sqlite" <<'PY'
import http.client, json, sqlite3, sys, time
port, dur, batch, db = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", port)
hdr = {"Authorization": "Bearer load-test-token-0001", "Content-Type": "application/json"}
acked, lat, k, t0 = 0, [], 0, time.time()
while time.time() - t0 < dur:
    rows = [{"lot": "L%05d" % (k // 25), "wafer": "W%02d" % (k % 25), "die": str(i // 10), "site_x_mm": float(i % 10), "site_y_mm": 1.0,
             "layer": "M2", "tool": "T1", "reticle": "R1", "time": "2026-12-04T10:00:00Z", "dose_mj_cm2": 30.0, "focus_nm": 0.0,
             "orientation": "HV"[i % 2], "cd_nm": 14.0 + 0.01 * (i % 7), "ler_nm": 6.5, "lwr_nm": 4.2} for i in range(batch)]
    s = time.time()
    c.request("POST", "/api/v1/measurements", json.dumps(rows), hdr)
    r = c.getresponse(); d = json.loads(r.read())
    assert r.status == 200, d
    lat.append(time.time() - s); acked += d["inserted"]; k += 1
el = time.time() - t0; lat.sort()
stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM measurement").fetchone()[0]
print(f"{acked} rows acknowledged in {el:.1f} s: {acked / el:.0f} rows/s over {k} requests of {batch} rows; "
      f"latency p50 {lat[len(lat) // 2] * 1e3:.1f} ms, p99 {lat[int(len(lat) * 0.99)] * 1e3:.1f} ms; "
      f"rows in the store {stored} ({'none lost' if stored == acked else 'MISMATCH'})")
time.sleep(2)
c.request("GET", "/api/v1/state"); st = json.loads(c.getresponse().read())
print(f"analysis: {st['passes']} passes, {sum(l['wafers'] for l in st['layers'])} wafers charted")
sys.exit(0 if stored == acked else 1)
PY
