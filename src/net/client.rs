//! The CLI's side of okuri-approvald: log in with the caller's key (an SSHSIG over a server
//! challenge; the key never leaves this machine), then submit, list, decide, consume and
//! witness. Blocking HTTP (ureq, rustls): the CLI does one thing at a time.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use ssh_key::LineEnding;
use zeroize::Zeroizing;

use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Kind, Result};
use crate::base::ids::{RecordId, RequestId, StaffId, TokenId, TransferId};
use crate::base::message::Msg;
use crate::msg;
use crate::net::wire::{
    self, Challenge, ChallengeRequest, ConsumeRequest, Consumption, DecisionUpload, ErrorBody,
    ErrorDetail, NS_AUTH, NS_WITNESS, RequestView, Role, Session, SessionRequest, Status,
    Submitted, WitnessHead, WitnessUpdate,
};
use crate::policy::ServiceRef;
use crate::secret::keys::SigningKey;
use crate::signed::approval::Request;

/// What went wrong talking to the service.
#[derive(Debug)]
pub enum Failure {
    /// No configured address of the service accepted a connection (no route, refused, name
    /// not found, connect timeout): the caller may fall back where the policy lets. Nothing
    /// else is "unreachable", or a staff member could make the service disappear at will.
    Unreachable(Error),
    /// Anything else that went wrong on the way: TLS, an answer that is not the service's, a
    /// connection cut half-way, a local file. An error, never a reason to go offline.
    Broken(Error),
    /// The service answered with an error: its status, its stable code, its English text,
    /// and (from a service that sends one) the message as id and arguments, for rendering in
    /// the user's language. The detail also carries the English text as its argument `text`,
    /// so that a message this okuri does not know still shows the service's words.
    Refused {
        status: u16,
        code: String,
        message: String,
        detail: Option<Msg>,
    },
}

impl Failure {
    /// As an okuri error for the user, with the service's own message.
    pub fn into_error(self) -> Error {
        match self {
            Failure::Unreachable(e) | Failure::Broken(e) => e,
            Failure::Refused {
                status,
                code,
                message,
                detail,
            } => {
                let kind = match status {
                    400 | 404 | 409 | 413 => Kind::Invalid,
                    401 | 403 => Kind::Usage,
                    _ => Kind::Failure,
                };
                let status_hint = msg!(
                    "client-refused-status",
                    status = u32::from(status),
                    code = code.as_str()
                );
                let text = detail.unwrap_or_else(|| {
                    msg!(
                        "client-refused-text",
                        status = u32::from(status),
                        code = code.as_str(),
                        message = message
                    )
                });
                let e = Error::new(kind, text).with_hint(status_hint);
                match status {
                    401 => e.with_hint(msg!("client-refused-unauthorized-hint")),
                    403 => e.with_hint(msg!("client-refused-forbidden-hint")),
                    503 => e.with_hint(msg!("client-refused-busy-hint")),
                    _ => e,
                }
            }
        }
    }
}

pub type Reply<T> = std::result::Result<T, Failure>;

/// A logged-in connection to the service.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    session: Zeroizing<String>,
    pub id: StaffId,
    pub roles: Vec<Role>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client({}, {}, <session redacted>)", self.base, self.id)
    }
}

