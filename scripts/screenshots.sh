#!/usr/bin/env bash
# Refreshes the console's screenshots in docs/console/ (shown by docs/console.md and the
# README): runs the browser tests, which save every page under target/tmp/console-screenshots/,
# and copies the few the docs show. Needs chromium, chromium-driver and a Japanese font
# (scripts/test.sh installs them). CI never compares images.
# Usage: bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The times on the pages in Japan, as staff see them.
export TZ=Asia/Tokyo
shots=target/tmp/console-screenshots
rm -rf "$shots"
cargo test --locked --features test-hooks --test console -- a_custodian_approves_and_denies_in_the_browser
mkdir -p docs/console
for page in queue request sign mine-en; do
  cp "$shots/$page.png" "docs/console/$page.png"
done
echo "docs/console/: $(ls docs/console | tr '\n' ' ')"
