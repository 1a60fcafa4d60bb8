#!/usr/bin/env bash
# okuri demo: one staff member's day on the embedded default policy.
# Labels sample files, packs one per class, shows the refusals the standard demands, decrypts
# the package with Debian's Go `age` as the recipient would, and verifies the record as an
# auditor would (with `b3sum`, not with okuri).
#
# Usage: bash scripts/demo.sh        (installs age, expect and b3sum with apt-get if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for t in age expect b3sum; do command -v "$t" >/dev/null || need+=("$t"); done
if ((${#need[@]})); then
  echo "== installing ${need[*]} (apt-get)"
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "== building okuri (release)"
cargo build --release --locked --quiet
okuri() { "$PWD/target/release/okuri" "$@"; }

work=$(mktemp -d /tmp/okuri-demo.XXXXXX)
export OKURI_HOME=$work/home
mkdir -p "$work/files" "$work/slips" "$work/recipient"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
try() { # runs an okuri command that policy should refuse, and shows the exit code
  set +e; okuri "$@"; rc=$?; set -e
  echo "-> exit code $rc"
}

say "1. 職員の初期設定 / set up the sender"
okuri init --name "山田 太郎" --department "総務課"

say "2. サンプルファイルと重要性分類 / sample files and their classes"
cat >"$work/files/講座案内.txt" <<'TXT'
亀岡市 市民向けデジタル講座のご案内 (公開資料)
TXT
printf '業者選定の内部検討資料\n' >"$work/files/選定検討メモ.txt"
printf '氏名,住所,税額\n亀岡 一郎,亀岡市安町,123400\n' >"$work/files/課税台帳抜粋.csv"
printf '分類を付け忘れたファイル\n' >"$work/files/未分類.txt"
okuri label "$work/files/講座案内.txt" --class III
okuri label "$work/files/選定検討メモ.txt" --class II --store sidecar
okuri label "$work/files/課税台帳抜粋.csv" --class I
okuri classify "$work"/files/*.txt "$work"/files/*.csv

say "3. 重要性分類Ⅲ をメールで送る / class III by e-mail: allowed"
okuri pack "$work/files/講座案内.txt" --to "株式会社亀岡印刷" --channel email \
  --purpose "講座チラシの印刷" --slip "$work/slips/講座案内.slip.txt"
echo; echo "--- password slip (sent by phone/fax, not with the file) ---"
cat "$work/slips/講座案内.slip.txt"

say "4. 重要性分類Ⅱ: 情報資産管理責任者の承認が必要 / class II needs the custodian's approval"
try pack "$work/files/選定検討メモ.txt" --to "株式会社亀岡印刷" --channel email --slip "$work/slips/memo.txt"

say "5. 重要性分類Ⅰ をメールで / class I by e-mail: never"
try pack "$work/files/課税台帳抜粋.csv" --to "京都府" --channel email --slip "$work/slips/tax.txt"

say "6. 重要性分類Ⅰ を LGWAN で、法令の根拠なし / class I over LGWAN without a legal basis"
try pack "$work/files/課税台帳抜粋.csv" --to "京都府" --channel lgwan --slip "$work/slips/tax.txt"

say "7. 分類のないファイルは重要性分類Ⅰ として扱う / an unlabeled file is treated as class I"
try pack "$work/files/未分類.txt" --to "株式会社亀岡印刷" --channel email --slip "$work/slips/x.txt"

say "8. 受信者: 標準の age で復号 / the recipient decrypts with the standard age tool"
pkg=$OKURI_HOME/outbox/講座案内.txt.age
pass=$(sed -n 's/^Passphrase: //p' "$work/slips/講座案内.slip.txt")
cp "$pkg" "$work/recipient/"
( cd "$work/recipient" && sha256sum "$(basename "$pkg")" )
expect -c "log_user 0; spawn age -d -o $work/recipient/講座案内.txt $work/recipient/$(basename "$pkg"); expect -nocase passphrase; send -- \"$pass\r\"; expect eof" >/dev/null
echo "age -d: $(cat "$work/recipient/講座案内.txt")"
cmp "$work/recipient/講座案内.txt" "$work/files/講座案内.txt" && echo "decrypted file is identical to the original"

say "9. 監査: 送付記録 / the auditor: the transfer record"
okuri record show
okuri record verify
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

say "10. 改ざんの検知 / tampering is detected (on a copy)"
cp -a "$OKURI_HOME" "$work/tampered"
sed -i '2s/"outcome":"refused"/"outcome":"packed"/' "$work/tampered/record.jsonl"
set +e; OKURI_HOME=$work/tampered okuri record verify; echo "-> exit code $?"; set -e

say "done: everything is in $work"
