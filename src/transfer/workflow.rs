//! The approval workflow, offline: a staff member writes a request (`okuri request`); a
//! custodian signs it into a token (`okuri approve`) or refuses it (`okuri deny`). Every step
//! is recorded in the transfer record of whoever takes it, refusals included.

use std::path::{Path, PathBuf};

use crate::base::channel::Channel;
use crate::base::digest::Fingerprint;
use crate::base::error::{Error, Result};
use crate::base::refusal::Refusal;
use crate::msg;
use crate::policy::recipients::{self, Register};
use crate::policy::trust::{Signer, SignerRole};
use crate::policy::{Decision, Facts, Policy};
use crate::record::{DecisionEntry, Event, Outcome, Reason, Record, RequestEntry, SignerRef};
use crate::secret::keys::SigningKey;
use crate::signed::approval::{
    self, DENIAL_KIND, DenialPayload, Person, REQUEST_KIND, RecipientRef, Request, TOKEN_KIND,
    TokenPayload,
};
use crate::signed::{FileRef, Issuer};
use crate::signed::{NS_APPROVAL, NS_DENIAL, Signed};
use crate::sys::fsutil;
use crate::sys::home::Home;
use crate::sys::hooks;
use crate::sys::host::{host, os_user};
use crate::sys::input::Input;
use crate::transfer::label;

/// Where a decision is taken: the person's home (for the record) and the rules in force.
#[derive(Clone, Copy)]
pub struct Desk<'a> {
    pub home: &'a Home,
    pub policy: &'a Policy,
    pub register: &'a Register,
    /// The city's staff directory; `None` in development mode.
    pub directory: Option<&'a crate::policy::directory::Directory>,
}

/// What the requester asks for.
pub struct RequestArgs<'a> {
    pub file: &'a Path,
    pub to: &'a str,
    pub channel: Channel,
    pub purpose: &'a str,
    pub legal_basis: Option<&'a str>,
    /// Where to write the request file; `None` when it only goes to the service.
    pub out: Option<&'a Path>,
    /// The requester's own key: the request names it and the file is signed with it. A
    /// signed city needs one; in development mode a request may be unsigned.
    pub key: Option<&'a SigningKey>,
    /// The designations the city knows of a file, from the approval service.
    pub city: &'a dyn Fn(&crate::base::digest::Blake3) -> Result<label::CityDesignations>,
}

/// A free-text field of a request or a denial, for the message that says it is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Purpose,
    LegalBasis,
    Reason,
}

impl Field {
    fn as_str(self) -> &'static str {
        match self {
            Field::Purpose => "purpose",
            Field::LegalBasis => "legal-basis",
            Field::Reason => "reason",
        }
    }
}

/// A free-text field of a request or a denial: one line, not empty, at most 1,000 characters.
/// The one check, for the CLI and for what the service takes.
pub fn one_line(field: Field, v: &str) -> Result<()> {
    if v.trim().is_empty() || v.chars().count() > 1000 || v.chars().any(char::is_control) {
        return Err(Error::usage(msg!(
            "workflow-field-one-line",
            field = field.as_str(),
            max = 1000u64
        )));
    }
    Ok(())
}

