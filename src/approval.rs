//! Custodian approval (情報資産管理責任者の承認, Ch.2 §2): requests, approval tokens, denials,
//! and the checks `pack` and `token verify` make on a token.
//!
//! A request is plain JSON written by the requester. A token is a signed document
//! ([`crate::signed`]) whose payload carries its own id, the issuer and key fingerprint, the
//! issue and expiry times, the policy's digest and the whole request, signed in the namespace
//! [`NS_APPROVAL`]. Nothing is canonicalised: the bytes signed are the bytes in the file.

use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::class::Class;
use crate::digest::Blake3;
use crate::error::{Error, Result};
use crate::keys::Fingerprint;
use crate::policy::{Policy, Refusal, RefusalCode};
use crate::recipients::{self, Register};
use crate::signed::{NS_APPROVAL, NS_DENIAL, Signed};
use crate::trust::{Distrust, SignerRole};

pub const REQUEST_KIND: &str = "approval-request";
pub const TOKEN_KIND: &str = "approval-token";
pub const DENIAL_KIND: &str = "approval-denial";

/// A clock difference between machines that a token's issue time may show.
const CLOCK_SKEW_SECS: i64 = 300;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub department: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    pub name: String,
    pub size: u64,
    pub blake3: Blake3,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RecipientRef {
    pub id: String,
    pub name: String,
    pub contract: String,
}

/// What the requester asks the custodian to approve.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub okuri: String,
    pub version: u32,
    pub request_id: String,
    pub created_at: String,
    pub requester: Person,
    pub host: String,
    pub file: FileRef,
    pub class: Class,
    pub class_source: String,
    pub recipient: RecipientRef,
    pub channel: Channel,
    pub purpose: String,
    pub legal_basis: Option<String>,
    /// The policy the requester's okuri applied.
    pub policy: Blake3,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub id: String,
    pub name: String,
    pub department: String,
    pub key: Fingerprint,
}

/// The signed payload of an approval token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TokenPayload {
    pub okuri: String,
    pub version: u32,
    pub token_id: String,
    pub issuer: Issuer,
    pub issued_at: String,
    pub expires_at: String,
    /// The policy the custodian approved under.
    pub policy: Blake3,
    pub request: Request,
}

/// The signed payload of a refusal by a custodian.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DenialPayload {
    pub okuri: String,
    pub version: u32,
    pub denial_id: String,
    pub issuer: Issuer,
    pub denied_at: String,
    pub reason: String,
    pub policy: Blake3,
    pub request: Request,
}

impl Request {
    pub fn load(path: &Path) -> Result<Request> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read the request", path, e))?;
        let r: Request = serde_json::from_slice(&bytes).map_err(|e| {
            Error::invalid(format!(
                "{} is not an okuri approval request",
                path.display()
            ))
            .with_source(e)
            .with_hint("give the file written by `okuri request … --out REQ`")
        })?;
        if r.okuri != REQUEST_KIND || r.version != 1 {
            return Err(Error::invalid(format!(
                "{} is not a version 1 okuri approval request",
                path.display()
            )));
        }
        Ok(r)
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("requests serialize");
        v.push(b'\n');
        v
    }
}

/// A token as read from a file: the signed document and its parsed payload.
#[derive(Clone, Debug)]
pub struct Token {
    pub signed: Signed,
    pub payload: TokenPayload,
}

impl Token {
    /// Reads a token. A file that is not a token at all is invalid input (exit 4); a token
    /// whose signature does not hold is a refusal, found by [`assess`].
    pub fn parse(bytes: &[u8], what: &str) -> Result<Token> {
        let bad = |why: String| {
            Error::invalid(format!("{what} is not an okuri approval token: {why}"))
                .with_hint("give the token file written by `okuri approve`, unchanged")
        };
        let signed = Signed::parse(bytes).map_err(|e| bad(e.to_string()))?;
        let payload: TokenPayload =
            serde_json::from_slice(&signed.payload).map_err(|e| bad(e.to_string()))?;
        if payload.okuri != TOKEN_KIND || payload.version != 1 {
            return Err(bad("it is another kind of okuri document".into()));
        }
        Ok(Token { signed, payload })
    }

