# okuri のメッセージ(日本語)。i18n/en/okuri.ftl と同じ ID を持つ。
# 引数: $class と $channel はこの言語での名称(下の class-name, channel-name)で渡される。

## 標準エラー出力の書式: `okuri: エラー: …`

voice-error = エラー
voice-refused = 拒否
voice-integrity = 改ざん検知
voice-hint = ヒント
voice-caused-by = 原因
severity-error = エラー
severity-warning = 警告

## 分類と経路

class-name = { $class ->
    [I] 重要性分類Ⅰ
    [II] 重要性分類Ⅱ
   *[III] 重要性分類Ⅲ
}
channel-name = { $channel ->
    [email] 電子メール
    [lgwan] LGWAN
    [media] 記録媒体
   *[hand] 手渡し
}

## ファイルとOS

io-read = { $path } を読めませんでした
io-write = { $path } に書き込めませんでした
io-open = { $path } を開けませんでした
io-create = { $path } を作成できませんでした
io-lock = { $path } をロックできませんでした
io-sync = { $path } をディスクに同期できませんでした
io-remove = { $path } を削除できませんでした
io-append = { $path } に追記できませんでした
io-repair = { $path } を修復できませんでした
io-resolve = { $path } が見つかりませんでした
io-read-xattr = { $path } の拡張属性を読めませんでした
io-write-xattr = { $path } に拡張属性を設定できませんでした
hint-check-path = パスと綴りを確認してください
hint-check-permissions = ファイルの権限を確認するか、所有者に相談してください
hint-free-space = ディスクの空きを作ってから、もう一度実行してください
error-random = OSの乱数生成器が失敗しました
error-unknown-lang = 「{ $value }」は okuri の言語ではありません。ja か en を指定してください

## 送付記録

record-head-invalid = { $path } は有効な記録ヘッドではありません
record-failed = 送付記録 { $path } は { $entry } 番の記録で検証に失敗しました
record-line-invalid = 送付記録の { $line } 行目は有効な記録ではありません
record-line-too-long = 送付記録 { $path } の末尾に { $max } バイトを超える行があります。記録の行ではありません（編集または破損）
record-torn-too-long = 記録の末尾に改行のない { $bytes } バイトがあり、どの記録の行({ $max } バイト)よりも長いため、書き込みの中断ではありません(編集または破損)
record-tail-unreadable = 送付記録 { $path } の末尾付近に読み取れない記録があります（編集または破損）
record-full = 送付記録 { $path } の最後の番号が上限に達しています。実際の記録では起こりません（編集されています）
record-entry-unreadable = { $entry } 番の記録({ $entry } 行目)は有効な記録ではありません。編集又は破損しています
record-entry-fields = { $entry } 番の記録({ $entry } 行目)は記録の項目を備えていません。編集されています
record-entry-moved = { $line } 行目は { $line } 番ではなく { $holds } 番の記録です。記録が削除されたか、順序が入れ替えられています
record-entry-altered = { $entry } 番の記録が改ざんされています。{ $before } 番と { $after } 番の間で連鎖が切れています
record-head-missing = record.head がありません。記録の末尾を確認できません
record-cut-short = 記録は { $entries } 番で終わっていますが、record.head は { $head } 番を示しています。記録が切り詰められています
record-last-altered = { $entry } 番の記録が改ざんされています。record.head と一致しません
record-past-head = 記録が record.head ({ $head } 番)より先に続いています。記録が追加されたか、ヘッドが書き換えられています
hint-record-verify = `okuri record verify` を実行してください
hint-record-verify-report = `okuri record verify` を実行し、結果を監査に報告してください
hint-record-nothing-written = 何も書き込んでいません。`okuri record verify` を実行し、結果を監査に報告してください

## 拒否: `refusal-<code>` は拒否の内容、`refusal-<code>-hint` は代わりにすべきこと

refusal-rule = 根拠: { $rule }
rule-ch2-1 = 情報資産の重要性分類の指定は、情報責任者(部長等)が行う(第2章1)
rule-ch2-2-password = 電子メールで暗号化し送信する際の復号化パスワードは、当該電子メール以外の確実な方法により送信先に伝達しなければならない(第2章2)
rule-ch4-3 = 記録媒体の取扱い及び管理: 記録媒体のセキュリティに関する事故及び事件を未然に防止するため、記録媒体の取扱等について、必要な事項を定める(第4章3)
rule-ch6-2 = 外部委託に関する管理: 業務委託セキュリティ受託者による情報資産の持出、盗聴、改ざん、破壊、漏えい等を防止するため、業務委託について、必要な対策を定める(第6章2)

refusal-class-forbidden = { $class }の情報資産は外部に提供できません。
refusal-class-forbidden-hint = 提供が必要な場合は最高情報統括責任者に例外措置(第7章)を相談してください。
refusal-channel-forbidden = { $class }の情報資産は{ $channel }で送ることはできません。
refusal-channel-forbidden-hint = { $class }で使える経路: { $allowed }。情報資産管理責任者に相談してください(例: --channel lgwan)。
refusal-legal-basis-required = { $class }の情報資産は法令又は条例の規定に基づく場合に限り外部に提供できます。根拠となる法令又は条例が示されていません。
refusal-legal-basis-required-hint = 例: --legal-basis "地方税法第22条の2"。根拠がなければ提供できません。
refusal-approval-required = { $class }の情報資産を{ $channel }で外部に提供するには情報資産管理責任者の承認が必要です。
refusal-approval-required-hint = 情報資産管理責任者に承認トークンを依頼し、--approval で指定してください。
refusal-encryption-required = { $class }の情報資産は暗号化及びパスワードの設定が必要です(--no-encrypt は使えません)。
refusal-encryption-required-hint = --no-encrypt を外して実行してください。

## コマンドライン (okuri)

cli-needs-key = { $whose ->
    [custodian] 情報資産管理責任者の
    [officer] 情報責任者の
    [signer] 署名者の
   *[own] あなたの
}鍵が必要です。--key KEY で指定してください
cli-needs-service = { $what } には承認サービスが必要ですが、ポリシーに指定がありません
hint-cli-needs-service = 承認サービスは市の署名付きサービス文書(service.toml、docs/city.md)、又は開発用ポリシーの [service] で指定します
cli-no-own-key = 承認サービスにはあなたの鍵が必要ですが、{ $path } にありません
hint-cli-no-own-key = `okuri keygen --id { $id } --role staff` で鍵を作って登録してもらうか、--key KEY で指定してください
record-entry-unwritable = 記録の項目を JSON として書けませんでした。何も記録されていません
record-newer-format = 送付記録 { $path } には新しい okuri が書いた形式 { $format } の項目があります。この okuri が扱える形式は { $known } までのため、追記しません
record-newer-format-hint = その記録を書いた(又はより新しい) okuri を使ってください。この端末の okuri の更新を管理者に依頼してください
record-reconciled-packed = 暗号化ファイルと通知書を置いた後で okuri が中断しました。後の実行で両方がそろっていることを確かめ、作成済みとして記録しました
record-reconciled-aborted = 暗号化ファイルと通知書がそろう前に okuri が中断しました。後の実行で中止として記録し、{ $removed ->
        [slip] 書かれていた通知書を削除しました
        [package] 書かれていた暗号化ファイルを削除しました(通知書は画面表示の予定で、表示されていません)
        [slip-and-package] 書かれていた通知書と暗号化ファイルを削除しました
       *[other] 削除するものは残っていませんでした
    }
cli-json-failed = JSON を出力できませんでした
cli-stdout-failed = 標準出力に書き込めませんでした
session-not-witnessed = 警告: この送付は承認サービスで立会い(witness)されません:
session-not-witnessed-head = 警告: 承認サービスが記録のヘッドを立会い(witness)しませんでした:
cli-torn-set-aside = 警告: 中断された記録の書き込みを { $path } に退避しました
cli-swept = 中断した okuri の実行が残した一時ファイル { $path } を削除しました
cli-reconciled = 警告: 送付 { $transfer } は以前の実行が中断したものです。ディスク上の状態から{ $outcome ->
        [packed] 「作成済み」(暗号化ファイルと通知書がそろっていました)
       *[other] 「中止」(残っていたものは削除しました)
    }として記録しました
cli-head-stale = 警告: 送付は記録しましたが、record.head を更新できませんでした。次に okuri を実行したときに更新されます
cli-signal-handler = シグナルハンドラを設定できません
cli-encrypting = 暗号化中
cli-slip-nowhere = パスワード通知書の出力先がありません。標準出力が端末ではありません
hint-cli-slip-nowhere = --slip PATH を指定してください(パッケージとは別のフォルダ)
session-token-unreachable = { $id } のトークンは承認サービスにありますが、承認サービスに接続できません
hint-session-token-unreachable = 後でもう一度実行してください。ポリシーが認める分類では、情報資産管理責任者から受け取ったトークンファイルをオフラインで使えます
session-request-not-approved = 申請 { $id } は{ $status ->
    [pending] 判断待ち
    [approved] 承認済み
    [denied] 却下
   *[consumed] 使用済み
}であり、承認されていません
hint-session-request-status = `okuri request status ID` で確認してください
hint-session-no-token-file = 情報資産管理責任者から受け取ったトークンファイルか、承認サービスがある場合は申請ID (req-…) を指定してください
cli-packed = { $file } を { $recipient } 宛てに{ $channel }で送る準備ができました — { $class }({ $source })
    {"  "}パッケージ: { $package } ({ $size } バイト, SHA-256 { $sha256 })
cli-packed-slip = {"  "}通知書:    { $slip }
    {"           "}パスワード通知書はファイルとは別の経路(電話・FAX・手渡し・郵送)で伝えてください。
cli-packed-approval = {"  "}承認: { $token } ({ $issuer }、鍵 { $key })
cli-packed-record = {"  "}記録:  { $entry } 番 ({ $transfer })

cli-not-custodian-key = 鍵 { $key } はポリシーの情報資産管理責任者の鍵ではありません
hint-cli-not-custodian-key = 自分の情報資産管理責任者の鍵を使うか、信頼リストへの登録を最高情報統括責任者に依頼してください
hint-cli-no-request-file = `okuri request --out` で作った申請ファイルか、承認サービスがある場合は申請IDを指定してください
cli-request-decided = 申請 { $id } は既に{ $status ->
    [pending] 判断待ち
    [approved] 承認済み
    [denied] 却下
   *[consumed] 使用済み
}です
cli-approve-needs-out = --out TOKEN が必要です。トークンの出力先を指定してください
cli-approved-where-both = { $file } 及び承認サービス
cli-approved-where-service = 承認サービス
cli-approved = { $request } を承認しました — { $file }({ $class })を { $recipient } 宛てに{ $channel }で
    {"  "}トークン: { $token } ({ $whereto })
    {"  "}有効期限: { $expires }
    {"  "}記録:     { $entry } 番
    この承認は、{ $requester } ({ $requester_id }) がこのファイルをそのまま一回送付する場合に限り有効です。
cli-denied = { $request } を却下しました — { $file }: { $reason }
    {"  "}記録: { $entry } 番
cli-denied-file = {"  "}署名付き却下通知: { $path }
cli-denied-sent = {"  "}承認サービスに送信しました
cli-no-service = ポリシーに承認サービスの指定がありません
cli-approvals-row = { $request }  { $status }  分類 { $class }  { $channel }  { $file }  宛先 { $recipient }  申請者 { $requester } ({ $requester_id })  { $submitted }
    {"    "}目的: { $purpose }; 法令等の根拠: { $legal_basis }
cli-approvals-none = 判断待ちの申請はありません
cli-violation-row = トークン { $token } が送付 { $transfer } で再び使われました(最初: { $first })。{ $by }、{ $record }、{ $at } に判明
cli-violations-none = 複数回使われたトークンはありません

cli-request-args = FILE、--to、--channel、--purpose を指定してください
cli-submit-no-service = --submit には承認サービスが必要ですが、ポリシーに指定がありません
hint-cli-submit-no-service = --out で申請ファイルを書き出し、情報資産管理責任者に渡してください
cli-requested = 申請 { $request }
    {"  "}{ $file } — { $class }、{ $recipient } ({ $recipient_id }) 宛て、{ $channel }
    {"  "}記録: { $entry } 番
