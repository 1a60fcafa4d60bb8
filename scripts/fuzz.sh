#!/usr/bin/env bash
# Fuzzes every parser of outside input (fuzz/, libFuzzer through cargo-fuzz) for SECONDS each,
# two targets at a time (this project's machines have two cores). The stable toolchain has no
# AddressSanitizer: targets are built with `-s none`, so the fuzzer finds panics, aborts,
# overflows and timeouts, not memory errors (there is no unsafe code in okuri's parsers).
# A crash lands in fuzz/artifacts/TARGET/; fix it, then copy it into fuzz/corpus/TARGET/ so
# that tests/fuzz_corpus.rs replays it in every CI run.
# Usage: bash scripts/fuzz.sh [SECONDS [TARGET...]]   (default 180 s, every target; installs
# cargo-fuzz if missing)
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-180}
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo fuzz build -s none -O
if (($#)); then targets=("$@"); else mapfile -t targets < <(cargo fuzz list); fi
status=0
run() { # TARGET: fuzz it on a scratch copy of its corpus, so the committed seeds stay small
  local t=$1 work
  work=$(mktemp -d)
  cp -r "corpus/$t/." "$work/" 2>/dev/null || true
  if cargo fuzz run -s none -O "$t" "$work" -- -max_total_time="$secs" -rss_limit_mb=1024 \
      >"target/fuzz-$t.log" 2>&1; then
    echo "$t: $(grep -o 'Done [0-9]* runs' "target/fuzz-$t.log" | tail -n1), no crash"
  else
    echo "$t: FAILED (see fuzz/target/fuzz-$t.log and fuzz/artifacts/$t/)"
    return 1
  fi
  rm -rf "$work"
}
mkdir -p target
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" & a=$!
  if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & b=$!; else b=; fi
  wait "$a" || status=1
  [ -z "$b" ] || wait "$b" || status=1
done
exit $status
