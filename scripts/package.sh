#!/usr/bin/env bash
# The Debian packages, built and checked the way a city installs them.
#
# Builds `okuri` and `okuri-approvald` with cargo-deb (release), with the man pages and shell completions generated from the same clap
# definitions as --help; runs lintian on both (errors fail); checks the systemd unit's
# exposure score; then, as root, installs both with apt-get and checks what was installed:
# `okuri --version`, the man pages, bash completion of `okuri pa<TAB>`, `systemd-analyze
# verify` of the installed unit, the service's user and directories, and
# `okuri-approvald --check` on the installed example configuration filled in for a city
# whose documents this script makes and signs with a CISO key, with a certificate it makes.
# A trap purges the packages and removes what the installation and the check made, so that
# the machine is left as it was. Not root: the packages are built and linted, and the
# installation is named as skipped.
#
# Usage: bash scripts/package.sh     (called by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "== installing packaging tools: lintian man-db openssl systemd bash-completion"
[ -n "${OKURI_APT_UPDATED-}" ] || $sudo apt-get update -qq
$sudo apt-get install -y -qq lintian man-db openssl systemd bash-completion >/dev/null
# cargo install skips a version that is already installed.
cargo install --locked --quiet cargo-deb --version 3.8.0

echo "== release build for the packages"
cargo build --release --locked --bins
assets=target/assets
rm -rf "$assets"
mkdir -p "$assets/man" "$assets/completions"
target/release/okuri generate-man "$assets/man"
gzip -9n "$assets"/man/*
target/release/okuri completion bash >"$assets/completions/okuri.bash"
target/release/okuri completion zsh >"$assets/completions/_okuri"
target/release/okuri completion fish >"$assets/completions/okuri.fish"

echo "== cargo deb"
rm -f target/debian/*.deb
# --strip: the release profile keeps line tables for developers' backtraces; the packages
# carry stripped binaries, as Debian's policy asks.
cargo deb --no-build --locked --quiet --strip
cargo deb --no-build --locked --quiet --strip --variant approvald
debs=(target/debian/okuri_*.deb target/debian/okuri-approvald_*.deb)
ls -l "${debs[@]}"

echo "== lintian (errors fail; the warnings kept are explained in packaging/README.md)"
# --suppress-tags: see packaging/README.md, "What lintian says".
lintian --fail-on error --tag-display-limit 0 \
  --suppress-tags-from-file packaging/debian/lintian-accepted "${debs[@]}"

echo "== the unit's exposure (systemd-analyze security --offline; 2.0 or lower)"
exposure=$(systemd-analyze security --offline=true packaging/debian/units/okuri-approvald.service |
  sed -n 's/.*Overall exposure level for okuri-approvald.service: \([0-9.]*\).*/\1/p')
echo "exposure $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }'

if [ "$(id -u)" != 0 ]; then
  echo "== SKIPPED, not root: installing the packages (apt-get install, purge afterwards)"
  exit 0
fi

echo "== installing the packages"
for p in okuri okuri-approvald; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    echo "package $p is already installed on this machine; this check installs and purges it: remove it first" >&2
    exit 1
  fi
done
# A machine that runs a service of its own is not one to test packages on: nothing of it is
# overwritten.
for f in /etc/okuri-approvald/approvald.toml /etc/okuri-approvald/tls/key.pem \
  /var/lib/okuri-approvald/approvald.sqlite /etc/okuri/ciso.allowed_signers; do
  if [ -e "$f" ]; then
    echo "$f exists on this machine; this check would overwrite it: run it on another machine" >&2
    exit 1
  fi
done
had_user=$(getent passwd okuri-approvald || true)
had=()
for d in /etc/okuri /etc/okuri-approvald /var/lib/okuri-approvald; do
  [ -e "$d" ] && had+=("$d")
done
work=$(mktemp -d)
cleanup() {
  status=$?
  apt-get purge -y -qq okuri okuri-approvald >/dev/null 2>&1 || true
  for d in /etc/okuri-approvald /var/lib/okuri-approvald /etc/okuri; do
    case " ${had[*]-} " in *" $d "*) ;; *) rm -rf "$d" ;; esac
  done
  [ -n "$had_user" ] || userdel okuri-approvald 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
# Without recommends (age), so that the purge leaves the machine as it was.
apt-get install -y -qq --no-install-recommends "${debs[@]/#/./}" >/dev/null