cli-requested-file = {"  "}{ $path } に書き出しました。情報資産管理責任者に渡してください(okuri approve { $path } --key KEY --out TOKEN)
cli-requested-submitted = {"  "}承認サービスに提出しました。`okuri request status { $request }` で確認できます
cli-status = { $request }: { $status }
    {"  "}{ $file } — { $class }、{ $recipient } 宛て、{ $channel }、提出 { $submitted }
cli-status-decided = {"  "}{ $by } が { $at } に判断
cli-status-reason = {"  "}理由: { $reason }
cli-status-used = {"  "}{ $by } が { $at } に送付 { $transfer } で使用
cli-status-pack = {"  "}送付するには: okuri pack { $file } --to { $recipient } --channel { $channel } --approval { $request }

cli-classified = { $path }: { $class } — { $source }
cli-classify-ignored = {"    "}無視: { $path } — { $why }
cli-classify-also = {"    "}他に: { $class }({ $source })
cli-source-xattr = 拡張属性 { $xattr }
cli-source-sidecar = ラベルファイル { $path }
cli-source-register = 台帳の署名なしラベル({ $by }, { $at })
cli-source-designation = 情報責任者 { $officer } による署名付き指定({ $department }, { $at })
cli-source-default = ラベルなし: ポリシーの未分類ファイルの分類
cli-designated = { $path }: { $designated } を指定しました(署名付き、{ $stored })
    {"  "}現在: { $class } — { $source }
    {"  "}記録: { $entry } 番
cli-labelled = { $path }: { $labelled } のラベルを保存しました。分類は { $class } — { $source }
cli-label-cannot-lower = 署名のないラベルは分類を厳しくできますが、緩めることはできません。{ $class } のままです。{ $labelled } とするには、情報責任者が `okuri label --key` で指定します。
cli-department-needs-key = --department は署名付きの指定(--key)と共に使います

cli-init-done = { $home } に { $name } ({ $id }, { $department }) の okuri を設定しました。
cli-keygen-done = { $id } ({ $role }) の Ed25519 鍵:
    {"  "}秘密鍵: { $private } (モード 0600、パスフレーズで暗号化)
    {"  "}公開鍵: { $public }
    {"  "}フィンガープリント: { $fingerprint }

    { $line }

    { $role ->
        [ciso] 上の公開鍵の行を、市のトラストアンカー(/etc/okuri/ciso.allowed_signers)に記載してください。
        [staff] 公開鍵ファイル({ $public })を職員名簿管理者に渡してください。管理者が `okuri staff add` で職員名簿(staff.toml)に登録します。
       *[other] 公開鍵ファイル({ $public })を最高情報統括責任者に渡してください。`okuri trust add` で信頼リスト(trust.toml)に登録されます。
    }

cli-policy-ok = ポリシー OK: { $policy } (BLAKE3 { $blake3 })
cli-policy-errors = ポリシー { $policy } に { $errors } 件のエラーがあります
hint-cli-policy-errors = 上のエラーをすべて修正してください。有効になるまでこのポリシーは使われません
cli-policy-head = ポリシー { $policy } (BLAKE3 { $blake3 })
    未分類のファイル: { $unlabeled }、パスワード: { $bits } ビット以上
cli-policy-col-class = 分類
cli-policy-col-channel = 経路
cli-policy-col-requires = 条件
cli-policy-forbidden = 不可
cli-policy-allowed = 可
cli-policy-legal-basis = 法令又は条例の規定
cli-policy-approval = 情報資産管理責任者の承認
cli-policy-encryption = 暗号化
cli-policy-validity = 承認の有効期間: 既定 { $default } 時間、最長 { $max } 時間
cli-policy-signer = { $role } { $id } — { $name } ({ $department })、分類 { $classes }、所属 { $departments }、鍵 { $keys } 個(失効 { $revoked } 個)

cli-recipients-none = 注意: { $path } に外部委託先台帳がありません。登録済みの受信者が必要な分類は送付できません
cli-recipients-row = { $id }  { $name }
    {"    "}契約 { $contract }({ $until } まで)、分類 { $classes }、経路 { $channels }
    {"    "}通知書: { $method } / { $slip }
cli-recipients-missing = { $path } がありません
cli-recipients-ok = { $path }: OK、受信者 { $count } 件

cli-record-torn = 警告: 最後の行({ $bytes } バイト)が不完全です。成功を報告していない中断された書き込みです。それ以前の記録は無事で、次の okuri コマンドが退避します
cli-record-head-lagging = 注意: record.head が一つ前の記録を指しています(追記直後のクラッシュ)。次の okuri コマンドが更新します
cli-record-out-of-order = 記録 { $entry } の日時が、それより前の記録より5分以上前になっています。時計が戻されたか、古く見せるために手で書かれた記録です。監査に見せてください
cli-record-ok = 記録 OK: { $path } に { $entries } 件、最後の記録の BLAKE3 { $last }
cli-record-failed = 送付記録は { $entry } 番の記録で検証に失敗しました
hint-cli-record-report = 記録を編集せず、コピーを保管して監査に報告してください
cli-witness-none = 注意: 承認サービスは { $record } のヘッドをまだ立会いしていません
cli-witness-cut-short = 記録は { $entries } 件ですが、承認サービスは { $head } 番を立会いしています({ $at })。記録が切り詰められています
cli-witness-rewritten = { $head } 番の記録は承認サービスが { $at } に立会いしたものと異なります。記録が書き換えられています
cli-witness-ok = 立会い OK (witness OK): 承認サービスの { $record } のヘッド({ $head } 番, { $at })はこの記録と一致します
cli-show-transfer = 分類 { $class }  { $channel }  { $sender }  { $file }  宛先 { $recipient }
cli-show-approved-by = 承認者 { $issuer }
cli-show-request = 申請 { $request }  分類 { $class }  { $channel }  { $file }  宛先 { $recipient }  申請者 { $requester }
cli-show-decision = 判断 { $request }  分類 { $class }  { $channel }  { $file }  情報資産管理責任者 { $custodian }
cli-show-token = トークン { $token }
cli-show-medium = 記録媒体 { $label } ({ $medium })  { $by }
cli-show-designation = 分類 { $class }  { $file }  情報責任者 { $officer } が指定({ $department })

cli-token-head = 承認トークン { $token }
    {"  "}発行者 { $issuer } ({ $issuer_id }, { $issuer_department })、鍵 { $key }
    {"  "}発行 { $issued }  有効期限 { $expires }
    {"  "}申請 { $request }、申請者 { $requester } ({ $requester_id }, { $requester_department })
    {"  "}ファイル { $file } ({ $size } バイト, BLAKE3 { $blake3 })
    {"  "}{ $class }、{ $recipient } ({ $recipient_id }, { $contract }) 宛て、{ $channel }
    {"  "}目的: { $purpose }
    {"  "}法令等の根拠: { $legal_basis }
cli-token-accepted = okuri pack はこのトークンを受け付けます。
cli-token-refused = okuri pack はこのトークンを拒否します。

cli-media-registered = { $mountpoint } を { $label } ({ $medium }) として登録しました
    {"  "}装置: { $device }
    {"  "}マーカー: { $marker }
cli-media-in-use = 使用中
cli-media-retired-state = 廃止 { $at } ({ $reason })
cli-media-row = { $medium }  { $label } { $state }  登録 { $registered } ({ $by })
    {"    "}{ $bus } { $vendor_id }:{ $product_id } { $vendor } { $product } シリアル { $serial } ファイルシステム { $uuid }
cli-media-none = 登録された記録媒体はありません
cli-media-retired = { $label } ({ $medium }) を廃止しました。今後この記録媒体への書き込みは拒否されます
cli-media-wiped = { $mountpoint } から送付済みのパッケージ { $count } 件を消去しました
cli-media-removed = {"  "}消去 { $path }
cli-media-exported = { $path } に書き出しました(記録媒体 { $medium })
cli-scan-registered = { $mountpoint } — 登録済みの記録媒体 { $label } ({ $medium })
cli-scan-unregistered = { $mountpoint } — 登録された記録媒体ではありません
cli-scan-marker = 登録マーカー
cli-scan-recorded = 記録済みのパッケージ { $transfer } ({ $at })
cli-scan-expired = 違反: 保管期間超過 { $transfer } ({ $at })。消去してください
cli-scan-unknown-age = この記録にない age ファイル
cli-scan-plain = 違反: 暗号化されたパッケージではありません(平文ファイル)
cli-scan-item = {"  "}{ $path }  { $size } バイト  { $what }
cli-scan-violations = { $mountpoint } に違反が { $count } 件あります。記録媒体には暗号化したパッケージのみ置けます(第4章3)
hint-cli-scan-violations = 平文ファイルを削除して情報資産管理責任者に報告してください。送付済みのパッケージは `okuri media wipe` で消去できます
slip-method = { $method ->
    [phone] 電話
    [fax] FAX
    [post] 郵送
   *[hand] 手渡し
}

## 市が管理するファイル: ポリシー(policy.toml)とその信頼リスト、外部委託先台帳、承認サービスの
## 設定と職員名簿。鍵と okuri のホーム。
## $table は [class.I] のような TOML の表、又は root(ポリシーの最上位)、key-entry、
## revoked-entry(信頼リストの keys = [...]、revoked = [...] の項目)のいずれか。

## ポリシー(policy.toml)

