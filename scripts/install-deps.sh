#!/usr/bin/env bash
# Installs the Debian -dev packages newtsim links against, if any is missing.
# Uses sudo when not root. Safe to run repeatedly: does nothing when all are present.
#   --slurm    also slurm-wlm and munge, for the single-node Slurm of the sharded-run tests
#              (scripts/slurm-local.sh); .ci/run passes it
#   --browser  also chromium, for the pages looked at headless (scripts/render-report.sh and the
#              livesim dashboard's test, scripts/livesim-dashboard.sh); .ci/run passes it
set -euo pipefail
packages=(libfftw3-dev liblapacke-dev libopenblas-dev libhdf5-dev zlib1g-dev libsqlite3-dev)
for arg in "$@"; do
  case "$arg" in
    --slurm) packages+=(slurm-wlm munge) ;;
    --browser) packages+=(chromium) ;;
    *) echo "install-deps: unknown option $arg (allowed: --slurm, --browser)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"
