#!/usr/bin/env bash
# Compares `okuri pack` with the `age` CLI on the same file: wall time and peak memory (RSS).
# Usage: bash benches/compare-age.sh [MiB]   (default 256). Needs: age, expect, b3sum, time.
# Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
for tool in age expect b3sum /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y age expect b3sum time" >&2; exit 1; }
done
cargo build --release --quiet
okuri=$PWD/target/release/okuri
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OKURI_HOME=$work/home
"$okuri" init --id bench --name Bench --department Bench >/dev/null
mkdir -p "$work/out" "$work/slips"
head -c $((mib << 20)) /dev/urandom >"$work/sample.bin"
# The sample is class III by an officer's signed designation, as in real use.
echo "bench officer passphrase" >"$work/pass"
"$okuri" keygen --id officer --role officer --out "$work/officer" --key-passphrase-file "$work/pass" >/dev/null
{ "$okuri" policy default
  printf '[[officer]]\nid = "officer"\nname = "B"\ndepartment = "Bench"\nclasses = ["III"]\ndepartments = ["Bench"]\nkeys = [{ key = "%s" }]\n' "$(cat "$work/officer.pub")"
} >"$work/policy.toml"
export OKURI_POLICY=$work/policy.toml
"$okuri" label "$work/sample.bin" --class III --key "$work/officer" --key-passphrase-file "$work/pass" >/dev/null
age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(grep -o 'age1[0-9a-z]*' "$work/key.txt")

# runs a command 3 times; prints "best_seconds max_rss_kib"
measure() {
  local best=999999 rss=0
  for _ in 1 2 3; do
    "$@" "$work/m"
    read -r s k <"$work/m"
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{print (b<a)?b:a}')
    rss=$(( k > rss ? k : rss ))
  done
  echo "$best $rss"
}
timed() { /usr/bin/time -f '%e %M' -o "$1.t" "${@:2}" >/dev/null 2>&1; cp "$1.t" "$1"; }

okuri_pack() {
  rm -f "$work/out/sample.bin.age" "$work/slips/s"
  timed "$1" "$okuri" pack "$work/sample.bin" --to Bench --channel email --out "$work/out" --slip "$work/slips/s" ${ARMOR:-}
}
age_x25519() { timed "$1" age -e -r "$recipient" -o "$work/x.age" "$work/sample.bin"; }
# age reads the passphrase from its terminal, so expect drives it; /usr/bin/time runs inside
# the terminal so that it measures age itself, not expect.
age_pass() {
  rm -f "$work/p.age"
  expect -c "log_user 0; spawn /usr/bin/time -f {%e %M} -o $1 age -p -o $work/p.age $work/sample.bin; expect -nocase passphrase; send -- \"1234-5678-9012-3456-7890-1234-5678-9012\r\"; expect -nocase confirm; send -- \"1234-5678-9012-3456-7890-1234-5678-9012\r\"; expect eof"
}
age_decrypt() {
  pass=$(sed -n 's/^Passphrase: //p' "$work/slips/s")
  expect -c "log_user 0; spawn /usr/bin/time -f {%e %M} -o $1 age -d -o $work/dec.bin $work/out/sample.bin.age; expect -nocase passphrase; send -- \"$pass\r\"; expect eof"
  rm -f "$work/dec.bin"
}
b3() { timed "$1" b3sum --num-threads 1 "$work/sample.bin"; }

row() { read -r s k <<<"$2"; awk -v n="$1" -v s="$s" -v k="$k" -v m="$mib" 'BEGIN{printf "| %s | %.2f s | %.0f MiB/s | %.0f MiB |\n", n, s, m/s, k/1024}'; }
echo "| $mib MiB, $(nproc) cores | best of 3 | throughput | peak RSS |"
echo "|---|---|---|---|"
row "okuri pack (scrypt 2^18 + encrypt + BLAKE3/SHA-256, slip, record)" "$(measure okuri_pack)"
row "okuri pack --armor" "$(ARMOR=--armor measure okuri_pack)"
row "age -p (Go, scrypt 2^18 + encrypt)" "$(measure age_pass)"
row "age -e -r (Go, X25519, no scrypt)" "$(measure age_x25519)"
rm -f "$work/out/sample.bin.age" "$work/slips/s"
"$okuri" pack "$work/sample.bin" --to Bench --channel email --out "$work/out" --slip "$work/slips/s" >/dev/null
row "age -d of an okuri package (Go)" "$(measure age_decrypt)"
row "b3sum --num-threads 1 (hash only)" "$(measure b3)"