policy-invalid = ポリシー { $file } は有効ではありません(エラー { $errors } 件)
hint-policy-invalid = ポリシーを修正するか(`okuri policy check FILE` で確認できます)、最高情報統括責任者に現行のポリシーを確認してください
policy-toml-syntax = TOML の構文エラー: { $detail }
hint-policy-toml-syntax = 構文は https://toml.io を参照してください。文字列は二重引用符で囲みます
policy-unknown-key = { $table ->
    [root] ポリシー
    [key-entry] 鍵の項目
    [revoked-entry] 失効した鍵の項目
   *[other] { $table }
} に未知のキー `{ $key }` があります
hint-policy-unknown-key = { $table ->
    [root] ポリシー
    [key-entry] 鍵の項目
    [revoked-entry] 失効した鍵の項目
   *[other] { $table }
} のキーは次のとおりです: { $known }
policy-missing-key = { $table ->
    [root] ポリシー
    [key-entry] 鍵の項目
    [revoked-entry] 失効した鍵の項目
   *[other] { $table }
} にキー `{ $key }` がありません
policy-control-character = { $what } に制御文字(改行、タブ、端末のエスケープ、双方向テキストの制御)が含まれています
hint-policy-control-character = 通常の文字だけで 1 行に書いてください。このような文字は、人や ssh-keygen が読む内容を変えてしまいます
policy-not-string = { $what } は文字列でなければなりませんが、{ $found } です
hint-policy-not-string = 値を二重引用符で囲んでください
policy-not-table = { $what ->
    [key-entry] 鍵の項目
    [revoked-entry] 失効した鍵の項目
   *[other] { $what }
} は表でなければなりませんが、{ $found } です
hint-policy-not-table = 表は [セクション] の形で書いてください
policy-unknown-value = { $what } の値「{ $value }」は使える値ではありません
hint-policy-unknown-value = 次のいずれかを指定してください: { $values }
policy-bad-class = { $what }: 「{ $value }」は重要性分類ではありません
hint-policy-class-values = "I"、"II" 又は "III" を指定してください
policy-not-integer = { $what } は整数でなければなりませんが、{ $found } です
hint-policy-no-quotes = 引用符を付けずに書いてください
policy-out-of-range = { $what } = { $value } は範囲外です
hint-policy-min-bits-range = { $min } から { $max } までのビット数を指定してください。弱いパスワードは第3章(2)に反します
hint-policy-hours-range = 1 から 8784 までの時間数を指定してください
hint-policy-retention-range = 1 から 3650 までの日数を指定してください
policy-not-bool = { $what } は true 又は false でなければなりませんが、{ $found } です
hint-policy-bool = true 又は false を引用符を付けずに書いてください
policy-version = 対応していないポリシーの版です
hint-policy-version = この okuri が読めるのは `version = 1` です
hint-policy-add-version = 先頭に `version = 1` を追加してください
hint-policy-add-unlabeled-class = `unlabeled_class = "I"` を追加してください。ラベルのないファイルは重要性分類Ⅰとして扱います(fail closed)
policy-unlabeled-not-strictest = ラベルのないファイルが{ $class }として扱われます。最も厳しい重要性分類Ⅰではありません
hint-policy-unlabeled-fail-closed = 基準では職員等は指定された分類に従って情報資産を取り扱います。分類の分からないファイルは最も厳しい "I" として扱うべきです(fail closed)
hint-policy-add-passphrase = `min_bits = 100` を含む [passphrase] セクションを追加してください
hint-policy-add-min-bits = `min_bits = 100` を追加してください
hint-policy-add-classes = [class.I]、[class.II]、[class.III] のセクションを追加してください
hint-policy-add-class = すべての分類を定義する必要があります。provision、encryption、rule、rule_en 及び [class.{ $name }.channels] を含む { $table } セクションを追加してください
hint-policy-add-media = `retention_days = 30` を含む [media] セクションを追加してください
hint-policy-add-retention-days = `retention_days = 30` を追加してください
hint-policy-add-service-url = `url = "https://approvald.example:8441"` を追加してください
policy-service-url = url = "{ $url }" は https:// でも、ループバック上の平文 HTTP でもありません
hint-policy-service-url = 承認サービスは承認を運びます。ループバック以外のアドレスには https:// を使ってください
policy-service-url-unreadable = url = "{ $url }" は URL として読めません: { $detail }
policy-service-url-userinfo = url = "{ $url }" は「@」の前にユーザー名またはパスワードを含みます。ログインは「@」の後のホストへ送られてしまいます
hint-policy-service-url-userinfo = スキーム、ホスト、ポートだけを書いてください(例: https://approvals.example.lg.jp:8441)
policy-service-url-extra = url = "{ $url }" はクエリ(「?」)またはフラグメント(「#」)を含みます。承認サービスのアドレスには不要です
hint-policy-service-url-extra = 「?」または「#」から後を削除してください
hint-policy-add-approval = default_validity_hours と max_validity_hours を含む [approval] セクションを追加してください
hint-policy-add-hours = `{ $key } = 72` を追加してください
policy-hours-contradiction = 矛盾: default_validity_hours が max_validity_hours より長くなっています
hint-policy-hours-contradiction = 既定の有効期間を最長の有効期間以下にしてください
hint-policy-add-provision = `provision = "approval"` を追加してください(ほかに allowed、legal-basis-and-approval、forbidden)
hint-policy-add-encryption = `encryption = "required"` 又は "optional" を追加してください
hint-policy-add-rule = 拒否メッセージに引用する基準の規定を日本語で記載してください
hint-policy-add-rule-en = 拒否メッセージに引用する規定を英語で記載してください
hint-policy-add-channels = email、lgwan、media、hand を含む { $table } セクションを追加してください
hint-policy-add-channel = `{ $key } = "allowed"`、"approval" 又は "forbidden" を追加してください
hint-policy-add-recipient = `recipient = "registered"`(外部委託先台帳に登録された委託先に限る)又は "any" を追加してください
hint-policy-add-offline-tokens = `offline_tokens = true`(承認サービスの停止中は承認トークンのファイルを使える)又は false を追加してください
policy-approval-any-recipient = { $table } の矛盾: provision は承認を要しますが、recipient が "any" です
hint-policy-approval-any-recipient = 承認は受信者との契約(外部委託、第6章2)と照合されます。recipient = "registered" としてください
policy-forbidden-open-channel = { $table } の矛盾: provision は "forbidden" ですが、経路 { $key } が "{ $value }" です
hint-policy-forbidden-open-channel = 外部に提供できない分類に開いた経路は置けません。"forbidden" にしてください
policy-all-channels-forbidden = { $table } の矛盾: provision は "{ $value }" ですが、すべての経路が "forbidden" です
hint-policy-all-channels-forbidden = 少なくとも一つの経路を開くか、provision = "forbidden" としてください
policy-provision-laxer = 矛盾: [class.{ $strict }] の provision "{ $strict_value }" が [class.{ $lax }] の "{ $lax_value }" より緩くなっています
policy-recipient-laxer = 矛盾: [class.{ $strict }] はどの受信者にも送れますが、[class.{ $lax }] は登録済みの受信者に限られています
hint-policy-recipient-laxer = 厳しい方の分類を recipient = "registered" としてください
policy-encryption-laxer = 矛盾: [class.{ $strict }] の暗号化は任意ですが、[class.{ $lax }] では必須です
hint-policy-encryption-laxer = 厳しい方の分類を encryption = "required" としてください
policy-channel-laxer = 矛盾: [class.{ $strict }] の { $key } は "{ $strict_value }" ですが、[class.{ $lax }] の { $key } は "{ $lax_value }" です
hint-policy-stricter-class = 厳しい分類(I が最も厳しい)を緩い分類より送りやすくしてはなりません

## ポリシーの信頼リスト: 情報資産管理責任者と情報責任者

trust-no-custodian = 信頼リストに情報資産管理責任者(custodian)がいません。重要性分類Ⅰ・Ⅱの提供を承認できません
trust-no-officer = 信頼リストに情報責任者(officer)がいません。分類を指定できないため、すべてのファイルはポリシーのラベルなしの分類以上として扱われます
hint-trust-add-signers = id、name、department、classes、departments、keys を持つ [[{ $section }]] の項目を追加してください
trust-id-twice = { $role ->
    [custodian] 情報資産管理責任者
   *[officer] 情報責任者
} の ID `{ $id }` が二度記載されています
hint-trust-id-twice = 各人は役割ごとに一度だけ記載します。項目をまとめてください
trust-key-shared = 鍵 { $key } が `{ $first }` と `{ $second }` の両方に記載されています
hint-trust-key-shared = 署名が一人を指すよう、各人が自分の鍵を持つ必要があります
trust-not-array = { $what } は配列でなければなりませんが、{ $found } です
hint-trust-not-array = [ ] で一覧を書くか、表の一覧は [[セクション]] を繰り返してください
trust-empty-list = { $what } が空です
hint-trust-empty-list = 少なくとも一つの値を記載してください
trust-not-datetime = { $what } は日付又は日時でなければなりませんが、{ $found } です
hint-trust-datetime-unquoted = 2026-04-01(日本時間の 0 時から)のような日付か、2026-04-01T09:00:00+09:00 のような時差付きの日時を、引用符を付けずに書いてください
trust-bad-datetime = { $what } = { $value } は日付でも時差付きの日時でもありません
hint-trust-datetime = 2026-04-01(日本時間の 0 時から)のような日付か、2026-04-01T09:00:00+09:00 のような時差付きの日時を書いてください
hint-trust-add-id = `id = "suzuki.hanako"` を追加してください(ASCII。allowed_signers のプリンシパルになります)
hint-trust-id-principal = ID は OpenSSH のプリンシパルとして使われます
hint-trust-add-name = `name = "鈴木 花子"` を追加してください
hint-trust-add-department = `department = "総務課"` を追加してください
hint-trust-add-classes = `classes = ["I", "II"]` を追加してください(扱える分類)
hint-trust-add-departments = `departments = ["総務課"]` を追加してください(すべての課なら ["*"])
hint-trust-add-keys = `keys = [{"{"} key = "ssh-ed25519 AAAA…", valid_after = 2026-04-01, valid_before = 2027-04-01 {"}"}]` を追加してください
hint-trust-add-key = `key = "ssh-ed25519 AAAA…"` を追加してください
hint-trust-add-reason = `reason = "PC紛失"` を追加してください。監査には失効の理由が必要です
trust-key-not-openssh = key: OpenSSH の公開鍵ではありません({ $detail })
trust-key-not-ed25519 = key: { $algorithm } の鍵です。okuri が信頼するのは Ed25519 の鍵だけです
hint-trust-paste-key = 1 行の公開鍵(`okuri keygen` 又は ssh-keygen が作る .pub ファイル)を貼り付けてください
trust-key-window = 矛盾: valid_after が valid_before より前ではありません
hint-trust-key-window = 有効期間は空でない期間でなければなりません
trust-unknown = 鍵 { $key } はポリシーの信頼リストに{ $role ->
    [custodian] 情報資産管理責任者
   *[officer] 情報責任者
}の鍵として登録されていません
trust-revoked = { $signer } の鍵 { $key } は失効しています({ $reason })
trust-not-yet-valid = { $signer } の鍵 { $key } は { $from } より前は有効ではありません
trust-expired = { $signer } の鍵 { $key } の有効期間は { $until } まででした

## 外部委託先台帳

recipients-invalid = 外部委託先台帳 { $file } は有効ではありません(誤り { $errors } 件。以下にすべて示します)
hint-recipients-invalid = 台帳を修正するか(`okuri recipients check` で確認でき、`okuri recipients template` で記入例を表示できます)、契約を管理する課に現行の台帳を確認してください
hint-recipients-version = 台帳の最初に `version = 1` と書いてください
recipients-id-twice = ID `{ $id }` が二度記載されています
hint-recipients-id-twice = 一つの受信者につき一つの記載にし、もう一方には別の ID を付けてください
hint-recipients-id = ID は職員が --to に指定するものです。a-z、0-9、'.'、'_'、'-' の 1~64 文字(例: id = "kameoka-print")
hint-recipients-name = 契約書のとおりの受信者名(例: name = "亀岡印刷株式会社")
hint-recipients-contract = 契約番号(例: contract = "亀総契第2025-0012号")
hint-recipients-classes = 契約が対象とする重要性分類(例: classes = ["II", "III"])
hint-recipients-channels = 契約が認める送付方法(例: channels = ["email", "lgwan"]。email、lgwan、media、hand)
hint-recipients-agreement-ends = 契約の対象となる最後の日。引用符なしの日付で書きます(例: agreement_ends = 2027-03-31)
recipients-not-date = { $what } は 2027-03-31 のような日付でなければなりません
hint-recipients-date = 引用符も時刻も付けずに書いてください: agreement_ends = 2027-03-31
hint-recipients-slip = パスワード通知書を届ける方法。例: [recipient.slip] に method = "phone"、contact = "営業部 佐藤様"、phone = "0771-00-0000"(phone には phone、fax には fax、post には address が必要。hand は不要)
recipients-slip-missing = `{ $id }`: パスワード通知書は{ $method ->
    [phone] 電話
    [fax] FAX
    [post] 郵送
   *[hand] 手渡し
}で伝えることになっていますが、[recipient.slip] に { $missing } がありません

refusal-recipient-unregistered = 「{ $to }」は外部委託先台帳({ $register })に登録されていません。{ $class }の情報資産は、契約のある登録済みの受信者にのみ提供できます。
refusal-recipient-unregistered-hint = --to には台帳の ID を指定してください(okuri recipients list)。契約がなければ契約担当課に相談してください。
refusal-agreement-ended = { $name }({ $id })との契約 { $contract } は { $ended } で終了しています。
refusal-agreement-ended-hint = 契約が更新されていれば台帳を更新してもらってください。
refusal-agreement-class = { $name }({ $id })との契約 { $contract } は{ $class }の情報資産を対象としていません。
refusal-agreement-class-hint = 契約の範囲を確認してください。
refusal-agreement-channel = { $name }({ $id })との契約 { $contract } は{ $channel }での提供を対象としていません。
refusal-agreement-channel-hint = 契約で合意した経路で送ってください。

## 承認サービスの設定と職員名簿

config-invalid = 承認サービスの設定 { $file } は有効ではありません
config-toml = 設定を読めません: { $detail }
hint-config-example = 完全な例は packaging/approvald.toml を参照してください
config-listen-not-loopback = listen = "{ $listen }" はループバックアドレスではなく、[tls] もありません
hint-config-listen = okuri-approvald が平文 HTTP で待ち受けるのはループバック上だけです。[tls] の cert と key を追加するか、127.0.0.1 で待ち受けてください
config-limit-range = { $key } は { $min } から { $max } まででなければなりません
config-database-dir-missing = データベースのディレクトリ { $path } がありません
hint-config-database-dir = 作成してください(サービスの利用者の所有、モード 0700)
config-database-password = データベースの URL にパスワードが含まれています。設定ファイルのパスワードは、そのファイルやバックアップを読める人すべてに読まれます
hint-config-database-password = URL から外し、サービスの利用者だけが読めるファイルに書いて database_password_file で指定してください
config-database-invalid = database の設定が、SQLite のファイルとしても PostgreSQL の URL としても読めません: { $detail }
hint-config-database = database = "/var/lib/okuri-approvald/approvald.sqlite" または database = "postgres://okuri@db.example.lg.jp/okuri?sslmode=require" と書いてください(/usr/share/okuri/examples/approvald.toml を参照)
config-database-pg-only = database_password_file と database_ca_file は PostgreSQL のデータベース用です。この設定は SQLite のファイルを指定しています
config-file-missing = ファイル { $path } がありません
config-database-tls = ネットワーク越しの PostgreSQL には、sslmode=require と database_ca_file(サーバー証明書に署名した CA)か、市が信頼するネットワークでの sslmode=disable が必要です
hint-config-database-tls = URL に ?sslmode=require を加え、database_ca_file を設定してください。「prefer」は知らせずに平文へ切り替わります
config-database-ca-unused = database_ca_file が設定されていますが、データベースの URL が sslmode=disable のため、接続は平文になります
config-staff-missing = 職員名簿 { $path } がありません
config-recipients-missing = 外部委託先台帳 { $path } がありません
config-tls-missing = TLS のファイル { $path } がありません

directory-invalid = 職員名簿 { $file } は有効ではありません
directory-toml = 名簿を読めません: { $detail }
directory-version = 対応していない版です。このサービスが読めるのは `version = 1` です
directory-custodian = `{ $id }`: 情報資産管理責任者と情報責任者はここではなく、信頼リスト(trust.toml)に記載します
directory-id-twice = `{ $id }` が二度記載されています
directory-key-twice = { $id } の鍵 { $key } は { $other } の鍵でもあります。一人の人は一つの項目とし、ほかの ID はその項目の `also` に書いてください
directory-key-not-openssh = `{ $id }`: OpenSSH の公開鍵ではありません({ $detail })
directory-key-not-ed25519 = `{ $id }`: { $algorithm } の鍵です。okuri が信頼するのは Ed25519 の鍵だけです

## 署名鍵

key-bad-id = 「{ $id }」は有効な ID ではありません。ASCII の英小文字、数字、'.'、'_'、'-' で 1 から 64 文字にしてください
hint-key-id = --id には本人の ID を指定します(例: --id suzuki.hanako)
key-prompt = 鍵のパスフレーズ:
key-prompt-new = 新しい鍵のパスフレーズ:
key-prompt-again = もう一度:
key-passphrase-not-utf8 = パスフレーズのファイル { $path } は UTF-8 ではありません
key-passphrase-file-open = パスフレーズのファイル { $path } は他の利用者も読めるため(モード { $mode })、使いません
hint-key-passphrase-file-open = 本人だけが読めるようにしてください: chmod 600 { $path }
key-passphrase-batch = 鍵のパスフレーズが必要ですが、--batch モードでは入力を求められません
key-passphrase-no-terminal = 鍵のパスフレーズが必要ですが、入力を求める端末がありません
hint-key-passphrase-file-0600 = --key-passphrase-file FILE(モード 0600)で指定してください
key-passphrase-unreadable = 端末からパスフレーズを読めませんでした
hint-key-passphrase-file = --key-passphrase-file FILE で指定してください
key-passphrases-differ = 二つのパスフレーズが一致しません
hint-key-passphrases-differ = もう一度実行し、同じパスフレーズを二度入力してください
key-passphrase-too-short = 鍵のパスフレーズが短すぎます。{ $min } 文字以上にしてください
hint-key-passphrase-sentence = 確実に入力できる短い文がよいパスフレーズになります
key-generate-failed = 鍵を生成できませんでした
key-encode-failed = 鍵を符号化できませんでした
key-encode-public-failed = 公開鍵を符号化できませんでした
key-encrypt-failed = 鍵を暗号化できませんでした
key-not-private = { $path } は OpenSSH の秘密鍵ではありません
hint-key-not-private = `okuri keygen` 又は `ssh-keygen -t ed25519` で作った秘密鍵のファイル(.pub ではない方)を指定してください
key-not-ed25519-private = { $path } は { $algorithm } の鍵です。okuri が署名に使うのは Ed25519 の鍵だけです
hint-key-make-ed25519 = `okuri keygen` 又は `ssh-keygen -t ed25519` で作成してください
key-not-encrypted = { $path } はパスフレーズで保護されていません
hint-key-not-encrypted = 署名鍵は保存時に暗号化されていなければなりません。`ssh-keygen -p -f { $path }` でパスフレーズを設定してください
key-wrong-passphrase = { $path } のパスフレーズが違います
hint-key-wrong-passphrase = もう一度入力してください。忘れた場合は新しい鍵を作り、古い鍵をポリシーで失効させてもらってください
key-sign-failed = 署名できませんでした
key-agent-gone = { $socket } の ssh-agent は鍵を保持していましたが、署名しませんでした
key-agent-refused = { $socket } の ssh-agent が署名を拒否しました(確認が拒否されたか、鍵の有効時間が切れました)。何も署名していません
key-agent-timeout = { $socket } の ssh-agent が 2 分以内に署名しませんでした。何も署名していません
key-agent-bad-signature = { $socket } の ssh-agent がこの鍵で正しくない署名を返しました。何も署名していません
hint-key-agent = `ssh-add -l` で ssh-agent を確認するか、`SSH_AUTH_SOCK=` を付けて okuri を実行し、鍵のパスフレーズを入力してください

## okuri のホームと送付者の情報

home-no-home-dir = okuri のホームディレクトリが見つかりません
hint-home-no-home-dir = --home DIR 又は OKURI_HOME で指定してください
home-empty-name-department = 氏名と所属は空にできません
hint-home-id = 職員 ID を指定してください(例: --id yamada.taro)
home-already-set-up = okuri は { $path } に設定済みです
hint-home-already-set-up = このホームをそのまま使うか、--home で別のホームを指定してください
home-identity-encode-failed = 送付者の情報を符号化できません
home-not-set-up = okuri は { $path } に設定されていません
hint-home-not-set-up = 先に `okuri init --id ID --name NAME --department DEPT` を実行してください(ID を省くとログイン名)
home-identity-invalid = { $path } は有効な送付者情報のファイルではありません
hint-home-identity-invalid = バックアップから復元するか、`okuri init` で新しいホームを設定してください
home-id-required = --id が必要です
hint-home-id-required = コマンドラインで指定してください: --id <職員ID>
home-name-required = --name が必要です
hint-home-name-required = コマンドラインで指定してください: --name <氏名>
home-department-required = --department が必要です
hint-home-department-required = コマンドラインで指定してください: --department <所属>
home-prompt-id = 職員ID:
home-prompt-name = 氏名:
home-prompt-department = 所属:
home-id-empty = 職員 ID は空にできません
home-name-empty = 氏名は空にできません
home-department-empty = 所属は空にできません
home-terminal-unreadable = 端末から読み取れません

## 承認の申請と承認トークン(approval.rs)

request-not-a-request = { $path } は okuri の承認申請ではありません
request-not-a-request-hint = `okuri request … --out REQ` で作成したファイルを指定してください
request-wrong-version = { $path } はバージョン1の okuri の承認申請ではありません
token-not-a-token-hint = `okuri approve` で発行されたトークンファイルを、変更せずにそのまま指定してください

## `okuri token verify`: 合格した確認項目の内容

token-check-signature = { $key } による正しい Ed25519 署名
token-check-key = { $key } は { $signer } の鍵で、情報資産管理責任者として信頼されています
token-check-custodian = { $department }の{ $class }を承認できます
token-check-self-approval = 申請者 { $requester } は発行者ではありません
token-check-expiry = { $until } まで有効
token-check-validity = 有効期間がポリシーの上限 { $max } 時間以内
token-check-policy = 現行のポリシー({ $policy })の下で承認されています
token-check-file = { $name }({ $size } バイト、BLAKE3 { $blake3 })
token-check-class = { $class }
token-check-recipient = { $name }({ $recipient })
token-check-channel = { $channel }
token-check-requester = { $packer } は自身の承認された申請を送付します
token-check-legal-basis = { $basis }
token-check-legal-basis-none = 不要
token-check-agreement = { $contract } は{ $channel }による{ $class }の提供を対象としています
token-check-policy-table = { $class }の{ $channel }による送付は、承認があれば認められます
token-check-single-use = この送付記録では未使用です

## 承認に関する拒否

hint-ask-again = 情報資産管理責任者に改めて承認を依頼してください(okuri request)。
refusal-token-forged = 承認トークンの署名が正しくありません。トークンが改ざんされたか、偽造されたものです。
refusal-token-forged-hint = 受け取ったトークンをそのまま使ってください。不審な場合は情報資産管理責任者と監査に連絡してください。
refusal-token-forged-issuer = 承認トークンの発行者 { $issuer } は署名鍵の持ち主 { $owner } と一致しません。
refusal-token-untrusted-key = 鍵 { $key } は、ポリシーの情報資産管理責任者の一覧にありません。
refusal-token-untrusted-key-hint = ポリシーの信頼リスト(鍵と有効期間)を最高情報統括責任者に確認してください。
refusal-token-key-revoked = 鍵 { $key } ({ $signer }) は失効しています(理由: { $reason })。
refusal-token-key-revoked-hint = ポリシーの信頼リスト(鍵と有効期間)を最高情報統括責任者に確認してください。
refusal-token-key-not-valid = 鍵 { $key } ({ $signer }) は { $from } まで有効になりません。
refusal-token-key-not-valid-expired = 鍵 { $key } ({ $signer }) の有効期間は { $until } に終了しています。
refusal-token-key-not-valid-hint = ポリシーの信頼リスト(鍵と有効期間)を最高情報統括責任者に確認してください。
refusal-token-custodian-not-allowed = { $custodian }は{ $department }の{ $class }の情報資産を承認する権限がありません。
refusal-token-custodian-not-allowed-hint = この分類と所属を担当する情報資産管理責任者に承認を依頼してください。
refusal-token-custodian-not-allowed-decide = { $custodian }は{ $department }の{ $class }の情報資産を判断する権限がありません。
refusal-token-custodian-not-allowed-decide-hint = この分類と所属を担当する情報資産管理責任者に回してください。
refusal-self-approval = 申請者 { $requester } 自身による承認は無効です。
refusal-self-approval-hint = 申請者以外の情報資産管理責任者に承認を依頼してください。
refusal-self-approval-decide = 自分の申請を自分で判断することはできません。
refusal-self-approval-decide-hint = 他の情報資産管理責任者に判断を依頼してください。
refusal-token-expired = 承認トークンの有効期限 ({ $expires }) が切れています。
refusal-token-expired-hint = 情報資産管理責任者に改めて承認を依頼してください(okuri request)。
refusal-token-expired-future = 承認トークンの発行時刻 { $issued } が未来です。
refusal-token-expired-future-hint = このパソコンと情報資産管理責任者のパソコンの時計を確認してください。
refusal-token-validity-too-long = 承認トークンの有効期間({ $issued } から { $expires } まで)が、ポリシーの上限 { $max } 時間を超えています。okuri はこのようなトークンに署名しないため、手作業で作られたものです。
refusal-token-validity-too-long-hint = 情報資産管理責任者に改めて承認を依頼し(okuri request)、このトークンについて情報セキュリティ担当者に伝えてください。
refusal-token-policy-changed = 承認後にポリシーが変更されています(承認時 { $approved }、現行 { $current })。現在のポリシーで承認し直す必要があります。
refusal-token-policy-changed-hint = 情報資産管理責任者に改めて承認を依頼してください(okuri request)。
refusal-token-policy-changed-request = 申請は別のポリシー({ $requested })の下で作成されています。現行のポリシーは { $current } です。
refusal-token-policy-changed-request-hint = 申請者に現在のポリシーで申請し直すよう依頼してください。
refusal-token-other-file = このファイルは承認されたファイル({ $name }、BLAKE3 { $blake3 })と内容が異なります。承認後に変更されたか、別のファイルです。
refusal-token-other-file-hint = 承認されたファイルをそのまま送るか、変更後のファイルで承認を依頼し直してください。
refusal-token-other-class = 承認は{ $class }としてのものですが、このファイルは現在{ $file_class }です。
refusal-token-other-class-hint = 情報資産管理責任者に改めて承認を依頼してください(okuri request)。
refusal-token-other-recipient = 承認された受信者は { $name } ({ $recipient }) です。「{ $to }」への提供は承認されていません。
refusal-token-other-recipient-hint = 承認された受信者に送るか、この受信者について承認を依頼し直してください。
refusal-token-other-channel = 承認された経路は{ $channel }です。{ $given_channel }での送付は承認されていません。
refusal-token-other-channel-hint = 承認された経路で送るか、この経路について承認を依頼し直してください。
refusal-token-other-requester = この承認は { $requester } の申請に対するものです。{ $packer } は使用できません。
refusal-token-other-requester-hint = 承認を受けた申請者本人が送付するか、自分で承認を依頼してください。
refusal-token-other-legal-basis = 承認された法令等の根拠は「{ $approved }」です。「{ $given }」ではありません。
refusal-token-other-legal-basis-hint = --legal-basis を省くか、承認された根拠を指定してください。
refusal-token-reused = この承認トークン ({ $token }) は送付記録の { $entry } 番で既に使われています。承認は一回限りです。
refusal-token-reused-hint = 情報資産管理責任者に改めて承認を依頼してください(okuri request)。
refusal-token-reused-service = この承認トークン ({ $token }) は既に使われています({ $by } が送付 { $transfer } で { $at } に使用、承認サービス)。承認は一回限りです。
refusal-offline-token-refused = 承認サービスに接続できません。{ $class }の承認トークンはオフラインでは使えません({ $why })。
refusal-offline-token-refused-hint = 承認サービスが復旧してから送付してください。

## 承認の手続(workflow.rs)

workflow-field-one-line = { $field ->
        [purpose] --purpose(目的)
        [legal-basis] --legal-basis(法令等の根拠)
       *[reason] --reason(理由)
    } は { $max } 文字以内の空でない1行で指定してください
workflow-no-approval-needed = このポリシーでは、{ $class }の{ $channel }による送付に承認は不要です
workflow-no-approval-needed-hint = `okuri pack` で直接梱包してください
workflow-expires-out-of-range = --expires の値が範囲外です
workflow-expires-invalid = このポリシーでは、--expires は0より長く { $max } 時間以内で指定してください
workflow-expires-hint = 例: --expires 72h 又は --expires 3d

## 分類の表示と署名付きの分類指定(label.rs)

label-xattr-invalid = { $path } の分類表示 { $xattr } が正しくありません。「{ $value }」は重要性分類ではありません(I、II 又は III を使ってください)
label-xattr-invalid-hint = `okuri label { $path } --class I|II|III --store xattr` で正しい分類を設定するか、どの分類に当たるかを情報責任者に確認してください
label-xattr-unsupported-hint = このファイルシステムはユーザー拡張属性に対応していない可能性があります。--store register を使ってください
label-sidecar-not-utf8 = 分類表示ファイル { $path } は UTF-8 のテキストではありません
label-sidecar-empty = 分類表示ファイル { $path } が正しくありません。中身が空です
label-sidecar-several = 分類表示ファイル { $path } が正しくありません。複数の分類が書かれています
label-sidecar-not-a-class = 分類表示ファイル { $path } が正しくありません。「{ $value }」は重要性分類ではありません(I、II 又は III を使ってください)
label-sidecar-invalid-hint = I、II 又は III のいずれかを書くか、ファイルを削除して `okuri label` で分類を表示してください
label-register-invalid = 分類表示の登録簿の項目 { $path } が正しくありません
label-register-invalid-hint = バックアップから復元するか、項目を削除してファイルの分類を表示し直してください
label-register-other-digest = 分類表示の登録簿の項目 { $path } は別のファイルのダイジェストを示しています
label-register-other-digest-hint = 登録簿が手作業で編集されています。項目を削除してファイルの分類を表示し直してください

## 署名付きの分類指定を無視した理由(`okuri classify` で表示)

designation-other-version = ファイルの別の版(BLAKE3 { $blake3 })に対する指定です。指定の後にファイルが変更されています
designation-other-department = { $department } についての指定であり、{ $mine } についてのものではありません。他の所属の指定は分類を厳しくすることにしか使えません。自所属の情報責任者に指定を依頼してください
designation-department-needed = { $officer } は { $departments } の情報資産を指定できます。どの課の情報資産かを指定してください
hint-designation-department-needed = --department を付けてください(例: --department { $example })
designation-xattr-store = 署名付きの分類指定は登録簿又はファイルの隣に保存します。拡張属性には保存できません
designation-xattr-store-hint = --store register(既定)又は --store sidecar を指定してください

## 分類表示と分類指定に関する拒否

refusal-lower-class = この情報資産は既に{ $class }と表示されています。職員が分類を下げることはできません。
refusal-lower-class-hint = 分類の変更は情報責任者(部長等)に依頼してください。
refusal-designation-not-allowed = { $officer }は{ $department }の{ $class }を指定する権限がありません。
refusal-designation-not-allowed-hint = ポリシーの情報責任者の一覧(鍵・分類・所属)を最高情報統括責任者に確認してください。
refusal-designation-not-allowed-key = 鍵 { $key } は情報責任者の鍵として有効ではありません({ $trust ->
        [revoked] { $signer } の鍵は失効しています。理由: { $reason }
        [not-yet-valid] { $signer } の鍵は { $from } まで有効になりません
        [expired] { $signer } の鍵の有効期間は { $until } に終了しています
       *[unknown] ポリシーの信頼リストにありません
    })。

## okuri が書き込み、読むファイル(fsutil, input)

file-exists = { $path } は既に存在します。okuri はファイルを上書きしません
file-exists-hint = 既存のファイルを移動又は削除するか、--out / --slip で別の場所を指定してください
file-name-too-long = 名前 { $path } は { $bytes } バイトあり、ファイルシステムの上限 { $max } バイトを超えます。何も書き込んでいません
file-name-too-long-hint = 短い名前にしてください。ファイル名を変更する(暗号化ファイルは名前に「.age」が付きます)か、--slip に短い名前を指定してから、もう一度実行してください
input-symlink = { $path } はシンボリックリンクです。分類したファイルと送るファイルが同じであるよう、okuri はリンクをたどりません
input-symlink-hint = ファイルそのもののパスを指定してください
input-directory = { $path } はフォルダです。okuri が送るのは一つのファイルです
input-directory-hint = ファイルを一つのアーカイブ(zip、tar)にまとめ、分類を受けてから送ってください
input-not-regular = { $path } は通常のファイルではありません(デバイス、パイプ又はソケット)
input-not-regular-hint = データを通常のファイルにコピーしてから実行してください
input-changed = { $path } は okuri が読んでいる間に変更されました。何も送付・記録していません
input-changed-hint = ファイルへの書き込みが終わってから(編集しているプログラムを閉じてから)、もう一度実行してください

## パッケージの作成(okuri pack)

pack-empty-recipient = --to を空にすることはできません
pack-empty-purpose = --purpose を空にすることはできません
pack-empty-legal-basis = --legal-basis を空にすることはできません
pack-long-recipient = --to は { $max } 文字以内の1行で指定してください
pack-long-purpose = --purpose は { $max } 文字以内の1行で指定してください
pack-long-legal-basis = --legal-basis は { $max } 文字以内の1行で指定してください
pack-out-dir-missing = 出力先フォルダ { $path } がありません
pack-out-dir-missing-hint = フォルダを作成するか、--out を省いて okuri ホームの outbox を使ってください
pack-slip-dir-missing = パスワード通知書の出力先フォルダ { $path } がありません
pack-slip-dir-missing-hint = フォルダを作成するか、--slip に既存のフォルダのパスを指定してください(ホームフォルダの中なら、okuri が本人だけが読めるフォルダを自動で作成します)
pack-write-failed = パッケージを書き込めませんでした
pack-write-failed-hint = 出力先フォルダに空きがあり、書き込みができることを確認してください
pack-interrupted = 中断しました。何も送付・記録していません
pack-age-setup = age による暗号化を準備できませんでした

## 装置と記録媒体

device-not-mount-point = { $path } は記録媒体のマウント先ではありません
device-not-mount-point-hint = USBメモリ又はSDカードがマウントされているフォルダを指定してください(例: /media/USER/LABEL)
device-not-block = { $path } は { $source } ({ $dev }) からマウントされていますが、okuri が識別できるブロックデバイスではありません
media-see-list = `okuri media list` で確認してください
media-register-entry-invalid-hint = 媒体台帳を編集しないでください。監査に報告してください
media-register-entry-other = 媒体台帳の { $path } は別の記録媒体({ $medium })を示しています
media-retired-invalid = 媒体台帳の廃止記録 { $path } は有効ではありません
media-label-invalid = --label は { $max } 文字以内の1行で指定してください(例: USB-01)
media-no-uuid = { $path } のファイルシステムには okuri が読み取れる UUID がありません
media-no-uuid-hint = 記録媒体をフォーマット(例: mkfs.vfat 又は mkfs.ext4)してから登録してください
media-already-marked = { $path } には既に登録マーカーがあります
media-already-marked-hint = `okuri media list` で確認してください。記録媒体の登録は一度だけです(廃止した媒体は消去・再フォーマットしてから登録してください)
media-label-in-use = ラベル { $label } は既に使われています
media-label-in-use-hint = 別のラベルを指定してください
media-unknown = 記録媒体 { $id } は媒体台帳にありません
media-already-retired = 記録媒体 { $id } は既に廃止されています
media-wipe-unregistered = { $path } は登録された記録媒体ではありません
media-wipe-unregistered-hint = okuri が消去するのは登録された記録媒体だけです。`okuri media list` で確認してください
media-not-age = { $path } は age のパッケージではありません
media-not-age-hint = 記録媒体に書き込めるのは `okuri pack` で作成したパッケージだけです
media-not-recorded = { $path } はこの送付記録にあるパッケージではありません
media-not-recorded-hint = `okuri pack … --channel media --out マウント先` でファイルをパッケージにしてください

## パスワード通知書と記録媒体に関する拒否

refusal-slip-beside-package = パスワード通知書をパッケージと同じフォルダ({ $dir })に置くことはできません。パスワードがファイルと一緒に送られるおそれがあります。
refusal-slip-beside-package-hint = --slip には別のフォルダ(例: ホームの slips)を指定するか、--slip を省いて画面に表示してください。
refusal-medium-not-allowed = { $path } は取り外し可能な記録媒体ではありません({ $device })。okuri が登録するのはUSBメモリとSDカードだけです。
refusal-medium-not-allowed-hint = USBメモリ又はSDカードのマウント先を指定してください。
refusal-medium-not-allowed-key-unknown = 鍵 { $key } は情報資産管理責任者の鍵として有効ではありません(ポリシーの信頼リストにありません)。
refusal-medium-not-allowed-key-revoked = 鍵 { $key } は情報資産管理責任者の鍵として有効ではありません({ $signer } の鍵は失効しています。理由: { $reason })。
refusal-medium-not-allowed-key-not-yet-valid = 鍵 { $key } は情報資産管理責任者の鍵として有効ではありません({ $signer } の鍵は { $from } より前には有効ではありません)。
refusal-medium-not-allowed-key-expired = 鍵 { $key } は情報資産管理責任者の鍵として有効ではありません({ $signer } の鍵の有効期限は { $until } まででした)。
refusal-medium-not-allowed-key-hint = 記録媒体の登録は情報資産管理責任者が自分の鍵で行います。
refusal-medium-not-allowed-approval = { $class }の情報資産を記録媒体で渡すには、記録媒体(media)での承認が必要です。このパッケージは{ $packed_channel }用に作成されています。
refusal-medium-not-allowed-approval-hint = --channel media で承認を受けて pack し直してください。
refusal-medium-unregistered = { $path } は登録された記録媒体ではありません(okuri の登録マーカーがありません)。{ $class }の情報資産は登録された記録媒体にのみ書き込めます。
refusal-medium-unregistered-hint = 情報資産管理責任者が登録した記録媒体を使ってください(okuri media list)。
refusal-medium-unregistered-not-in-register = 記録媒体 { $label } ({ $medium }) は媒体台帳にありません。{ $class }の情報資産は登録された記録媒体にのみ書き込めます。
refusal-medium-retired = 記録媒体 { $label } ({ $medium }) は { $at } に廃止されています(理由: { $reason })。{ $class }の情報資産は書き込めません。
refusal-medium-retired-hint = 情報資産管理責任者が登録した記録媒体を使ってください(okuri media list)。
refusal-medium-mismatch = { $path } の装置({ $device })は登録マーカー { $label } ({ $medium }) と一致しません。マーカーが別の媒体から複製されたか、媒体が再フォーマットされた可能性があります。{ $class }の情報資産は書き込めません。
refusal-medium-mismatch-hint = 情報資産管理責任者が登録した記録媒体を使ってください(okuri media list)。
refusal-medium-required = { $path } は登録された記録媒体ではありません。{ $class }の情報資産は登録された記録媒体のマウント先にのみ書き込めます。
refusal-medium-required-hint = 登録された記録媒体のマウント先を --out に指定してください(okuri media list)。
refusal-medium-required-encrypted-only = 記録媒体には暗号化したパッケージのみ書き込めます。{ $class }の情報資産を --channel media で送るときは --no-encrypt は使えません。
refusal-medium-required-encrypted-only-hint = --no-encrypt を外して実行してください。

## パスワード通知書。日本語と英語を並べて記載する。各行は同じ ID を両方の言語で表示したもの。

slip-title = パスワード通知書
slip-send-separately = この通知書は暗号化ファイルとは別の経路で送付してください。
slip-transfer-id = 送付番号
slip-date = 日時
slip-sender = 送信者
slip-recipient = 受信者
slip-class = 分類
# $class: 分類(I, II, III)。
slip-class-value = { $class ->
    [I] 重要性分類Ⅰ
    [II] 重要性分類Ⅱ
   *[III] 重要性分類Ⅲ
}
slip-channel = ファイル送付経路
# $channel: email, lgwan, media, hand。
slip-channel-value = { $channel ->
    [email] 電子メール
    [lgwan] LGWAN
    [media] 記録媒体
   *[hand] 手渡し
}
slip-file = ファイル名
slip-size = サイズ(バイト)
slip-fingerprint = 指紋
slip-type-exactly = 数字とハイフンをそのまま入力
slip-reading = 読み方
slip-digits = 0 ゼロ, 1 いち, 2 に, 3 さん, 4 よん, 5 ご, 6 ろく, 7 なな, 8 はち, 9 きゅう
slip-check-heading = ファイルの確認
slip-check-match = 先頭16桁が上の指紋と一致すること
slip-decrypt-heading = 復号方法
slip-decrypt-enter = パスワードを聞かれたら上の Passphrase を入力
slip-windows-unnamable = このファイル名は Windows では使えません。Linux・macOS で作業するか、送信者にファイル名の変更を依頼してください
slip-delivery-heading = この通知書の伝達方法
slip-how-network = 電話、FAX、手渡し又は郵送で伝えてください。ファイルを送る電子メールに記載・添付してはいけません。
slip-how-physical = 電話、FAX又は別便の郵送で伝えてください。記録媒体やファイルと一緒に渡してはいけません。
slip-deliver-to = 送付先
slip-rule = 亀岡市情報セキュリティ対策基準 第2章2: 復号化パスワードは、当該電子メール以外の確実な方法により送信先に伝達しなければならない

## 承認サービス(okuri-approvald): 利用者に返すエラー(`api-`)、起動時のエラー(`service-`)、
## CLI から承認サービスを利用する際のメッセージ(`client-`)

api-no-endpoint = そのようなエンドポイントはありません
api-busy = データベースが使用中です。しばらくしてから、もう一度実行してください
api-database-unavailable = 承認サービスが現在データベースに接続できません。しばらくしてから、もう一度実行してください(何も変更されていません)
api-documents-stale = この承認サービスのインスタンスは、市の { $kind } 文書の版番号 { $serial } のままで、有効な版番号 { $held } より古いため、新しい文書を読み込むまで何も変更しません。しばらくしてから、もう一度実行してください
api-internal = 承認サービスの内部エラーです
api-no-randomness = 承認サービスの乱数生成器が失敗しました
api-too-large = 送信されたデータが大きすぎます: { $detail }
api-not-json = 送信されたデータが JSON ではありません: { $detail }
api-bad-body = 送信されたデータが正しくありません: { $detail }
api-bad-query = URL のクエリ文字列が正しくありません: { $detail }
api-bad-path = URL のパスが正しくありません: { $detail }
api-no-authorization = 先にログインしてください(Authorization ヘッダーがありません)
api-not-bearer = Authorization ヘッダーが Bearer セッションではありません
api-unknown-session = 不明なセッションです。もう一度ログインしてください
api-session-expired = セッションの有効期限が切れました。もう一度ログインしてください
api-violations-forbidden = 複数回使われたトークンを見られるのは情報資産管理責任者と監査だけです
api-token-id-mismatch = 送られたトークンは { $token } ではありません。URL とトークンは同じものを指す必要があります
api-session-revoked = { $id } のセッションは無効になりました。本人又はその鍵が職員名簿又は信頼リストから外れています。引き続き権限があるはずの場合は、ログインし直してください
api-challenge-replayed = 不明な又は使用済みのチャレンジです(リプレイの可能性があります)。新しいチャレンジを要求してください
api-challenge-other-id = このチャレンジは別の利用者に発行されたものです
api-challenge-expired = チャレンジの有効期限が切れました。新しいチャレンジを要求してください
api-not-ssh-signature = 署名が SSH 署名ではありません
api-signature-invalid = 署名を検証できません
api-not-enrolled = 鍵 { $key } は { $id } の鍵として登録されていません。承認サービスの管理者に相談してください
api-stored-request-unreadable = 保存されている申請を読み取れません
api-staff-only-submit = 申請を提出できるのは職員だけです
api-not-a-request = okuri の承認申請(バージョン1)ではありません
api-requester-mismatch = あなたは { $caller } ですが、この申請の申請者は { $requester } です。申請は申請者本人が提出してください
api-policy-mismatch = この申請はポリシー { $request_policy } の下で作成されましたが、承認サービスが適用しているポリシーは { $service_policy } です
api-unknown-status = 「{ $status }」は不明な状態です
api-token-id-taken = トークン { $token } の判断は別の申請について記録済みです。情報資産管理責任者が承認を署名し直してください(新しいトークン)
api-no-request = 申請 { $id } はありません
api-request-exists = 内容の異なる申請 { $id } が既にあります
api-already-decided = 申請 { $id } は既に決裁されています(状態: { $status ->
        [approved] 承認済み
        [denied] 却下済み
        [consumed] 使用済み
       *[other] { $status }
    })
api-may-not-see-request = この申請を閲覧する権限がありません
api-custodian-only-decide = 申請を決裁できるのは情報資産管理責任者だけです
api-may-not-decide = { $who } は { $department } の{ $class }の申請を決裁できません
api-not-own-decision = アップロードできるのは自分の決裁だけです
api-decision-other-request = この判断は別の申請に対するものです
api-self-decision = 情報資産管理責任者は、自分の申請を(どの職員IDや鍵でも)決定できません
api-self-approval = 自分の申請を自分で承認することはできません
api-token-expired = 承認トークンの有効期限が既に切れています
api-token-validity-too-long = 承認トークンの有効期間がポリシーの上限 { $max } 時間を超えています
api-decision-one-of = 承認トークンと却下通知のどちらか一方だけを送ってください
api-staff-only-consume = 承認トークンを使用できるのは職員だけです
api-no-approved-token = 承認済みのトークン { $token } はありません
api-not-token-owner = この承認トークンを使用できるのは申請者だけです
api-token-used = 承認トークン { $token } は既に使われています({ $by } が { $at } に送付 { $transfer } で使用)
api-may-not-see-head = この送付記録のヘッドを閲覧する権限がありません
api-no-head = { $record } の送付記録のヘッドは、承認サービスでまだ確認(witness)されていません
api-not-record-owner = 送付記録のヘッドを送れるのは、その記録の所有者だけです
api-head-not-enrolled-key = ヘッドが、登録されているあなたの鍵で署名されていません
api-head-not-extending = ヘッド { $seq } は確認済みのヘッド { $witnessed } の続きではありません。送付記録が切り詰められたか、書き換えられています
api-entry-not-extending = { $entry } 番の記録は確認済みのヘッド { $witnessed } の続きではありません。送付記録が書き換えられています
api-lines-not-head = 送られた行のハッシュがヘッドと一致しません
api-head-moved = その間にヘッドが更新されました。もう一度送ってください

service-database-open = データベース { $path } を開けません
service-database-open-hint = ディレクトリが存在し、承認サービスの実行ユーザーが所有していることを確認してください
service-database-connect = PostgreSQL のデータベース { $database } を使えません
service-database-connect-hint = サーバーが動いていて到達できること、ユーザー・データベース・パスワードファイルが正しいこと、サーバー証明書が database_ca_file の CA で署名されていることを確認してください
service-database-password-open = データベースのパスワードファイル { $path } を、サービスの利用者以外も読めます
hint-service-database-password-open = 次を実行してください: chmod 600 { $path }
service-copied = { $table } の { $rows } 行を複写し、すべて読み戻して照合しました
service-copy-done = { $from } を { $to } に複写しました: { $rows } 行、すべて両者で一致しています
service-copy-same = --from と --to が同じデータベース { $database } を指しています
hint-service-copy-same = 元のデータベースを --from で指定してください。複写先は設定の database(または --to)です
service-copy-target-not-empty = 複写先のデータベースが空ではありません: 表 { $table } に { $rows } 行あります
hint-service-copy-target-not-empty = 新しい空のデータベースに複写してください(表は okuri-approvald が作ります)。何も変更していません
service-copy-mismatch = 複写が元と一致しません: 表 { $table }(元 { $rows } 行、複写 { $copied } 行)
hint-service-copy-mismatch = 複写先でサービスを起動しないでください。複写先を削除し、新しい空のデータベースに複写し直してください
service-copy-failed = { $database } への複写に失敗しました。複写したものは残していません
service-database-newer = データベースのスキーマ版 { $have } は新しい okuri-approvald が作ったものです。この版が扱えるのは { $known } までです
service-database-newer-hint = それを作った版(またはより新しい版)の okuri-approvald で運用してください。この版は書き込みません
service-migrated = スキーマの移行 { $version }({ $name })を適用しました
service-schema-current = データベース { $path } はスキーマ版 { $version } です
service-tls = TLS 証明書 { $cert } と秘密鍵 { $key } を使用できません
service-tls-hint = PEM 形式の証明書チェーンと、PEM 形式の秘密鍵を指定してください
service-serve = { $address } で待ち受けできません
service-serve-hint = 別のプロセスがそのアドレスで待ち受けていないか確認するか、別の `listen` アドレスを指定してください
service-runtime = 実行環境(ランタイム)を起動できません
service-config-ok = 設定に問題はありません({ $path })

client-refused-text = 承認サービスが拒否しました: { $message }({ $status } { $code })
client-refused-status = 承認サービスが要求を拒否しました({ $status } { $code })
client-refused-unauthorized-hint = 自分の鍵が承認サービスに登録されているか確認してください(承認サービスの管理者に問い合わせてください)
client-refused-forbidden-hint = この操作には、この申請に対してあなたが持っていない役割が必要です
client-refused-busy-hint = 承認サービスが混み合っています。しばらくしてから、もう一度実行してください
client-ca-no-certificate = { $path } に PEM 形式の証明書がありません
client-unreachable = { $url } の承認サービスに接続できません
client-unreachable-hint = ネットワークと、okuri-approvald が動作していることを確認してください。接続先はポリシーの [service] に記載されています
client-broken = 承認サービス { $url } を利用できませんでした。接続はできましたが、その後の処理(TLS、サービスでない応答、途中での切断)に失敗しました
client-broken-hint = これはエラーであり「到達不能」ではないため、オフラインでの処理には切り替えません。サービスの管理者に連絡し、後でもう一度試してください
client-unreadable-answer = { $url } の承認サービスから、okuri が読み取れない応答が返されました

## 署名付き文書: 一つの検証、失敗の理由ごとに一つの文言

signed-unreadable = { $source } は読み取れる{ $kind ->
    [approval-token] 承認トークン
    [approval-denial] 情報資産管理責任者の却下通知
    [designation] 分類の指定
   *[medium] 記録媒体の登録マーカー
}ではありません: { $why ->
    [no-signature] SSH SIGNATURE ブロックがありません
    [payload] 本文が改行で終わる UTF-8 の JSON ではありません
    [signature] SSH SIGNATURE ブロックを読めません({ $detail })
    [kind] 別の種類の okuri 文書です({ $detail })
   *[json] 本文がこの種類の内容ではありません({ $detail })
}
signed-forged = 署名が正しくありません。文書が改ざんされたか、偽造されたものです
signed-future = 署名の時刻 ({ $at }) が未来です。時計を確認してください
signed-not-the-holder = 署名者として { $named } を名乗っていますが、鍵の持ち主は { $holder } です
signed-outside-remit = { $signer } は{ $department }の{ $class }について権限がありません

## ID

id-bad = 「{ $value }」は{ $kind ->
    [staff] 職員等のID(英小文字・数字と . _ - の1〜64文字)
    [record] 記録のID(職員等のID、'@'、英小文字・数字と . _ - による端末名)
    [request] 申請ID(req- と16進32桁)
    [token] トークンID(tok- と16進32桁)
    [denial] 却下ID(den- と16進32桁)
    [designation] 指定ID(des- と16進32桁)
    [medium] 記録媒体ID(med- と16進32桁)
   *[transfer] 送付番号(YYYYMMDD-NNNN-NNNN)
}ではありません
session-token-needs-service = { $id } は申請IDですが、トークンを取得する承認サービスがポリシーに指定されていません
refusal-medium-unregistered-invalid-marker = { $class }の情報資産は登録された記録媒体にのみ書き込めます。{ $path } の登録マーカーは無効です({ $why ->
    [forged] 署名が正しくありません。改ざん又は偽造されています
    [future] 署名の時刻が未来です
    [distrusted] 鍵が信頼された情報資産管理責任者のものではありません
    [not-the-holder] 鍵の持ち主とは別の情報資産管理責任者を名乗っています
   *[other] 読み取れません
})。
media-register-entry-invalid = 媒体台帳の項目 { $path } は無効です
cli-check-ok = 可
cli-check-fail = 不可
cli-show-denied = [却下] { $reason }
cli-bad-duration = 「{ $value }」は 72h や 3d のような期間ではありません({ $detail })

## The city's authority: trust anchor and signed documents (policy::city)
city-system-dir-not-honoured = { $var } はrootとテスト用ビルドでのみ有効です。okuri は市の文書を /etc/okuri から読みます
hint-city-system-dir-not-honoured = { $var } を解除してください。市の文書は管理者が /etc/okuri に置きます
city-header-toml = TOMLとして読めません: { $detail }
city-header-serial = `serial` は1以上の整数でなければなりません
city-header-missing = 先頭に `{ $key }` がありません。署名された市の文書には `serial` と `valid_until` が必要です
city-header-valid-until = `valid_until` は日付(日本時間でその日の終わりまで有効)か、時差付きの日時でなければなりません
city-anchor-unprotected = 市のファイル { $path } はroot以外が変更できます(所有者uid { $owner }、モード { $mode })。okuri は信頼しません
hint-city-anchor-unprotected = rootで実行: chown root:root { $path } && chmod go-w { $path }
city-anchor-invalid = トラストアンカー { $file } を読めません
hint-city-anchor-invalid = 各行は最高情報統括責任者(CISO)の鍵のOpenSSH allowed_signers 行です: `ciso-1 ssh-ed25519 AAAA…`
city-anchor-line = この行に ssh-ed25519 鍵がありません
city-anchor-key = この鍵は使えません: { $detail }
city-anchor-too-few = トラストアンカー { $file } の鍵は { $count } 個です。最高情報統括責任者(CISO)の鍵が2個以上必要です
hint-city-anchor-too-few = 全端末を再設定せずに鍵を交換できるよう、CISOの鍵を2個以上記載してください
city-document-missing = 市の { $kind } 文書 { $file } がありません。この端末の okuri は設定されていません
hint-city-document-missing = トラストアンカーが設置されているため、okuri は市の署名済み文書にのみ従います。管理者に { $kind } と署名の設置を依頼してください
city-unsigned = { $file } に署名({ $file }.sig)がありません。okuri は署名された市の文書にのみ従います
hint-city-sign = 署名者が実行: okuri sign { $kind } { $file } --key KEY
city-signature-unreadable = 署名 { $file } をSSH署名として読めません
city-signature-invalid = { $file } の署名が名前空間 { $namespace } で一致しません。署名後に文書が変更されたか、別の文書の署名です
hint-city-signature-invalid = 市が発行したとおりに文書と署名を置き直してください。変更された文書は最高情報統括責任者(CISO)に報告してください
city-signer-not-trusted = { $file } は鍵 { $key } で署名されていますが、この鍵にはその文書の署名権限がありません
hint-city-signer-ciso = この文書に署名できるのはトラストアンカー { $file } の鍵(最高情報統括責任者)だけです
city-document-changed = okuri の署名中に { $file } が変更されました。何も署名していません
hint-city-document-changed = 他の人が編集しています。変更内容を確認してから、もう一度実行してください
city-document-invalid = { $file } は市の文書として使えません
city-document-expired = { $file }(serial { $serial })の有効期限は { $until } まででした
hint-city-document-expired = valid_until を延ばして署名した新しい { $kind } 文書を市に依頼してください
city-document-too-big = { $file } は { $limit } バイトを超えています。市の文書ではありません
city-document-not-utf8 = { $file } はUTF-8のテキストではありません
city-serials-unreadable = 市の文書のserialを記憶する { $file } を読めません
city-rollback = 市の { $kind } 文書のserialは { $serial } で、既に確認したserial { $held } より古いものです。巻き戻された文書は拒否します
hint-city-rollback = 市の現行の文書を設置してください。古い内容に戻す場合は、市がより大きいserialで署名し直します
city-override-refused = { $what } が { $file } を指定していますが、この端末は { $dir } の市の署名済み文書に従います
hint-city-override-refused = オプションまたは環境変数を外してください。下書きの確認は `okuri policy check FILE` でできます(従いはしません)
city-rules-hold-people = 市の署名済み規則に `{ $key }` を含めることはできません
hint-city-rules-hold-people = 人と宛先はそれぞれ独立した文書です。trust.toml か service.toml に移し、それぞれ署名してください
cli-policy-development = 開発モード: トラストアンカーが設置されていないため、この規則は署名されておらず、記録の各エントリにもその旨が記されます
cli-policy-signed = 市の署名済み: { $documents }
cli-sign-done = { $kind } 文書 { $file } に署名しました(serial { $serial }、有効期限 { $until }): { $sig }
    名前空間 { $namespace }、鍵 { $key }
config-city-and-files = 設定が市のディレクトリ { $dir } と、policy・recipients・staff のファイルを両方指定しています
hint-config-city-and-files = `city` を指定すると、サービスはそこの市の署名済み文書を読みます。policy・recipients・staff を削除してください
config-no-city = 設定に `city`(市の署名済み文書)も、開発用の `policy`・`recipients`・`staff` もありません
service-city-no-anchor = 市のディレクトリ { $dir } にトラストアンカー { $file } がありません
hint-service-city-no-anchor = 最高情報統括責任者(CISO)の allowed_signers をrootの所有で設置してください
service-city-rollback = 市の { $kind } 文書のserialは { $serial } で、サービスが保持するserial { $held } より古いものです
api-entry-development = エントリ { $entry } は開発モード(トラストアンカーなし、署名のない規則)で書かれています。このサービスは市の署名済み文書のもとで書かれたエントリだけを立会います

refusal-requester-not-enrolled = 申請者 { $requester }({ $department }){ $why ->
    [unknown] は市の職員名簿に職員として登録されていません。
    [department] は市の職員名簿では { $department } ではなく { $listed } の所属です。
    [unsigned] が登録済みの鍵で申請に署名していません。
   *[key] が職員名簿にない鍵で申請に署名しています。
}
refusal-requester-not-enrolled-hint = 申請は申請者本人が自分の鍵で署名し、職員名簿上の所属で行います。申請者に改めて申請するよう依頼してください(okuri request)。
api-requester-not-enrolled = { $why ->
    [unknown] 職員名簿に職員として登録されていません
    [department] 職員名簿ではあなたの所属は { $department } ではなく { $listed } です
    [unsigned] 市の署名済み文書で動くサービスは、登録済みの鍵で署名された申請だけを受け付けます
   *[key] 申請の鍵は職員名簿上のあなたの鍵ではありません
}
api-requester-key-mismatch = 申請の鍵がログインに使った鍵と異なります
request-signature-invalid = 申請 { $path } の署名が成立しません。申請者の署名後に変更されたか、記載された鍵以外で署名されています
request-signature-invalid-hint = 申請者が署名したとおりの申請を受け取ってください(okuri request --out)
request-signature-missing = 申請 { $path } は鍵を記載していますが、署名がありません。その鍵は誰でも書き込めます
token-check-directory = 市の職員名簿上、{ $requester } は申請に記載の所属の職員で、申請の鍵の保有者です
identity-not-in-directory = このホームでは { $department } の { $id } となっていますが、{ $why ->
    [department] 市の職員名簿では { $id } の所属は { $listed } です
    [key] 鍵 { $listed } は市の職員名簿上 { $id } の鍵ではありません
   *[other] 市の職員名簿に職員 { $id } は登録されていません
}
hint-identity-not-in-directory = 職員名簿のとおりにホームを設定するか(okuri init --id ID --department 所属)、管理者に登録を依頼してください
api-decide-requester-not-enrolled = 申請者 { $requester } { $why ->
    [unknown] は職員名簿に職員として登録されていません
    [department] の所属は職員名簿上 { $department } ではなく { $listed } です
    [unsigned] は登録済みの鍵で申請に署名していません
   *[key] の申請の鍵は職員名簿上の鍵ではなくなりました
}。この申請は判断できません
api-bad-digest = BLAKE3 ダイジェスト(16進64桁)ではありません
cli-classify-unasked =   承認サービスに市の指定を問い合わせられませんでした。この端末にある指定だけで判断しています
cli-designation-unregistered = 指定は有効ですが、承認サービスに登録されていません。どこでも classify で見つかるよう、接続できるときに改めて指定してください
cli-designation-registered = 承認サービスに登録しました({ $at })
media-city-register-invalid = 市の記録媒体台帳 { $file } は使えません
media-city-register-toml = { $detail }
media-city-register-twice = 市の記録媒体台帳に媒体 { $id } が2回記載されています
media-retire-signed-city = この端末は市の署名済み記録媒体台帳に従います。媒体 { $id } の廃止は台帳で行い、ディレクトリ内の記録では行いません
hint-media-retire-signed-city = 情報資産管理責任者が media.toml の { $id } の項目に `retired_at` と `reason` を加え、serialを上げて署名し(okuri sign media media.toml --key KEY)、管理者が /etc/okuri に設置します
cli-media-city-entry = 市の記録媒体台帳(media.toml)に次を加え、serialを上げて署名してください(okuri sign media media.toml --key KEY):
service-serials-unrecorded = 市の文書のserialをデータベースに記録できませんでした
service-serials-unread = 有効な市の文書の版番号をデータベースから読めませんでした
service-check-database-later = データベース { $database } が現在応答しないため({ $reason })、スキーマと版番号は確認していません。サービスは起動し、データベースが応答するまで 503 を返します
api-entry-other-rules = エントリ { $entry } は規則 { $rules } のもとで作られていますが、これはこのサービスが従ってきた市の規則ではありません。立会いません
city-anchor-options = アンカーの行は主体名と鍵だけです。次のオプションは使えません: { $options }
api-documents-expired = サービスが従う市の文書の有効期限({ $until })が切れています。新しい文書が設置されるまで処理しません
cli-class-finding-row = 送付 { $transfer }({ $by }、{ $record })は承認サービスに問い合わせずに分類 { $class } として送られましたが、市の指定ではこのファイル(BLAKE3 { $blake3 })は分類 { $city_class } です(把握 { $at })

## 市の初日: ひな形と登録 (okuri template, trust add, staff add)

enrol-invalid = { $file } は okuri が追記できる TOML ではありません: { $detail }
hint-enrol-invalid = ファイルを手で直すか、`okuri template trust` / `okuri template staff` からやり直してください
enrol-no-serial = { $file } の先頭に `serial`(1 以上の整数)がありません
hint-enrol-no-serial = 先頭が `serial = 1` と `valid_until = …` の `okuri template …` から始めてください
enrol-not-a-list = { $file } の `{ $table }` は項目の一覧ではありません
enrol-differs = { $file } には { $id } が { $field }「{ $listed }」で登録されています(指定は「{ $given }」)。何も変更していません
hint-enrol-differs = 同じ人に鍵を追加するには登録済みの { $field } を指定してください。別の人には別の ID が必要です
enrol-bad-key = { $file } は Ed25519 の公開鍵ではありません: { $detail }
enrol-key-too-long = { $file } は公開鍵としては長すぎます(16 KiB 超)
enrol-key-not-utf8 = { $file } はテキストではないため、公開鍵ではありません
enrol-key-lines = { $file } は { $lines } 行あります。公開鍵ファイルは 1 行に 1 つの鍵だけです
enrol-key-control = { $file } に制御文字が含まれています。公開鍵ファイルは通常の文字だけの 1 行です
enrol-key-not-ed25519 = { $file } は { $algorithm } の鍵です。okuri の鍵は Ed25519 です
hint-enrol-bad-key = `okuri keygen` または `ssh-keygen -t ed25519` が作った .pub ファイル(`ssh-ed25519 AAAA…` の 1 行)を指定してください
cli-bad-class = 「{ $value }」は重要性分類ではありません(I、II 又は III を使ってください)
enrol-bad-day = 「{ $value }」は日付ではありません(YYYY-MM-DD、2000〜2999 年)
enrol-remit-missing = { $role ->
    [custodian] 情報資産管理責任者
   *[officer] 情報責任者
} は担当する重要性分類と部署を持ちます: --classes と --departments が必要です
hint-enrol-remit-missing = 例: `--classes I,II --departments 総務課`(すべての部署は `--departments '*'`)
cli-enrol-added = { $what ->
    [key] { $id } の新しい鍵を{ $list ->
        [trust] 信頼リスト
       *[staff] 職員名簿
    } { $file } に追加しました(serial { $serial }、鍵 { $key })
   *[person] { $id } を{ $list ->
        [trust] 信頼リスト
       *[staff] 職員名簿
    } { $file } に追加しました(serial { $serial }、鍵 { $key })
}
cli-enrol-nothing = { $file } には { $id } が鍵 { $key } で登録済みです。何も変更していません
enrol-unvouched = { $file } は鍵 { $key } が最後に署名した内容ではありません(その後変更されたか、別の鍵で署名されたか、署名なしで人が登録されています)。何も変更していません
hint-enrol-unvouched = 文書全体を確認し、`okuri sign { $kind } FILE --key KEY` で現在の内容に署名してから追加してください
enrol-stale-signature = { $file } にはこの鍵が登録済みですが、署名が現在の内容に対応していません
hint-enrol-stale-signature = 文書全体を確認し、`okuri sign { $kind } FILE --key KEY` で署名してください
enrol-would-unsign = { $file } は署名済みです。変更にも署名が必要です: --key で署名者の鍵を指定してください
hint-enrol-would-unsign = `--key KEY`({ $kind } 文書に署名する人の鍵)を付けるか、コピーを編集して `okuri sign { $kind } FILE --key KEY` で署名してください
enrol-revoked = { $file } では鍵 { $key } が失効済みです。失効した鍵は再登録できません
hint-enrol-revoked = 本人が `okuri keygen` で新しい鍵を作り、その .pub を渡してください
enrol-serial-max = { $file } の serial は最大値です。これ以上上げられません
cli-enrol-unsigned = { $file } はまだ署名されていません。`okuri sign { $kind } { $file } --key KEY` で署名してください

## okuri-approvald のウェブコンソール(docs/console.md)

console-title = okuri コンソール
console-nav-queue = 決定待ち
console-nav-decisions = 決定済み
console-nav-mine = 自分の申請
console-nav-key = このブラウザーの鍵
console-nav-logout = ログアウト
console-lang-other = English
console-back = コンソールに戻る
console-error-title = 処理できませんでした
console-no-webcrypto = このブラウザーでは署名鍵を作成・使用できません(WebCrypto の Ed25519 と IndexedDB が必要です)。最新の Chromium、Edge、Firefox、Safari か、okuri のコマンドを使ってください
console-script-failed = ブラウザーがこの手順を完了できませんでした。何も送信していません
console-no-key = このブラウザーにはその職員IDの鍵がありません。「このブラウザーの鍵」で作成して登録を依頼するか、鍵を作成したブラウザーを使ってください
console-id = 職員ID
console-login-title = ログイン
console-login-button = このブラウザーの鍵でログイン
console-login-explain = ログインでは、このブラウザーが職員IDごとに保管している鍵で一度限りのチャレンジに署名します。パスワードは使わず、鍵がブラウザーの外に出ることはありません。情報資産管理責任者の鍵は市の信頼リストに、職員の鍵は職員名簿に登録されます。
console-key-title = このブラウザーの鍵
console-key-explain = このブラウザーが職員IDごとに Ed25519 鍵を作成して保管します。秘密鍵は okuri のページを含め、どのページからも読み出せません。コンソールで署名したもの(ログイン、承認、不承認)は、下の公開鍵を使って誰でも ssh-keygen -Y verify で確認できます。
console-key-make = 鍵を作成・表示
console-key-none = このブラウザーには、この職員IDの鍵はまだありません。
console-key-exists = このブラウザーには、この職員IDの鍵があります。公開鍵:
console-key-enrol-title = 鍵の登録
console-key-enrol = 上の行を .pub ファイルとして保存し、市の文書を管理する担当に渡してください。情報資産管理責任者の鍵は信頼リスト(CISO が署名)に、職員の鍵は職員名簿(管理者が署名)に、okuri keygen で作成した鍵と同じ方法で登録されます:
console-not-logged-in = ログインしていないか、セッションが終了しています。もう一度ログインしてください(何も変更していません)
console-csrf = このフォームはあなたのセッションのページから送信されたものではありません(CSRF トークンがないか誤っています)。何も変更していません。ページを再読み込みして、もう一度実行してください
console-bad-form = フォームを読み取れません({ $detail })。何も変更していません
console-bad-public-key = ブラウザーが送った公開鍵を読み取れません(Ed25519 鍵が必要です)
console-bad-signature = ブラウザーから読み取れる署名が届きませんでした(Ed25519 の 64 バイト、base64)。何も変更していません
console-bad-hours = 有効期間は時間単位の整数で指定してください
console-custodians-only = このページは情報資産管理責任者のためのものです
console-staff-only = このページは自分の申請を持つ職員等のためのものです
console-no-pages-for-role = あなたの役割にはまだコンソールのページがありません。ここでは情報資産管理責任者が申請を決定し、職員が自分の申請を確認します。監査担当者はコマンドの okuri record と okuri approvals を使ってください。
console-queue-title = あなたの決定を待つ申請
console-queue-empty = あなたの決定を待つ申請はありません。
console-decisions-title = あなたの決定
console-decisions-empty = まだ何も決定していません。
console-mine-title = 自分の申請
console-mine-empty = 申請はまだありません(okuri request で作成します)。
console-none-on-this-page = この範囲には、あなたが決定できる申請はありません。さらに古い申請があります。
console-next-page = さらに古い申請
console-col-request = 申請
console-col-submitted = 提出日時
console-col-requester = 申請者
console-col-file = ファイル
console-col-class = 重要性分類
console-col-recipient = 提供先
console-col-status = 状態
console-status = { $status ->
    [pending] 決定待ち
    [approved] 承認済み
    [denied] 不承認
    [consumed] 承認済み・使用済み
   *[other] { $status }
}
console-request-title = 申請 { $id }
console-submitted-at = 提出 { $at }
console-decided = { $who } が { $at } に決定しました。
console-denial-reason = 不承認: { $reason }
console-consumed = トークンは転送 { $transfer } で { $at } に使用されました。
console-token-download = 承認トークンをダウンロード(承認サービスに接続できない端末で okuri pack --approval に使います)
console-no-token = 申請 { $id } には承認トークンがありません
console-already-decided = 申請 { $id } はすでに決定されています
console-field-file = ファイル名
console-field-size = サイズ
console-bytes = { $n } バイト
console-field-class-source = 分類の根拠(申請者の okuri による)
console-class-source = { $source ->
    [designation] 情報責任者が署名した指定
    [register] 登録簿の署名なしラベル(分類を上げることしかできません)
    [sidecar] ファイルの横の署名なしラベル(分類を上げることしかできません)
    [xattr] ファイルの署名なしラベル(分類を上げることしかできません)
    [default] ラベルなし: ラベルのないファイルに対するポリシーの分類
   *[other] 承認サービスが知らない根拠
}
console-designation = { $class }: { $officer } が { $department } について { $at } に署名
console-cross-site = このフォームは、コンソールではなく他のサイトのページから送信されました。何も変更していません。コンソールを直接開いて、もう一度実行してください
console-field-designations = 情報責任者の指定
console-no-designation = このファイルについて承認サービスが保持する有効な指定はありません
console-recipient-differs = 申請では提供先を「{ $name }」(契約「{ $contract }」)としていますが、提供先登録簿(上)とは異なります
console-requester-differs = 申請では「{ $name }」「{ $department }」としていますが、職員名簿とは異なります
console-field-contract = 契約
console-field-agreement-ends = 契約の終了日
console-not-in-register = 提供先登録簿にありません
console-field-channel = 経路
console-field-purpose = 目的
console-field-legal-basis = 法令等の根拠
console-field-requested-at = 申請日時
console-field-request-id = 申請ID
console-field-custodian = 情報資産管理責任者
console-field-key = 鍵
console-field-token-id = トークンID
console-field-issued-at = 発行日時
console-field-expires-at = 有効期限
console-field-reason = 理由
console-field-denied-at = 不承認の日時
console-approve-hours = 有効期間(時間、最大 { $max })
console-approve-button = 承認の内容を確認
console-deny-reason = 理由(申請者に表示されます)
console-deny-button = 不承認の内容を確認
console-sign-title = 決定に署名
console-sign-explain = このブラウザーの鍵が署名する内容は、以下のとおりです。署名は申請とともに保管され、申請者や監査担当者が ssh-keygen -Y verify で確認できます。
console-sign-approval = 承認
console-sign-denial = 不承認
console-sign-bytes = 署名するテキストそのもの
console-sign-button = このブラウザーの鍵で署名
console-sign-cancel = 署名せずに申請に戻る
console-pending-unknown = この決定は、このページからの署名を待っていません(署名済み、その後に準備した別の決定で置き換え済み、別のセッションで準備、または準備から { $minutes } 分以上経過)。何も記録していません。申請を開いて、もう一度決定してください
console-signature-mismatch = 表示した決定に対する、登録済みの鍵による署名ではありません(ページが改変されたか、別の鍵で署名されました)。何も記録していません。申請を開いて、もう一度決定してください