    pub fn load(path: &Path) -> Result<Token> {
        let bytes =
            std::fs::read(path).map_err(|e| Error::io("read the approval token", path, e))?;
        Self::parse(&bytes, &path.display().to_string())
    }

    pub fn request(&self) -> &Request {
        &self.payload.request
    }
}

/// A fresh random id: 128 bits as hex, with a prefix that says what it names.
pub fn new_id(prefix: &str) -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).map_err(|e| {
        Error::failure("the operating system's random number generator failed")
            .with_source(std::io::Error::other(e.to_string()))
    })?;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("{prefix}-{hex}"))
}

pub fn parse_time(s: &str) -> Option<Timestamp> {
    s.parse::<Timestamp>().ok()
}

/// One line of `okuri token verify`.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// What the transfer at hand looks like, for the checks that compare the token with it.
/// Anything `None` is not checked (`token verify` without `--file`, say).
#[derive(Clone, Debug, Default)]
pub struct Transfer<'a> {
    pub file: Option<(Blake3, u64)>,
    pub class: Option<Class>,
    pub recipient: Option<&'a str>,
    pub channel: Option<Channel>,
    pub packer: Option<&'a str>,
    pub legal_basis: Option<&'a str>,
}

/// The verdict on a token: every check that could be made, and the first refusal.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub checks: Vec<Check>,
    #[serde(skip)]
    pub refusal: Option<Refusal>,
    pub accepted: bool,
}

struct Ctx<'a> {
    policy: &'a Policy,
    class: Class,
    channel: Channel,
    checks: Vec<Check>,
    refusal: Option<Refusal>,
}

