#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the real tools the tests check against
# (Debian's Go age, expect for its passphrase prompt, b3sum for the auditor's record recipe,
# OpenSSH's ssh-keygen for the approval tokens, usbguard-rule-parser for the media rules, and
# the tools to make and mount a loop-device filesystem, PostgreSQL's server, of which the
# service tests start throwaway clusters of their own, and Chromium with its WebDriver and a
# Japanese font for the web console's tests), then format, lint and every test.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "== installing test tools: age expect b3sum openssh-client usbguard e2fsprogs util-linux mount postgresql chromium chromium-driver fonts-ipafont-gothic"
$sudo apt-get update -qq
# usbguard brings usbguard-rule-parser; e2fsprogs, util-linux and mount the loop-device medium;
# postgresql the server (its own cluster is not used: each test binary makes one in /tmp);
# chromium and chromium-driver the browser tests/console.rs drives headless, with a Japanese
# font so that its screenshots show the pages as staff see them.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq age expect b3sum openssh-client \
  usbguard e2fsprogs util-linux mount \
  postgresql procps chromium chromium-driver fonts-ipafont-gothic >/dev/null

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --all-targets --features test-hooks -- -D warnings
echo "== cargo test"
# Every refusal check in the suite notes the code and language it saw; afterwards, every
# refusal code must have been checked in Japanese and in English.
export OKURI_REFUSAL_LOG="$PWD/target/refusal-coverage.log"
rm -f "$OKURI_REFUSAL_LOG"
cargo test --locked --features test-hooks
# A test that cannot run everywhere is #[ignore = "needs root: …"], never a test that returns
# early and passes: as root (CI) those run now; otherwise they are counted and named.
coverage=every_refusal_code_was_checked_in_both_languages
needs_root=$(cargo test --locked --features test-hooks -q -- --ignored --list 2>/dev/null |
  sed -n 's/: test$//p' | grep -vx "$coverage" || true)
if [ "$(id -u)" = 0 ]; then
  echo "== the tests that need root"
  cargo test --locked --features test-hooks -- --ignored --skip "$coverage"
else
  echo "== SKIPPED, not root: $(printf '%s\n' "$needs_root" | grep -c .) tests that need root: $needs_root"
fi
echo "== every refusal code, in Japanese and in English"
cargo test --locked --features test-hooks --test messages -- --ignored --exact every_refusal_code_was_checked_in_both_languages
echo "== the Debian packages: build, lintian, install, check, purge"
OKURI_APT_UPDATED=1 bash scripts/package.sh
