//! The JSON spoken between `okuri` and `okuri-approvald` (docs/service.md). Every body the
//! service accepts refuses unknown fields, so a typo or a newer client is an error, not a
//! silently dropped field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::base::digest::Blake3;
use crate::base::ids::{RequestId, StaffId, TokenId, TransferId};
use crate::signed::approval::Request;

/// The response header of a full page of `GET /v1/requests`: the last request read. Ask again
/// with `after=` it for the next page.
pub const NEXT_AFTER: &str = "okuri-next-after";

pub use crate::base::namespace::{NS_AUTH, NS_WITNESS};

/// What a caller signs to log in: the challenge, bound to who they say they are.
pub fn auth_message(id: &str, challenge: &str) -> Vec<u8> {
    format!("okuri-auth v1\n{id}\n{challenge}\n").into_bytes()
}

/// What a staff member signs to have the service witness their record's head.
pub fn witness_message(record: &str, seq: u64, hash: &Blake3) -> Vec<u8> {
    format!("okuri-witness v1\n{record}\n{seq}\n{hash}\n").into_bytes()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRequest {
    pub id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    pub challenge: String,
    pub expires_at: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRequest {
    pub id: String,
    pub challenge: String,
    /// The armored SSHSIG over [`auth_message`], in [`NS_AUTH`].
    pub signature: String,
}

/// A short-lived session. The secret is only ever sent back as `Authorization: Bearer`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub session: String,
    pub expires_at: String,
    pub roles: Vec<Role>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("session", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("roles", &self.roles)
            .finish()
    }
}

/// What a caller may do, from the key they logged in with.
pub use crate::policy::directory::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Approved,
    Denied,
    Consumed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Denied => "denied",
            Status::Consumed => "consumed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Pending,
            Status::Approved,
            Status::Denied,
            Status::Consumed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submitted {
    pub request_id: RequestId,
    pub status: Status,
}

/// A request as the service holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestView {
    pub request: Request,
    pub status: Status,
    pub submitted_at: String,
    pub decided_by: Option<StaffId>,
    pub decided_at: Option<String>,
    /// The approval token, exactly as the custodian signed it.
    pub token: Option<String>,
    /// The signed refusal.
    pub denial: Option<String>,
    pub consumed: Option<Consumption>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Consumption {
    pub token_id: TokenId,
    pub by: StaffId,
    /// As the consumer sent it (checked since okuri 0.1's messages step; older rows may hold
    /// other text).
    pub transfer_id: String,
    pub at: String,
}

/// A custodian's signed decision: exactly one of the two.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionUpload {
    pub token: Option<String>,
    pub denial: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumeRequest {
    pub transfer_id: TransferId,
    /// The token itself, for one the custodian signed offline (`okuri approve --out`): the
    /// service checks it and records the approval and its use in one transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// A new record head, with the lines since the head the service last saw so that it can check
/// that the new head extends the old one.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessUpdate {
    pub seq: u64,
    pub hash: Blake3,
    pub lines: Vec<String>,
    /// The armored SSHSIG over [`witness_message`], in [`NS_WITNESS`].
    pub signature: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WitnessHead {
    pub record: String,
    pub seq: u64,
    pub hash: Blake3,
    pub updated_at: String,
}

/// A token used by more than one transfer: `transfer_id` after `first_transfer`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Violation {
    pub token_id: String,
    pub transfer_id: String,
    pub first_transfer: String,
    pub by: String,
    pub record: String,
    pub at: String,
}

/// A transfer packed without asking the service for the city's designations, of a file the
/// city holds a stricter designation for: `GET /v1/violations/classes`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClassFinding {
    pub record: String,
    pub transfer_id: String,
    pub by: String,
    pub blake3: String,
    /// The class the sender's machine found (its local designations only).
    pub class: String,
    /// The class the city's designations give.
    pub city_class: String,
    pub at: String,
}

/// A signed class designation (the document as the officer signed it), sent to or held by
/// the service: `POST /v1/designations`, `GET /v1/designations/{blake3}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DesignationDoc {
    pub document: String,
    /// When the service registered it (its own clock): absent in an upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<String>,
}

/// The answer to `POST /v1/auth/logout`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedOut {
    pub status: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Every error the service returns:
/// `{"error": {"code": "...", "message": "...", "id": "...", "args": {...}}}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// One error: `code` is the coarse, stable category that programs check (`unauthorized`,
/// `forbidden`, `bad-request`, `bad-body`, `too-large`, `not-json`, `not-found`, `conflict`,
/// `busy`, `internal`); `message` is the specific message in English; `id` and `args` are that
/// message as data (a message id of okuri's Fluent files and its arguments), so that the CLI
/// says it in its user's language. `id` and `args` may be missing (an older service).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub args: BTreeMap<String, crate::base::message::Value>,
}
