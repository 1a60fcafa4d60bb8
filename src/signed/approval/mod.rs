//! Custodian approval (情報資産管理責任者の承認, Ch.2 §2): requests, approval tokens, denials,
//! and the checks `pack` and `token verify` make on a token.
//!
//! A request is written by the requester: a signed document in the namespace [`NS_REQUEST`]
//! by the key it names (`requester_key`), or, from a machine in development mode where the
//! requester has no key, plain JSON naming none. A token is a signed document
//! ([`crate::signed`]) whose payload carries its own id, the issuer and key fingerprint, the
//! issue and expiry times, the policy's digest and the whole request, signed in the namespace
//! [`NS_APPROVAL`]. Nothing is canonicalised: the bytes signed are the bytes in the file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::digest::Fingerprint;
use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::{DenialId, RequestId, StaffId, TokenId};
use crate::base::namespace::{NS_APPROVAL, NS_DENIAL, NS_REQUEST};
use crate::base::time::Time;
use crate::msg;
use crate::policy::trust::SignerRole;
use crate::signed::{Document, FileRef, Issuer, Parsed};

pub const REQUEST_KIND: &str = "approval-request";
pub const TOKEN_KIND: &str = "approval-token";
pub const DENIAL_KIND: &str = "approval-denial";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: StaffId,
    pub name: String,
    pub department: String,
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
    pub request_id: RequestId,
    pub created_at: Time,
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
    /// The key the requester signed the request (or logged in to the service) with: the
    /// token binds it, and `approve` and `pack` check it against the staff directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_key: Option<Fingerprint>,
}

/// The signed payload of an approval token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TokenPayload {
    pub okuri: String,
    pub version: u32,
    pub token_id: TokenId,
    pub issuer: Issuer,
    pub issued_at: Time,
    pub expires_at: Time,
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
    pub denial_id: DenialId,
    pub issuer: Issuer,
    pub denied_at: Time,
    pub reason: String,
    pub policy: Blake3,
    pub request: Request,
}

impl Request {
    pub fn load(path: &Path) -> Result<Request> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        Self::read(&bytes, path)
    }

    /// Reads a request file (`path` for messages). A signed one must verify in
    /// [`NS_REQUEST`] by the key it names; a plain one may name no key, so that a key in an
    /// unsigned file (where anyone could have put it) is never believed.
    pub fn read(bytes: &[u8], path: &Path) -> Result<Request> {
        let not_a_request = |e: Option<String>| {
            let mut err = Error::invalid(msg!("request-not-a-request", path = path))
                .with_hint(msg!("request-not-a-request-hint"));
            if let Some(e) = e {
                err = err.with_source(std::io::Error::other(e));
            }
            err
        };
        let is_signed = bytes
            .windows(crate::signed::BEGIN.len())
            .any(|w| w == crate::signed::BEGIN.as_bytes());
        let (r, signer): (Request, _) = if is_signed {
            let signed = crate::signed::Signed::parse(bytes)
                .map_err(|e| not_a_request(Some(e.to_string())))?;
            let r: Request = serde_json::from_slice(&signed.payload)
                .map_err(|e| not_a_request(Some(e.to_string())))?;
            let ok = signed.verify(NS_REQUEST)
                && r.requester_key.as_ref() == Some(&signed.signer_fingerprint());
            if !ok {
                return Err(
                    Error::integrity(msg!("request-signature-invalid", path = path))
                        .with_hint(msg!("request-signature-invalid-hint")),
                );
            }
            (r, true)
        } else {
            let r: Request =
                serde_json::from_slice(bytes).map_err(|e| not_a_request(Some(e.to_string())))?;
            (r, false)
        };
        if !signer && r.requester_key.is_some() {
            return Err(
                Error::integrity(msg!("request-signature-missing", path = path))
                    .with_hint(msg!("request-signature-invalid-hint")),
            );
        }
        if r.okuri != REQUEST_KIND || r.version != 1 {
            return Err(Error::invalid(msg!("request-wrong-version", path = path)));
        }
        Ok(r)
    }

    /// The request file signed with the requester's `key` (which `requester_key` names).
    pub fn signed_file(&self, key: &crate::secret::keys::SigningKey) -> Result<Vec<u8>> {
        let payload = crate::signed::payload_bytes(self);
        let sig = key.sign(NS_REQUEST, &payload)?;
        Ok(crate::signed::Signed { payload, sig }.render())
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("requests serialize");
        v.push(b'\n');
        v
    }
}

/// A custodian's decision on a request (an approval or a refusal): signed by a custodian
/// trusted now and when it was signed, within their remit for the request's class and the
/// requester's department.
macro_rules! custodians_decision {
    ($payload:ty, $kind:expr, $namespace:expr, $signed_at:ident) => {
        impl Document for $payload {
            const KIND: &'static str = $kind;
            const NAMESPACE: &'static str = $namespace;
            const ROLE: SignerRole = SignerRole::Custodian;
            // An approval is given by someone trusted now, not only by someone trusted once.
            const TRUSTED_NOW: bool = true;

            fn header(&self) -> (&str, u32) {
                (&self.okuri, self.version)
            }
            fn signer(&self) -> &Issuer {
                &self.issuer
            }
            fn signed_at(&self) -> &Time {
                &self.$signed_at
            }
            fn remit(&self) -> Option<(Class, &str)> {
                Some((self.request.class, &self.request.requester.department))
            }
        }
    };
}

custodians_decision!(TokenPayload, TOKEN_KIND, NS_APPROVAL, issued_at);
custodians_decision!(DenialPayload, DENIAL_KIND, NS_DENIAL, denied_at);

/// A token as read from a file: the signed document and its parsed payload.
pub type Token = Parsed<TokenPayload>;

/// A custodian's signed refusal, as read.
pub type Denial = Parsed<DenialPayload>;

mod checks;

pub use checks::{
    Assessment, Check, Transfer, assess, key_refusal, offline_refused, precheck, requester_refusal,
    reused, reused_at_service,
};

impl Token {
    /// Reads a token. A file that is not a token at all is invalid input (exit 4); a token
    /// whose signature does not hold is a refusal, found by [`assess`]. `source` says where
    /// the token came from: a path, or the id of the request it was fetched for.
    pub fn parse(bytes: &[u8], source: &str) -> Result<Token> {
        Parsed::read(bytes).map_err(|e| {
            Error::invalid(e.msg(TOKEN_KIND, source)).with_hint(msg!("token-not-a-token-hint"))
        })
    }

    pub fn load(path: &Path) -> Result<Token> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        Self::parse(&bytes, &crate::base::fsname::shown(path))
    }

    pub fn request(&self) -> &Request {
        &self.payload.request
    }
}

/// Reads a denial whose signature holds, for `okuri request status`; who signed it is the
/// service's concern (it checked the custodian when it took the denial).
pub fn parse_denial(bytes: &[u8]) -> Option<Denial> {
    let d = Denial::read(bytes).ok()?;
    d.signed.verify(NS_DENIAL).then_some(d)
}