fn agent(service: &ServiceRef) -> Result<ureq::Agent> {
    use ureq::tls::{RootCerts, TlsConfig};
    let mut tls = TlsConfig::builder();
    if let Some(ca) = &service.ca {
        let pem = std::fs::read(ca).map_err(|e| Error::io(IoOp::Read, ca, e))?;
        let certs: Vec<_> = ureq::tls::parse_pem(&pem)
            .filter_map(|i| match i {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(Error::invalid(msg!("client-ca-no-certificate", path = ca)));
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    Ok(ureq::Agent::config_builder()
        // Never the environment's proxy (`HTTPS_PROXY`, `ALL_PROXY`, …): a staff member could
        // set one that goes nowhere and make the service look unreachable.
        .proxy(None)
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_global(Some(Duration::from_secs(30)))
        .tls_config(tls.build())
        .build()
        .into())
}

/// Sorts a transport error: only a failure to connect at all is "unreachable".
fn transport(base: &str, e: ureq::Error) -> Failure {
    use std::io::ErrorKind as K;
    let no_connection = match &e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
        ureq::Error::Timeout(t) => matches!(t, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        ureq::Error::Io(io) => matches!(
            io.kind(),
            K::ConnectionRefused
                | K::NetworkUnreachable
                | K::HostUnreachable
                | K::NetworkDown
                | K::AddrNotAvailable
        ),
        _ => false,
    };
    if no_connection {
        Failure::Unreachable(
            Error::failure(msg!("client-unreachable", url = base))
                .with_source(e)
                .with_hint(msg!("client-unreachable-hint")),
        )
    } else {
        Failure::Broken(
            Error::failure(msg!("client-broken", url = base))
                .with_source(e)
                .with_hint(msg!("client-broken-hint")),
        )
    }
}

/// The HTTP methods the service's API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    Put,
}

fn call<B: Serialize, T: DeserializeOwned>(
    agent: &ureq::Agent,
    base: &str,
    method: Method,
    path: &str,
    session: Option<&str>,
    body: Option<&B>,
) -> Reply<T> {
    call_paged(agent, base, method, path, session, body).map(|(t, _)| t)
}

/// [`call`], and the place the next page starts, if the answer says there is one.
fn call_paged<B: Serialize, T: DeserializeOwned>(
    agent: &ureq::Agent,
    base: &str,
    method: Method,
    path: &str,
    session: Option<&str>,
    body: Option<&B>,
) -> Reply<(T, Option<String>)> {
    let url = format!("{base}{path}");
    let auth = session.map(|s| format!("Bearer {s}"));
    let res = match method {
        Method::Get => {
            let mut r = agent.get(&url);
            if let Some(a) = &auth {
                r = r.header("authorization", a);
            }
            r.call()
        }
        Method::Post | Method::Put => {
            let mut r = if method == Method::Put {
                agent.put(&url)
            } else {
                agent.post(&url)
            };
            if let Some(a) = &auth {
                r = r.header("authorization", a);
            }
            match body {
                Some(b) => r.send_json(b),
                None => r.send_empty(),
            }
        }
    };
    let mut res = res.map_err(|e| transport(base, e))?;
    let status = res.status().as_u16();
    if (200..300).contains(&status) {
        let next = res
            .headers()
            .get(crate::net::wire::NEXT_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        return res
            .body_mut()
            .read_json::<T>()
            .map(|t| (t, next))
            .map_err(|e| {
                Failure::Broken(
                    Error::failure(msg!("client-unreadable-answer", url = base)).with_source(e),
                )
            });
    }
    let (code, message, detail) = match res.body_mut().read_json::<ErrorBody>() {
        Ok(ErrorBody {
            error:
                ErrorDetail {
                    code,
                    message,
                    id,
                    args,
                },
        }) => {
            let detail = id.map(|id| Msg::dynamic(id, args).arg("text", message.as_str()));
            (code, message, detail)
        }
        // Not the service's JSON (a proxy's page, say): the status is all there is.
        Err(_) => ("http".into(), format!("HTTP {status}"), None),
    };
    Err(Failure::Refused {
        status,
        code,
        message,
        detail,
    })
}

impl Client {
    /// Logs in as `id` with `key`: the service sends a challenge, we sign it.
    pub fn login(service: &ServiceRef, id: &StaffId, key: &SigningKey) -> Reply<Client> {
        let base = service.url.clone();
        let agent = agent(service).map_err(Failure::Broken)?;
        let ch: Challenge = call(
            &agent,
            &base,
            Method::Post,
            "/v1/auth/challenge",
            None,
            Some(&ChallengeRequest { id: id.to_string() }),
        )?;
        let sig = key
            .sign(NS_AUTH, &wire::auth_message(id.as_str(), &ch.challenge))
            .map_err(Failure::Broken)?;
        let s: Session = call(
            &agent,
            &base,
            Method::Post,
            "/v1/auth/session",
            None,
            Some(&SessionRequest {
                id: id.to_string(),
                challenge: ch.challenge,
                signature: sig.to_pem(LineEnding::LF).expect("a signature encodes"),
            }),
        )?;
        Ok(Client {
            base,
            agent,
            session: Zeroizing::new(s.session.clone()),
            id: id.clone(),
            roles: s.roles.clone(),
        })
    }

    fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Reply<T> {
        call(
            &self.agent,
            &self.base,
            method,
            path,
            Some(&self.session),
            body,
        )
    }

    pub fn submit(&self, req: &Request) -> Reply<Submitted> {
        self.call(Method::Post, "/v1/requests", Some(req))
    }

    /// Every request of a status (or all), newest first, a page at a time.
    pub fn list(&self, status: Option<Status>) -> Reply<Vec<RequestView>> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        loop {
            let (page, next) =
                self.list_page(status, after.as_deref(), crate::sys::hooks::page_size())?;
            all.extend(page);
            match next {
                // A service that names a place twice would never end.
                Some(n) if seen.insert(n.clone()) => after = Some(n),
                _ => return Ok(all),
            }
        }
    }

    /// One page of requests, newest first, after the request `after`; and where the next
    /// page starts, if there may be one.
    pub fn list_page(
        &self,
        status: Option<Status>,
        after: Option<&str>,
        limit: u32,
    ) -> Reply<(Vec<RequestView>, Option<String>)> {
        let mut q = format!("?limit={limit}");
        if let Some(s) = status {
            q.push_str(&format!("&status={}", s.as_str()));
        }
        if let Some(a) = after {
            q.push_str(&format!("&after={a}"));
        }
        call_paged::<(), _>(
            &self.agent,
            &self.base,
            Method::Get,
            &format!("/v1/requests{q}"),
            Some(&self.session),
            None,
        )
    }

    /// Tokens used by more than one transfer (custodians and auditors).
    pub fn violations(&self) -> Reply<Vec<wire::Violation>> {
        self.call::<(), _>(Method::Get, "/v1/violations", None)
    }

    /// Transfers packed offline under a laxer class than the city's (custodians, auditors).
    pub fn class_findings(&self) -> Reply<Vec<wire::ClassFinding>> {
        self.call::<(), _>(Method::Get, "/v1/violations/classes", None)
    }

    /// Registers an officer's signed designation with the service.
    pub fn register_designation(&self, document: &str) -> Reply<wire::DesignationDoc> {
        self.call(
            Method::Post,
            "/v1/designations",
            Some(&wire::DesignationDoc {
                document: document.to_owned(),
                registered_at: None,
            }),
        )
    }

    /// The designations the city knows for a file digest.
    pub fn designations(&self, blake3: &Blake3) -> Reply<Vec<wire::DesignationDoc>> {
        self.call::<(), _>(Method::Get, &format!("/v1/designations/{blake3}"), None)
    }

    /// Ends this session at the service.
    pub fn logout(&self) -> Reply<wire::LoggedOut> {
        self.call::<(), _>(Method::Post, "/v1/auth/logout", None)
    }

    pub fn get(&self, id: &RequestId) -> Reply<RequestView> {
        self.call::<(), _>(Method::Get, &format!("/v1/requests/{id}"), None)
    }

    pub fn decide(&self, id: &RequestId, d: &DecisionUpload) -> Reply<RequestView> {
        self.call(
            Method::Post,
            &format!("/v1/requests/{id}/decision"),
            Some(d),
        )
    }

    pub fn consume(
        &self,
        token_id: &TokenId,
        transfer_id: &TransferId,
        token: Option<&str>,
    ) -> Reply<Consumption> {
        self.call(
            Method::Post,
            &format!("/v1/tokens/{token_id}/consume"),
            Some(&ConsumeRequest {
                transfer_id: transfer_id.clone(),
                token: token.map(str::to_owned),
            }),
        )
    }

    pub fn witness(&self, record: &RecordId) -> Reply<Option<WitnessHead>> {
        match self.call::<(), WitnessHead>(Method::Get, &format!("/v1/witness/{record}"), None) {
            Ok(h) => Ok(Some(h)),
            Err(Failure::Refused { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Sends the record's new head with the lines since the witnessed one, signed.
    pub fn send_head(
        &self,
        record: &RecordId,
        record_path: &Path,
        key: &SigningKey,
    ) -> Reply<WitnessHead> {
        let from = self.witness(record)?.map_or(0, |h| h.seq);
        // Only the end of the record is read: its last line names the record's length (its
        // seq, which the writer checked against the chain when it appended it) and hash, and
        // the witness is sent the lines it has not seen. A year of transfers costs a pack
        // nothing; the whole chain is `record verify`'s to check.
        let read = |n: u64| crate::record::last_lines(record_path, n).map_err(Failure::Broken);
        let last = read(1)?;
        let (seq, hash) = match last.first() {
            None => (0, crate::base::digest::Blake3::ZERO),
            Some(l) => match crate::record::parse_link(l) {
                Some((seq, _, _)) => (seq, crate::base::digest::Blake3::of(l)),
                // A last line without its place in the chain: the witness is told what the
                // file holds, line by line, and judges it (this never happens to a record
                // only okuri wrote).
                None => {
                    let bytes = std::fs::read(record_path)
                        .map_err(|e| Failure::Broken(Error::io(IoOp::Read, record_path, e)))?;
                    let n = bytes
                        .split_inclusive(|b| *b == b'\n')
                        .filter(|l| l.ends_with(b"\n"))
                        .count() as u64;
                    (n, crate::base::digest::Blake3::of(l))
                }
            },
        };
        let since: Vec<String> = read(seq.saturating_sub(from))?
            .iter()
            .map(|l| String::from_utf8_lossy(&l[..l.len() - 1]).into_owned())
            .collect();
        let sig = key
            .sign(
                NS_WITNESS,
                &wire::witness_message(&record.to_string(), seq, &hash),
            )
            .map_err(Failure::Broken)?;
        self.call(
            Method::Put,
            &format!("/v1/witness/{record}"),
            Some(&WitnessUpdate {
                seq,
                hash,
                lines: since,
                signature: sig.to_pem(LineEnding::LF).expect("a signature encodes"),
            }),
        )
    }
}

/// The id under which this machine's record is witnessed: one record per person per machine.
pub fn record_id(staff_id: &StaffId) -> RecordId {
    RecordId::on_machine(staff_id, &crate::sys::host::host())
}

/// Why the service could not be reached, as data for a refusal's argument and the record:
/// what the connection said (the operating system's or TLS library's words), else the
/// service's address. Never a rendered sentence, so the record stays free of prose.
pub fn unreachable_why(e: &Error) -> String {
    let causes = e.causes();
    if causes.is_empty() {
        e.message()
            .args
            .get("url")
            .map(|v| v.plain())
            .unwrap_or_default()
    } else {
        causes.join(": ")
    }
}

impl crate::transfer::pack::TokenLedger for Client {
    fn consume(
        &self,
        token: &crate::signed::approval::Token,
        transfer_id: &TransferId,
    ) -> std::result::Result<(), crate::transfer::pack::Unconsumed> {
        use crate::transfer::pack::Unconsumed;
        let text = String::from_utf8_lossy(&token.raw).into_owned();
        match Client::consume(self, &token.payload.token_id, transfer_id, Some(&text)) {
            Ok(_) => Ok(()),
            Err(Failure::Refused {
                status: 409,
                detail,
                ..
            }) => {
                // The service's `api-token-used` message names who, which transfer and when.
                let arg = |k: &str| {
                    detail
                        .as_ref()
                        .and_then(|m| m.args.get(k))
                        .map(|v| v.plain())
                        .unwrap_or_default()
                };
                Err(Unconsumed::AlreadyUsed {
                    by: arg("by"),
                    transfer: arg("transfer"),
                    at: arg("at"),
                })
            }
            Err(Failure::Unreachable(e)) => Err(Unconsumed::Unreachable(unreachable_why(&e))),
            Err(f) => Err(Unconsumed::Failed(f.into_error())),
        }
    }

    fn designations(&self, blake3: &Blake3) -> Result<Option<Vec<String>>> {
        match Client::designations(self, blake3) {
            Ok(d) => Ok(Some(d.into_iter().map(|d| d.document).collect())),
            Err(Failure::Unreachable(_)) => Ok(None),
            Err(f) => Err(f.into_error()),
        }
    }
}
