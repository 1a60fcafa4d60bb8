//! The checks on an approval: everything `okuri pack` and `okuri token verify` check of a
//! token (its one verification as a signed document, then expiry, the rules in force, the
//! transfer at hand, the recipient's agreement, the table, single use), what `approve` and
//! `deny` check before a custodian signs, and the refusals they give.

use jiff::Timestamp;
use serde::Serialize;

use super::{Request, Token};
use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::{Blake3, Fingerprint};
use crate::base::ids::{StaffId, TokenId};
use crate::base::message::Msg;
use crate::base::refusal::{Refusal, RefusalCode};
use crate::msg;
use crate::policy::Policy;
use crate::policy::directory::{Directory, NotEnrolled};
use crate::policy::recipients::{self, Register};
use crate::policy::trust::Distrust;
use crate::signed::Rejected;

/// One line of `okuri token verify`: the check's name, whether it passed, and what was found
/// (a `token-check-*` message) or why it failed (the refusal's message).
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub ok: bool,
    pub detail: Msg,
}

/// What the transfer at hand looks like, for the checks that compare the token with it.
/// Anything `None` is not checked (`token verify` without `--file`, say).
#[derive(Clone, Debug, Default)]
pub struct Transfer<'a> {
    pub file: Option<(Blake3, u64)>,
    pub class: Option<Class>,
    pub recipient: Option<&'a str>,
    pub channel: Option<Channel>,
    pub packer: Option<&'a StaffId>,
    pub legal_basis: Option<&'a str>,
    /// The city's staff directory (a signed city): the token's requester must stand in it
    /// with the department and key the request names.
    pub directory: Option<&'a Directory>,
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
    /// A refusal about the approved class and channel, quoting the class's rule.
    fn refusal(&self, code: RefusalCode) -> Refusal {
        Refusal::new(code, self.class, self.policy.rule(self.class)).channel(self.channel)
    }

    fn pass(&mut self, check: &'static str, detail: Msg) {
        self.checks.push(Check {
            check,
            ok: true,
            detail,
        });
    }

    /// A failed check; the first one is the assessment's refusal.
    fn fail(&mut self, check: &'static str, refusal: Refusal) {
        self.checks.push(Check {
            check,
            ok: false,
            detail: refusal.message.clone(),
        });
        self.refusal.get_or_insert(refusal);
    }
}

/// The refusal of a request whose requester does not stand in the staff directory as the
/// request says: one wording for `request`, `approve`, `deny`, `pack` and `token verify`.
pub fn requester_refusal(policy: &Policy, req: &Request, gap: &NotEnrolled) -> Refusal {
    let (why, listed) = gap.why();
    Refusal::new(
        RefusalCode::RequesterNotEnrolled,
        req.class,
        policy.rule(req.class),
    )
    .channel(req.channel)
    .arg("requester", &req.requester.id)
    .arg("department", &req.requester.department)
    .arg("why", why)
    .arg("listed", listed)
}