/// Writes a request for approval. Refuses (and records) what the policy forbids outright, so
/// that a custodian is never asked to approve the impossible.
pub fn request(
    desk: Desk<'_>,
    a: &RequestArgs<'_>,
    publish: &mut dyn FnMut(&Request) -> Result<()>,
) -> Result<(Request, u64)> {
    let Desk {
        home,
        policy,
        register,
        directory,
    } = desk;
    let identity = home.identity()?;
    if let Some(d) = directory {
        d.confirm(&identity)?;
    }
    one_line(Field::Purpose, a.purpose)?;
    if let Some(l) = a.legal_basis {
        one_line(Field::LegalBasis, l)?;
    }
    if let Some(out) = a.out
        && out.symlink_metadata().is_ok()
    {
        return Err(fsutil::exists_error(out));
    }
    let record = Record::new(home);
    drop(record.writer()?);
    let mut input = Input::open(a.file)?;
    let c = label::classify_with(&mut input, home, policy, a.city)?;
    let now = hooks::now();
    let registered = register.get(a.to).cloned();
    let req = Request {
        okuri: REQUEST_KIND.into(),
        version: 1,
        request_id: crate::base::ids::RequestId::new()?,
        created_at: crate::base::time::Time::of(&now),
        requester: Person {
            id: identity.id.clone(),
            name: identity.name.clone(),
            department: identity.department.clone(),
        },
        host: host(),
        file: FileRef {
            name: input.file_name(),
            size: c.size,
            blake3: c.blake3,
        },
        class: c.class,
        class_source: c.source.name().to_owned(),
        recipient: RecipientRef {
            id: a.to.to_owned(),
            name: registered
                .as_ref()
                .map_or_else(|| a.to.to_owned(), |r| r.name.clone()),
            contract: registered
                .as_ref()
                .map(|r| r.contract.clone())
                .unwrap_or_default(),
        },
        channel: a.channel,
        purpose: a.purpose.to_owned(),
        legal_basis: a.legal_basis.map(str::to_owned),
        policy: policy.digest,
        requester_key: a.key.map(|k| k.fingerprint.clone()),
    };
    let entry = |outcome, reason| {
        Event::Request(RequestEntry {
            at: req.created_at.clone(),
            outcome,
            request_id: req.request_id.clone(),
            user: os_user(),
            host: host(),
            request: req.clone(),
            reason,
        })
    };
    // In a signed city one requests as the staff directory has one: its department, a key
    // of one's own. Refused here, so that no custodian is asked for what cannot be approved.
    let enrolled = directory.map_or(Ok(()), |d| {
        d.check_requester(
            req.requester.id.as_str(),
            &req.requester.department,
            req.requester_key.as_ref(),
        )
        .map(drop)
        .map_err(|gap| approval::requester_refusal(policy, &req, &gap))
    });
    let refusal = match enrolled.and_then(|()| {
        recipients::resolve(
            register,
            policy,
            a.to,
            c.class,
            a.channel,
            recipients::today_jst(),
        )
    }) {
        Err(r) => Some(r),
        Ok(_) => match policy.decide(
            c.class,
            a.channel,
            &Facts {
                legal_basis: req.legal_basis.clone(),
                approval: true,
                encrypt: true,
            },
        ) {
            Decision::Refused(r) => Some(r),
            Decision::Allowed(_) => None,
        },
    };
    if let Some(r) = refusal {
        record
            .writer()?
            .append(entry(Outcome::Refused, Some(Reason::of(&r))))?;
        return Err(Error::refused(r));
    }
    if !policy.requirements(c.class, a.channel).approval {
        return Err(Error::usage(msg!(
            "workflow-no-approval-needed",
            class = c.class,
            channel = a.channel
        ))
        .with_hint(msg!("workflow-no-approval-needed-hint")));
    }
    let mut w = record.writer()?;
    if let Some(out) = a.out {
        let bytes = match a.key {
            Some(k) => req.signed_file(k)?,
            None => req.to_json(),
        };
        fsutil::write_new(out, &bytes)?;
    }
    if let Err(e) = publish(&req) {
        if let Some(out) = a.out {
            let _ = std::fs::remove_file(out);
        }
        return Err(e);
    }
    match w.append(entry(Outcome::Requested, None)) {
        Ok(ap) => Ok((req, ap.seq)),
        Err(e) => {
            if let Some(out) = a.out {
                let _ = std::fs::remove_file(out);
            }
            Err(e)
        }
    }
}

/// A custodian's key as the trust list holds it now: who they are and the key itself, or the
/// refusal that says why not (expired, revoked, not a custodian's). The one check of the key
/// for `okuri approve`, `okuri deny` and the web console.
pub fn custodian_of<'p>(
    policy: &'p Policy,
    key: &Fingerprint,
    req: &Request,
) -> std::result::Result<(&'p Signer, &'p crate::policy::trust::TrustedKey), Refusal> {
    let now = hooks::now().timestamp();
    policy
        .trust
        .check(SignerRole::Custodian, key, now)
        .map_err(|d| approval::key_refusal(policy, req.class, req.channel, key, &d))
}

