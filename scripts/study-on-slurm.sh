#!/usr/bin/env bash
# The study as a chain of Slurm jobs (`newtsim study --scheduler slurm`) on a single-node Slurm
# started here (scripts/slurm-local.sh), beside the same study run locally; the data files of the
# two (CSV, HDF5, TIFF, PNG, SVG, GDSII) must be equal byte for byte.
#
#   bash scripts/study-on-slurm.sh [WORK]      (release build; about 3 minutes on 2 cores)
#   bash scripts/study-on-slurm.sh WORK data/case-study-data.csv
#                                              (with the calibration: its surrogates and validations
#                                              farmed too)
#
# Not part of `make test`: the debug build the tests use runs the quick study's importance
# sampling too slowly for a chain of 11 jobs (the chain's logic is tested in-process by
# Tests/NewtShardTests/FarmStudyTests.swift, a real Slurm array by Tests/CLITests/ShardCLITests.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
work=$(realpath -m "${1:-$(mktemp -d /tmp/newt-study-slurm.XXXXXX)}")
mkdir -p "$work"
swift build -c release --product newtsim >&2
B=$PWD/.build/release/newtsim
bash scripts/slurm-local.sh start "$work/daemons" >/dev/null
trap 'bash scripts/slurm-local.sh stop "$work/daemons"' EXIT
export SLURM_CONF="$work/daemons/slurm.conf"
args=(--quick --trials 4 --set resist.domain.lines=2 --set resist.domain.length_nm=128 --set source.grid_points=11
      --set 'process.focus_list_nm=[0]' --set 'process.lut_dose_list_mj_cm2=[28,32]' --set ensemble.block_trials=2)
[ -z "${2:-}" ] || args+=(--data "$(realpath "$2")")
start=$(date +%s)
"$B" study "${args[@]}" --out "$work/local" >"$work/local.log" 2>&1 &
local_pid=$!
"$B" study "${args[@]}" --out "$work/farm" --scheduler slurm --shards 3 --max-parallel 2
wait "$local_pid"
echo "local study: $(($(date +%s) - start)) s"
while [ ! -f "$work/farm/manifest.json" ]; do
  if [ -z "$(squeue -h)" ] && [ ! -f "$work/farm/manifest.json" ]; then
    echo "the chain stopped without a report; its steps' logs:" >&2
    tail -n 5 "$work"/farm/farm/logs/step-*.out >&2
    exit 1
  fi
  [ $(($(date +%s) - start)) -lt 1200 ] || { echo "timed out" >&2; exit 1; }
  sleep 2
done
echo "farm study: $(($(date +%s) - start)) s, $(ls "$work"/farm/farm/logs/step-*.out | wc -l) steps, $(ls -d "$work"/farm/farm/*-* | wc -l) arrays"
compared=0 differ=0
while IFS= read -r f; do
  compared=$((compared + 1))
  cmp -s "$work/local/$f" "$work/farm/$f" || { echo "differs: $f"; differ=$((differ + 1)); }
done < <(cd "$work/local" && find . -type f \( -name '*.csv' -o -name '*.h5' -o -name '*.tiff' -o -name '*.png' -o -name '*.svg' -o -name '*.gds' \) | sort)
echo "$compared data files compared, $differ differ"
[ "$differ" -eq 0 ] && [ "$compared" -gt 40 ]