/// The refusal of a custodian's key that the trust list does not trust: one wording for each
/// way a key can fail, used for tokens (`pack`, `token verify`) and for `approve` and `deny`.
pub fn key_refusal(
    policy: &Policy,
    class: Class,
    channel: Channel,
    key: &Fingerprint,
    distrust: &Distrust,
) -> Refusal {
    let refuse = |code: RefusalCode| {
        Refusal::new(code, class, policy.rule(class))
            .channel(channel)
            .arg("key", key)
    };
    match distrust {
        Distrust::Unknown => refuse(RefusalCode::TokenUntrustedKey),
        Distrust::Revoked { signer, reason } => refuse(RefusalCode::TokenKeyRevoked)
            .arg("signer", signer)
            .arg("reason", reason),
        Distrust::NotYetValid { signer, from } => refuse(RefusalCode::TokenKeyNotValid)
            .arg("signer", signer)
            .arg("from", *from),
        Distrust::Expired { signer, until } => refuse(RefusalCode::TokenKeyNotValid)
            .with_message("refusal-token-key-not-valid-expired")
            .arg("signer", signer)
            .arg("until", *until),
    }
}

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

    // 1-3. The one verification of a signed document: the signature over the exact payload
    //    bytes in the approval namespace by the key the payload names; the key trusted as a
    //    custodian's, not revoked, inside its window, when the token was issued and now; the
    //    issuer its holder; the class and department within the custodian's remit.
    let verdict = token.verify(&policy.trust, now);
    let mut future = false;
    match &verdict {
        Err(Rejected::Forged) => {
            let refusal = cx.refusal(RefusalCode::TokenForged);
            cx.fail("signature", refusal);
        }
        Err(Rejected::Future { at }) => {
            cx.pass("signature", msg!("token-check-signature", key = &fp));
            let refusal = cx
                .refusal(RefusalCode::TokenExpired)
                .with_message("refusal-token-expired-future")
                .with_hint("refusal-token-expired-future-hint")
                .arg("issued", at);
            cx.fail("expiry", refusal);
            future = true;
        }
        Err(Rejected::Distrusted { key, why, .. }) => {
            cx.pass("signature", msg!("token-check-signature", key = &fp));
            let refusal =
                key_refusal(policy, r.class, r.channel, key, why).with_hint("hint-ask-again");
            cx.fail("key", refusal);
        }
        Err(Rejected::NotTheHolder { named, holder }) => {
            cx.pass("signature", msg!("token-check-signature", key = &fp));
            let refusal = cx
                .refusal(RefusalCode::TokenForged)
                .with_message("refusal-token-forged-issuer")
                .with_hint("hint-ask-again")
                .arg("issuer", named)
                .arg("owner", holder);
            cx.fail("custodian", refusal);
        }
        Err(Rejected::OutsideRemit {
            signer, department, ..
        }) => {
            cx.pass("signature", msg!("token-check-signature", key = &fp));
            let refusal = cx
                .refusal(RefusalCode::TokenCustodianNotAllowed)
                .arg("custodian", signer)
                .arg("department", department);
            cx.fail("custodian", refusal);
        }
        Ok(s) => {
            cx.pass("signature", msg!("token-check-signature", key = &fp));
            cx.pass(
                "key",
                msg!("token-check-key", key = &fp, signer = s.describe()),
            );
            cx.pass(
                "custodian",
                msg!(
                    "token-check-custodian",
                    class = r.class,
                    department = &r.requester.department
                ),
            );
        }
    }

    // 4. No self-approval.
    if p.issuer.id == r.requester.id {
        let refusal = cx
            .refusal(RefusalCode::SelfApproval)
            .arg("requester", &r.requester.id);
        cx.fail("self-approval", refusal);
    } else {
        cx.pass(
            "self-approval",
            msg!("token-check-self-approval", requester = &r.requester.id),
        );
    }

    // 5. Not expired (a token issued in the future was refused above).
    match () {
        () if future => {}
        () if now < p.expires_at.at() => {
            cx.pass("expiry", msg!("token-check-expiry", until = &p.expires_at));
        }
        () => {
            let refusal = cx
                .refusal(RefusalCode::TokenExpired)
                .with_hint("hint-ask-again")
                .arg("expires", &p.expires_at);
            cx.fail("expiry", refusal);
        }
    }

    // 5b. No longer than the policy allows, whoever signed it and however.
    if policy.approval.allows(p.issued_at.at(), p.expires_at.at()) {
        cx.pass(
            "validity",
            msg!(
                "token-check-validity",
                max = policy.approval.max_validity_hours
            ),
        );
    } else {
        let refusal = cx
            .refusal(RefusalCode::TokenValidityTooLong)
            .arg("issued", &p.issued_at)
            .arg("expires", &p.expires_at)
            .arg("max", policy.approval.max_validity_hours);
        cx.fail("validity", refusal);
    }

    // 6. The rules it was approved under are the rules in force.
    if p.policy == policy.digest && r.policy == policy.digest {
        cx.pass(
            "policy",
            msg!("token-check-policy", policy = policy.digest.short()),
        );
    } else {
        let refusal = cx
            .refusal(RefusalCode::TokenPolicyChanged)
            .with_hint("hint-ask-again")
            .arg("approved", p.policy.short())
            .arg("current", policy.digest.short());
        cx.fail("policy", refusal);
    }

    // 7. The transfer at hand is the one approved.
    if let Some((blake3, size)) = transfer.file {
        if blake3 == r.file.blake3 && size == r.file.size {
            cx.pass(
                "file",
                msg!(
                    "token-check-file",
                    name = &r.file.name,
                    size = size,
                    blake3 = blake3.short()
                ),
            );
        } else {
            let refusal = cx
                .refusal(RefusalCode::TokenOtherFile)
                .arg("name", &r.file.name)
                .arg("blake3", r.file.blake3.short());
            cx.fail("file", refusal);
        }
    }
    if let Some(class) = transfer.class {
        if class == r.class {
            cx.pass("class", msg!("token-check-class", class = class));
        } else {
            let refusal = cx
                .refusal(RefusalCode::TokenOtherClass)
                .with_hint("hint-ask-again")
                .arg("file_class", class);
            cx.fail("class", refusal);
        }
    }
    if let Some(to) = transfer.recipient {
        if to == r.recipient.id {
            cx.pass(
                "recipient",
                msg!(
                    "token-check-recipient",
                    name = &r.recipient.name,
                    recipient = &r.recipient.id
                ),
            );
        } else {
            let refusal = cx
                .refusal(RefusalCode::TokenOtherRecipient)
                .arg("name", &r.recipient.name)
                .arg("recipient", &r.recipient.id)
                .arg("to", to);
            cx.fail("recipient", refusal);
        }
    }
    if let Some(ch) = transfer.channel {
        if ch == r.channel {
            cx.pass("channel", msg!("token-check-channel", channel = ch));
        } else {
            let refusal = cx
                .refusal(RefusalCode::TokenOtherChannel)
                .arg("given_channel", ch);
            cx.fail("channel", refusal);
        }
    }
    if let Some(d) = transfer.directory {
        match d.check_requester(
            r.requester.id.as_str(),
            &r.requester.department,
            r.requester_key.as_ref(),
        ) {
            Ok(_) => cx.pass(
                "directory",
                msg!("token-check-directory", requester = &r.requester.id),
            ),
            Err(gap) => cx.fail("directory", requester_refusal(policy, r, &gap)),
        }
    }
    if let Some(packer) = transfer.packer {
        if *packer == r.requester.id {
            cx.pass("requester", msg!("token-check-requester", packer = packer));
        } else {
            let refusal = cx
                .refusal(RefusalCode::TokenOtherRequester)
                .arg("requester", &r.requester.id)
                .arg("packer", packer);
            cx.fail("requester", refusal);
        }
    }
    if transfer.file.is_some() {
        match (transfer.legal_basis, &r.legal_basis) {
            (Some(given), Some(approved)) if given != approved => {
                let refusal = cx
                    .refusal(RefusalCode::TokenOtherLegalBasis)
                    .arg("approved", approved)
                    .arg("given", given);
                cx.fail("legal basis", refusal);
            }
            _ => cx.pass(
                "legal basis",
                match &r.legal_basis {
                    Some(basis) => msg!("token-check-legal-basis", basis = basis),
                    None => msg!("token-check-legal-basis-none"),
                },
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
            msg!(
                "token-check-agreement",
                contract = &r.recipient.contract,
                class = r.class,
                channel = r.channel
            ),
        ),
        Err(refusal) => cx.fail("agreement", refusal),
    }
    let facts = crate::policy::Facts {
        legal_basis: r.legal_basis.clone(),
        approval: true,
        encrypt: true,
    };
    match policy.decide(r.class, r.channel, &facts) {
        crate::policy::Decision::Allowed(_) => cx.pass(
            "policy table",
            msg!(
                "token-check-policy-table",
                class = r.class,
                channel = r.channel
            ),
        ),
        crate::policy::Decision::Refused(refusal) => cx.fail("policy table", refusal),
    }

    // 9. Single use.
    match used {
        None => cx.pass("single use", msg!("token-check-single-use")),
        Some(seq) => {
            let refusal = reused(policy, r.class, r.channel, &p.token_id, seq);
            cx.fail("single use", refusal);
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
pub fn reused(policy: &Policy, class: Class, channel: Channel, id: &TokenId, seq: u64) -> Refusal {
    Refusal::new(RefusalCode::TokenReused, class, policy.rule(class))
        .channel(channel)
        .with_hint("hint-ask-again")
        .arg("token", id)
        .arg("entry", seq)
}

/// The refusal of a token the approval service says was already used; the caller adds who
/// used it (`by`), for which transfer (`transfer`) and when (`at`), as the service said.
pub fn reused_at_service(policy: &Policy, class: Class, channel: Channel, id: &TokenId) -> Refusal {
    Refusal::new(RefusalCode::TokenReused, class, policy.rule(class))
        .channel(channel)
        .with_message("refusal-token-reused-service")
        .with_hint("hint-ask-again")
        .arg("token", id)
}

/// A class whose tokens may not be used offline, with the service out of reach (`why`: what
/// the connection said).
pub fn offline_refused(policy: &Policy, class: Class, channel: Channel, why: &str) -> Refusal {
    Refusal::new(RefusalCode::OfflineTokenRefused, class, policy.rule(class))
        .channel(channel)
        .arg("why", why)
}

/// What `okuri approve` and `okuri deny` check before a custodian signs: the same rules pack
/// will apply, so that a custodian never issues a token that cannot be used.
pub fn precheck(
    policy: &Policy,
    register: &Register,
    directory: Option<&Directory>,
    req: &Request,
    custodian: &crate::policy::trust::Signer,
    custodian_key: &Fingerprint,
    deciding_to_approve: bool,
) -> std::result::Result<(), Refusal> {
    let refuse = |code: RefusalCode| {
        Refusal::new(code, req.class, policy.rule(req.class)).channel(req.channel)
    };
    if !custodian.covers(req.class, &req.requester.department) {
        return Err(refuse(RefusalCode::TokenCustodianNotAllowed)
            .with_message("refusal-token-custodian-not-allowed-decide")
            .with_hint("refusal-token-custodian-not-allowed-decide-hint")
            .arg("custodian", custodian.describe())
            .arg("department", &req.requester.department));
    }
    // Never one's own request, under any of one's ids or keys: the directory holds each
    // person once, with all of them (the same check as the service's).
    let alias = directory.is_some_and(|d| {
        d.same_person(
            req.requester.id.as_str(),
            custodian.id.as_str(),
            std::slice::from_ref(custodian_key),
        )
    });
    if custodian.id == req.requester.id || alias {
        return Err(refuse(RefusalCode::SelfApproval)
            .with_message("refusal-self-approval-decide")
            .with_hint("refusal-self-approval-decide-hint")
            .arg("requester", &req.requester.id));
    }
    if let Some(d) = directory
        && let Err(gap) = d.check_requester(
            req.requester.id.as_str(),
            &req.requester.department,
            req.requester_key.as_ref(),
        )
    {
        return Err(requester_refusal(policy, req, &gap));
    }
    if !deciding_to_approve {
        return Ok(());
    }
    if req.policy != policy.digest {
        return Err(refuse(RefusalCode::TokenPolicyChanged)
            .with_message("refusal-token-policy-changed-request")
            .with_hint("refusal-token-policy-changed-request-hint")
            .arg("requested", req.policy.short())
            .arg("current", policy.digest.short()));
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
