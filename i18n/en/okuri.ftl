# okuri's messages in English. Each message has one id; i18n/ja/okuri.ftl has the same ids.
# The standard's terms stay in Japanese in parentheses, as staff know them by that name:
# custodian (情報資産管理責任者), information officer (情報責任者), 重要性分類Ⅰ.
# Arguments: $class and $channel arrive already named in this language (class-name,
# channel-name below); paths and times arrive as text.

## The voice on stderr: `okuri: error: …`

voice-error = error
voice-refused = refused
voice-integrity = integrity error
voice-hint = hint
voice-caused-by = caused by
severity-error = error
severity-warning = warning

## Classes and channels, as arguments

class-name = { $class ->
    [I] class I (重要性分類Ⅰ)
    [II] class II (重要性分類Ⅱ)
   *[III] class III (重要性分類Ⅲ)
}
channel-name = { $channel ->
    [email] e-mail
    [lgwan] LGWAN
    [media] removable media
   *[hand] hand delivery
}

## Files and the operating system

io-read = could not read { $path }
io-write = could not write { $path }
io-open = could not open { $path }
io-create = could not create { $path }
io-lock = could not lock { $path }
io-sync = could not sync { $path } to disk
io-remove = could not remove { $path }
io-append = could not append to { $path }
io-repair = could not repair { $path }
io-resolve = could not find { $path }
io-read-xattr = could not read the extended attributes of { $path }
io-write-xattr = could not set the extended attribute on { $path }
hint-check-path = check the path and spelling
hint-check-permissions = check the file's permissions, or ask whoever owns it
hint-free-space = free some disk space and try again
error-random = the operating system's random number generator failed
error-unknown-lang = "{ $value }" is not a language okuri speaks; use ja or en

## The transfer record (送付記録)

record-head-invalid = { $path } is not a valid record head
record-failed = the transfer record { $path } failed verification at entry { $entry }
record-line-invalid = line { $line } of the transfer record is not a valid entry
record-line-too-long = the transfer record { $path } ends in a line longer than { $max } bytes, which no entry is: it was edited or damaged
record-torn-too-long = the record ends in { $bytes } bytes without a line end, more than any entry ({ $max } bytes): not an interrupted write; it was edited or damaged
record-tail-unreadable = an entry near the end of the transfer record { $path } cannot be read: it was edited or damaged
record-full = the transfer record { $path } ends at the largest entry number there is, which no record reaches: it was edited
record-entry-unreadable = entry { $entry } (line { $entry }) is not a valid record entry: it was edited or damaged
record-entry-fields = entry { $entry } (line { $entry }) does not have the fields of a record entry: it was edited
record-entry-moved = line { $line } holds entry { $holds }, not entry { $line }: entries were deleted or reordered
record-entry-altered = entry { $entry } was altered: the chain breaks between entry { $before } and entry { $after }
record-head-missing = record.head is missing: the end of the record cannot be checked
record-cut-short = the record ends at entry { $entries } but record.head says entry { $head }: the record was cut short
record-last-altered = entry { $entry } was altered: it no longer matches record.head
record-past-head = the record goes on past record.head (entry { $head }): entries were added or the head was rewritten
hint-record-verify = run `okuri record verify`
hint-record-verify-report = run `okuri record verify` and report the result to your auditor (監査)
hint-record-nothing-written = nothing was written; run `okuri record verify` and report the result to your auditor (監査)

## Refusals: `refusal-<code>` says what was refused, `refusal-<code>-hint` what to do instead.
## Every refusal has $class (and $channel where it is about one), then its own arguments.

refusal-rule = Rule: { $rule }
rule-ch2-1 = The importance class is designated by the information officer (情報責任者) (Ch.2 §1)
rule-ch2-2-password = The decryption password must reach the recipient by a reliable method other than the e-mail that carries the file (Ch.2 §2)
rule-ch4-3 = Recording media: only registered media are used, their use is recorded, and they can be checked and retired (Ch.4 §3)
rule-ch6-2 = Outsourcing: data goes to contractors under an agreement that covers it (Ch.6 §2)

refusal-class-forbidden = { $class } assets may not leave the city under this policy.
refusal-class-forbidden-hint = If provision is necessary, ask the CISO (最高情報統括責任者) about an exception (例外措置, Ch.7).
refusal-channel-forbidden = Files of { $class } may not be sent by { $channel }.
refusal-channel-forbidden-hint = Channels allowed for { $class }: { $allowed }; ask your custodian (情報資産管理責任者), e.g. about --channel lgwan.
refusal-legal-basis-required = { $class } may leave the city only where a law or ordinance requires it (法令又は条例の規定), and none was given.
refusal-legal-basis-required-hint = Give the provision with --legal-basis "<law, article>"; without one the file cannot be provided.
refusal-approval-required = Sending { $class } by { $channel } needs the approval of the custodian (情報資産管理責任者).
refusal-approval-required-hint = Ask your custodian (情報資産管理責任者) for an approval token and give it with --approval.
refusal-encryption-required = Files of { $class } must be encrypted with a password; --no-encrypt is not allowed.
refusal-encryption-required-hint = Run again without --no-encrypt.

## The command line (okuri)

cli-needs-key = this needs { $whose ->
    [custodian] a custodian's (情報資産管理責任者)
    [officer] an information officer's (情報責任者)
    [signer] the signer's
   *[own] your
} key: give --key KEY
cli-needs-service = { $what } needs an approval service, and the policy names none
hint-cli-needs-service = the city names its approval service in its signed service document (service.toml, docs/city.md), or [service] in a development policy
cli-no-own-key = the approval service needs your key, and there is none at { $path }
hint-cli-no-own-key = make one with `okuri keygen --id { $id } --role staff` and have it enrolled, or give --key KEY
record-entry-unwritable = the record entry could not be written as JSON; nothing was recorded
record-newer-format = the transfer record { $path } holds entries of format { $format }, written by a newer okuri; this okuri knows formats up to { $known } and adds nothing to it
record-newer-format-hint = use the okuri that wrote it (or a newer one); ask whoever installs okuri to update this machine
record-reconciled-packed = okuri was interrupted after putting the package and the slip in place; a later run found both complete and recorded the transfer as packed
record-reconciled-aborted = okuri was interrupted before the package and the slip were both in place; a later run recorded the transfer as aborted and removed { $removed ->
        [slip] the slip it had written
        [package] the package it had written (its slip had gone to the terminal and was never shown)
        [slip-and-package] the slip and the package it had written
       *[other] nothing (nothing of it was there)
    }
cli-json-failed = could not write the JSON output
cli-stdout-failed = could not write to standard output
session-not-witnessed = warning: this transfer will not be witnessed:
session-not-witnessed-head = warning: the approval service did not witness the record's head:
cli-torn-set-aside = warning: an interrupted record write was set aside in { $path }
cli-swept = removed { $path }, a temporary file an interrupted run of okuri left behind
cli-reconciled = warning: transfer { $transfer } was interrupted by an earlier run; found on disk and recorded as { $outcome ->
        [packed] packed (its package and slip were complete)
       *[other] aborted (what it had left was removed)
    }
