#!/usr/bin/env bash
# okuri demo: a day at Kameoka City with the embedded default rules (policy.toml).
# The CISO (最高情報統括責任者) makes two keys, installs them as the city's trust anchor and signs
# the city's documents — the rules, the trust list, the service's address — and an
# administrator and a custodian sign the staff directory and the registers (as root; without
# root the demo runs in development mode and says so); a permissive policy of the staff
# member's own is refused. The approval service (okuri-approvald, on loopback) runs under the
# same signed documents; an information officer designates classes; a staff member
# packs a class III file, meets the refusals the standard demands, and submits requests to the
# service; a custodian in another room lists and approves them there; the approved class II and
# class I packages go out, each token consumed at the service; a second use is refused; the
# recipient decrypts with Debian's Go `age`; the auditor checks a token with `ssh-keygen`, the
# record with `b3sum` — neither with okuri — and against the service's witnessed head.
#
# Usage: bash scripts/demo.sh   (installs age, expect, b3sum and ssh-keygen with apt-get if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
need=()
for t in age expect b3sum ssh-keygen; do command -v "$t" >/dev/null || need+=("$t"); done
if ((${#need[@]})); then
  echo "== installing ${need[*]} (apt-get)"
  pkgs=("${need[@]/ssh-keygen/openssh-client}")
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
# Everything the demo runs is built here, up front: the release binaries, and (as root, for the
# removable-media step) a test build of okuri whose sysfs hook presents a loop device as a USB
# stick. On two cores the first build takes about four minutes, the second about three.
echo "== building okuri and okuri-approvald (release; about 4 minutes on 2 cores the first time)"
cargo build --release --locked --quiet
if [ "$(id -u)" = 0 ]; then
  echo "== building the test build of okuri for the removable-media step (about 3 minutes the first time)"
  cargo build --locked --quiet --features test-hooks --bin okuri
fi
okuri() { "$PWD/target/release/okuri" "$@"; }
approvald=$PWD/target/release/okuri-approvald

work=$(mktemp -d /tmp/okuri-demo.XXXXXX)
export OKURI_HOME=$work/staff
mkdir -p "$work/files" "$work/slips" "$work/recipient" "$work/keys" "$work/exchange"
# Bold headings on a terminal only: no escape codes in a log or a pipe.
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
try() { # runs an okuri command that policy should refuse, and shows the exit code
  set +e; okuri "$@"; rc=$?; set -e
  echo "-> exit code $rc"
}
# Each person's key passphrase. In real use it is typed at the prompt and never stored.
umask 077
echo "demo passphrase of the officer" >"$work/keys/officer.pass"
echo "demo passphrase of the custodian" >"$work/keys/custodian.pass"
echo "demo passphrase of the staff member" >"$work/keys/staff.pass"
echo "demo passphrase of the CISO" >"$work/keys/ciso.pass"
echo "demo passphrase of the administrator" >"$work/keys/admin.pass"
umask 022
# The city's documents live in the system directory (/etc/okuri); the demo uses its own
# (OKURI_SYSTEM_DIR, which okuri honours only for root) and never touches the machine's.
city=$work/etc
signed=$([ "$(id -u)" = 0 ] && echo yes || echo no)
sign() { # KIND SIGNER PASSFILE: signs $city/KIND.toml
  okuri sign "$1" "$city/$1.toml" --key "$work/keys/$2" --key-passphrase-file "$work/keys/$3"
}

say "1. 鍵の作成 / keys for the information officer (情報責任者) and the custodian (情報資産管理責任者)"
okuri --home "$work/officer" keygen --id tanaka.ichiro --role officer \
  --out "$work/keys/tanaka.ichiro" --key-passphrase-file "$work/keys/officer.pass"
okuri --home "$work/custodian" keygen --id suzuki.hanako --role custodian \
  --out "$work/keys/suzuki.hanako" --key-passphrase-file "$work/keys/custodian.pass"
echo "the CISO (最高情報統括責任者), two keys so that one can replace the other, and the administrator of the staff directory:"
for k in ciso.1:ciso:ciso ciso.2:ciso:ciso kanri.admin:administrator:admin; do
  IFS=: read -r id role pass <<<"$k"
  okuri --home "$work/ciso" keygen --id "$id" --role "$role" --out "$work/keys/$id" \
    --key-passphrase-file "$work/keys/$pass.pass" | tail -n 1
done

say "2. 市の署名済み文書 / the city's signed documents: rules, trust list, service address, recipient register"
port=$((20000 + RANDOM % 20000))
mkdir -p "$city"
header=$'serial = 1\nvalid_until = 2099-03-31\n'
{ printf '%s' "$header"; okuri policy default; } >"$city/rules.toml"
service_body=$(printf '[service]\nurl = "http://127.0.0.1:%s"\n' "$port")
printf '%s%s\n' "$header" "$service_body" >"$city/service.toml"
trust_body=$(cat <<EOF
[[custodian]]
id = "suzuki.hanako"
name = "鈴木 花子"
department = "総務課"
classes = ["I", "II"]
departments = ["総務課"]
keys = [{ key = "$(cat "$work/keys/suzuki.hanako.pub")", valid_after = 2026-04-01, valid_before = 2099-04-01 }]

[[officer]]
id = "tanaka.ichiro"
name = "田中 一郎"
department = "総務部"
classes = ["I", "II", "III"]
departments = ["総務課"]
keys = [{ key = "$(cat "$work/keys/tanaka.ichiro.pub")" }]

[[administrator]]
id = "kanri.admin"
name = "管理 花子"
department = "情報政策課"
keys = [{ key = "$(cat "$work/keys/kanri.admin.pub")" }]
EOF
)
printf '%s\n%s\n' "$header" "$trust_body" >"$city/trust.toml"
{ printf '%s' "$header"; cat <<'EOF'; } >"$city/recipients.toml"
version = 1

[[recipient]]
id = "kameoka-print"
name = "株式会社亀岡印刷"
contract = "亀総契第2026-0123号"
classes = ["II", "III"]
channels = ["email", "hand", "media"]
agreement_ends = 2099-03-31
[recipient.slip]
method = "phone"
phone = "0771-22-0000"
contact = "印刷 太郎 (営業部)"

[[recipient]]
id = "kyoto-pref"
name = "京都府 税務課"
contract = "地方税法第22条の2に基づく提供"
classes = ["I", "II"]
channels = ["lgwan"]
agreement_ends = 2099-03-31
[recipient.slip]
method = "fax"
fax = "075-000-0000"
contact = "府税務担当"
EOF
printf 'ciso.1 %s\nciso.2 %s\n' "$(cat "$work/keys/ciso.1.pub")" "$(cat "$work/keys/ciso.2.pub")" \
  >"$city/ciso.allowed_signers"
sign rules ciso.1 ciso.pass
sign trust ciso.1 ciso.pass
sign service ciso.1 ciso.pass
sign recipients suzuki.hanako custodian.pass
if [ "$signed" = yes ]; then
  export OKURI_SYSTEM_DIR=$city
  echo "the auditor checks the rules' signature with stock ssh-keygen:"
  ssh-keygen -Y verify -f "$city/ciso.allowed_signers" -I ciso.1 \
    -n okuri-rules@city.kameoka.kyoto.jp -s "$city/rules.toml.sig" <"$city/rules.toml"
else
  # Without root the demo cannot use a system directory of its own: development mode, with
  # the same rules, people and register as plain files.
  echo "not root: development mode (no trust anchor; every record entry says so)"
  mv "$city/ciso.allowed_signers" "$work/ciso.allowed_signers.not-installed"
  { cat "$city/rules.toml"; printf '\n%s\n\n%s\n' "$service_body" "$trust_body"; } >"$work/policy.toml"
  export OKURI_POLICY=$work/policy.toml OKURI_RECIPIENTS=$city/recipients.toml
fi
okuri policy check
okuri policy show | sed -n '1,3p'
okuri recipients list

say "2b. 攻撃: 自作の緩いポリシー / an attack: a permissive policy of the staff member's own"
sed -e 's/= "forbidden"/= "allowed"/' -e 's/= "approval"/= "allowed"/' \
  -e 's/= "legal-basis-and-approval"/= "allowed"/' -e 's/recipient = "registered"/recipient = "any"/' \
  "$city/rules.toml" >"$work/mine.toml"
if [ "$signed" = yes ]; then
  OKURI_POLICY=$work/mine.toml try policy show
  [ "$rc" = 2 ] || { echo "a permissive policy of one's own was obeyed" >&2; exit 1; }
  echo "and the city's rules edited after the CISO signed them:"
  cp "$city/rules.toml" "$work/rules.signed"
  sed -i 's/email = "forbidden"/email = "allowed"/' "$city/rules.toml"
  try policy show
  [ "$rc" = 5 ] || { echo "an edited rules file was obeyed" >&2; exit 1; }
  cp "$work/rules.signed" "$city/rules.toml"
else
  echo "skipped: without a trust anchor (not root) okuri obeys whatever policy it is given"
fi

say "3. 職員の初期設定と承認サービスへの登録 / set up the sender and enrol them with the service"
okuri init --id yamada.taro --name "山田 太郎" --department "総務課"
okuri keygen --id yamada.taro --role staff --key-passphrase-file "$work/keys/staff.pass" | tail -n 3
export OKURI_KEY_PASSPHRASE_FILE=$work/keys/staff.pass   # the demo's stand-in for typing it
cat >"$city/staff.toml" <<EOF
${header}version = 1
[[person]]
id = "yamada.taro"
name = "山田 太郎"
department = "総務課"
roles = ["staff"]
keys = ["$(cat "$OKURI_HOME/keys/yamada.taro.pub")"]
EOF
sign staff kanri.admin admin.pass
if [ "$signed" = yes ]; then
  printf 'listen = "127.0.0.1:%s"\ndatabase = "approvald.sqlite"\ncity = "etc"\n' "$port" \
    >"$work/approvald.toml"
else
  printf 'listen = "127.0.0.1:%s"\ndatabase = "approvald.sqlite"\npolicy = "policy.toml"\nrecipients = "etc/recipients.toml"\nstaff = "etc/staff.toml"\n' "$port" \
    >"$work/approvald.toml"
fi
"$approvald" --config "$work/approvald.toml" --check
OKURI_LOG=warn "$approvald" --config "$work/approvald.toml" 2>"$work/approvald.log" &
approvald_pid=$!
trap 'kill $approvald_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening" "$work/approvald.log" && break; sleep 0.1; done
grep "listening" "$work/approvald.log"

say "4. 情報責任者が重要性分類を指定 / the officer designates classes (signed)"
cat >"$work/files/講座案内.txt" <<'TXT'
亀岡市 市民向けデジタル講座のご案内 (公開資料)
TXT
printf '業者選定の内部検討資料\n' >"$work/files/選定検討メモ.txt"
printf '氏名,住所,税額\n亀岡 一郎,亀岡市安町,123400\n' >"$work/files/課税台帳抜粋.csv"
printf '分類を付け忘れたファイル\n' >"$work/files/未分類.txt"
for f in 講座案内.txt:III 選定検討メモ.txt:II 課税台帳抜粋.csv:I; do
  okuri --home "$work/officer" label "$work/files/${f%%:*}" --class "${f##*:}" --department 総務課 \
    --key "$work/keys/tanaka.ichiro" --key-passphrase-file "$work/keys/officer.pass" --store sidecar
done
okuri classify "$work"/files/*.txt "$work"/files/*.csv

say "5. 重要性分類Ⅲ をメールで送る / class III by e-mail: allowed"
okuri pack "$work/files/講座案内.txt" --to kameoka-print --channel email \
  --purpose "講座チラシの印刷" --slip "$work/slips/講座案内.slip.txt"
echo; echo "--- password slip (sent by phone, not with the file) ---"
cat "$work/slips/講座案内.slip.txt"

say "6. 承認なしの重要性分類Ⅱ / class II without the custodian's approval"
try pack "$work/files/選定検討メモ.txt" --to kameoka-print --channel email --slip "$work/slips/memo.txt"

say "7. 重要性分類Ⅰ をメールで / class I by e-mail: never"
try pack "$work/files/課税台帳抜粋.csv" --to kyoto-pref --channel email --slip "$work/slips/tax.txt"

say "8. 法令の根拠のない重要性分類Ⅰ / class I without a legal basis: nobody may even ask"
try request "$work/files/課税台帳抜粋.csv" --to kyoto-pref --channel lgwan --purpose "課税資料の提供" \
  --out "$work/exchange/tax.req"

say "9. 分類のないファイルは重要性分類Ⅰ / an unlabeled file is class I"
try pack "$work/files/未分類.txt" --to kameoka-print --channel email --slip "$work/slips/x.txt"

say "10. 承認サービスへの申請 / the staff member submits requests to the approval service"
request_id() { sed -n 's/.*"request_id": "\(req-[0-9a-f]*\)".*/\1/p'; }
memo_id=$(okuri request "$work/files/選定検討メモ.txt" --to kameoka-print --channel email \
  --purpose "選定結果の共有" --submit --json | request_id)
tax_id=$(okuri request "$work/files/課税台帳抜粋.csv" --to kyoto-pref --channel lgwan \
  --purpose "課税資料の提供" --legal-basis "地方税法第22条の2" --submit --json | request_id)
okuri request status "$memo_id"

say "11. 別室の情報資産管理責任者が一覧し承認 / the custodian, elsewhere, lists and approves"
custodian() {
  OKURI_KEY_PASSPHRASE_FILE=$work/keys/custodian.pass \
    okuri --home "$work/custodian" "$@" --key "$work/keys/suzuki.hanako"
}
custodian approvals list
custodian approve "$memo_id" --expires 48h --out "$work/exchange/memo.token"
custodian approve "$tax_id" --expires 48h
okuri request status "$memo_id"

say "12. 承認済みの送付 (トークンはサービスで使用済みに) / the approved transfers, each token consumed at the service"
okuri pack "$work/files/選定検討メモ.txt" --to kameoka-print --channel email \
  --approval "$memo_id" --slip "$work/slips/選定検討メモ.slip.txt"
okuri pack "$work/files/課税台帳抜粋.csv" --to kyoto-pref --channel lgwan \
  --approval "$tax_id" --slip "$work/slips/課税台帳抜粋.slip.txt"
echo "and the same approval a second time:"
mkdir -p "$work/again"
try pack "$work/files/選定検討メモ.txt" --to kameoka-print --channel email \
  --approval "$memo_id" --out "$work/again" --slip "$work/slips/again.txt"
okuri request status "$memo_id"

say "13. 受信者: 標準の age で復号 / the recipient decrypts with the standard age tool"
for f in 講座案内.txt 選定検討メモ.txt; do
  pkg=$OKURI_HOME/outbox/$f.age
  pass=$(sed -n 's/^Passphrase: //p' "$work/slips/${f%.txt}.slip.txt")
  cp "$pkg" "$work/recipient/"
  expect -c "log_user 0; spawn age -d -o $work/recipient/$f $work/recipient/$f.age; expect -nocase passphrase; send -- \"$pass\r\"; expect eof" >/dev/null
  cmp "$work/recipient/$f" "$work/files/$f" && echo "age -d $f.age: identical to the original"
done

say "13b. 記録媒体 / removable media: register, write, scan, wipe"
if [ "$(id -u)" = 0 ] && command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null; then
  # This machine has no USB stick: a 16 MiB ext4 on a loop device stands in for one, and the
  # test build's sysfs hook presents that loop device as a USB stick (bus, ids, serial); the
  # mount, the filesystem UUID (blkid) and every write are real. (Built at the start.)
  okuri_t() { "$PWD/target/debug/okuri" "$@"; }
  truncate -s 16M "$work/stick.img" && mkfs.ext4 -q -F "$work/stick.img"
  loopdev=$(losetup -f --show "$work/stick.img")
  mkdir -p "$work/stick" && mount "$loopdev" "$work/stick"
  trap 'umount "$work/stick" 2>/dev/null; losetup -d "$loopdev" 2>/dev/null; kill $approvald_pid 2>/dev/null || true' EXIT
  dev=$(stat -c '%d' "$work/stick"); major=$(( (dev >> 8) & 0xfff )); minor=$(( (dev & 0xff) | ((dev >> 12) & ~0xff) ))
  usb=$work/sysfs/devices/pci0000:00/0000:00:14.0/usb1/1-2
  mkdir -p "$usb/1-2:1.0/host6/target6:0:0/6:0:0:0/block/${loopdev##*/}" "$work/sysfs/dev/block"
  echo 0781 >"$usb/idVendor"; echo 5581 >"$usb/idProduct"; echo SanDisk >"$usb/manufacturer"
  echo Ultra >"$usb/product"; echo 4C530001DEMO >"$usb/serial"
  echo 1 >"$usb/1-2:1.0/host6/target6:0:0/6:0:0:0/block/${loopdev##*/}/removable"
  ln -s "$usb/1-2:1.0/host6/target6:0:0/6:0:0:0/block/${loopdev##*/}" "$work/sysfs/dev/block/$major:$minor"
  export OKURI_TEST_SYSFS=$work/sysfs OKURI_TEST_BY_UUID=$work/no-udev
  export OKURI_MEDIA=$work/custodian/media   # the custodians' media register, shared
  OKURI_KEY_PASSPHRASE_FILE=$work/keys/custodian.pass okuri_t --home "$work/custodian" \
    media register "$work/stick" --label USB-01 --key "$work/keys/suzuki.hanako" --json >"$work/stick.json"
  if [ "$signed" = yes ]; then
    # The city's media register, signed by the custodian, is what makes the stick usable.
    medium=$(sed -n 's/.*"medium_id": "\(med-[0-9a-f]*\)".*/\1/p' "$work/stick.json")
    printf '%sversion = 1\n\n[[medium]]\nid = "%s"\nlabel = "USB-01"\n' "$header" "$medium" >"$city/media.toml"
    sign media suzuki.hanako custodian.pass
  fi
  okuri_t --home "$work/custodian" media list
  okuri_t pack "$work/files/講座案内.txt" --to kameoka-print --channel media --out "$work/stick" \
    --slip "$work/slips/講座案内-媒体.slip.txt"
  echo "a plain file copied onto the stick by hand:"
  cp "$work/files/未分類.txt" "$work/stick/"
  set +e; okuri_t media scan "$work/stick"; echo "-> exit code $?"; set -e
  rm "$work/stick/未分類.txt"
  okuri_t media wipe "$work/stick"
  okuri_t --home "$work/custodian" media usbguard-rules
  unset OKURI_TEST_SYSFS OKURI_TEST_BY_UUID
else
  echo "skipped: making and mounting a loop-device filesystem needs root"
fi

say "14. 監査: 承認トークンを ssh-keygen で検証 / the auditor checks a token with stock ssh-keygen"
okuri policy allowed-signers --out "$work/allowed_signers"
(
  cd "$work" && TOKEN=exchange/memo.token
  sed -n '/^-----BEGIN SSH SIGNATURE-----$/,$p' "$TOKEN" > "$TOKEN.sig" && sed '/^-----BEGIN SSH SIGNATURE-----$/,$d' "$TOKEN" | ssh-keygen -Y verify -f allowed_signers -n okuri-approval@city.kameoka.kyoto.jp -s "$TOKEN.sig" -I "$(ssh-keygen -Y find-principals -f allowed_signers -s "$TOKEN.sig")"
)

say "15. 監査: 送付記録 / the auditor: the transfer record, and the service's witness"
okuri record show
okuri record verify --witness
echo "recomputing the chain with b3sum alone (docs/record.md):"
(
  cd "$OKURI_HOME"; prev=$(printf '0%.0s' {1..64}); n=0
  while IFS= read -r line; do
    n=$((n + 1))
    got=$(printf '%s' "$line" | grep -o '"prev":"[0-9a-f]*"' | head -n1 | cut -d'"' -f4)
    [ "$got" = "$prev" ] || { echo "entry $n: chain broken"; exit 1; }
    prev=$(printf '%s\n' "$line" | b3sum --no-names)
  done <record.jsonl
  [ "$(cat record.head)" = "$n $prev" ] && echo "chain OK: $n entries, head matches"
)
echo "the custodian's own record of decisions:"
OKURI_HOME=$work/custodian okuri record show

say "16. 改ざんの検知 / tampering is detected (on a copy)"
cp -a "$OKURI_HOME" "$work/tampered"
# The first refusal rewritten as a transfer that went out: the chain names the entry.
sed -i '0,/"outcome":"refused"/s//"outcome":"packed"/' "$work/tampered/record.jsonl"
set +e; OKURI_HOME=$work/tampered okuri record verify; code=$?; set -e
echo "-> exit code $code"
[ "$code" = 5 ] || { echo "the edit was not detected" >&2; exit 1; }

say "done: everything is in $work"
