//! The one verification of a signed document, for every kind (tokens, denials, designations,
//! medium markers, and the kinds still to come): the envelope and the payload are read and the
//! kind and version checked ([`Parsed::read`]); then ([`Parsed::verify`]) the signature over
//! the exact payload bytes in the kind's namespace, by the key the payload names; a signing
//! time not in the future; the key in the trust list for the kind's role, inside its window and
//! not revoked, when it signed and — for kinds that must still hold — now; the payload's signer
//! as the key's holder; and the signer's remit (class and department) where the kind has one.
//!
//! Adding a kind of document is a payload type implementing [`Document`] and a namespace.

use jiff::{SignedDuration, Timestamp};
use serde::de::DeserializeOwned;

use super::{FormatError, Issuer, Signed};
use crate::base::class::Class;
use crate::base::digest::Fingerprint;
use crate::base::ids::StaffId;
use crate::base::message::Msg;
use crate::base::time::Time;
use crate::msg;
use crate::policy::trust::{Distrust, Signer, SignerRole, TrustList};

/// A clock difference between machines that a signing time may show.
pub const CLOCK_SKEW: SignedDuration = SignedDuration::from_secs(300);

/// A kind of signed document.
pub trait Document: DeserializeOwned {
    /// The payload's `okuri` field.
    const KIND: &'static str;
    /// The payload's `version` this okuri reads.
    const VERSION: u32 = 1;
    /// The SSHSIG namespace it is signed in.
    const NAMESPACE: &'static str;
    /// Who in the trust list signs it.
    const ROLE: SignerRole;
    /// Must the key still be trusted now (an approval, a denial), or only when it signed (a
    /// designation or a medium's registration outlives its key's window, never its
    /// revocation)?
    const TRUSTED_NOW: bool;

    /// The payload's `okuri` and `version` fields.
    fn header(&self) -> (&str, u32);
    /// Whom the payload names as its signer, with the key's fingerprint.
    fn signer(&self) -> &Issuer;
    /// When it says it was signed.
    fn signed_at(&self) -> &Time;
    /// The class and department the signer must act for, if the kind has a remit.
    fn remit(&self) -> Option<(Class, &str)>;
}

/// A document read from bytes, of the right kind and version; its signature not yet checked.
#[derive(Clone, Debug)]
pub struct Parsed<D> {
    pub signed: Signed,
    pub payload: D,
    /// The document exactly as read, to pass on unchanged (never re-encoded from input).
    pub raw: Vec<u8>,
}

/// Why bytes are not a document of a kind at all: bad input, not a refusal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    Envelope(FormatError),
    /// The payload is not this kind's JSON (the parser's words).
    Payload(String),
    /// Another kind of okuri document, or another version.
    Kind {
        kind: String,
        version: u32,
    },
}

impl Unreadable {
    /// Which way it is unreadable (a key for the message) and the parser's own words, if any.
    fn why(&self) -> (&'static str, String) {
        match self {
            Unreadable::Envelope(FormatError::NoSignature) => ("no-signature", String::new()),
            Unreadable::Envelope(FormatError::Payload) => ("payload", String::new()),
            Unreadable::Envelope(FormatError::Signature(e)) => ("signature", e.clone()),
            Unreadable::Payload(e) => ("json", e.clone()),
            Unreadable::Kind { kind, version } => ("kind", format!("{kind} v{version}")),
        }
    }

    /// `source` (a path, an id) is not a document of `kind` (a [`Document::KIND`]).
    pub fn msg(&self, kind: &str, source: &str) -> Msg {
        let (why, detail) = self.why();
        msg!(
            "signed-unreadable",
            kind = kind,
            source = source,
            why = why,
            detail = detail
        )
    }
}

impl Rejected {
    /// Which way the document failed, as a key for messages that say it in their own words.
    pub fn kind(&self) -> &'static str {
        match self {
            Rejected::Forged => "forged",
            Rejected::Future { .. } => "future",
            Rejected::Distrusted { .. } => "distrusted",
            Rejected::NotTheHolder { .. } => "not-the-holder",
            Rejected::OutsideRemit { .. } => "outside-remit",
        }
    }

    /// Why the document counts for nothing: one wording for each way, whatever the kind.
    pub fn msg(&self) -> Msg {
        match self {
            Rejected::Forged => msg!("signed-forged"),
            Rejected::Future { at } => msg!("signed-future", at = at),
            Rejected::Distrusted { key, role, why } => why.msg(key, *role),
            Rejected::NotTheHolder { named, holder } => {
                msg!("signed-not-the-holder", named = named, holder = holder)
            }
            Rejected::OutsideRemit {
                signer,
                class,
                department,
            } => msg!(
                "signed-outside-remit",
                signer = signer,
                class = *class,
                department = department
            ),
        }
    }
}

/// Why a readable document does not count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejected {
    /// The signature does not hold over the payload in the kind's namespace, or it was made
    /// by another key than the payload names: altered or forged.
    Forged,
    /// It says it was signed later than now (beyond the clock skew).
    Future { at: Time },
    /// The trust list does not trust the key for the kind's role.
    Distrusted {
        key: Fingerprint,
        role: SignerRole,
        why: Distrust,
    },
    /// The payload names someone other than the key's holder.
    NotTheHolder { named: StaffId, holder: StaffId },
    /// The signer may not act for this class and department.
    OutsideRemit {
        signer: String,
        class: Class,
        department: String,
    },
}

impl<D: Document> Parsed<D> {
    /// Reads the envelope and the payload, and checks the kind and version.
    pub fn read(bytes: &[u8]) -> Result<Parsed<D>, Unreadable> {
        let signed = Signed::parse(bytes).map_err(Unreadable::Envelope)?;
        let payload: D = serde_json::from_slice(&signed.payload)
            .map_err(|e| Unreadable::Payload(e.to_string()))?;
        let (kind, version) = payload.header();
        if kind != D::KIND || version != D::VERSION {
            return Err(Unreadable::Kind {
                kind: kind.to_owned(),
                version,
            });
        }
        Ok(Parsed {
            signed,
            payload,
            raw: bytes.to_vec(),
        })
    }

    /// Everything a signature says about who signed and with what authority; the signer as
    /// the trust list has them.
    pub fn verify<'t>(&self, trust: &'t TrustList, now: Timestamp) -> Result<&'t Signer, Rejected> {
        let p = &self.payload;
        let fp = self.signed.signer_fingerprint();
        if !self.signed.verify(D::NAMESPACE) || fp != p.signer().key {
            return Err(Rejected::Forged);
        }
        let at = p.signed_at();
        if at.at() > now + CLOCK_SKEW {
            return Err(Rejected::Future { at: at.clone() });
        }
        let distrusted = |why| Rejected::Distrusted {
            key: fp.clone(),
            role: D::ROLE,
            why,
        };
        let (signer, _) = trust.check(D::ROLE, &fp, at.at()).map_err(distrusted)?;
        if D::TRUSTED_NOW {
            trust.check(D::ROLE, &fp, now).map_err(distrusted)?;
        }
        if signer.id != p.signer().id {
            return Err(Rejected::NotTheHolder {
                named: p.signer().id.clone(),
                holder: signer.id.clone(),
            });
        }
        if let Some((class, department)) = p.remit()
            && !signer.covers(class, department)
        {
            return Err(Rejected::OutsideRemit {
                signer: signer.describe(),
                class,
                department: department.to_owned(),
            });
        }
        Ok(signer)
    }
}