echo "== what was installed"
version=$(grep -m1 '^version = "' Cargo.toml | cut -d'"' -f2)
okuri --version | grep -x "okuri $version"
okuri-approvald --version | grep -x "okuri-approvald $version"
for page in okuri okuri-pack okuri-trust-add okuri-media-scan okuri-approvald; do
  man -w "$page"
done
man -w 8 okuri-approvald | grep -q "/man8/okuri-approvald.8.gz"
# Bash completes `okuri pa<TAB>` to pack, with the installed completion.
completed=$(bash -c 'source /usr/share/bash-completion/completions/okuri
  COMP_WORDS=(okuri pa); COMP_CWORD=1; COMP_LINE="okuri pa"; COMP_POINT=8
  _okuri okuri pa okuri; printf "%s\n" "${COMPREPLY[@]}"')
[ "$completed" = "pack" ] || { echo "okuri pa<TAB> completed to: $completed" >&2; exit 1; }
test -s /usr/share/zsh/vendor-completions/_okuri
test -s /usr/share/fish/vendor_completions.d/okuri.fish
for f in rules trust service staff recipients media approvald; do
  test -s "/usr/share/okuri/examples/$f.toml"
done
test -s /usr/share/doc/okuri/README.md
test -s /usr/share/doc/okuri-approvald/service.md
unit=$(systemctl show -P FragmentPath okuri-approvald.service 2>/dev/null || true)
[ -n "$unit" ] || unit=$(dpkg -L okuri-approvald | grep '/systemd/system/okuri-approvald.service$')
# The unit's Documentation= must point at what is installed: verify runs `man` for it.
systemd-analyze verify "$unit"
getent passwd okuri-approvald | grep -q ":/var/lib/okuri-approvald:/usr/sbin/nologin$"
[ "$(stat -c '%U %a' /var/lib/okuri-approvald)" = "okuri-approvald 700" ]
[ "$(stat -c '%U:%G %a' /etc/okuri-approvald/tls)" = "root:okuri-approvald 750" ]
[ "$(stat -c '%U %a' /etc/okuri)" = "root 755" ]

echo "== a city, made with the installed okuri, and okuri-approvald --check on the installed example"
city=$work/city
mkdir -m 0755 "$city"
printf 'a passphrase of the CISO\n' >"$work/pass"
chmod 0600 "$work/pass"
export OKURI_HOME=$work/home
for id in ciso.1 ciso.2; do
  okuri keygen --id "$id" --role ciso --out "$work/$id" --key-passphrase-file "$work/pass" >/dev/null
done
( echo "ciso.1 $(cat "$work/ciso.1.pub")"; echo "ciso.2 $(cat "$work/ciso.2.pub")" ) >"$city/ciso.allowed_signers"
okuri keygen --id kanri.admin --role administrator --out "$work/kanri.admin" \
  --key-passphrase-file "$work/pass" >/dev/null
for kind in rules trust staff; do
  okuri template "$kind" >"$city/$kind.toml"
done
okuri trust add "$city/trust.toml" --role administrator --id kanri.admin --name "管理 花子" \
  --department 情報政策課 --public-key "$work/kanri.admin.pub" --key "$work/ciso.1" \
  --key-passphrase-file "$work/pass" >/dev/null
okuri sign rules "$city/rules.toml" --key "$work/ciso.1" --key-passphrase-file "$work/pass" >/dev/null
okuri sign staff "$city/staff.toml" --key "$work/kanri.admin" --key-passphrase-file "$work/pass" >/dev/null
chmod 0644 "$city"/*
openssl req -x509 -newkey ed25519 -nodes -days 30 -subj "/CN=okuri.city.example.jp" \
  -addext "subjectAltName=DNS:okuri.city.example.jp" \
  -keyout /etc/okuri-approvald/tls/key.pem -out /etc/okuri-approvald/tls/fullchain.pem 2>/dev/null
chgrp okuri-approvald /etc/okuri-approvald/tls/key.pem
chmod 0640 /etc/okuri-approvald/tls/key.pem
sed "s|^city = \"/etc/okuri\"|city = \"$city\"|" /usr/share/okuri/examples/approvald.toml \
  >/etc/okuri-approvald/approvald.toml
grep -q "^city = \"$city\"" /etc/okuri-approvald/approvald.toml
# As the service's own user, the way the unit runs it.
chmod 0755 "$work"
runuser -u okuri-approvald -- okuri-approvald --config /etc/okuri-approvald/approvald.toml --check
test -s /var/lib/okuri-approvald/approvald.sqlite
echo "== packages: built, linted, installed and checked; purged on exit"
