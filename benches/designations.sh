#!/usr/bin/env bash
# `okuri classify` of one file against a designation register of N designations (default
# 100,000), the register kept by digest (designations/<BLAKE3>/). Prints the median of 7 runs
# with the register empty and with it full, and the difference: what the register costs one
# lookup. Usage: bash benches/designations.sh [N] [OKURI_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
okuri=${2:-}
if [ -z "$okuri" ]; then
  cargo build --release --quiet
  okuri=$PWD/target/release/okuri
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OKURI_HOME=$work/home
"$okuri" init --id bench --name Bench --department Bench >/dev/null
echo "a file no one designated" >"$work/sample.txt"

median_ms() {
  local times=()
  for _ in 1 2 3 4 5 6 7; do
    local t0 t1
    t0=$(date +%s%N)
    "$okuri" classify "$work/sample.txt" --json >/dev/null
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 4p | awk '{ printf "%.2f", $1 / 1000 }'
}

empty=$(median_ms)
# N designations of other files, as `okuri label --key` stores them. Their contents do not
# matter to a lookup of another digest; only where they are does.
python3 - "$OKURI_HOME/designations" "$n" <<'PY'
import os, sys, secrets
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root, mode=0o700, exist_ok=True)
open(os.path.join(root, ".by-digest"), "w").close()
for _ in range(n):
    d = secrets.token_hex(32)
    os.mkdir(os.path.join(root, d), 0o700)
    with open(os.path.join(root, d, f"{d}-20261204T120000.okuri-designation"), "w") as f:
        f.write("x")
PY
full=$(median_ms)
echo "| register | classify of one file (median of 7) |"
echo "|---|---|"
echo "| empty | $empty ms |"
echo "| $n designations, by digest | $full ms |"
awk -v a="$empty" -v b="$full" 'BEGIN { printf "| the register'"'"'s cost per lookup | %.2f ms |\n", b - a }'
