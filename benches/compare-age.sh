#!/usr/bin/env bash
# `okuri pack` against the age command-line tools on the same files, in one run: Debian's Go
# `age -p`, and `rage -p` (the Rust CLI over the same `age` crate okuri uses; install it for
# the benchmark with `cargo install rage --locked`, it is not a dependency of okuri).
#
#   - 1 GiB of random data to a tmpfs (/dev/shm): the CPU alone;
#   - the same to this disk, durable: age and rage followed by `sync FILE` of their output,
#     okuri as it is (it fsyncs the package before it reports success), its home (the record)
#     on the same disk;
#   - 1 KiB to the tmpfs: scrypt dominates, everything else must be negligible;
#   - okuri's peak RSS at 64 MiB and at the full size (flat: scrypt's 256 MiB and buffers).
#
# Every cell is the median of RUNS runs (default 5), the tools interleaved run by run, since
# scrypt alone varies by a third on this machine; the ratios are of the medians. Every run
# starts with nothing of the runs before it left to write back (a `sync` between runs).
#
# Usage: bash benches/compare-age.sh [--write] [MiB] [RUNS]
#   --write   also put the tables into docs/benchmarks.md (between the compare-age markers)
# Needs: age, expect, time (Debian packages), and rage for its column.
set -euo pipefail
cd "$(dirname "$0")/.."
write=false
if [ "${1:-}" = --write ]; then write=true; shift; fi
mib=${1:-1024}
runs=${2:-5}
for tool in age expect /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y age expect time" >&2; exit 1; }
done
have_rage=false
if command -v rage >/dev/null; then have_rage=true; else
  echo "rage not found: its column is left out (cargo install rage --locked)" >&2
fi
cargo build --release --quiet
okuri=$PWD/target/release/okuri
shm=$(mktemp -d /dev/shm/okuri-bench.XXXXXX)
mkdir -p target
disk=$(mktemp -d "$PWD/target/okuri-bench.XXXXXX")
trap 'rm -rf "$shm" "$disk"' EXIT
# Each place has its own okuri home, so that on disk the record's fsyncs are on disk too.
for home in "$shm/home" "$disk/home"; do
  OKURI_HOME=$home "$okuri" init --id bench --name Bench --department Bench >/dev/null
done
export OKURI_HOME=$shm/home
# The samples are class III by an officer's signed designation, as in real use.
echo "bench officer passphrase" >"$shm/pass"
chmod 600 "$shm/pass"
"$okuri" keygen --id officer --role officer --out "$shm/officer" --key-passphrase-file "$shm/pass" >/dev/null
{ "$okuri" policy default
  printf '[[officer]]\nid = "officer"\nname = "B"\ndepartment = "Bench"\nclasses = ["III"]\ndepartments = ["Bench"]\nkeys = [{ key = "%s" }]\n' "$(cat "$shm/officer.pub")"
} >"$shm/policy.toml"
export OKURI_POLICY=$shm/policy.toml
sample() { # DIR NAME BYTES
  head -c "$3" /dev/urandom >"$1/$2"
  OKURI_HOME=$1/home "$okuri" label "$1/$2" --class III --key "$shm/officer" \
    --key-passphrase-file "$shm/pass" >/dev/null
}
sample "$shm" big.bin $((mib << 20))
sample "$disk" big.bin $((mib << 20))
sample "$shm" small.bin 1024
sample "$shm" mid.bin $((64 << 20))
pass=1234-5678-9012-3456-7890-1234-5678-9012

# Each prints "seconds max_rss_kib" for one run. DIR is where the output goes, FILE the input.
okuri_pack() { # DIR FILE
  rm -rf "$1/out" "$1/slips"; mkdir -p "$1/out" "$1/slips"; sync
  OKURI_HOME=$1/home /usr/bin/time -f '%e %M' -o "$1/t" "$okuri" pack "$2" --to Bench \
    --channel email --out "$1/out" --slip "$1/slips/s" >/dev/null
  cat "$1/t"
}
# age and rage read the passphrase from their terminal, so expect types it (age asks twice;
# rage asks once, through pinentry where one is installed); /usr/bin/time runs inside the
# terminal, so that it measures the tool (and `sync FILE`), not expect.
by_terminal() { # DIR FILE SYNC TOOL CONFIRM
  local cmd="$4 -p -o $1/p.age $2"
  [ "$3" = sync ] && cmd="$cmd && sync $1/p.age"
  rm -f "$1/p.age"; sync
  expect -c "log_user 0; set timeout 300
    spawn /usr/bin/time -f {%e %M} -o $1/t sh -c {$cmd}
    expect -nocase passphrase; send -- \"$pass\r\"
    $5
    expect eof"
  cat "$1/t"
}
age_p() { by_terminal "$1" "$2" "${3:-}" age "expect -nocase confirm; send -- \"$pass\r\""; }
rage_p() { by_terminal "$1" "$2" "${3:-}" rage ""; }