fn signer_ref(s: &Signer, key: &SigningKey) -> SignerRef {
    SignerRef {
        id: s.id.clone(),
        name: s.name.clone(),
        department: s.department.clone(),
        key: key.fingerprint.clone(),
    }
}

fn issuer(s: &Signer, key: &Fingerprint) -> Issuer {
    Issuer {
        id: s.id.clone(),
        name: s.name.clone(),
        department: s.department.clone(),
        key: key.clone(),
    }
}

/// The payload of the token `custodian` issues for `req` at `now`, valid for `validity` (the
/// policy's default when `None`): the one serializer of a token, for `okuri approve` and the
/// web console alike. The validity must lie within the rules' limits.
pub fn token_payload(
    policy: &Policy,
    custodian: &Signer,
    key: &Fingerprint,
    req: &Request,
    validity: Option<jiff::Span>,
    now: &jiff::ZonedDateTime,
) -> Result<TokenPayload> {
    let max = policy.approval.max_validity_hours;
    let span =
        validity.unwrap_or_else(|| jiff::Span::new().hours(policy.approval.default_validity_hours));
    let expires = now
        .checked_add(span)
        .map_err(|e| Error::usage(msg!("workflow-expires-out-of-range")).with_source(e))?;
    if !policy.approval.allows(now.timestamp(), expires.timestamp()) {
        return Err(Error::usage(msg!("workflow-expires-invalid", max = max))
            .with_hint(msg!("workflow-expires-hint")));
    }
    Ok(TokenPayload {
        okuri: TOKEN_KIND.into(),
        version: 1,
        token_id: crate::base::ids::TokenId::new()?,
        issuer: issuer(custodian, key),
        issued_at: crate::base::time::Time::of(now),
        expires_at: crate::base::time::Time::of(&expires),
        policy: policy.digest,
        request: req.clone(),
    })
}

/// The payload of the refusal `custodian` signs for `req` at `now`, for `why` (one line): the
/// one serializer of a denial, for `okuri deny` and the web console alike.
pub fn denial_payload(
    policy: &Policy,
    custodian: &Signer,
    key: &Fingerprint,
    req: &Request,
    why: &str,
    now: &jiff::ZonedDateTime,
) -> Result<DenialPayload> {
    one_line(Field::Reason, why)?;
    Ok(DenialPayload {
        okuri: DENIAL_KIND.into(),
        version: 1,
        denial_id: crate::base::ids::DenialId::new()?,
        issuer: issuer(custodian, key),
        denied_at: crate::base::time::Time::of(now),
        reason: why.to_owned(),
        policy: policy.digest,
        request: req.clone(),
    })
}

/// What `approve` produced.
pub struct Approved {
    pub token: TokenPayload,
    pub path: Option<PathBuf>,
    pub record_seq: u64,
}