impl Ctx<'_> {
    fn pass(&mut self, check: &'static str, detail: String) {
        self.checks.push(Check {
            check,
            ok: true,
            detail,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn fail(
        &mut self,
        check: &'static str,
        code: RefusalCode,
        ja: String,
        en: String,
        hint_ja: &str,
        hint_en: &str,
    ) {
        self.checks.push(Check {
            check,
            ok: false,
            detail: en.clone(),
        });
        if self.refusal.is_none() {
            self.refusal = Some(approval_refusal(
                self.policy,
                code,
                self.class,
                Some(self.channel),
                ja,
                en,
                hint_ja,
                hint_en,
            ));
        }
    }
}

/// A refusal about an approval, quoting the class's rule.
#[allow(clippy::too_many_arguments)]
pub fn approval_refusal(
    policy: &Policy,
    code: RefusalCode,
    class: Class,
    channel: Option<Channel>,
    ja: String,
    en: String,
    hint_ja: &str,
    hint_en: &str,
) -> Refusal {
    let rule = policy.class(class);
    Refusal {
        code,
        class,
        channel,
        rule: rule.rule.clone(),
        rule_en: rule.rule_en.clone(),
        ja,
        en,
        hint_ja: hint_ja.to_owned(),
        hint_en: hint_en.to_owned(),
    }
}

const ASK_AGAIN_JA: &str = "情報資産管理責任者に改めて承認を依頼してください(okuri request)。";
const ASK_AGAIN_EN: &str =
    "Ask your custodian (情報資産管理責任者) for a new approval (okuri request).";

/// Checks a token against the policy, the recipient register, the clock, the record and the
/// transfer at hand. `used` says whether the token id is already in the record.
pub fn assess(
    token: &Token,
    policy: &Policy,
    register: &Register,
    now: Timestamp,
    transfer: &Transfer<'_>,
    used: Option<u64>,
) -> Assessment {
    let p = &token.payload;
    let r = &p.request;
    let mut cx = Ctx {
        policy,
        class: r.class,
        channel: r.channel,
        checks: Vec::new(),
        refusal: None,
    };
    let fp = token.signed.signer_fingerprint();

    // 1. The signature over the exact payload bytes, in the approval namespace, by the key
    //    the payload names.
    if token.signed.verify(NS_APPROVAL) && fp == p.issuer.key {
        cx.pass("signature", format!("valid Ed25519 signature by {fp}"));
    } else {
        cx.fail(
            "signature",
            RefusalCode::TokenForged,
            "承認トークンの署名が正しくありません。トークンが改ざんされたか、偽造されたものです。".into(),
            "The approval token's signature does not hold: the token was altered or forged.".into(),
            "受け取ったトークンをそのまま使ってください。不審な場合は情報資産管理責任者と監査に連絡してください。",
            "Use the token exactly as the custodian issued it; if in doubt, tell your custodian and the auditor.",
        );
    }

    // 2. The key: trusted as a custodian's, not revoked, inside its window — now and when the
    //    token was issued.
    let issued = parse_time(&p.issued_at);
    let expires = parse_time(&p.expires_at);
    let trust_at = |t: Timestamp| policy.trust.check(SignerRole::Custodian, &fp, t);
    let trusted = match trust_at(now).and_then(|ok| match issued {
        Some(i) => trust_at(i).map(|_| ok),
        None => Ok(ok),
    }) {
        Ok((s, _)) => {
            cx.pass(
                "key",
                format!("{fp} is {}'s key, trusted as custodian", s.describe()),
            );
            Some(s)
        }
        Err(d) => {
            let (code, ja, en) = match d {
                Distrust::Unknown => (
                    RefusalCode::TokenUntrustedKey,
                    format!(
                        "承認トークンの署名鍵 {fp} は、ポリシーの情報資産管理責任者の一覧にありません。"
                    ),
                    format!(
                        "The token was signed with {fp}, which is not a custodian's (情報資産管理責任者) key in the policy's trust list."
                    ),
                ),
                Distrust::Revoked { signer, reason } => (
                    RefusalCode::TokenKeyRevoked,
                    format!(
                        "承認トークンの署名鍵 {fp} ({signer}) は失効しています(理由: {reason})。"
                    ),
                    format!(
                        "The token was signed with {fp} ({signer}), a revoked key (reason: {reason})."
                    ),
                ),
                Distrust::NotYetValid { signer, from } => (
                    RefusalCode::TokenKeyNotValid,
                    format!(
                        "承認トークンの署名鍵 {fp} ({signer}) は {from} まで有効になりません。"
                    ),
                    format!(
                        "The token was signed with {fp} ({signer}), a key not valid before {from}."
                    ),
                ),
                Distrust::Expired { signer, until } => (
                    RefusalCode::TokenKeyNotValid,
                    format!(
                        "承認トークンの署名鍵 {fp} ({signer}) の有効期間は {until} に終了しています。"
                    ),
                    format!(
                        "The token was signed with {fp} ({signer}), a key whose validity ended at {until}."
                    ),
                ),
            };
            cx.fail("key", code, ja, en, ASK_AGAIN_JA, ASK_AGAIN_EN);
            None
        }
    };

    // 3. The custodian may approve this class for this department, and the payload's issuer
    //    is who the trust list says holds the key.
    if let Some(s) = trusted {
        if s.id != p.issuer.id {
            cx.fail(
                "custodian",
                RefusalCode::TokenForged,
                format!(
                    "承認トークンの発行者 {} は署名鍵の持ち主 {} と一致しません。",
                    p.issuer.id, s.id
                ),
                format!(
                    "The token names {} as issuer, but the key belongs to {}.",
                    p.issuer.id, s.id
                ),
                ASK_AGAIN_JA,
                ASK_AGAIN_EN,
            );
        } else if !s.covers(r.class, &r.requester.department) {
            cx.fail(
                "custodian",
                RefusalCode::TokenCustodianNotAllowed,
                format!(
                    "{}は{}の{}の情報資産を承認する権限がありません。",
                    s.describe(),
                    r.requester.department,
                    r.class.ja()
                ),
                format!(
                    "{} may not approve class {} ({}) for {}.",
                    s.describe(),
                    r.class,
                    r.class.ja(),
                    r.requester.department
                ),
                "この分類と所属を担当する情報資産管理責任者に承認を依頼してください。",
                "Ask the custodian (情報資産管理責任者) responsible for this class and department.",
            );
        } else {
            cx.pass(
                "custodian",
                format!(
                    "may approve class {} for {}",
                    r.class, r.requester.department
                ),
            );
        }
    }

    // 4. No self-approval.
    if p.issuer.id == r.requester.id {
        cx.fail(
            "self-approval",
            RefusalCode::SelfApproval,
            format!("申請者 {} 自身による承認は無効です。", r.requester.id),
            format!(
                "{} approved their own request; self-approval is not an approval.",
                r.requester.id
            ),
            "申請者以外の情報資産管理責任者に承認を依頼してください。",
            "Ask a custodian (情報資産管理責任者) other than the requester.",
        );
    } else {
        cx.pass(
            "self-approval",
            format!("requester {} is not the issuer", r.requester.id),
        );
    }

    // 5. Times.
    match (issued, expires) {
        (Some(i), Some(e))
            if i <= now + jiff::SignedDuration::from_secs(CLOCK_SKEW_SECS) && now < e =>
        {
            cx.pass("expiry", format!("valid until {}", p.expires_at));
        }
        (Some(i), Some(_)) if i > now + jiff::SignedDuration::from_secs(CLOCK_SKEW_SECS) => cx
            .fail(
                "expiry",
                RefusalCode::TokenExpired,
                format!("承認トークンの発行時刻 {} が未来です。", p.issued_at),
                format!(
                    "The token claims to be issued in the future ({}); check the clocks.",
                    p.issued_at
                ),
                "このパソコンと情報資産管理責任者のパソコンの時計を確認してください。",
                "Check this machine's clock and the custodian's.",
            ),
        _ => cx.fail(
            "expiry",
            RefusalCode::TokenExpired,
            format!("承認トークンの有効期限 ({}) が切れています。", p.expires_at),
            format!("The approval token expired at {}.", p.expires_at),
            ASK_AGAIN_JA,
            ASK_AGAIN_EN,
        ),
    }

    // 6. The rules it was approved under are the rules in force.
    if p.policy == policy.digest && r.policy == policy.digest {
        cx.pass(
            "policy",
            format!(
                "approved under the policy in force ({})",
                policy.digest.short()
            ),
        );
    } else {
        cx.fail(
            "policy",
            RefusalCode::TokenPolicyChanged,
            "承認後にポリシーが変更されています。現在のポリシーで承認し直す必要があります。".into(),
            format!(
                "The token was approved under policy {}, but the policy in force is {}.",
                p.policy.short(),
                policy.digest.short()
            ),
            ASK_AGAIN_JA,
            ASK_AGAIN_EN,
        );
    }

    // 7. The transfer at hand is the one approved.
    if let Some((blake3, size)) = transfer.file {
        if blake3 == r.file.blake3 && size == r.file.size {
            cx.pass(
                "file",
                format!(
                    "{} ({} bytes, BLAKE3 {})",
                    r.file.name,
                    size,
                    blake3.short()
                ),
            );
        } else {
            cx.fail(
                "file",
                RefusalCode::TokenOtherFile,
                format!(
                    "このファイルは承認されたファイル({}、BLAKE3 {})と内容が異なります。承認後に変更されたか、別のファイルです。",
                    r.file.name,
                    r.file.blake3.short()
                ),
                format!(
                    "This file is not the one approved ({}, BLAKE3 {}): it was changed after approval, or it is another file.",
                    r.file.name,
                    r.file.blake3.short()
                ),
                "承認されたファイルをそのまま送るか、変更後のファイルで承認を依頼し直してください。",
                "Send the approved file unchanged, or request approval for the changed file.",
            );
        }
    }
    if let Some(class) = transfer.class {
        if class == r.class {
            cx.pass("class", format!("class {class} ({})", class.ja()));
        } else {
            cx.fail(
                "class",
                RefusalCode::TokenOtherClass,
                format!(
                    "承認は{}としてのものですが、このファイルは現在{}です。",
                    r.class.ja(),
                    class.ja()
                ),
                format!(
                    "The approval is for class {}, but the file is now class {class}.",
                    r.class
                ),
                ASK_AGAIN_JA,
                ASK_AGAIN_EN,
            );
        }
    }
    if let Some(to) = transfer.recipient {
        if to == r.recipient.id {
            cx.pass(
                "recipient",
                format!("{} ({})", r.recipient.name, r.recipient.id),
            );
        } else {
            cx.fail(
                "recipient",
                RefusalCode::TokenOtherRecipient,
                format!(
                    "承認された受信者は {} ({}) です。「{to}」への提供は承認されていません。",
                    r.recipient.name, r.recipient.id
                ),
                format!(
                    "The approval is for {} ({}), not for {to}.",
                    r.recipient.name, r.recipient.id
                ),
                "承認された受信者に送るか、この受信者について承認を依頼し直してください。",
                "Send to the approved recipient, or request approval for this one.",
            );
        }
    }
    if let Some(ch) = transfer.channel {
        if ch == r.channel {
            cx.pass("channel", format!("{} ({ch})", ch.ja()));
        } else {
            cx.fail(
                "channel",
                RefusalCode::TokenOtherChannel,
                format!(
                    "承認された経路は{}({})です。{}({ch})での送付は承認されていません。",
                    r.channel.ja(),
                    r.channel,
                    ch.ja()
                ),
                format!("The approval is for sending by {}, not by {ch}.", r.channel),
                "承認された経路で送るか、この経路について承認を依頼し直してください。",
                "Use the approved channel, or request approval for this one.",
            );
        }
    }
    if let Some(packer) = transfer.packer {
        if packer == r.requester.id {
            cx.pass(
                "requester",
                format!("{} packs their own approved request", packer),
            );
        } else {
            cx.fail(
                "requester",
                RefusalCode::TokenOtherRequester,
                format!(
                    "この承認は {} の申請に対するものです。{packer} は使用できません。",
                    r.requester.id
                ),
                format!(
                    "The approval was given to {}'s request; {packer} may not use it.",
                    r.requester.id
                ),
                "承認を受けた申請者本人が送付するか、自分で承認を依頼してください。",
                "The requester who was approved must send it, or request approval yourself.",
            );
        }
    }
    if transfer.file.is_some() {
        match (transfer.legal_basis, &r.legal_basis) {
            (Some(given), Some(approved)) if given != approved => cx.fail(
                "legal basis",
                RefusalCode::TokenOtherLegalBasis,
                format!("承認された法令等の根拠は「{approved}」です。「{given}」ではありません。"),
                format!("The approval names the legal basis \"{approved}\", not \"{given}\"."),
                "--legal-basis を省くか、承認された根拠を指定してください。",
                "Leave out --legal-basis, or give the approved one.",
            ),
            _ => cx.pass(
                "legal basis",
                r.legal_basis
                    .clone()
                    .unwrap_or_else(|| "none needed".into()),
            ),
        }
    }

    // 8. The recipient's agreement and the policy's table, today.
    match recipients::resolve(
        register,
        policy,
        &r.recipient.id,
        r.class,
        r.channel,
        recipients::today_jst(),
    ) {
        Ok(_) => cx.pass(
            "agreement",
            format!(
                "{} covers class {} by {}",
                r.recipient.contract, r.class, r.channel
            ),
        ),
        Err(refusal) => {
            cx.checks.push(Check {
                check: "agreement",
                ok: false,
                detail: refusal.en.clone(),
            });
            cx.refusal.get_or_insert(refusal);
        }
    }
    let facts = crate::policy::Facts {
        legal_basis: r.legal_basis.clone(),
        approval: true,
        encrypt: true,
    };
    match policy.decide(r.class, r.channel, &facts) {
        crate::policy::Decision::Allowed(_) => cx.pass(
            "policy table",
            format!(
                "class {} by {} is allowed with approval",
                r.class, r.channel
            ),
        ),
        crate::policy::Decision::Refused(refusal) => {
            cx.checks.push(Check {
                check: "policy table",
                ok: false,
                detail: refusal.en.clone(),
            });
            cx.refusal.get_or_insert(refusal);
        }
    }

    // 9. Single use.
    match used {
        None => cx.pass("single use", "not used in this record".into()),
        Some(seq) => {
            let r = reused(policy, r.class, r.channel, &p.token_id, seq);
            cx.checks.push(Check {
                check: "single use",
                ok: false,
                detail: r.en.clone(),
            });
            cx.refusal.get_or_insert(r);
        }
    }

    let accepted = cx.refusal.is_none();
    Assessment {
        checks: cx.checks,
        refusal: cx.refusal,
        accepted,
    }
}

/// The refusal of a token already used in record entry `seq`.
pub fn reused(policy: &Policy, class: Class, channel: Channel, id: &str, seq: u64) -> Refusal {
    approval_refusal(
        policy,
        RefusalCode::TokenReused,
        class,
        Some(channel),
        format!(
            "この承認トークン ({id}) は送付記録の {seq} 番で既に使われています。承認は一回限りです。"
        ),
        format!(
            "This approval token ({id}) was already used, in record entry {seq}; an approval is good for one transfer."
        ),
        ASK_AGAIN_JA,
        ASK_AGAIN_EN,
    )
}

/// What `okuri approve` and `okuri deny` check before a custodian signs: the same rules pack
/// will apply, so that a custodian never issues a token that cannot be used.
pub fn precheck(
    policy: &Policy,
    register: &Register,
    req: &Request,
    custodian: &crate::trust::Signer,
    deciding_to_approve: bool,
) -> std::result::Result<(), Refusal> {
    let refuse = |code, ja: String, en: String, hint_ja: &str, hint_en: &str| {
        approval_refusal(
            policy,
            code,
            req.class,
            Some(req.channel),
            ja,
            en,
            hint_ja,
            hint_en,
        )
    };
    if !custodian.covers(req.class, &req.requester.department) {
        return Err(refuse(
            RefusalCode::TokenCustodianNotAllowed,
            format!(
                "{}は{}の{}の情報資産を判断する権限がありません。",
                custodian.describe(),
                req.requester.department,
                req.class.ja()
            ),
            format!(
                "{} may not decide class {} ({}) requests for {}.",
                custodian.describe(),
                req.class,
                req.class.ja(),
                req.requester.department
            ),
            "この分類と所属を担当する情報資産管理責任者に回してください。",
            "Pass the request to the custodian responsible for this class and department.",
        ));
    }
    if custodian.id == req.requester.id {
        return Err(refuse(
            RefusalCode::SelfApproval,
            "自分の申請を自分で判断することはできません。".into(),
            "A custodian may not decide their own request.".into(),
            "他の情報資産管理責任者に判断を依頼してください。",
            "Ask another custodian (情報資産管理責任者) to decide it.",
        ));
    }
    if !deciding_to_approve {
        return Ok(());
    }
    if req.policy != policy.digest {
        return Err(refuse(
            RefusalCode::TokenPolicyChanged,
            "申請は別のポリシーの下で作成されています。".into(),
            format!(
                "The request was made under policy {}, but the policy in force is {}.",
                req.policy.short(),
                policy.digest.short()
            ),
            "申請者に現在のポリシーで申請し直すよう依頼してください。",
            "Ask the requester to make the request again under the current policy.",
        ));
    }
    recipients::resolve(
        register,
        policy,
        &req.recipient.id,
        req.class,
        req.channel,
        recipients::today_jst(),
    )?;
    let facts = crate::policy::Facts {
        legal_basis: req.legal_basis.clone(),
        approval: true,
        encrypt: true,
    };
    if let crate::policy::Decision::Refused(r) = policy.decide(req.class, req.channel, &facts) {
        return Err(r);
    }
    Ok(())
}

/// Renders a signed payload (pretty JSON and a newline) for signing.
pub fn payload_bytes<T: Serialize>(p: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(p).expect("payloads serialize");
    v.push(b'\n');
    v
}

/// Parses a denial file, for `okuri request status` and tests.
pub fn parse_denial(bytes: &[u8]) -> Option<(Signed, DenialPayload)> {
    let s = Signed::parse(bytes).ok()?;
    if !s.verify(NS_DENIAL) {
        return None;
    }
    let p: DenialPayload = serde_json::from_slice(&s.payload).ok()?;
    (p.okuri == DENIAL_KIND).then_some((s, p))
}