results=$shm/results
: >"$results"
note() { echo "$1 $2 $3" >>"$results"; } # SCENARIO TOOL "seconds rss"
for r in $(seq 1 "$runs"); do
  echo "run $r of $runs" >&2
  note shm okuri "$(okuri_pack "$shm" "$shm/big.bin")"
  note shm age "$(age_p "$shm" "$shm/big.bin")"
  $have_rage && note shm rage "$(rage_p "$shm" "$shm/big.bin")"
  note disk okuri "$(okuri_pack "$disk" "$disk/big.bin")"
  note disk age "$(age_p "$disk" "$disk/big.bin" sync)"
  $have_rage && note disk rage "$(rage_p "$disk" "$disk/big.bin" sync)"
  note small okuri "$(okuri_pack "$shm" "$shm/small.bin")"
  note small age "$(age_p "$shm" "$shm/small.bin")"
  $have_rage && note small rage "$(rage_p "$shm" "$shm/small.bin")"
  note mid okuri "$(okuri_pack "$shm" "$shm/mid.bin")"
done

median() { awk -v s="$1" -v t="$2" '$1 == s && $2 == t { print $3 }' "$results" | sort -g |
  awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
peak() { awk -v s="$1" -v t="$2" '$1 == s && $2 == t && $4 > m { m = $4 } END { printf "%.0f", m / 1024 }' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
# The median, and the fastest and slowest run in small type.
cell() {
  local m; m=$(median "$1" "$2")
  [ "$m" = - ] && { echo -; return; }
  echo "$(secs "$m") <sub>$(awk -v s="$1" -v t="$2" '$1 == s && $2 == t { print $3 }' "$results" | sort -g |
    sed -n '1p;$p' | paste -sd' ' | awk '{ printf "%.2f–%.2f", $1, $2 }')</sub>"
}
secs() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else if (a < 0.1) printf "%.3f s", a; else printf "%.2f s", a }'; }

size=$([ "$mib" -ge 1024 ] && echo "$((mib / 1024)) GiB" || echo "$mib MiB")
table() {
  echo "| $size of random data; median of $runs interleaved runs | okuri pack | Go \`age -p\` | \`rage -p\` | okuri ÷ age | okuri ÷ rage |"
  echo "|---|---|---|---|---|---|"
  for s in shm disk small; do
    case $s in
      shm) name="$size to a tmpfs (/dev/shm), CPU only" ;;
      disk) name="$size to disk, durable (age, rage: then \`sync FILE\`)" ;;
      small) name="1 KiB to a tmpfs (scrypt dominates)" ;;
    esac
    o=$(median $s okuri) a=$(median $s age) g=$(median $s rage)
    echo "| $name | $(cell $s okuri) | $(cell $s age) | $(cell $s rage) | $(ratio "$o" "$a") | $(ratio "$o" "$g") |"
  done
  echo
  echo "okuri's peak RSS: $(peak mid okuri) MiB at 64 MiB, $(peak shm okuri) MiB at $size (Go age: $(peak shm age) MiB$($have_rage && echo ", rage: $(peak shm rage) MiB"))."
}
machine() {
  echo "Measured $(date -u +%Y-%m-%d) by \`bash benches/compare-age.sh --write\` at okuri $(git rev-parse --short HEAD 2>/dev/null || echo '?'):"
  echo "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
  echo "Linux $(uname -r), disk: $(findmnt -no FSTYPE -T "$disk") on $(findmnt -no SOURCE -T "$disk");"
  echo "Go age $(age --version), $($have_rage && rage --version || echo 'rage not installed'); okuri release build."
}
out=$(machine; echo; table)
echo "$out"
if $write; then
  doc=docs/benchmarks.md
  python3 - "$doc" "$out" <<'PY'
import sys
path, body = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
begin, end = "<!-- compare-age: begin -->", "<!-- compare-age: end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(path, "w", encoding="utf-8").write(text[:a] + "\n" + body + "\n" + text[b:])
PY
  echo "written to $doc" >&2
fi