cli-head-stale = warning: the transfer is recorded, but record.head could not be updated; the next okuri run brings it up to date
cli-signal-handler = cannot install a signal handler
cli-encrypting = encrypting
cli-slip-nowhere = the password slip has nowhere to go: standard output is not a terminal
hint-cli-slip-nowhere = give --slip PATH (a directory other than the package's)
session-token-unreachable = the token for { $id } is at the approval service, which cannot be reached
hint-session-token-unreachable = try again later; where the policy allows it, a token file from your custodian works offline
session-request-not-approved = request { $id } is { $status }, not approved
hint-session-request-status = see `okuri request status ID`
hint-session-no-token-file = give the token file from your custodian, or a request id (req-…) when the policy names an approval service
cli-packed = Packed { $file } for { $recipient } by { $channel } — { $class } from { $source }
    {"  "}package: { $package } ({ $size } bytes, SHA-256 { $sha256 })
cli-packed-slip = {"  "}slip:    { $slip }
    {"           "}Send the slip by another channel (phone, fax, hand, post), never with the file (パスワード通知書は別の経路で).
cli-packed-approval = {"  "}approval: { $token } by { $issuer } (key { $key })
cli-packed-record = {"  "}record:  entry { $entry } ({ $transfer })

cli-not-custodian-key = the key { $key } is not a custodian's (情報資産管理責任者) key in the policy
hint-cli-not-custodian-key = use your own custodian key, or ask the CISO (最高情報統括責任者) to list it in the trust list
hint-cli-no-request-file = give the file from `okuri request --out`, or a request id when the policy names an approval service
cli-request-decided = request { $id } is already { $status }
cli-approve-needs-out = --out TOKEN is needed: where should the token go?
cli-approved-where-both = { $file } and the approval service
cli-approved-where-service = the approval service
cli-approved = Approved { $request } — { $file } ({ $class }) to { $recipient } by { $channel }
    {"  "}token:   { $token } in { $whereto }
    {"  "}expires: { $expires }
    {"  "}record:  entry { $entry }
    It is good for one transfer of exactly this file, by { $requester } ({ $requester_id }).
cli-denied = Denied { $request } — { $file }: { $reason }
    {"  "}record: entry { $entry }
cli-denied-file = {"  "}signed refusal: { $path }
cli-denied-sent = {"  "}sent to the approval service
cli-no-service = the policy names no approval service
cli-approvals-row = { $request }  { $status }  class { $class }  { $channel }  { $file }  to { $recipient }  by { $requester } ({ $requester_id })  { $submitted }
    {"    "}purpose: { $purpose }; legal basis: { $legal_basis }
cli-approvals-none = nothing is waiting
cli-violation-row = token { $token } used again by transfer { $transfer } (first: { $first }), by { $by } on { $record }, learnt { $at }
cli-violations-none = no token was used more than once

cli-request-args = give FILE, --to, --channel and --purpose
cli-submit-no-service = --submit needs an approval service, and the policy names none
hint-cli-submit-no-service = write the request to a file with --out and hand it to your custodian
cli-requested = Request { $request }
    {"  "}{ $file } — { $class } to { $recipient } ({ $recipient_id }) by { $channel }
    {"  "}record: entry { $entry }
cli-requested-file = {"  "}written to { $path }: give it to your custodian (okuri approve { $path } --key KEY --out TOKEN)
cli-requested-submitted = {"  "}submitted to the approval service; see `okuri request status { $request }`
cli-status = { $request }: { $status }
    {"  "}{ $file } — { $class } to { $recipient } by { $channel }, submitted { $submitted }
cli-status-decided = {"  "}decided by { $by } at { $at }
cli-status-reason = {"  "}reason: { $reason }
cli-status-used = {"  "}used by { $by } for transfer { $transfer } at { $at }
cli-status-pack = {"  "}pack it with: okuri pack { $file } --to { $recipient } --channel { $channel } --approval { $request }

cli-classified = { $path }: { $class } — from { $source }
cli-classify-ignored = {"    "}ignored: { $path } — { $why }
cli-classify-also = {"    "}also: { $class } from { $source }
cli-source-xattr = extended attribute { $xattr }
cli-source-sidecar = label file { $path }
cli-source-register = unsigned label in the register (by { $by }, { $at })
cli-source-designation = signed designation by 情報責任者 { $officer } for { $department }, { $at }
cli-source-default = no label: the policy's class for unlabeled files
cli-designated = { $path }: designated { $designated }, signed, in { $stored }
    {"  "}now: { $class } — from { $source }
    {"  "}record: entry { $entry }
cli-labelled = { $path }: labelled { $labelled } (saved); it is { $class } — from { $source }
cli-label-cannot-lower = An unsigned label can make a file stricter, never less strict: { $class } stands. For { $labelled }, an information officer (情報責任者) designates it with `okuri label --key`.
cli-department-needs-key = --department goes with a signed designation (--key)

cli-init-done = okuri is set up in { $home } for { $name } ({ $id }, { $department }).
cli-keygen-done = Ed25519 key for { $id } ({ $role }):
    {"  "}private: { $private } (mode 0600, encrypted with your passphrase)
    {"  "}public:  { $public }
    {"  "}fingerprint: { $fingerprint }

    { $line }

    { $role ->
        [ciso] Put the public key line above in the city's trust anchor (/etc/okuri/ciso.allowed_signers).
        [staff] Give the public key file ({ $public }) to the administrator, who enrols it in the staff directory (staff.toml) with `okuri staff add`.
       *[other] Give the public key file ({ $public }) to the CISO (最高情報統括責任者), who adds it to the trust list (trust.toml) with `okuri trust add`.
    }

cli-policy-ok = policy OK: { $policy } (BLAKE3 { $blake3 })
cli-policy-errors = the policy { $policy } has { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}
hint-cli-policy-errors = fix each error above; nothing uses this policy until it is valid
cli-policy-head = policy { $policy } (BLAKE3 { $blake3 })
    unlabeled files: { $unlabeled }; passphrase: at least { $bits } bits
cli-policy-col-class = class
cli-policy-col-channel = channel
cli-policy-col-requires = requires
cli-policy-forbidden = forbidden
cli-policy-allowed = allowed
cli-policy-legal-basis = legal basis (法令又は条例の規定)
cli-policy-approval = custodian approval (情報資産管理責任者の承認)
cli-policy-encryption = encryption (暗号化)
cli-policy-validity = approvals valid for { $default } hours by default, at most { $max }
cli-policy-signer = { $role } { $id } — { $name } ({ $department }); classes { $classes }; departments { $departments }; { $keys } key(s), { $revoked } revoked

cli-recipients-none = note: there is no recipient register at { $path }; classes that need a registered recipient cannot be sent
cli-recipients-row = { $id }  { $name }
    {"    "}contract { $contract } until { $until }; classes { $classes }; channels { $channels }
    {"    "}slip: { $method } / { $slip }
cli-recipients-missing = { $path } does not exist
cli-recipients-ok = { $path }: OK, { $count } recipients

cli-record-torn = warning: the last line ({ $bytes } bytes) is incomplete: an interrupted write that never reported success; earlier entries are intact and the next okuri command sets it aside
cli-record-head-lagging = note: record.head is one entry behind (a crash after an append); the next okuri command brings it up to date
cli-record-out-of-order = entry { $entry } is dated more than five minutes before an entry above it: a clock set back, or an entry written by hand to look older; show it to your auditor (監査)
cli-record-ok = record OK: { $entries } entries in { $path }, last entry BLAKE3 { $last }
cli-record-failed = the transfer record failed verification at entry { $entry }
hint-cli-record-report = do not edit the record; keep a copy and report this to your auditor (監査)
cli-witness-none = note: the approval service has witnessed no head for { $record } yet
cli-witness-cut-short = the record has { $entries } entries, but the approval service witnessed entry { $head } ({ $at }): the record was cut short
cli-witness-rewritten = entry { $head } is not the entry the approval service witnessed at { $at }: the record was rewritten
cli-witness-ok = witness OK: the approval service's head for { $record } (entry { $head }, { $at }) matches this record
cli-show-transfer = class { $class }  { $channel }  { $sender }  { $file }  to { $recipient }
cli-show-approved-by = approved by { $issuer }
cli-show-request = request { $request }  class { $class }  { $channel }  { $file }  to { $recipient }  by { $requester }
cli-show-decision = decision on { $request }  class { $class }  { $channel }  { $file }  by custodian { $custodian }
cli-show-token = token { $token }
cli-show-medium = medium { $label } ({ $medium })  by { $by }
cli-show-designation = class { $class }  { $file }  designated by officer { $officer } for { $department }

cli-token-head = Approval token { $token }
    {"  "}issued by { $issuer } ({ $issuer_id }, { $issuer_department }) with key { $key }
    {"  "}issued { $issued }  expires { $expires }
    {"  "}request { $request } by { $requester } ({ $requester_id }, { $requester_department })
    {"  "}file { $file } ({ $size } bytes, BLAKE3 { $blake3 })
    {"  "}{ $class } to { $recipient } ({ $recipient_id }, { $contract }) by { $channel }
    {"  "}purpose: { $purpose }
    {"  "}legal basis: { $legal_basis }
cli-token-accepted = okuri pack would accept this token.
cli-token-refused = okuri pack would refuse this token.

cli-media-registered = Registered { $mountpoint } as { $label } ({ $medium })
    {"  "}device: { $device }
    {"  "}marker: { $marker }
cli-media-in-use = in use
cli-media-retired-state = RETIRED { $at } ({ $reason })
cli-media-row = { $medium }  { $label } { $state }  registered { $registered } by { $by }
    {"    "}{ $bus } { $vendor_id }:{ $product_id } { $vendor } { $product } serial { $serial } filesystem { $uuid }
cli-media-none = no media are registered
cli-media-retired = Retired { $label } ({ $medium }): writes to it are refused from now on
cli-media-wiped = Wiped { $count } delivered package(s) from { $mountpoint }
cli-media-removed = {"  "}removed { $path }
cli-media-exported = Exported to { $path } (medium { $medium })
cli-scan-registered = { $mountpoint } — registered medium { $label } ({ $medium })
cli-scan-unregistered = { $mountpoint } — NOT a registered medium
cli-scan-marker = marker
cli-scan-recorded = recorded package { $transfer } ({ $at })
cli-scan-expired = VIOLATION past retention: { $transfer } ({ $at }); wipe it
cli-scan-unknown-age = age file not in this record
cli-scan-plain = VIOLATION: not an encrypted package (平文ファイル)
cli-scan-item = {"  "}{ $path }  { $size } bytes  { $what }
cli-scan-violations = { $count } violation(s) on { $mountpoint }: only encrypted packages belong on a medium (記録媒体, Ch.4 §3)
hint-cli-scan-violations = remove plain files and report them to your custodian; `okuri media wipe` removes delivered packages
slip-method = { $method ->
    [phone] phone
    [fax] fax
    [post] post
   *[hand] by hand
}

## The files the city keeps: the policy (policy.toml) and its trust list, the recipient
## register, the service's configuration and staff directory; keys and the okuri home.
## $table is a TOML table such as [class.I], or one of: root (the policy's top level),
## key-entry, revoked-entry (an entry of keys = [...] or revoked = [...] in the trust list).

## The policy (policy.toml)

policy-invalid = the policy { $file } is not valid ({ $errors ->
    [one] { $errors } error
   *[other] { $errors } errors
})
hint-policy-invalid = fix the policy (check it with `okuri policy check FILE`) or ask the CISO (最高情報統括責任者) for the current one
policy-toml-syntax = TOML syntax: { $detail }
hint-policy-toml-syntax = see https://toml.io for the syntax; strings need double quotes
policy-unknown-key = unknown key `{ $key }` in { $table ->
    [root] the policy
    [key-entry] a key entry
    [revoked-entry] a revoked key entry
   *[other] { $table }
}
hint-policy-unknown-key = the keys of { $table ->
    [root] the policy
    [key-entry] a key entry
    [revoked-entry] a revoked key entry
   *[other] { $table }
} are: { $known }
policy-missing-key = missing key `{ $key }` in { $table ->
    [root] the policy
    [key-entry] a key entry
    [revoked-entry] a revoked key entry
   *[other] { $table }
}
policy-control-character = the { $what } holds a control character (a line break, a tab, a terminal escape or a bidirectional override)
hint-policy-control-character = write it on one line, with plain characters only: such characters would change what people and ssh-keygen read
policy-not-string = { $what } must be a string, found { $found }
hint-policy-not-string = put the value in double quotes
policy-not-table = { $what ->
    [key-entry] a key entry
    [revoked-entry] a revoked key entry
   *[other] { $what }
} must be a table, found { $found }
hint-policy-not-table = write it as a [section]
policy-unknown-value = { $what } is "{ $value }", which is not a known value
hint-policy-unknown-value = use one of { $values }
policy-bad-class = { $what }: "{ $value }" is not an importance class (重要性分類)
hint-policy-class-values = use "I", "II" or "III"
policy-not-integer = { $what } must be an integer, found { $found }
hint-policy-no-quotes = write it without quotes
policy-out-of-range = { $what } = { $value } is out of range
hint-policy-min-bits-range = use a number of bits from { $min } to { $max }; weak passwords are against Ch.3 (2)
hint-policy-hours-range = use a number of hours from 1 to 8784
hint-policy-retention-range = use 1 to 3650 days
policy-not-bool = { $what } must be true or false, found { $found }
hint-policy-bool = write true or false without quotes
policy-version = unsupported policy version
hint-policy-version = this okuri reads `version = 1`
hint-policy-add-version = add `version = 1` at the top
hint-policy-add-unlabeled-class = add `unlabeled_class = "I"`: a file without a label is treated as class I (fail closed)
policy-unlabeled-not-strictest = unlabeled files are treated as { $class }, not the strictest class I (重要性分類Ⅰ)
hint-policy-unlabeled-fail-closed = the standard has staff handle an asset by its designated class; an unknown class should fail closed to "I"
hint-policy-add-passphrase = add a [passphrase] section with `min_bits = 100`
hint-policy-add-min-bits = add `min_bits = 100`
hint-policy-add-classes = add [class.I], [class.II] and [class.III] sections
hint-policy-add-class = every class must be defined; add a { $table } section with provision, encryption, rule, rule_en and [class.{ $name }.channels]
hint-policy-add-media = add a [media] section with `retention_days = 30`
hint-policy-add-retention-days = add `retention_days = 30`
hint-policy-add-service-url = add `url = "https://approvald.example:8441"`
policy-service-url = url = "{ $url }" is neither https:// nor plain HTTP on loopback
hint-policy-service-url = the service carries approvals: use https:// for any other address
policy-service-url-unreadable = url = "{ $url }" is not a URL: { $detail }
policy-service-url-userinfo = url = "{ $url }" has a user name or password before an "@"; the login would go to the host after it
hint-policy-service-url-userinfo = write only the scheme, the host and the port, e.g. https://approvals.example.lg.jp:8441
policy-service-url-extra = url = "{ $url }" has a query ("?") or fragment ("#"); the service's address needs neither
hint-policy-service-url-extra = remove everything from the "?" or "#" on
hint-policy-add-approval = add an [approval] section with default_validity_hours and max_validity_hours
hint-policy-add-hours = add `{ $key } = 72`
policy-hours-contradiction = contradiction: default_validity_hours is longer than max_validity_hours
hint-policy-hours-contradiction = make the default no longer than the maximum
hint-policy-add-provision = add `provision = "approval"` (or allowed, legal-basis-and-approval, forbidden)
hint-policy-add-encryption = add `encryption = "required"` or "optional"
hint-policy-add-rule = quote the rule of the standard in Japanese, for refusal messages
hint-policy-add-rule-en = give the rule in English, for refusal messages
hint-policy-add-channels = add a { $table } section with email, lgwan, media and hand
hint-policy-add-channel = add `{ $key } = "allowed"`, "approval" or "forbidden"
hint-policy-add-recipient = add `recipient = "registered"` (only contractors in the recipient register) or "any"
hint-policy-add-offline-tokens = add `offline_tokens = true` (a token file may be used when the approval service is down) or false
policy-approval-any-recipient = contradiction in { $table }: provision needs approval but recipient is "any"
hint-policy-approval-any-recipient = an approval is checked against the recipient's agreement (外部委託, Ch.6 §2); set recipient = "registered"
policy-forbidden-open-channel = contradiction in { $table }: provision is "forbidden" but channel { $key } is "{ $value }"
hint-policy-forbidden-open-channel = a class that may not leave the city can have no open channel; set it to "forbidden"
policy-all-channels-forbidden = contradiction in { $table }: provision is "{ $value }" but every channel is "forbidden"
hint-policy-all-channels-forbidden = open at least one channel, or set provision = "forbidden"
policy-provision-laxer = contradiction: class { $strict } provision "{ $strict_value }" is laxer than class { $lax } "{ $lax_value }"
policy-recipient-laxer = contradiction: class { $strict } may go to any recipient but class { $lax } only to registered ones
hint-policy-recipient-laxer = set recipient = "registered" for the stricter class
policy-encryption-laxer = contradiction: class { $strict } encryption is optional but class { $lax } requires it
hint-policy-encryption-laxer = set encryption = "required" for the stricter class
policy-channel-laxer = contradiction: class { $strict } { $key } is "{ $strict_value }" but class { $lax } { $key } is "{ $lax_value }"
hint-policy-stricter-class = a stricter class (I is strictest) must never be easier to send than a laxer one

## The trust list in the policy: custodians (情報資産管理責任者) and information officers (情報責任者)

trust-no-custodian = the trust list has no custodian (情報資産管理責任者): no class I or II transfer can be approved
trust-no-officer = the trust list has no officer (情報責任者): no class can be designated, so every file is treated as the policy's unlabeled class or stricter
hint-trust-add-signers = add [[{ $section }]] entries with id, name, department, classes, departments and keys
trust-id-twice = the { $role } id `{ $id }` is listed twice
hint-trust-id-twice = each person appears once per role; merge the entries
trust-key-shared = the key { $key } is listed for both `{ $first }` and `{ $second }`
hint-trust-key-shared = every person needs a key of their own, so a signature names one person
trust-not-array = { $what } must be an array, found { $found }
hint-trust-not-array = write a list in [ ], or repeat [[section]] for a list of tables
trust-empty-list = { $what } is empty
hint-trust-empty-list = list at least one value
trust-not-datetime = { $what } must be a date or date-time, found { $found }
hint-trust-datetime-unquoted = write a date like 2026-04-01 (from 00:00 in Japan) or a time with its offset, like 2026-04-01T09:00:00+09:00, without quotes
trust-bad-datetime = { $what } = { $value } is not a date or a date-time with an offset
hint-trust-datetime = write a date like 2026-04-01 (from 00:00 in Japan) or a time with its offset, like 2026-04-01T09:00:00+09:00
hint-trust-add-id = add `id = "suzuki.hanako"` (ASCII; the principal in allowed_signers)
hint-trust-id-principal = the id is an OpenSSH principal
hint-trust-add-name = add `name = "鈴木 花子"`
hint-trust-add-department = add `department = "総務課"`
hint-trust-add-classes = add `classes = ["I", "II"]`: the classes they may act for
hint-trust-add-departments = add `departments = ["総務課"]` (or ["*"] for every department)
hint-trust-add-keys = add `keys = [{"{"} key = "ssh-ed25519 AAAA…", valid_after = 2026-04-01, valid_before = 2027-04-01 {"}"}]`
hint-trust-add-key = add `key = "ssh-ed25519 AAAA…"`
hint-trust-add-reason = add `reason = "PC紛失"`: auditors need to know why
trust-key-not-openssh = key: not an OpenSSH public key ({ $detail })
trust-key-not-ed25519 = key: a { $algorithm } key; okuri trusts Ed25519 keys only
hint-trust-paste-key = paste the one-line public key (the .pub file made by `okuri keygen` or ssh-keygen)
trust-key-window = contradiction: valid_after is not before valid_before
hint-trust-key-window = the window must be a non-empty stretch of time
trust-unknown = the key { $key } is not { $role ->
    [custodian] a custodian's (情報資産管理責任者)
   *[officer] an information officer's (情報責任者)
} key in the policy's trust list
trust-revoked = { $signer }'s key { $key } is revoked ({ $reason })
trust-not-yet-valid = { $signer }'s key { $key } is not valid before { $from }
trust-expired = { $signer }'s key { $key } was valid only until { $until }

## The recipient register (外部委託先台帳)

recipients-invalid = the recipient register { $file } is not valid ({ $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, all listed below)
hint-recipients-invalid = fix the register (check it with `okuri recipients check`; `okuri recipients template` prints a filled-in example) or ask whoever keeps the contracts for the current one
hint-recipients-version = begin the register with `version = 1`
recipients-id-twice = the id `{ $id }` is listed twice
hint-recipients-id-twice = each recipient has one entry; give the other one an id of its own
hint-recipients-id = the id is what staff type after --to: 1 to 64 of a-z, 0-9, '.', '_', '-', for example id = "kameoka-print"
hint-recipients-name = the recipient's name as on the contract, for example name = "亀岡印刷株式会社"
hint-recipients-contract = the contract's number (契約番号), for example contract = "亀総契第2025-0012号"
hint-recipients-classes = the classes the agreement covers, for example classes = ["II", "III"]
hint-recipients-channels = the ways the agreement allows, for example channels = ["email", "lgwan"] (email, lgwan, media, hand)
hint-recipients-agreement-ends = the last day the agreement covers, as a date without quotes, for example agreement_ends = 2027-03-31
recipients-not-date = { $what } must be a date such as 2027-03-31
hint-recipients-date = write it without quotes and without a time: agreement_ends = 2027-03-31
hint-recipients-slip = how the password slip reaches them, for example [recipient.slip] with method = "phone", contact = "営業部 佐藤様", phone = "0771-00-0000" (method phone needs phone, fax needs fax, post needs address, hand needs neither)
recipients-slip-missing = `{ $id }`: the slip goes by { $method } but [recipient.slip] has no { $missing }

refusal-recipient-unregistered = "{ $to }" is not in the recipient register ({ $register }); { $class } goes only to a registered contractor under an agreement.
refusal-recipient-unregistered-hint = Give a register id with --to (see `okuri recipients list`); without an agreement, ask the department that manages contracts.
refusal-agreement-ended = The agreement { $contract } with { $name } ({ $id }) ended on { $ended }.
refusal-agreement-ended-hint = If the agreement was renewed, have the recipient register updated.
refusal-agreement-class = The agreement { $contract } with { $name } ({ $id }) does not cover { $class }.
refusal-agreement-class-hint = Check what the agreement covers.
refusal-agreement-channel = The agreement { $contract } with { $name } ({ $id }) does not cover sending by { $channel }.
refusal-agreement-channel-hint = Use a channel the agreement covers.

## The approval service's configuration and staff directory

config-invalid = the service configuration { $file } is not valid
config-toml = { $detail }
hint-config-example = see packaging/approvald.toml for a complete example
config-listen-not-loopback = listen = "{ $listen }" is not a loopback address, and there is no [tls]
hint-config-listen = okuri-approvald serves plain HTTP only on loopback; add [tls] cert and key, or listen on 127.0.0.1
config-limit-range = { $key } must be from { $min } to { $max }
config-database-dir-missing = the database directory { $path } does not exist
hint-config-database-dir = create it (owned by the service's user, mode 0700)
config-database-password = the database URL holds a password; a password in the configuration is read by anyone who can read the file or its backups
hint-config-database-password = remove it from the URL and put it in a file only the service's user can read, named by database_password_file
config-database-invalid = the database setting is neither a SQLite file nor a PostgreSQL URL that can be read: { $detail }
hint-config-database = write database = "/var/lib/okuri-approvald/approvald.sqlite" or database = "postgres://okuri@db.example.lg.jp/okuri?sslmode=require" (see /usr/share/okuri/examples/approvald.toml)
config-database-pg-only = database_password_file and database_ca_file are for a PostgreSQL database; this configuration names a SQLite file
config-file-missing = the file { $path } does not exist
config-database-tls = a PostgreSQL server over the network needs sslmode=require with database_ca_file (the CA that signs the server's certificate), or sslmode=disable on a network the city trusts
hint-config-database-tls = add ?sslmode=require to the URL and set database_ca_file; "prefer" would fall back to plain text without saying so
config-database-ca-unused = database_ca_file is set, but the database URL says sslmode=disable: the connection would be plain text
config-staff-missing = the staff directory { $path } does not exist
config-recipients-missing = the recipient register { $path } does not exist
config-tls-missing = the TLS file { $path } does not exist

directory-invalid = the staff directory { $file } is not valid
directory-toml = { $detail }
directory-version = unsupported version; this service reads `version = 1`
directory-custodian = `{ $id }`: custodians and information officers are listed in the trust list (trust.toml), not here
directory-id-twice = `{ $id }` is listed twice
directory-key-twice = the key { $key } of { $id } is also the key of { $other }: one person has one entry; list their other ids under `also` in that entry
directory-key-not-openssh = `{ $id }`: not an OpenSSH public key ({ $detail })
directory-key-not-ed25519 = `{ $id }`: a { $algorithm } key; okuri trusts Ed25519 keys only

## Signing keys

key-bad-id = "{ $id }" is not a valid id: use 1 to 64 lower-case ASCII letters, digits, '.', '_' or '-'
hint-key-id = --id takes the person's id, e.g. --id suzuki.hanako
key-prompt = key passphrase:
key-prompt-new = new key passphrase:
key-prompt-again = again:
key-passphrase-not-utf8 = the passphrase file { $path } is not UTF-8
key-passphrase-file-open = the passphrase file { $path } can be read by others (mode { $mode }): it is not used
hint-key-passphrase-file-open = make it yours alone: chmod 600 { $path }
key-passphrase-batch = the key passphrase is needed and there is no prompt in --batch mode
key-passphrase-no-terminal = the key passphrase is needed and there is no terminal to ask on
hint-key-passphrase-file-0600 = give it with --key-passphrase-file FILE (mode 0600)
key-passphrase-unreadable = could not read the passphrase from the terminal
hint-key-passphrase-file = give it with --key-passphrase-file FILE
key-passphrases-differ = the two passphrases differ
hint-key-passphrases-differ = run the command again and type the same passphrase twice
key-passphrase-too-short = the key passphrase is too short: use at least { $min } characters
hint-key-passphrase-sentence = a short sentence you can type reliably is a good passphrase
key-generate-failed = could not generate a key
key-encode-failed = could not encode the key
key-encode-public-failed = could not encode the public key
key-encrypt-failed = could not encrypt the key
key-not-private = { $path } is not an OpenSSH private key
hint-key-not-private = give the private key file (not the .pub), as made by `okuri keygen` or `ssh-keygen -t ed25519`
key-not-ed25519-private = { $path } is a { $algorithm } key; okuri signs with Ed25519 keys only
hint-key-make-ed25519 = make one with `okuri keygen` or `ssh-keygen -t ed25519`
key-not-encrypted = { $path } is not protected by a passphrase
hint-key-not-encrypted = a signing key must be encrypted at rest: run `ssh-keygen -p -f { $path }` to set a passphrase
key-wrong-passphrase = the passphrase for { $path } is wrong
hint-key-wrong-passphrase = type it again; if it is lost, make a new key and have the old one revoked in the policy
key-sign-failed = could not sign
key-agent-gone = ssh-agent at { $socket } held the key but did not sign with it
key-agent-refused = ssh-agent at { $socket } refused to sign (a confirmation declined, or the key's lifetime ran out); nothing was signed
key-agent-timeout = ssh-agent at { $socket } did not sign within 2 minutes; nothing was signed
key-agent-bad-signature = ssh-agent at { $socket } answered with a signature that is not valid for this key; nothing was signed
hint-key-agent = check the agent with `ssh-add -l`, or run okuri with `SSH_AUTH_SOCK=` to type the key's passphrase instead

## The okuri home and the sender's identity

home-no-home-dir = cannot find a home directory for okuri
hint-home-no-home-dir = give one with --home DIR or OKURI_HOME
home-empty-name-department = name and department must not be empty
hint-home-id = give your staff id, e.g. --id yamada.taro
home-already-set-up = okuri is already set up in { $path }
hint-home-already-set-up = use this home as it is, or choose another with --home
home-identity-encode-failed = cannot encode the identity
home-not-set-up = okuri is not set up in { $path }
hint-home-not-set-up = run `okuri init --id ID --name NAME --department DEPT` first (ID defaults to your login name)
home-identity-invalid = { $path } is not a valid identity file
hint-home-identity-invalid = restore it from backup, or set up a new home with `okuri init`
home-id-required = --id is required
hint-home-id-required = give it on the command line: --id <staff id>
home-name-required = --name is required
hint-home-name-required = give it on the command line: --name <name>
home-department-required = --department is required
hint-home-department-required = give it on the command line: --department <department>
home-prompt-id = staff id:
home-prompt-name = name:
home-prompt-department = department:
home-id-empty = the staff id must not be empty
home-name-empty = the name must not be empty
home-department-empty = the department must not be empty
home-terminal-unreadable = cannot read from the terminal

## Approval requests and tokens (approval.rs)

request-not-a-request = { $path } is not an okuri approval request
request-not-a-request-hint = give the file written by `okuri request … --out REQ`
request-wrong-version = { $path } is not a version 1 okuri approval request
token-not-a-token-hint = give the token file written by `okuri approve`, unchanged

## `okuri token verify`: what a passed check found

token-check-signature = valid Ed25519 signature by { $key }
token-check-key = { $key } is { $signer }'s key, trusted as custodian (情報資産管理責任者)
token-check-custodian = may approve { $class } for { $department }
token-check-self-approval = requester { $requester } is not the issuer
token-check-expiry = valid until { $until }
token-check-validity = valid for no longer than the policy's { $max } hours
token-check-policy = approved under the policy in force ({ $policy })
token-check-file = { $name } ({ $size } bytes, BLAKE3 { $blake3 })
token-check-class = { $class }
token-check-recipient = { $name } ({ $recipient })
token-check-channel = { $channel }
token-check-requester = { $packer } packs their own approved request
token-check-legal-basis = { $basis }
token-check-legal-basis-none = none needed
token-check-agreement = { $contract } covers { $class } by { $channel }
token-check-policy-table = { $class } by { $channel } is allowed with approval
token-check-single-use = not used in this record

## Refusals about approvals

hint-ask-again = Ask your custodian (情報資産管理責任者) for a new approval (okuri request).
refusal-token-forged = The approval token's signature does not hold: the token was altered or forged.
refusal-token-forged-hint = Use the token exactly as the custodian issued it; if in doubt, tell your custodian and the auditor.
refusal-token-forged-issuer = The token names { $issuer } as issuer, but the key belongs to { $owner }.
refusal-token-untrusted-key = The key { $key } is not a custodian's (情報資産管理責任者) key in the policy's trust list.
refusal-token-untrusted-key-hint = Check your entry in the policy's trust list (keys and validity) with the CISO (最高情報統括責任者).
refusal-token-key-revoked = The key { $key } ({ $signer }) is revoked (reason: { $reason }).
refusal-token-key-revoked-hint = Check your entry in the policy's trust list (keys and validity) with the CISO (最高情報統括責任者).
refusal-token-key-not-valid = The key { $key } ({ $signer }) is not valid before { $from }.
refusal-token-key-not-valid-expired = The key { $key } ({ $signer }) was valid only until { $until }.
refusal-token-key-not-valid-hint = Check your entry in the policy's trust list (keys and validity) with the CISO (最高情報統括責任者).
refusal-token-custodian-not-allowed = { $custodian } may not approve { $class } for { $department }.
refusal-token-custodian-not-allowed-hint = Ask the custodian (情報資産管理責任者) responsible for this class and department.
refusal-token-custodian-not-allowed-decide = { $custodian } may not decide { $class } requests for { $department }.
refusal-token-custodian-not-allowed-decide-hint = Pass the request to the custodian responsible for this class and department.
refusal-self-approval = { $requester } approved their own request; self-approval is not an approval.
refusal-self-approval-hint = Ask a custodian (情報資産管理責任者) other than the requester.
refusal-self-approval-decide = A custodian may not decide their own request.
refusal-self-approval-decide-hint = Ask another custodian (情報資産管理責任者) to decide it.
refusal-token-expired = The approval token expired at { $expires }.
refusal-token-expired-hint = Ask your custodian (情報資産管理責任者) for a new approval (okuri request).
refusal-token-expired-future = The token claims to be issued in the future ({ $issued }); check the clocks.
refusal-token-expired-future-hint = Check this machine's clock and the custodian's.
refusal-token-validity-too-long = The approval token is valid from { $issued } to { $expires }, longer than the { $max } hours the policy allows; okuri never signs such a token, so it was made by hand.
refusal-token-validity-too-long-hint = Ask your custodian (情報資産管理責任者) for a new approval (okuri request), and tell your information security officer about this token.
refusal-token-policy-changed = The token was approved under policy { $approved }, but the policy in force is { $current }.
refusal-token-policy-changed-hint = Ask your custodian (情報資産管理責任者) for a new approval (okuri request).
refusal-token-policy-changed-request = The request was made under policy { $requested }, but the policy in force is { $current }.
refusal-token-policy-changed-request-hint = Ask the requester to make the request again under the current policy.
refusal-token-other-file = This file is not the one approved ({ $name }, BLAKE3 { $blake3 }): it was changed after approval, or it is another file.
refusal-token-other-file-hint = Send the approved file unchanged, or request approval for the changed file.
refusal-token-other-class = The approval is for { $class }, but the file is now { $file_class }.
refusal-token-other-class-hint = Ask your custodian (情報資産管理責任者) for a new approval (okuri request).
refusal-token-other-recipient = The approval is for { $name } ({ $recipient }), not for { $to }.
refusal-token-other-recipient-hint = Send to the approved recipient, or request approval for this one.
refusal-token-other-channel = The approval is for sending by { $channel }, not by { $given_channel }.
refusal-token-other-channel-hint = Use the approved channel, or request approval for this one.
refusal-token-other-requester = The approval was given to { $requester }'s request; { $packer } may not use it.
refusal-token-other-requester-hint = The requester who was approved must send it, or request approval yourself.
refusal-token-other-legal-basis = The approval names the legal basis "{ $approved }", not "{ $given }".
refusal-token-other-legal-basis-hint = Leave out --legal-basis, or give the approved one.
refusal-token-reused = This approval token ({ $token }) was already used, in record entry { $entry }; an approval is good for one transfer.
refusal-token-reused-hint = Ask your custodian (情報資産管理責任者) for a new approval (okuri request).
refusal-token-reused-service = This approval token ({ $token }) was already used, by { $by } for transfer { $transfer } at { $at } (approval service); an approval is good for one transfer.
refusal-offline-token-refused = The approval service cannot be reached, and tokens of { $class } may not be used offline ({ $why }).
refusal-offline-token-refused-hint = Send it once the approval service is back.

## The approval workflow (workflow.rs)

workflow-field-one-line = { $field ->
        [purpose] --purpose
        [legal-basis] --legal-basis
       *[reason] --reason
    } must be one non-empty line of at most { $max } characters
workflow-no-approval-needed = { $class } by { $channel } needs no approval under this policy
workflow-no-approval-needed-hint = pack it directly with `okuri pack`
workflow-expires-out-of-range = --expires is out of range
workflow-expires-invalid = --expires must be more than nothing and at most { $max } hours under this policy
workflow-expires-hint = e.g. --expires 72h or --expires 3d

## Labels and signed designations (label.rs)

label-xattr-invalid = the label { $xattr } of { $path } is not valid: "{ $value }" is not an importance class; use I, II or III
label-xattr-invalid-hint = set a valid class with `okuri label { $path } --class I|II|III --store xattr`, or ask your information officer (情報責任者) which class applies
label-xattr-unsupported-hint = this file system may not support user extended attributes; use --store register
label-sidecar-not-utf8 = the label file { $path } is not UTF-8 text
label-sidecar-empty = the label file { $path } is not valid: it is empty
label-sidecar-several = the label file { $path } is not valid: it holds more than one class
label-sidecar-not-a-class = the label file { $path } is not valid: "{ $value }" is not an importance class; use I, II or III
label-sidecar-invalid-hint = write I, II or III in it, or remove it and label the file with `okuri label`
label-register-invalid = the label register entry { $path } is not valid
label-register-invalid-hint = restore it from backup or remove it and have the file labelled again
label-register-other-digest = the label register entry { $path } names another file's digest
label-register-other-digest-hint = the register was edited by hand; remove the entry and label the file again

## Why a signed designation was ignored (shown by `okuri classify`)

designation-other-version = it designates another version of the file (BLAKE3 { $blake3 }): the file changed since
designation-other-department = designated for { $department }, not for { $mine }: another department's designation can only make a file stricter, never less strict; ask your own information officer (情報責任者) to designate it
designation-department-needed = { $officer } designates for { $departments }: say which department's asset this is
hint-designation-department-needed = add --department, for example --department { $example }
designation-xattr-store = a signed designation is kept in the register or beside the file, not in an extended attribute
designation-xattr-store-hint = use --store register (the default) or --store sidecar

## Refusals about labels and designations

refusal-lower-class = This file is already labelled { $class }; staff may not lower a class.
refusal-lower-class-hint = Ask your information officer (情報責任者) to designate the class.
refusal-designation-not-allowed = { $officer } may not designate { $class } for { $department }.
refusal-designation-not-allowed-hint = Check the policy's list of information officers (keys, classes, departments) with the CISO (最高情報統括責任者).
refusal-designation-not-allowed-key = The key { $key } is not a valid information officer's (情報責任者) key in the policy: { $trust ->
        [revoked] { $signer }'s key is revoked ({ $reason })
        [not-yet-valid] { $signer }'s key is not valid before { $from }
        [expired] { $signer }'s key was valid only until { $until }
       *[unknown] it is not listed in the policy's trust list
    }.

## Files okuri writes and reads (fsutil, input)

file-exists = { $path } already exists; okuri never overwrites a file
file-exists-hint = move or remove the existing file, or choose another place with --out / --slip
file-name-too-long = the name { $path } is { $bytes } bytes long; file systems take at most { $max }; nothing was written
file-name-too-long-hint = choose a shorter name: rename the file (its package adds ".age" to the name) or give --slip a shorter one, then run okuri again
input-symlink = { $path } is a symbolic link; okuri does not follow links, so that the file that was labelled is the file that is sent
input-symlink-hint = give the path of the file itself
input-directory = { $path } is a directory; okuri sends single files
input-directory-hint = put the files in one archive (zip, tar), have it labelled, and send that
input-not-regular = { $path } is not a regular file (a device, pipe or socket)
input-not-regular-hint = copy the data into a regular file first
input-changed = { $path } changed while okuri was reading it; nothing was sent or recorded
input-changed-hint = wait until the file is no longer being written (close the program that edits it), then run okuri again

## Packing (okuri pack)

pack-empty-recipient = --to must not be empty
pack-empty-purpose = --purpose must not be empty
pack-empty-legal-basis = --legal-basis must not be empty
pack-long-recipient = --to must be one line of at most { $max } characters
pack-long-purpose = --purpose must be one line of at most { $max } characters
pack-long-legal-basis = --legal-basis must be one line of at most { $max } characters
pack-out-dir-missing = the output directory { $path } does not exist
pack-out-dir-missing-hint = create it, or leave out --out to use the outbox under the okuri home
pack-slip-dir-missing = the slip's directory { $path } does not exist
pack-slip-dir-missing-hint = create it (okuri makes a missing one itself, private, only inside your home directory), or give --slip a path in an existing directory
pack-write-failed = could not write the package
pack-write-failed-hint = check that the output directory has free space and is writable
pack-interrupted = interrupted; nothing was sent or recorded
pack-age-setup = could not set up age encryption

## Devices and recording media (記録媒体)

device-not-mount-point = { $path } is not the mount point of a medium
device-not-mount-point-hint = give the directory where the USB stick or SD card is mounted, e.g. /media/USER/LABEL
device-not-block = { $path } is mounted from { $source } ({ $dev }), which is not a block device okuri can identify
media-see-list = see `okuri media list`
media-register-entry-invalid-hint = do not edit the media register; report this to your auditor (監査)
media-register-entry-other = the media register entry { $path } names another medium ({ $medium })
media-retired-invalid = the retirement note { $path } in the media register is not valid
media-label-invalid = --label must be one line of at most { $max } characters, e.g. USB-01
media-no-uuid = the filesystem on { $path } has no UUID okuri can read
media-no-uuid-hint = format the medium (e.g. mkfs.vfat or mkfs.ext4), then register it
media-already-marked = { $path } already carries a marker
media-already-marked-hint = see `okuri media list`; a medium is registered once (wipe and reformat a retired one first)
media-label-in-use = the label { $label } is already in use
media-label-in-use-hint = choose another label
media-unknown = no medium { $id } in the media register
media-already-retired = medium { $id } is already retired
media-wipe-unregistered = { $path } is not a registered medium (記録媒体)
media-wipe-unregistered-hint = okuri wipes only registered media; see `okuri media list`
media-not-age = { $path } is not an age package
media-not-age-hint = only packages made by `okuri pack` go onto a medium
media-not-recorded = { $path } is not a package in this record
media-not-recorded-hint = pack the file with `okuri pack … --channel media --out MOUNTPOINT`

## Refusals of the password slip and of media

refusal-slip-beside-package = The password slip (パスワード通知書) may not be written to the package's directory ({ $dir }): the password would travel with the file.
refusal-slip-beside-package-hint = Give --slip a path in another directory, or leave it out to show the slip on the terminal.
refusal-medium-not-allowed = { $path } is not a removable medium (記録媒体) ({ $device }): okuri registers USB and SD media only.
refusal-medium-not-allowed-hint = Give the mount point of a USB stick or SD card.
refusal-medium-not-allowed-key-unknown = The key { $key } is not a valid custodian's (情報資産管理責任者) key: it is not listed in the policy's trust list.
refusal-medium-not-allowed-key-revoked = The key { $key } is not a valid custodian's (情報資産管理責任者) key: { $signer }'s key is revoked ({ $reason }).
refusal-medium-not-allowed-key-not-yet-valid = The key { $key } is not a valid custodian's (情報資産管理責任者) key: { $signer }'s key is not valid before { $from }.
refusal-medium-not-allowed-key-expired = The key { $key } is not a valid custodian's (情報資産管理責任者) key: { $signer }'s key was valid only until { $until }.
refusal-medium-not-allowed-key-hint = A custodian (情報資産管理責任者) registers media (記録媒体), with their own key.
refusal-medium-not-allowed-approval = Files of { $class } go onto a medium (記録媒体) only with an approval for the medium channel; this package was packed for { $packed_channel }.
refusal-medium-not-allowed-approval-hint = Request approval for --channel media and pack it again.
refusal-medium-unregistered = Files of { $class } go only onto registered media: { $path } is not a registered medium (記録媒体); it carries no okuri marker.
refusal-medium-unregistered-hint = Use a medium your custodian (情報資産管理責任者) registered (see `okuri media list`).
refusal-medium-unregistered-not-in-register = Files of { $class } go only onto registered media: the medium { $label } ({ $medium }) is not in this media register.
refusal-medium-retired = Files of { $class } go only onto media in use: the medium { $label } ({ $medium }) was retired at { $at } ({ $reason }).
refusal-medium-retired-hint = Use a medium your custodian (情報資産管理責任者) registered (see `okuri media list`).
refusal-medium-mismatch = Files of { $class } go only onto registered media: the device at { $path } ({ $device }) does not match the marker of { $label } ({ $medium }); the marker was copied from another medium, or the medium was reformatted.
refusal-medium-mismatch-hint = Use a medium your custodian (情報資産管理責任者) registered (see `okuri media list`).
refusal-medium-required = Files of { $class } go onto a medium only at a registered medium's mount point: { $path } is not a registered medium (記録媒体).
refusal-medium-required-hint = Give --out the mount point of a registered medium (see `okuri media list`).
refusal-medium-required-encrypted-only = Files of { $class }: only encrypted packages go onto a medium (記録媒体); --no-encrypt is not allowed with --channel media.
refusal-medium-required-encrypted-only-hint = Run again without --no-encrypt.

## The password slip (パスワード通知書). It carries Japanese and English side by side: each
## line is rendered in both languages from the same id.

slip-title = PASSWORD SLIP
slip-send-separately = Send this slip by a different channel than the encrypted file.
slip-transfer-id = Transfer ID
slip-date = Date
slip-sender = Sender
slip-recipient = Recipient
slip-class = Class
# $class: the class as I, II or III.
slip-class-value = class { $class }
slip-channel = File sent by
# $channel: email, lgwan, media or hand.
slip-channel-value = { $channel }
slip-file = File
slip-size = Size (bytes)
slip-fingerprint = Fingerprint
slip-type-exactly = type the digits and hyphens exactly as shown
slip-reading = reading
slip-digits = 0 zero, 1 one, 2 two, 3 three, 4 four, 5 five, 6 six, 7 seven, 8 eight, 9 nine
slip-check-heading = Check the file
slip-check-match = the first 16 hex digits must match the fingerprint.
slip-decrypt-heading = How to decrypt (age: https://age-encryption.org, or rage)
slip-decrypt-enter = enter the passphrase above when asked.
slip-windows-unnamable = this file name cannot exist on Windows: use a Linux or macOS machine, or ask the sender to rename the file
slip-delivery-heading = How this slip must reach the recipient
slip-how-network = By phone, fax, by hand or by post: never in or attached to the e-mail that carries the file.
slip-how-physical = By phone, fax or separate post: never together with the medium or the file.
slip-deliver-to = Deliver to
slip-rule = Kameoka City information security standard, Ch.2 §2: the decryption password must reach the recipient by a reliable method other than the e-mail that carries the file

## The approval service (okuri-approvald): errors it returns to clients (`api-`), its own
## start-up errors (`service-`), and the CLI's side of talking to it (`client-`).

api-no-endpoint = no such endpoint
api-busy = the database is busy; try again in a moment
api-database-unavailable = the approval service cannot reach its database just now; try again in a moment (nothing was changed)
api-documents-stale = this instance of the approval service still works under the city's { $kind } document serial { $serial }, older than serial { $held } in force; it changes nothing until it has loaded the new one. Try again in a moment
api-internal = internal error
api-no-randomness = the service's random number generator failed (no randomness)
api-too-large = the body is too large: { $detail }
api-not-json = the body is not JSON: { $detail }
api-bad-body = the body is not valid: { $detail }
api-bad-query = the query string is not valid: { $detail }
api-bad-path = the address is not valid: { $detail }
api-no-authorization = log in first: no Authorization header
api-not-bearer = the Authorization header is not a Bearer session
api-unknown-session = unknown session: log in again
api-session-expired = the session expired: log in again
api-violations-forbidden = only custodians and auditors see the tokens used more than once
api-token-id-mismatch = the token sent is not { $token }: the address and the token must name the same one
api-session-revoked = the session of { $id } is no longer valid: the person or their key is no longer in the staff directory or the trust list; log in again if you still should have access
api-challenge-replayed = unknown or already used challenge (a replay?): ask for a new one
api-challenge-other-id = the challenge was issued to someone else
api-challenge-expired = the challenge expired: ask for a new one
api-not-ssh-signature = the signature is not an SSH signature
api-signature-invalid = the signature does not verify
api-not-enrolled = the key { $key } is not enrolled for { $id }: ask the service's administrator
api-stored-request-unreadable = a stored request is unreadable
api-staff-only-submit = only staff submit requests
api-not-a-request = not a version 1 okuri approval request
api-requester-mismatch = you are { $caller }; a request names its requester ({ $requester })
api-policy-mismatch = the request was made under policy { $request_policy }; the service applies { $service_policy }
api-unknown-status = unknown status "{ $status }"
api-token-id-taken = a decision with token { $token } is recorded already, for another request; the custodian signs the approval again (a new token)
api-no-request = no request { $id }
api-request-exists = a different request { $id } exists
api-already-decided = request { $id } is already { $status }
api-may-not-see-request = you may not see this request
api-custodian-only-decide = only custodians (情報資産管理責任者) decide requests
api-may-not-decide = { $who } may not decide { $class } requests for { $department }
api-not-own-decision = you may upload only your own decisions
api-decision-other-request = the decision is about another request than this one
api-self-decision = a custodian cannot decide their own request, under any of their ids or keys
api-self-approval = self-approval is not an approval
api-token-expired = the token has already expired
api-token-validity-too-long = the token is valid for longer than the policy's { $max } hours
api-decision-one-of = send exactly one of token and denial
api-staff-only-consume = only staff consume tokens
api-no-approved-token = no approved token { $token }
api-not-token-owner = only the requester may use this token
api-token-used = token { $token } was already used by { $by } for transfer { $transfer } at { $at }
api-may-not-see-head = you may not see this record's head
api-no-head = no head witnessed for { $record }
api-not-record-owner = only the record's owner sends its head
api-head-not-enrolled-key = the head is not signed by your enrolled key
api-head-not-extending = the head { $seq } does not extend the witnessed head { $witnessed }: the record was cut short or rewritten
api-entry-not-extending = entry { $entry } does not extend the witnessed head { $witnessed }: the record was rewritten
api-lines-not-head = the lines sent do not hash to the head
api-head-moved = the head moved meanwhile; send it again

service-database-open = cannot open the database { $path }
service-database-open-hint = check that the directory exists and belongs to the service's user
service-database-connect = cannot use the PostgreSQL database { $database }
service-database-connect-hint = check that the server is running and reachable, that the user, database and password file are right, and that the server's certificate is signed by database_ca_file
service-database-password-open = the database password file { $path } can be read by others than the service's user
hint-service-database-password-open = run: chmod 600 { $path }
service-copied = copied { $rows } rows of { $table }, each read back and compared
service-copy-done = copied { $from } to { $to }: { $rows } rows, every one the same in both
service-copy-same = --from and --to name the same database { $database }
hint-service-copy-same = name the old database with --from; the configuration's database (or --to) is where it goes
service-copy-target-not-empty = the database to copy into is not empty: its table { $table } has { $rows } rows
hint-service-copy-target-not-empty = copy into a new, empty database (okuri-approvald makes its tables); nothing was changed
service-copy-mismatch = the copy differs from the original in table { $table } ({ $rows } rows there, { $copied } in the copy)
hint-service-copy-mismatch = do not start the services on the copy; drop it, make a new empty database and copy again
service-copy-failed = copying into { $database } failed; nothing of the copy was kept
service-database-newer = the database has schema version { $have }, made by a newer okuri-approvald; this one knows versions up to { $known }
service-database-newer-hint = run the okuri-approvald that made it (or a newer one); this one will not write to it
service-migrated = applied schema migration { $version } ({ $name })
service-schema-current = the database { $path } is at schema version { $version }
service-tls = cannot use the TLS certificate { $cert } and key { $key }
service-tls-hint = give a PEM certificate chain and its PEM private key
service-serve = cannot serve on { $address }
service-serve-hint = is another process listening there? choose another `listen` address
service-runtime = cannot start the runtime
service-config-ok = configuration OK ({ $path })

client-refused-text = the approval service refused: { $message } ({ $status } { $code })
client-refused-status = the approval service refused the request ({ $status } { $code })
client-refused-unauthorized-hint = check that your key is enrolled with the service (ask its administrator)
client-refused-forbidden-hint = this needs a role you do not have for this request
client-refused-busy-hint = the service is busy; try again in a moment
client-ca-no-certificate = { $path } holds no PEM certificate
client-unreachable = the approval service at { $url } cannot be reached
client-unreachable-hint = check the network and that okuri-approvald is running; [service] in the policy names it
client-broken = the approval service at { $url } could not be used: a connection was made, but what followed failed (TLS, an answer that is not the service's, a connection cut short)
client-broken-hint = this is an error, not "unreachable": okuri does not fall back to working offline; tell whoever runs the service, and try again later
client-unreadable-answer = the approval service at { $url } sent an answer okuri cannot read

## Signed documents: one verification, one wording for each way a document fails

signed-unreadable = { $source } is not a readable { $kind ->
    [approval-token] approval token
    [approval-denial] custodian's refusal
    [designation] class designation
   *[medium] medium marker
}: { $why ->
    [no-signature] it has no SSH SIGNATURE block
    [payload] its payload is not UTF-8 JSON text ending in a newline
    [signature] its SSH SIGNATURE block cannot be read ({ $detail })
    [kind] it is another kind of okuri document ({ $detail })
   *[json] its payload is not what this kind holds ({ $detail })
}
signed-forged = the signature does not hold: the document was altered or forged
signed-future = it claims to be signed in the future ({ $at }); check the clocks
signed-not-the-holder = it names { $named } as its signer, but the key is { $holder }'s
signed-outside-remit = { $signer } may not act for { $class } of { $department }

## Ids

id-bad = "{ $value }" is not a valid id for { $kind ->
    [staff] a person: use 1 to 64 lower-case ASCII letters, digits, '.', '_' or '-'
    [record] a record: a person's id, '@' and the machine's name in lower-case ASCII letters, digits, '.', '_' or '-'
    [request] a request: req- and 32 hex digits
    [token] a token: tok- and 32 hex digits
    [denial] a denial: den- and 32 hex digits
    [designation] a designation: des- and 32 hex digits
    [medium] a medium: med- and 32 hex digits
   *[transfer] a transfer: YYYYMMDD-NNNN-NNNN
}
session-token-needs-service = { $id } is a request id, but the policy names no approval service to fetch its token from
refusal-medium-unregistered-invalid-marker = Files of { $class } go only onto registered media: the marker on { $path } is not valid ({ $why ->
    [forged] its signature does not hold: it was altered or forged
    [future] it claims to be signed in the future
    [distrusted] its key is not a trusted custodian's (情報資産管理責任者)
    [not-the-holder] it names another custodian than its key's holder
   *[other] it cannot be read
}).
media-register-entry-invalid = the media register entry { $path } is not valid
cli-check-ok = ok
cli-check-fail = FAIL
cli-show-denied = [denied] { $reason }
cli-bad-duration = "{ $value }" is not a duration like 72h or 3d ({ $detail })

## The city's authority: trust anchor and signed documents (policy::city)
city-system-dir-not-honoured = { $var } is honoured only for root and in test builds: okuri reads the city's documents from /etc/okuri
hint-city-system-dir-not-honoured = unset { $var }; the city's administrator installs its documents in /etc/okuri
city-header-toml = it cannot be read as TOML: { $detail }
city-header-serial = `serial` must be a whole number of 1 or more
city-header-missing = it has no `{ $key }` at its top: every signed city document has a `serial` and a `valid_until`
city-header-valid-until = `valid_until` must be a date (valid through that day in Japan) or a date and time with its offset
city-anchor-unprotected = the city's file { $path } could be changed by someone other than root (owner uid { $owner }, mode { $mode }): okuri will not trust it
hint-city-anchor-unprotected = as root: chown root:root { $path } && chmod go-w { $path }
city-anchor-invalid = the trust anchor { $file } cannot be read
hint-city-anchor-invalid = each line is an OpenSSH allowed_signers line for a key of the CISO (最高情報統括責任者): `ciso-1 ssh-ed25519 AAAA…`
city-anchor-line = this line has no ssh-ed25519 key
city-anchor-key = this key cannot be used: { $detail }
city-anchor-too-few = the trust anchor { $file } names { $count } { $count ->
    [one] key
   *[other] keys
}: it needs the CISO's (最高情報統括責任者) keys, at least two
hint-city-anchor-too-few = list at least two CISO keys, so that one can be replaced without reinstalling okuri on every machine
city-document-missing = the city's { $kind } document { $file } is missing: okuri is not set up on this machine
hint-city-document-missing = a trust anchor is installed, so okuri obeys only the city's signed documents; ask the administrator to install { $kind } and its signature
city-unsigned = { $file } has no signature ({ $file }.sig): okuri obeys only signed city documents
hint-city-sign = the signer runs: okuri sign { $kind } { $file } --key KEY
city-signature-unreadable = the signature { $file } cannot be read as an SSH signature
city-signature-invalid = the signature of { $file } does not match it in namespace { $namespace }: the document was changed after it was signed, or the signature is for another document
hint-city-signature-invalid = reinstall the document and its signature as the city issued them; report an edited document to the CISO (最高情報統括責任者)
city-signer-not-trusted = { $file } was signed by key { $key }, which may not sign it
hint-city-signer-ciso = only a key of the trust anchor { $file } (the CISO, 最高情報統括責任者) signs this document
city-document-changed = { $file } changed while okuri was signing it; nothing was signed
hint-city-document-changed = someone else is editing it: look at what changed, then run the command again
city-document-invalid = { $file } cannot be used as a city document
city-document-expired = { $file } (serial { $serial }) was valid until { $until }
hint-city-document-expired = ask the city for a newer { $kind } document, signed with a later valid_until
city-document-too-big = { $file } is larger than { $limit } bytes: it is not a city document
city-document-not-utf8 = { $file } is not UTF-8 text
city-serials-unreadable = { $file }, where okuri remembers the serials of the city's documents, cannot be read
city-rollback = the city's { $kind } document has serial { $serial }, older than serial { $held } already seen: okuri refuses a rolled-back document
hint-city-rollback = install the city's current document; if the older one is meant, the city signs it again with a higher serial
city-override-refused = { $what } names { $file }, but this machine obeys the city's signed documents in { $dir }
hint-city-override-refused = remove the option or variable; `okuri policy check FILE` checks a draft without obeying it
city-rules-hold-people = the city's signed rules may not hold `{ $key }`
hint-city-rules-hold-people = people and addresses are documents of their own: move them to trust.toml or service.toml and sign each
cli-policy-development = development mode: no trust anchor is installed, so these rules are unsigned and every record entry says so
cli-policy-signed = signed by the city: { $documents }
cli-sign-done = signed the { $kind } document { $file } (serial { $serial }, valid until { $until }): { $sig }
    namespace { $namespace }, key { $key }
config-city-and-files = the configuration names the city directory { $dir } and also policy, recipients or staff files
hint-config-city-and-files = with `city`, the service reads the city's signed documents there; remove policy, recipients and staff
config-no-city = the configuration names neither `city` (the city's signed documents) nor, for development, `policy`, `recipients` and `staff`
service-city-no-anchor = the city directory { $dir } has no trust anchor { $file }
hint-service-city-no-anchor = install the CISO's (最高情報統括責任者) allowed_signers there, owned by root
service-city-rollback = the city's { $kind } document has serial { $serial }, older than serial { $held } the service holds
api-entry-development = entry { $entry } was written in development mode (no trust anchor, unsigned rules): this service witnesses only entries made under the city's signed documents

refusal-requester-not-enrolled = The request's requester { $requester } ({ $department }) { $why ->
    [unknown] is not staff in the city's staff directory.
    [department] is listed in the city's staff directory under { $listed }, not { $department }.
    [unsigned] did not sign the request with their enrolled key.
   *[key] signed the request with a key the city's staff directory does not give them.
}
refusal-requester-not-enrolled-hint = A request is made by its requester, signed with their own key, for the department the staff directory gives them; ask them to request again (okuri request).
api-requester-not-enrolled = { $why ->
    [unknown] you are not staff in the staff directory
    [department] the staff directory has you in { $listed }, not { $department }
    [unsigned] a service under the city's signed documents takes only requests signed with your enrolled key
   *[key] the request names a key the staff directory does not give you
}
api-requester-key-mismatch = the request names a key other than the one you logged in with
request-signature-invalid = the signature of the request { $path } does not hold: it was changed after its requester signed it, or was signed by a key other than the one it names
request-signature-invalid-hint = ask the requester for the request as they signed it (okuri request --out)
request-signature-missing = the request { $path } names a key but carries no signature: anyone could have written that key into it
token-check-directory = { $requester } is staff of the department and holds the key the request names, by the city's staff directory
identity-not-in-directory = this home says you are { $id } of { $department }, but { $why ->
    [department] the city's staff directory has { $id } in { $listed }
    [key] the key { $listed } is not one the city's staff directory gives { $id }
   *[other] the city's staff directory has no staff member { $id }
}
hint-identity-not-in-directory = set the home up as the staff directory has you (okuri init --id ID --department DEPARTMENT), or ask the administrator to enrol you
api-decide-requester-not-enrolled = the requester { $requester } { $why ->
    [unknown] is no longer staff in the staff directory
    [department] is now in { $listed }, not { $department }, by the staff directory
    [unsigned] did not sign the request with an enrolled key
   *[key] made the request with a key the staff directory no longer gives them
}: no decision is taken on it
api-bad-digest = not a BLAKE3 digest (64 hexadecimal digits)
cli-classify-unasked =   the approval service could not be asked for the city's designations of this file: only those on this machine count
cli-designation-unregistered = the designation is valid, but the approval service did not register it: designate again once it can be reached, so that classify finds it everywhere
cli-designation-registered = registered with the approval service at { $at }
media-city-register-invalid = the city's media register { $file } cannot be used
media-city-register-toml = { $detail }
media-city-register-twice = the city's media register lists medium { $id } twice
media-retire-signed-city = this machine obeys the city's signed media register: medium { $id } is retired there, not by a note in a directory
hint-media-retire-signed-city = a custodian adds `retired_at` and `reason` to the entry of { $id } in media.toml, raises its serial and signs it (okuri sign media media.toml --key KEY); the administrator installs it in /etc/okuri
cli-media-city-entry = add to the city's media register (media.toml), raise its serial and sign it (okuri sign media media.toml --key KEY):
service-serials-unrecorded = the serials of the city's documents could not be recorded in the database
service-serials-unread = the serials of the city's documents in force could not be read from the database
service-check-database-later = the database { $database } does not answer now ({ $reason }): its schema and serials were not checked; the service starts anyway and answers 503 until the database answers
api-entry-other-rules = entry { $entry } was made under rules { $rules }, which are not rules of the city this service has worked under: it is not witnessed
city-anchor-options = an anchor line is a principal and a key only; these options are not honoured: { $options }
api-documents-expired = the city's documents the service works under stopped being valid at { $until }: it serves no call until newer ones are installed
cli-class-finding-row = transfer { $transfer } by { $by } on { $record } went as class { $class } without asking the service; the city's designations make the file (BLAKE3 { $blake3 }) class { $city_class } (learnt { $at })

## The city's first day: templates, enrolment (okuri template, trust add, staff add)

enrol-invalid = { $file } is not TOML okuri can add to: { $detail }
hint-enrol-invalid = fix the file by hand, or start again from `okuri template trust` / `okuri template staff`
enrol-no-serial = { $file } has no `serial` (a whole number above 0) at its top
hint-enrol-no-serial = start from `okuri template …`, whose first lines are `serial = 1` and `valid_until = …`
enrol-not-a-list = in { $file }, `{ $table }` is not a list of entries
enrol-differs = { $file } already lists { $id } with { $field } “{ $listed }”, not “{ $given }”; nothing was changed
hint-enrol-differs = give the { $field } the list has to add a key to the same person; a different person needs a different id
enrol-bad-key = { $file } is not an Ed25519 public key: { $detail }
enrol-key-too-long = { $file } is too long to be a public key (more than 16 KiB)
enrol-key-not-utf8 = { $file } is not a public key: it is not text
enrol-key-lines = { $file } holds { $lines } lines; a public key file holds exactly one key on one line
enrol-key-control = { $file } holds control characters; a public key file is one plain line
enrol-key-not-ed25519 = { $file } is a { $algorithm } key; okuri's keys are Ed25519
hint-enrol-bad-key = give the .pub file that `okuri keygen` or `ssh-keygen -t ed25519` made (one line, `ssh-ed25519 AAAA…`)
cli-bad-class = “{ $value }” is not an importance class (重要性分類); use I, II or III
enrol-bad-day = “{ $value }” is not a day (YYYY-MM-DD, in the years 2000 to 2999)
enrol-remit-missing = { $role ->
    [custodian] a custodian (情報資産管理責任者)
   *[officer] an information officer (情報責任者)
} acts for classes and departments: --classes and --departments are needed
hint-enrol-remit-missing = for example `--classes I,II --departments 総務課` (or `--departments '*'` for every department)
cli-enrol-added = { $what ->
    [key] added a new key of { $id } to { $list ->
        [trust] the trust list
       *[staff] the staff directory
    } { $file } (serial { $serial }); key { $key }
   *[person] added { $id } to { $list ->
        [trust] the trust list
       *[staff] the staff directory
    } { $file } (serial { $serial }); key { $key }
}
cli-enrol-nothing = { $file } already lists { $id } with the key { $key }; nothing was changed
enrol-unvouched = { $file } is not as the key { $key } last signed it (it was changed since, signed by another key, or lists people without a signature); nothing was changed
hint-enrol-unvouched = read the whole document, then sign it as it is with `okuri sign { $kind } FILE --key KEY` before adding anyone
enrol-stale-signature = { $file } already lists this key, but its signature does not cover the file as it is
hint-enrol-stale-signature = read the whole document, then sign it with `okuri sign { $kind } FILE --key KEY`
enrol-would-unsign = { $file } is signed, and a change to it must be signed too: give the signer's key with --key
hint-enrol-would-unsign = add `--key KEY` (the key of whoever signs the { $kind } document), or work on a copy and sign it with `okuri sign { $kind } FILE --key KEY`
enrol-revoked = { $file } lists the key { $key } as revoked; a revoked key is never enrolled again
hint-enrol-revoked = the person makes a new key with `okuri keygen` and gives you its .pub
enrol-serial-max = { $file } has the largest serial there is; okuri cannot raise it
cli-enrol-unsigned = { $file } is not signed yet; sign it with `okuri sign { $kind } { $file } --key KEY`

## The web console of okuri-approvald (docs/console.md)

console-title = okuri console
console-nav-queue = Waiting for you
console-nav-decisions = Your decisions
console-nav-mine = Your requests
console-nav-key = This browser's key
console-nav-logout = Log out
console-lang-other = 日本語
console-back = Back to the console
console-error-title = Not done
console-no-webcrypto = This browser cannot make or use a signing key (WebCrypto Ed25519 and IndexedDB are needed): use a current Chromium, Edge, Firefox or Safari, or the okuri command line
console-script-failed = The browser could not finish this step; nothing was sent
console-no-key = This browser holds no key for that id: make one on "This browser's key" and have it enrolled, or use the browser where you made it
console-id = Your id (職員ID)
console-login-title = Log in
console-login-button = Log in with this browser's key
console-login-explain = Logging in signs a one-time challenge with the key this browser keeps for your id; no password, and the key never leaves the browser. Custodians' (情報資産管理責任者) keys are enrolled in the city's trust list, staff keys in the staff directory.
console-key-title = This browser's key
console-key-explain = This browser makes an Ed25519 key for your id and keeps it; not even okuri's own pages can read its private part. What it signs in the console (logins, approvals, refusals) anyone can check with ssh-keygen -Y verify against the public key below.
console-key-make = Make or show the key
console-key-none = This browser holds no key for this id yet.
console-key-exists = This browser holds a key for this id. Its public key:
console-key-enrol-title = Enrolling the key
console-key-enrol = Save the line above as a .pub file and give it to whoever keeps the city's documents: a custodian's key goes into the trust list (signed by the CISO), a staff member's into the staff directory (signed by an administrator), exactly as a key made by okuri keygen:
console-not-logged-in = You are not logged in, or your session has ended: log in again (nothing was changed)
console-csrf = This form did not come from your session's page (its CSRF token is missing or wrong); nothing was changed. Reload the page and try again
console-bad-form = The form could not be read ({ $detail }); nothing was changed
console-bad-public-key = The browser sent a public key okuri cannot read (an Ed25519 key is needed)
console-bad-signature = The browser sent no signature okuri can read (64 bytes of Ed25519, base64); nothing was changed
console-bad-hours = The validity must be a whole number of hours
console-custodians-only = This page is for custodians (情報資産管理責任者)
console-staff-only = This page is for staff (職員等) with their own requests
console-no-pages-for-role = Your roles have no console pages yet: custodians decide requests and staff follow theirs here; auditors use okuri record and okuri approvals on the command line.
console-queue-title = Requests waiting for your decision
console-queue-empty = Nothing is waiting for your decision.
console-decisions-title = Your decisions
console-decisions-empty = You have decided nothing yet.
console-mine-title = Your requests
console-mine-empty = You have no requests yet (make one with okuri request).
console-none-on-this-page = None of the requests on this page of the list is yours to decide; older ones follow.
console-next-page = Older requests
console-col-request = Request
console-col-submitted = Submitted
console-col-requester = Requester
console-col-file = File
console-col-class = Importance class (重要性分類)
console-col-recipient = Recipient
console-col-status = Status
console-status = { $status ->
    [pending] waiting for a decision
    [approved] approved
    [denied] denied
    [consumed] approved and used
   *[other] { $status }
}
console-request-title = Request { $id }
console-submitted-at = submitted { $at }
console-decided = Decided by { $who } at { $at }.
console-denial-reason = Denied: { $reason }
console-consumed = The token was used by transfer { $transfer } at { $at }.
console-token-download = Download the approval token (for okuri pack --approval on a machine without the service)
console-no-token = Request { $id } has no approval token
console-already-decided = Request { $id } has already been decided
console-field-file = File name
console-field-size = Size
console-bytes = { $n } bytes
console-field-class-source = Class from (the requester's okuri)
console-class-source = { $source ->
    [designation] a designation signed by the information officer (情報責任者)
    [register] an unsigned label in the register (it can only raise the class)
    [sidecar] an unsigned label beside the file (it can only raise the class)
    [xattr] an unsigned label on the file (it can only raise the class)
    [default] no label: the policy's class for unlabeled files
   *[other] a source this service does not know
}
console-designation = { $class }, signed by { $officer } for { $department }, { $at }
console-cross-site = This form was sent by another site's page, not the console's; nothing was changed. Open the console yourself and try again
console-field-designations = Officers' designations
console-no-designation = none in force that the service holds for this file
console-recipient-differs = The request names the recipient "{ $name }" under "{ $contract }", which is not what the recipient register says (above)
console-requester-differs = the request says "{ $name }", "{ $department }", which is not what the staff directory says
console-field-contract = Contract
console-field-agreement-ends = Agreement ends
console-not-in-register = not in the recipient register
console-field-channel = Channel
console-field-purpose = Purpose
console-field-legal-basis = Legal basis (law or ordinance)
console-field-requested-at = Requested at
console-field-request-id = Request id
console-field-custodian = Custodian
console-field-key = Key
console-field-token-id = Token id
console-field-issued-at = Issued at
console-field-expires-at = Valid until
console-field-reason = Reason
console-field-denied-at = Denied at
console-approve-hours = Valid for (hours, at most { $max })
console-approve-button = Review the approval
console-deny-reason = Reason (the requester sees it)
console-deny-button = Review the refusal
console-sign-title = Sign your decision
console-sign-explain = This is exactly what this browser's key will sign. The signature is kept with the request, and anyone (the requester, auditors) can check it with ssh-keygen -Y verify.
console-sign-approval = Approval
console-sign-denial = Refusal
console-sign-bytes = The exact text signed
console-sign-button = Sign with this browser's key
console-sign-cancel = Do not sign; back to the request
console-pending-unknown = This decision is not waiting for a signature from this page (already signed, replaced by another you prepared since, prepared in another session, or more than { $minutes } minutes ago); nothing was recorded. Open the request and decide it again
console-signature-mismatch = The signature is not by your enrolled key over the decision that was shown (the page was altered, or another key signed); nothing was recorded. Open the request and decide it again