/// A custodian approves a request: the same checks pack will make, then a signed token.
pub fn approve(
    desk: Desk<'_>,
    req: &Request,
    key: &SigningKey,
    validity: Option<jiff::Span>,
    out: Option<&Path>,
    publish: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<Approved> {
    let Desk {
        home,
        policy,
        register,
        directory,
    } = desk;
    if let Some(out) = out
        && out.symlink_metadata().is_ok()
    {
        return Err(fsutil::exists_error(out));
    }
    let now = hooks::now();
    let record = Record::new(home);
    let decision = |outcome, custodian: Option<SignerRef>, token_id, expires_at, reason| {
        Event::Decision(DecisionEntry {
            at: crate::base::time::Time::of(&now),
            outcome,
            request_id: req.request_id.clone(),
            custodian,
            user: os_user(),
            host: host(),
            request: req.clone(),
            token_id,
            expires_at,
            reason,
            denial: None,
            policy: policy.digest,
        })
    };
    let checked = custodian_of(policy, &key.fingerprint, req).and_then(|(s, _)| {
        approval::precheck(policy, register, directory, req, s, &key.fingerprint, true).map(|()| s)
    });
    let custodian = match checked {
        Ok(s) => s,
        Err(r) => {
            let who = policy
                .trust
                .of_role(SignerRole::Custodian)
                .find(|s| s.keys.iter().any(|k| k.fingerprint == key.fingerprint))
                .map(|s| signer_ref(s, key));
            record.writer()?.append(decision(
                Outcome::Refused,
                who,
                None,
                None,
                Some(Reason::of(&r)),
            ))?;
            return Err(Error::refused(r));
        }
    };
    let payload = token_payload(policy, custodian, &key.fingerprint, req, validity, &now)?;
    let bytes = crate::signed::payload_bytes(&payload);
    let sig = key.sign(NS_APPROVAL, &bytes)?;
    let doc = Signed {
        payload: bytes,
        sig,
    }
    .render();
    let mut w = record.writer()?;
    if let Some(out) = out {
        fsutil::write_new_mode(out, &doc, 0o644)?;
    }
    // Uploaded (online) before it is recorded here, so a token the service refused is never
    // recorded as given.
    if let Err(e) = publish(&doc) {
        if let Some(out) = out {
            let _ = std::fs::remove_file(out);
        }
        return Err(e);
    }
    let entry = decision(
        Outcome::Approved,
        Some(signer_ref(custodian, key)),
        Some(payload.token_id.clone()),
        Some(payload.expires_at.clone()),
        None,
    );
    match w.append(entry) {
        Ok(a) => Ok(Approved {
            token: payload,
            path: out.map(Path::to_path_buf),
            record_seq: a.seq,
        }),
        Err(e) => {
            if let Some(out) = out {
                let _ = std::fs::remove_file(out);
            }
            Err(e)
        }
    }
}

/// What `deny` produced.
pub struct Denied {
    pub denial: DenialPayload,
    pub path: Option<PathBuf>,
    pub record_seq: u64,
}

/// A custodian refuses a request, signed so the requester can see who decided and why.
pub fn deny(
    desk: Desk<'_>,
    req: &Request,
    key: &SigningKey,
    why: &str,
    out: Option<&Path>,
    publish: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<Denied> {
    let Desk {
        home,
        policy,
        register,
        directory,
    } = desk;
    if let Some(o) = out
        && o.symlink_metadata().is_ok()
    {
        return Err(fsutil::exists_error(o));
    }
    let custodian = custodian_of(policy, &key.fingerprint, req)
        .and_then(|(s, _)| {
            approval::precheck(policy, register, directory, req, s, &key.fingerprint, false)
                .map(|()| s)
        })
        .map_err(Error::refused)?;
    let payload = denial_payload(policy, custodian, &key.fingerprint, req, why, &hooks::now())?;
    let bytes = crate::signed::payload_bytes(&payload);
    let sig = key.sign(NS_DENIAL, &bytes)?;
    let doc = Signed {
        payload: bytes,
        sig,
    }
    .render();
    let record = Record::new(home);
    let mut w = record.writer()?;
    if let Some(o) = out {
        fsutil::write_new_mode(o, &doc, 0o644)?;
    }
    if let Err(e) = publish(&doc) {
        if let Some(o) = out {
            let _ = std::fs::remove_file(o);
        }
        return Err(e);
    }
    let entry = Event::Decision(DecisionEntry {
        at: payload.denied_at.clone(),
        outcome: Outcome::Denied,
        request_id: req.request_id.clone(),
        custodian: Some(signer_ref(custodian, key)),
        user: os_user(),
        host: host(),
        request: req.clone(),
        token_id: None,
        expires_at: None,
        reason: None,
        denial: Some(why.to_owned()),
        policy: policy.digest,
    });
    match w.append(entry) {
        Ok(a) => Ok(Denied {
            denial: payload,
            path: out.map(Path::to_path_buf),
            record_seq: a.seq,
        }),
        Err(e) => {
            if let Some(o) = out {
                let _ = std::fs::remove_file(o);
            }
            Err(e)
        }
    }
}
