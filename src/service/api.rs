//! The HTTP API of okuri-approvald: routes, authentication, authorization, and errors as JSON.
//!
//! Authentication: `POST /v1/auth/challenge` gives a one-time challenge; the caller signs it
//! with SSHSIG in [`NS_AUTH`] and trades it at `POST /v1/auth/session` for a short-lived bearer
//! session. No private key ever reaches the service. Roles come from the key: a custodian's
//! key in the policy's trust list, a staff member's or auditor's key in the staff directory.

use std::sync::{Arc, OnceLock};

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use ssh_key::SshSig;

use crate::base::digest::Blake3;
use crate::base::digest::Fingerprint;
use crate::base::ids::{RecordId, RequestId, StaffId, TokenId};
use crate::base::message::{Lang, Msg};
use crate::i18n::Texts;
use crate::msg;
use crate::net::wire::{
    self, Challenge, ChallengeRequest, ConsumeRequest, DecisionUpload, ErrorBody, ErrorDetail,
    Health, NS_AUTH, NS_WITNESS, RequestView, Role, Session, SessionRequest, Status, Submitted,
    WitnessHead, WitnessUpdate,
};
use crate::policy::Policy;
use crate::policy::recipients::Register;
use crate::policy::trust::SignerRole;
use crate::signed::approval::{
    self, DenialPayload, Request as ApprovalRequest, Token, TokenPayload,
};
use crate::signed::{Document, Parsed, Rejected};

use super::config::Limits;
use super::store::{self, Row, Store, StoreError};
use crate::policy::directory::Directory;

pub struct AppState {
    pub store: Store,
    /// The city's documents the service works under, replaced whole on SIGHUP or when the
    /// database holds newer ones.
    pub docs: std::sync::RwLock<Arc<Docs>>,
    pub limits: Limits,
    /// The key of the web console's CSRF tokens (issue 15), the same on every instance (the
    /// database's `secrets`); set when the instance is ready.
    pub csrf_key: std::sync::OnceLock<zeroize::Zeroizing<String>>,
    /// The database is migrated and holds the documents' serials: until then (PostgreSQL
    /// down when the instance started) every call is `503 database-unavailable`.
    pub ready: std::sync::atomic::AtomicBool,
    /// The console's session cookie is `Secure`: the service speaks TLS (a plain loopback
    /// listener, for tests and a machine's own use, cannot carry a `Secure` cookie).
    pub secure_cookies: bool,
}

/// The policy, the recipient register and the staff directory, as loaded together.
pub struct Docs {
    pub policy: Policy,
    pub register: Register,
    pub directory: Directory,
}

impl Docs {
    /// The staff directory as checks read it: none in development mode (unsigned rules),
    /// where a request need not be signed by an enrolled key, as `okuri approve` reads it there.
    pub fn checking_directory(&self) -> Option<&Directory> {
        (!self.policy.origin.development()).then_some(&self.directory)
    }
}

impl AppState {
    /// The state of an instance not yet ready (service::prepare makes it ready).
    pub fn new(store: Store, docs: Docs, limits: Limits) -> AppState {
        AppState {
            store,
            docs: std::sync::RwLock::new(Arc::new(docs)),
            limits,
            csrf_key: std::sync::OnceLock::new(),
            ready: std::sync::atomic::AtomicBool::new(false),
            secure_cookies: false,
        }
    }

    /// Runs a write transaction under the documents in force: an instance whose documents are
    /// older than those another instance put in force writes nothing
    /// (store::documents_current), in the same transaction as the write.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl Fn(&crate::service::db::Tx<'_>) -> store::StoreResult<T> + Send + 'static,
    ) -> store::StoreResult<T> {
        let loaded = self.docs().policy.documents.clone();
        self.store
            .tx(move |tx| {
                store::documents_current(tx, &loaded)?;
                f(tx)
            })
            .await
    }

    /// The documents in force now. A request that is being served keeps the ones it started
    /// with; the next one sees a reload.
    pub fn docs(&self) -> Arc<Docs> {
        self.docs.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Puts newly loaded documents in force (SIGHUP).
    pub fn replace_docs(&self, docs: Docs) {
        *self.docs.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(docs);
    }
}

type St = State<Arc<AppState>>;

pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.limits.max_body_bytes;
    let router = Router::new()
        .route("/v1/health", get(health))
        .route("/v1/auth/challenge", post(challenge))
        .route("/v1/auth/session", post(session))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/requests", post(submit).get(list))
        .route("/v1/requests/{id}", get(show))
        .route("/v1/requests/{id}/decision", post(decide))
        .route("/v1/tokens/{id}/consume", post(consume))
        .route("/v1/violations", get(violations))
        .route("/v1/violations/classes", get(class_findings))
        .route("/v1/designations", post(register_designation))
        .route("/v1/designations/{blake3}", get(designations))
        .route("/v1/witness/{record}", get(witness_get).put(witness_put))
        .fallback(|| async { ApiError::not_found(msg!("api-no-endpoint")) })
        .layer(axum::extract::DefaultBodyLimit::max(limit));
    // Test builds: every body, for the suite's schema check (docs/json.md).
    #[cfg(feature = "test-hooks")]
    let router = match crate::sys::hooks::wire_log() {
        Some(log) => {
            // Made at start, so that a test can tell "no calls" from "no log".
            let _ = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log);
            router.layer(axum::middleware::from_fn(move |req, next| {
                capture_bodies(log.clone(), limit, req, next)
            }))
        }
        None => router,
    };
    // The console's pages are HTML, not the API's JSON: outside the wire log.
    let router =
        router.merge(super::console::router().layer(axum::extract::DefaultBodyLimit::max(limit)));
    router
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            until_ready,
        ))
        .layer(axum::middleware::from_fn(log_requests))
        .with_state(state)
}

/// Every call but health is `503 database-unavailable` until the instance is ready: an
/// instance started while PostgreSQL was down listens and says so, rather than refusing
/// connections, which staff machines would take for "unreachable" and go offline. Health
/// answers as on an instance that was running when the database went away (the process is
/// up), so that a load balancer keeps every instance and staff hear "try again".
async fn until_ready(State(s): St, req: Request, next: axum::middleware::Next) -> Response {
    if s.ready.load(std::sync::atomic::Ordering::Acquire) || req.uri().path() == "/v1/health" {
        next.run(req).await
    } else {
        ApiError::from(StoreError::Unavailable(
            "the instance is waiting for its database".into(),
        ))
        .into_response()
    }
}

/// Test builds only ([`crate::sys::hooks::wire_log`]): appends one line per call to `log`,
/// `{"method", "route", "status", "request", "request_raw", "response"}`, each body parsed as
/// JSON (`null` when there is none or it is not JSON). `request_raw` is true when a body was
/// sent that is not JSON, or that was larger than the service accepts and so not kept. The
/// bodies pass through unchanged; a body that cannot be read is answered as the extractor
/// would answer it.
#[cfg(feature = "test-hooks")]
async fn capture_bodies(
    log: std::path::PathBuf,
    limit: usize,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    use std::io::Write as _;
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    let method = req.method().to_string();
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let (req, sent, too_large) = match declared {
        Some(n) if n > 0 && n <= limit => {
            let (parts, body) = req.into_parts();
            let bytes = match axum::body::to_bytes(body, limit).await {
                Ok(b) => b,
                Err(e) => {
                    return ApiError::bad(msg!("api-bad-body", detail = e.to_string()))
                        .into_response();
                }
            };
            (
                Request::from_parts(parts, axum::body::Body::from(bytes.clone())),
                Some(bytes),
                false,
            )
        }
        Some(n) => (req, None, n > limit),
        None => (req, None, false),
    };
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let (parts, body) = res.into_parts();
    let got = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
    let request = sent.as_deref().and_then(parse);
    let line = serde_json::json!({
        "method": method,
        "route": route,
        "status": status,
        "request": request,
        "request_raw": too_large || (sent.is_some() && request.is_none()),
        "response": parse(&got),
    });
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
    {
        let _ = f.write_all(format!("{line}\n").as_bytes());
    }
    Response::from_parts(parts, axum::body::Body::from(got))
}

/// One structured log line per request: method, path, status and time; never a body or a
/// session.
async fn log_requests(req: Request, next: axum::middleware::Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    tracing::info!(
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    res
}

// ---- errors -----------------------------------------------------------------------------------

/// An error for a client: a coarse, stable `code` (what tests and scripts check) and a
/// specific message, sent as its id and arguments (the CLI renders it in its user's language)
/// and in English (for anyone reading the JSON).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    msg: Msg,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, msg: Msg) -> ApiError {
        ApiError { status, code, msg }
    }
    /// What the console shows of it: the HTTP status, and the message in the reader's
    /// language.
    pub(super) fn status(&self) -> StatusCode {
        self.status
    }
    pub(super) fn msg(&self) -> &Msg {
        &self.msg
    }
    pub(super) fn unauthorized(m: Msg) -> ApiError {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", m)
    }
    pub(super) fn forbidden(m: Msg) -> ApiError {
        Self::new(StatusCode::FORBIDDEN, "forbidden", m)
    }
    pub(super) fn bad(m: Msg) -> ApiError {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", m)
    }
    pub(super) fn not_found(m: Msg) -> ApiError {
        Self::new(StatusCode::NOT_FOUND, "not-found", m)
    }
    pub(super) fn conflict(m: Msg) -> ApiError {
        Self::new(StatusCode::CONFLICT, "conflict", m)
    }
    pub(super) fn internal(m: Msg) -> ApiError {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", m)
    }
}

/// The service's messages in English, loaded once: the `message` of every error body.
fn english() -> &'static Texts {
    static EN: OnceLock<Texts> = OnceLock::new();
    EN.get_or_init(|| Texts::new(Lang::En))
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            // A serialisation failure that kept recurring: busy, like a held lock.
            StoreError::Busy | StoreError::Retry => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", msg!("api-busy"))
            }
            // The database server is gone (stopped, failing over, cut off): an error with a
            // retry, never "unreachable" (the client knows the service answered).
            StoreError::Unavailable(why) => {
                // Once in ten seconds at most: an outage under load is thousands a second.
                static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let now = unix_now().max(0) as u64;
                let last = LAST.load(std::sync::atomic::Ordering::Relaxed);
                if now >= last + 10
                    && LAST
                        .compare_exchange(
                            last,
                            now,
                            std::sync::atomic::Ordering::Relaxed,
                            std::sync::atomic::Ordering::Relaxed,
                        )
                        .is_ok()
                {
                    tracing::warn!(
                        error = %crate::base::error::chain(&*why),
                        "database unavailable (said once in 10 s)"
                    );
                }
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database-unavailable",
                    msg!("api-database-unavailable"),
                )
            }
            // Another instance works under newer documents: this one writes nothing until it
            // has loaded them (it looks every few seconds); the client retries, perhaps on
            // another instance.
            StoreError::Stale { kind, serial, held } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "documents-stale",
                msg!(
                    "api-documents-stale",
                    kind = kind.as_str(),
                    serial = serial,
                    held = held
                ),
            ),
            StoreError::Conflict(m) => ApiError::conflict(m),
            StoreError::NotFound(m) => ApiError::not_found(m),
            StoreError::Forbidden(m) => ApiError::forbidden(m),
            StoreError::Other(e) => {
                tracing::error!(error = %e, "database error");
                ApiError::internal(msg!("api-internal"))
            }
            StoreError::Schema(m) => {
                tracing::error!(error = ?m, "database schema");
                ApiError::internal(msg!("api-internal"))
            }
            StoreError::Mismatch(m) => {
                tracing::error!(error = ?m, "database copy");
                ApiError::internal(msg!("api-internal"))
            }
            StoreError::PasswordFileOpen(p) => {
                tracing::error!(path = %p.display(), "database password file readable by others");
                ApiError::internal(msg!("api-internal"))
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = english().render(&self.msg);
        let Msg { id, args } = self.msg;
        let mut res = (
            self.status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code: self.code.to_owned(),
                    message,
                    id: Some(id.into_owned()),
                    args,
                },
            }),
        )
            .into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut()
                .insert("retry-after", HeaderValue::from_static("1"));
        }
        res
    }
}

/// A JSON body whose every rejection (syntax, unknown field, too large, wrong type) is a
/// JSON error too.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rej) => {
                let status = rej.status();
                let detail = rej.body_text();
                let (code, msg) = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => {
                        ("too-large", msg!("api-too-large", detail = detail))
                    }
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                        ("not-json", msg!("api-not-json", detail = detail))
                    }
                    _ => ("bad-body", msg!("api-bad-body", detail = detail)),
                };
                let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
                    StatusCode::BAD_REQUEST
                } else {
                    status
                };
                Err(ApiError::new(status, code, msg))
            }
        }
    }
}

/// The query string and the path's parameters, whose rejections (unknown field, wrong type,
/// bad percent-encoding) are JSON errors like the body's, never axum's `text/plain`.
pub struct Params<E>(pub E);

/// The one implementation of [`Params`] for an axum extractor: its rejection as our JSON error.
macro_rules! params_of {
    ($extractor:ident, $code:literal, $msg:expr) => {
        impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S>
            for Params<$extractor<T>>
        {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut axum::http::request::Parts,
                state: &S,
            ) -> Result<Self, ApiError> {
                $extractor::<T>::from_request_parts(parts, state)
                    .await
                    .map(Params)
                    .map_err(|rej| {
                        let say: fn(String) -> Msg = $msg;
                        ApiError::new(StatusCode::BAD_REQUEST, $code, say(rej.body_text()))
                    })
            }
        }
    };
}

params_of!(Query, "bad-query", |d| msg!("api-bad-query", detail = d));
params_of!(Path, "bad-path", |d| msg!("api-bad-path", detail = d));

// ---- authentication -----------------------------------------------------------------------------

pub(super) fn unix_now() -> i64 {
    crate::sys::hooks::now().timestamp().as_second()
}

pub(super) fn now_text() -> String {
    crate::base::time::Time::of(&crate::sys::hooks::now()).to_string()
}

pub(super) fn random_hex() -> Result<String, ApiError> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|_| ApiError::internal(msg!("api-no-randomness")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub(super) fn at_text(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub id: StaffId,
    /// The roles the caller's key gives under the documents in force now: never the ones of
    /// the moment of login, so that removing a person or a role takes effect on the next call.
    pub roles: Vec<Role>,
    /// The key the caller logged in with.
    pub key: Fingerprint,
    /// The BLAKE3 of the session's secret, to end it (logout).
    session: String,
}

impl Caller {
    pub(super) fn has(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::unauthorized(msg!("api-no-authorization")))?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or_else(|| ApiError::unauthorized(msg!("api-not-bearer")))?;
        Caller::of_secret(state, token).await
    }
}

impl Caller {
    /// The caller holding a session's secret (a bearer token from the CLI, or the web
    /// console's cookie), with the roles their key gives under the documents in force now.
    pub(super) async fn of_secret(state: &AppState, token: &str) -> Result<Caller, ApiError> {
        let hash = Blake3::of(token.as_bytes()).to_hex();
        let session_hash = hash.clone();
        // Every call with a session reads it here, in the same snapshot as the serials in
        // force: an instance whose documents are older answers nothing under them (its
        // directory might still hold a person the newer one removed).
        let loaded = state.docs().policy.documents.clone();
        let found = state
            .store
            .read(move |tx| {
                store::documents_current(tx, &loaded)?;
                store::get_session(tx, &hash)
            })
            .await?;
        let Some(session) = found else {
            return Err(ApiError::unauthorized(msg!("api-unknown-session")));
        };
        if session.expires <= unix_now() {
            return Err(ApiError::unauthorized(msg!("api-session-expired")));
        }
        // A document that has stopped being valid while the service ran is not obeyed: no
        // call is served under it until the city installs a newer one (SIGHUP).
        if let Some(until) = state.docs().policy.valid_until
            && crate::sys::hooks::now().timestamp() >= until
        {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "documents-expired",
                msg!("api-documents-expired", until = until),
            ));
        }
        let roles = roles_of(state, session.id.as_str(), &session.key);
        if roles.is_empty() {
            return Err(ApiError::unauthorized(msg!(
                "api-session-revoked",
                id = &session.id
            )));
        }
        Ok(Caller {
            id: session.id,
            roles,
            key: session.key,
            session: session_hash,
        })
    }

    /// The BLAKE3 of the caller's session secret: what the console binds its CSRF tokens and
    /// prepared decisions to.
    pub(super) fn session_hash(&self) -> &str {
        &self.session
    }
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

async fn challenge(
    State(s): St,
    Body(b): Body<ChallengeRequest>,
) -> Result<Json<Challenge>, ApiError> {
    crate::base::ids::check_id(&b.id).map_err(ApiError::bad)?;
    let nonce = random_hex()?;
    let now = unix_now();
    let expires = now + i64::from(s.limits.challenge_seconds);
    let n = nonce.clone();
    s.write(move |tx| store::put_challenge(tx, &n, &b.id, expires, now))
        .await?;
    Ok(Json(Challenge {
        challenge: nonce,
        expires_at: at_text(expires),
    }))
}

/// The roles a key gives its holder under an id.
fn roles_of(s: &AppState, id: &str, fp: &Fingerprint) -> Vec<Role> {
    let mut roles = Vec::new();
    if let Ok((signer, _)) = s.docs().policy.trust.check(
        SignerRole::Custodian,
        fp,
        crate::sys::hooks::now().timestamp(),
    ) && signer.id == id
    {
        roles.push(Role::Custodian);
    }
    if let Ok((signer, _)) = s.docs().policy.trust.check(
        SignerRole::Officer,
        fp,
        crate::sys::hooks::now().timestamp(),
    ) && signer.id == id
    {
        roles.push(Role::Officer);
    }
    if let Some(p) = s.docs().directory.get(id)
        && p.keys.contains(fp)
    {
        for r in &p.roles {
            if !roles.contains(r) {
                roles.push(*r);
            }
        }
    }
    roles
}

async fn session(State(s): St, Body(b): Body<SessionRequest>) -> Result<Json<Session>, ApiError> {
    let sig = SshSig::from_pem(b.signature.trim())
        .map_err(|_| ApiError::unauthorized(msg!("api-not-ssh-signature")))?;
    Ok(Json(open_session(&s, &b.id, &b.challenge, &sig).await?))
}

/// Trades an answered challenge for a session (the CLI's bearer token, the console's cookie):
/// the challenge is taken once, must be the id's and unexpired, the signature must be over
/// [`wire::auth_message`] in [`NS_AUTH`], and the key must give the id a role.
pub(super) async fn open_session(
    s: &AppState,
    id: &str,
    challenge: &str,
    sig: &SshSig,
) -> Result<Session, ApiError> {
    let nonce = challenge.to_owned();
    let taken = s.write(move |tx| store::take_challenge(tx, &nonce)).await?;
    let Some(taken) = taken else {
        return Err(ApiError::unauthorized(msg!("api-challenge-replayed")));
    };
    let (for_id, expires) = taken;
    if for_id != id {
        return Err(ApiError::unauthorized(msg!("api-challenge-other-id")));
    }
    if expires <= unix_now() {
        return Err(ApiError::unauthorized(msg!("api-challenge-expired")));
    }
    let key = ssh_key::PublicKey::from(sig.public_key().clone());
    if !crate::secret::keys::verify_sshsig(sig, NS_AUTH, &wire::auth_message(id, challenge)) {
        return Err(ApiError::unauthorized(msg!("api-signature-invalid")));
    }
    let fp = Fingerprint::of(&key);
    let roles = roles_of(s, id, &fp);
    if roles.is_empty() {
        tracing::warn!(id = %id, key = %fp, "login with a key that is not enrolled");
        return Err(ApiError::unauthorized(msg!(
            "api-not-enrolled",
            key = &fp,
            id = id
        )));
    }
    let secret = random_hex()?;
    let hash = Blake3::of(secret.as_bytes()).to_hex();
    let now = unix_now();
    let until = now + i64::from(s.limits.session_minutes) * 60;
    let row = store::SessionRow {
        id: id.parse().map_err(ApiError::unauthorized)?,
        key: fp.clone(),
        roles: roles.clone(),
        expires: until,
    };
    s.write(move |tx| store::put_session(tx, &hash, &row, now))
        .await?;
    tracing::info!(id = %id, key = %fp, roles = ?roles, "login");
    Ok(Session {
        session: secret,
        expires_at: at_text(until),
        roles,
    })
}

/// Ends the caller's session at once.
async fn logout(State(s): St, c: Caller) -> Result<Json<wire::LoggedOut>, ApiError> {
    let hash = c.session.clone();
    s.write(move |tx| store::delete_session(tx, &hash)).await?;
    tracing::info!(id = %c.id, "logout");
    Ok(Json(wire::LoggedOut {
        status: "logged-out".into(),
    }))
}

// ---- requests ---------------------------------------------------------------------------------

pub(super) fn view(r: &Row) -> Result<RequestView, ApiError> {
    let request: ApprovalRequest = serde_json::from_str(&r.body)
        .map_err(|_| ApiError::internal(msg!("api-stored-request-unreadable")))?;
    let approved = r.kind == Some(store::DecisionKind::Approved);
    Ok(RequestView {
        request,
        status: r.status,
        submitted_at: r.submitted_at.clone(),
        decided_by: r.decided_by.clone(),
        decided_at: r.decided_at.clone(),
        token: if approved { r.document.clone() } else { None },
        denial: if approved { None } else { r.document.clone() },
        consumed: r.consumed.clone(),
    })
}

/// May the caller see this request?
pub(super) fn may_see(s: &AppState, c: &Caller, r: &Row) -> bool {
    (c.has(Role::Staff) && r.requester == c.id) || c.has(Role::Auditor) || may_decide(s, c, r)
}

pub(super) fn may_decide(s: &AppState, c: &Caller, r: &Row) -> bool {
    c.has(Role::Custodian)
        && s.docs()
            .policy
            .trust
            .by_id(SignerRole::Custodian, c.id.as_str())
            .is_some_and(|signer| signer.covers(r.class, &r.department))
}

async fn submit(
    State(s): St,
    c: Caller,
    Body(req): Body<ApprovalRequest>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    if !c.has(Role::Staff) {
        return Err(ApiError::forbidden(msg!("api-staff-only-submit")));
    }
    if req.okuri != approval::REQUEST_KIND || req.version != 1 {
        return Err(ApiError::bad(msg!("api-not-a-request")));
    }
    if req.requester.id != c.id {
        return Err(ApiError::forbidden(msg!(
            "api-requester-mismatch",
            caller = &c.id,
            requester = &req.requester.id
        )));
    }
    let docs = s.docs();
    // The request names the key it was made with: the one the requester logged in with. A
    // service under the city's signed documents takes no request without one.
    let key = match &req.requester_key {
        Some(k) if *k != c.key => {
            return Err(ApiError::forbidden(msg!("api-requester-key-mismatch")));
        }
        Some(k) => Some(k),
        None if docs.policy.origin.development() => Some(&c.key),
        None => None,
    };
    if let Err(gap) = docs
        .directory
        .check_requester(c.id.as_str(), &req.requester.department, key)
    {
        let (why, listed) = gap.why();
        return Err(ApiError::forbidden(msg!(
            "api-requester-not-enrolled",
            why = why,
            listed = listed,
            department = &req.requester.department
        )));
    }
    // What the custodian will read: one line each, as `okuri request` makes them.
    use crate::transfer::workflow::{Field, one_line};
    for (field, text) in [
        (Field::Purpose, Some(req.purpose.as_str())),
        (Field::LegalBasis, req.legal_basis.as_deref()),
    ] {
        if let Some(t) = text {
            one_line(field, t).map_err(|e| ApiError::bad(e.message().clone()))?;
        }
    }
    if req.policy != s.docs().policy.digest {
        return Err(ApiError::conflict(msg!(
            "api-policy-mismatch",
            request_policy = req.policy.short(),
            service_policy = s.docs().policy.digest.short()
        )));
    }
    // The request id was checked when the body was read (RequestId).
    let id = req.request_id.clone();
    // The requester is the caller (checked above).
    let row = Row::pending(&req, now_text());
    s.write(move |tx| store::insert_request(tx, &row)).await?;
    Ok((
        StatusCode::CREATED,
        Json(Submitted {
            request_id: id,
            status: Status::Pending,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    limit: Option<u32>,
    after: Option<String>,
}

/// Rows in a page of `GET /v1/requests` unless `limit` says otherwise (what a client of
/// before paging got, all it knew to ask for), and at most.
const PAGE: u32 = 200;
const PAGE_MAX: u32 = 1000;

async fn list(
    State(s): St,
    c: Caller,
    Params(Query(q)): Params<Query<ListQuery>>,
) -> Result<Response, ApiError> {
    let status = match q.status.as_deref() {
        None => None,
        Some(x) => Some(
            Status::parse(x)
                .ok_or_else(|| ApiError::bad(msg!("api-unknown-status", status = x)))?,
        ),
    };
    let after = q.after.as_deref().map(request_id).transpose()?;
    let limit = q.limit.unwrap_or(PAGE).clamp(1, PAGE_MAX);
    // Staff without other roles only ever read their own rows.
    let only_own = !c.has(Role::Auditor) && !c.has(Role::Custodian);
    let me = c.id.clone();
    let rows = s
        .store
        .read(move |tx| {
            store::list_requests(tx, status, only_own.then_some(&me), after.as_ref(), limit)
        })
        .await?;
    // A full page may have more after it, even when some of its rows are not the caller's
    // to see: the place to go on from is the last row read, not the last row shown.
    let next = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.id.clone()))
        .flatten();
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| may_see(&s, &c, r)) {
        out.push(view(r)?);
    }
    let mut response = Json(out).into_response();
    if let Some(id) = next
        && let Ok(v) = HeaderValue::from_str(id.as_str())
    {
        response.headers_mut().insert(wire::NEXT_AFTER, v);
    }
    Ok(response)
}

/// A request id from a URL path: checked here, so the store only ever sees valid ids.
pub(super) fn request_id(id: &str) -> Result<RequestId, ApiError> {
    id.parse().map_err(ApiError::bad)
}

pub(super) async fn load(s: &AppState, id: &RequestId) -> Result<Row, ApiError> {
    let key = id.clone();
    s.store
        .read(move |tx| store::get_request(tx, &key))
        .await?
        .ok_or_else(|| ApiError::not_found(msg!("api-no-request", id = id)))
}

async fn show(
    State(s): St,
    c: Caller,
    Params(Path(id)): Params<Path<String>>,
) -> Result<Json<RequestView>, ApiError> {
    let r = load(&s, &request_id(&id)?).await?;
    if !may_see(&s, &c, &r) {
        return Err(ApiError::forbidden(msg!("api-may-not-see-request")));
    }
    Ok(Json(view(&r)?))
}

async fn decide(
    State(s): St,
    c: Caller,
    Params(Path(id)): Params<Path<String>>,
    Body(d): Body<DecisionUpload>,
) -> Result<Json<RequestView>, ApiError> {
    let id = request_id(&id)?;
    Ok(Json(record_decision(&s, &c, &id, d, None).await?))
}

/// A decision the console prepared, spent in the transaction that records it.
pub(super) struct Spend {
    pub nonce: String,
    pub now: i64,
}

/// The stored request a custodian may decide now, as it was submitted: the caller is a
/// custodian whose classes and departments cover it, and its requester still stands as the
/// directory has them (someone who left, or moved to another department, since they asked
/// gets no decision under their old standing). The one check before a decision, whether it
/// comes signed from the CLI or is prepared for the console.
pub(super) async fn decidable(
    s: &AppState,
    c: &Caller,
    id: &RequestId,
) -> Result<(Row, ApprovalRequest), ApiError> {
    if !c.has(Role::Custodian) {
        return Err(ApiError::forbidden(msg!("api-custodian-only-decide")));
    }
    let r = load(s, id).await?;
    if !may_decide(s, c, &r) {
        return Err(ApiError::forbidden(msg!(
            "api-may-not-decide",
            who = &c.id,
            class = r.class,
            department = &r.department
        )));
    }
    let stored: ApprovalRequest = serde_json::from_str(&r.body)
        .map_err(|_| ApiError::internal(msg!("api-stored-request-unreadable")))?;
    {
        let docs = s.docs();
        let who = &stored.requester;
        let standing = if docs.policy.origin.development() {
            docs.directory.member(who.id.as_str(), &who.department)
        } else {
            docs.directory.check_requester(
                who.id.as_str(),
                &who.department,
                stored.requester_key.as_ref(),
            )
        };
        if let Err(gap) = standing {
            let (why, listed) = gap.why();
            return Err(ApiError::conflict(msg!(
                "api-decide-requester-not-enrolled",
                requester = &who.id,
                why = why,
                listed = listed,
                department = &who.department
            )));
        }
    }
    Ok((r, stored))
}

/// Checks a custodian's signed decision (a token or a denial, from `okuri approve` or
/// assembled from the console's signature) and stores it: the one path every decision takes.
/// A decision the console prepared is spent in the same transaction (`spend`), so that it is
/// gone exactly when the decision is stored.
pub(super) async fn record_decision(
    s: &AppState,
    c: &Caller,
    id: &RequestId,
    d: DecisionUpload,
    spend: Option<Spend>,
) -> Result<RequestView, ApiError> {
    let (_, stored) = decidable(s, c, id).await?;
    let now = crate::sys::hooks::now().timestamp();
    let (kind, document, token_id) = match (d.token, d.denial) {
        (Some(t), None) => {
            let token: Token = own_decision(s, c, &t, &stored, now, |p: &TokenPayload| &p.request)?;
            let p = &token.payload;
            // Never one's own request, under any of one's ids or keys (the directory holds
            // each person once, with all of them).
            if s.docs().directory.same_person(
                p.request.requester.id.as_str(),
                c.id.as_str(),
                &[token.signed.signer_fingerprint()],
            ) {
                return Err(ApiError::forbidden(msg!("api-self-approval")));
            }
            if p.expires_at.at() <= now {
                return Err(ApiError::bad(msg!("api-token-expired")));
            }
            if !s
                .docs()
                .policy
                .approval
                .allows(p.issued_at.at(), p.expires_at.at())
            {
                return Err(ApiError::bad(msg!(
                    "api-token-validity-too-long",
                    max = s.docs().policy.approval.max_validity_hours
                )));
            }
            (
                store::DecisionKind::Approved,
                t.clone(),
                Some(p.token_id.clone()),
            )
        }
        (None, Some(text)) => {
            let denial: Parsed<DenialPayload> =
                own_decision(s, c, &text, &stored, now, |p: &DenialPayload| &p.request)?;
            // Nor refuse one's own (the requester would lose the decision of another).
            if s.docs().directory.same_person(
                stored.requester.id.as_str(),
                c.id.as_str(),
                &[denial.signed.signer_fingerprint()],
            ) {
                return Err(ApiError::forbidden(msg!("api-self-decision")));
            }
            (store::DecisionKind::Denied, text, None)
        }
        _ => return Err(ApiError::bad(msg!("api-decision-one-of"))),
    };
    let who = c.id.clone();
    let at = now_text();
    let key = id.clone();
    let session = c.session.clone();
    s.write(move |tx| {
        if let Some(sp) = &spend
            && store::take_pending(tx, &sp.nonce, &session, &who, sp.now)?.is_none()
        {
            return Err(StoreError::Conflict(msg!(
                "console-pending-unknown",
                minutes = super::console::PENDING_SECONDS / 60
            )));
        }
        store::decide(tx, &key, kind, &who, &document, token_id.as_ref(), &at)
    })
    .await?;
    tracing::info!(request = %id, custodian = %c.id, decision = kind.as_str(), "decision");
    view(&load(s, id).await?)
}

/// A custodian's signed decision (a token or a denial), through the one verification of a
/// signed document: it must be readable, name the caller, hold under the caller's trusted key
/// and remit, and be about exactly the stored request.
fn own_decision<D: Document>(
    s: &AppState,
    c: &Caller,
    text: &str,
    stored: &ApprovalRequest,
    now: jiff::Timestamp,
    request: impl Fn(&D) -> &ApprovalRequest,
) -> Result<Parsed<D>, ApiError> {
    let doc = Parsed::<D>::read(text.as_bytes())
        .map_err(|e| ApiError::bad(e.msg(D::KIND, stored.request_id.as_str())))?;
    if doc.payload.signer().id != c.id {
        return Err(ApiError::forbidden(msg!("api-not-own-decision")));
    }
    doc.verify(&s.docs().policy.trust, now)
        .map_err(|r| match r {
            Rejected::Forged => ApiError::bad(r.msg()),
            other => ApiError::forbidden(other.msg()),
        })?;
    if request(&doc.payload) != stored {
        return Err(ApiError::bad(msg!("api-decision-other-request")));
    }
    Ok(doc)
}

async fn consume(
    State(s): St,
    c: Caller,
    Params(Path(token_id)): Params<Path<String>>,
    Body(b): Body<ConsumeRequest>,
) -> Result<Json<wire::Consumption>, ApiError> {
    if !c.has(Role::Staff) {
        return Err(ApiError::forbidden(msg!("api-staff-only-consume")));
    }
    // The transfer id was checked when the body was read (TransferId).
    let token_id: TokenId = token_id.parse().map_err(ApiError::bad)?;
    let offline = match &b.token {
        Some(text) => Some(offline_approval(&s, &c, &token_id, text)?),
        None => None,
    };
    let me = c.id.clone();
    let at = now_text();
    let t = token_id.clone();
    let out = s
        .write(move |tx| store::consume(tx, &t, &me, &b.transfer_id, &at, offline.as_ref()))
        .await?;
    tracing::info!(token = %token_id, by = %c.id, "consumed");
    Ok(Json(out))
}

/// A token sent with its consumption (one a custodian may have signed offline), through the
/// one verification of a token (signature, trusted key and remit, expiry, the rules' limits,
/// the rules it was approved under) for the caller as the packer.
fn offline_approval(
    s: &AppState,
    c: &Caller,
    token_id: &TokenId,
    text: &str,
) -> Result<store::OfflineApproval, ApiError> {
    let token = Token::parse(text.as_bytes(), token_id.as_str())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad-body", e.message().clone()))?;
    let p = &token.payload;
    if p.token_id != *token_id {
        return Err(ApiError::bad(msg!(
            "api-token-id-mismatch",
            token = token_id
        )));
    }
    let docs = s.docs();
    let a = approval::assess(
        &token,
        &docs.policy,
        &docs.register,
        crate::sys::hooks::now().timestamp(),
        &approval::Transfer {
            packer: Some(&c.id),
            directory: docs.checking_directory(),
            ..Default::default()
        },
        None,
    );
    if let Some(r) = a.refusal {
        return Err(ApiError::forbidden(r.message));
    }
    if docs.directory.same_person(
        p.request.requester.id.as_str(),
        p.issuer.id.as_str(),
        &[token.signed.signer_fingerprint()],
    ) {
        return Err(ApiError::forbidden(msg!("api-self-approval")));
    }
    let req = &p.request;
    Ok(store::OfflineApproval {
        request: Row::pending(req, now_text()),
        custodian: p.issuer.id.clone(),
        document: text.to_owned(),
    })
}

/// Tokens used by more than one transfer, for custodians and auditors.
async fn violations(State(s): St, c: Caller) -> Result<Json<Vec<wire::Violation>>, ApiError> {
    if !(c.has(Role::Custodian) || c.has(Role::Auditor)) {
        return Err(ApiError::forbidden(msg!("api-violations-forbidden")));
    }
    Ok(Json(s.store.read(store::violations).await?))
}

/// Transfers packed offline under a laxer class than the city's designations give.
async fn class_findings(
    State(s): St,
    c: Caller,
) -> Result<Json<Vec<wire::ClassFinding>>, ApiError> {
    if !(c.has(Role::Custodian) || c.has(Role::Auditor)) {
        return Err(ApiError::forbidden(msg!("api-violations-forbidden")));
    }
    Ok(Json(s.store.read(store::class_findings).await?))
}

// ---- class designations ------------------------------------------------------------------------

/// An officer's signed designation, registered (and timestamped) by the service so that
/// `classify` finds it by the file's digest even where the staff member deleted it. It is
/// checked with the one verification of a designation (signature, officer trusted now and
/// when it was signed, within their remit); anyone logged in may register one, since it
/// speaks for itself.
async fn register_designation(
    State(s): St,
    c: Caller,
    Body(d): Body<wire::DesignationDoc>,
) -> Result<(StatusCode, Json<wire::DesignationDoc>), ApiError> {
    let doc = crate::signed::Parsed::<crate::signed::designation::DesignationPayload>::read(
        d.document.as_bytes(),
    )
    .map_err(|e| ApiError::bad(e.msg(crate::signed::designation::DESIGNATION_KIND, "body")))?;
    doc.verify(&s.docs().policy.trust, crate::sys::hooks::now().timestamp())
        .map_err(|r| ApiError::forbidden(r.msg()))?;
    let blake3 = doc.payload.file.blake3;
    let held = store::HeldDesignation {
        blake3,
        class: doc.payload.class,
        department: doc.payload.department.clone(),
        designated_at: doc.payload.designated_at.clone(),
    };
    let text = d.document.clone();
    let now = now_text();
    let at = s
        .write(move |tx| store::register_designation(tx, &held, &text, &now))
        .await?;
    tracing::info!(file = %blake3, by = %c.id, "designation registered");
    Ok((
        StatusCode::CREATED,
        Json(wire::DesignationDoc {
            document: d.document,
            registered_at: Some(at),
        }),
    ))
}

/// The designations the city knows for a file digest, for `classify`.
async fn designations(
    State(s): St,
    _c: Caller,
    Params(Path(blake3)): Params<Path<String>>,
) -> Result<Json<Vec<wire::DesignationDoc>>, ApiError> {
    let blake3: Blake3 = blake3
        .parse()
        .map_err(|_| ApiError::bad(msg!("api-bad-digest")))?;
    Ok(Json(
        s.store
            .read(move |tx| store::designations(tx, &blake3))
            .await?,
    ))
}

// ---- the record witness -------------------------------------------------------------------------

/// Whether the caller owns `record`: its owner, compared whole (never a prefix of the id).
fn owns_record(c: &Caller, record: &RecordId) -> bool {
    record.owner() == &c.id
}

async fn witness_get(
    State(s): St,
    c: Caller,
    Params(Path(record)): Params<Path<String>>,
) -> Result<Json<WitnessHead>, ApiError> {
    let record: RecordId = record.parse().map_err(ApiError::bad)?;
    if !(c.has(Role::Auditor) || (c.has(Role::Staff) && owns_record(&c, &record))) {
        return Err(ApiError::forbidden(msg!("api-may-not-see-head")));
    }
    let record = record.to_string();
    let r = record.clone();
    let head = s.store.read(move |tx| store::get_witness(tx, &r)).await?;
    head.map(|(_, h)| Json(h))
        .ok_or_else(|| ApiError::not_found(msg!("api-no-head", record = &record)))
}

async fn witness_put(
    State(s): St,
    c: Caller,
    Params(Path(record)): Params<Path<String>>,
    Body(u): Body<WitnessUpdate>,
) -> Result<Json<WitnessHead>, ApiError> {
    let record: RecordId = record.parse().map_err(ApiError::bad)?;
    if !(c.has(Role::Staff) && owns_record(&c, &record)) {
        return Err(ApiError::forbidden(msg!("api-not-record-owner")));
    }
    let record = record.to_string();
    let sig = SshSig::from_pem(u.signature.trim())
        .map_err(|_| ApiError::bad(msg!("api-not-ssh-signature")))?;
    let key = ssh_key::PublicKey::from(sig.public_key().clone());
    let fp = Fingerprint::of(&key);
    let enrolled = s
        .docs()
        .directory
        .get(c.id.as_str())
        .is_some_and(|p| p.keys.contains(&fp));
    if !enrolled
        || !crate::secret::keys::verify_sshsig(
            &sig,
            NS_WITNESS,
            &wire::witness_message(&record, u.seq, &u.hash),
        )
    {
        return Err(ApiError::forbidden(msg!("api-head-not-enrolled-key")));
    }
    let owner = c.id.clone();
    let now = now_text();
    let signed = !s.docs().policy.origin.development();
    let head = s
        .write(move |tx| {
            let current = store::get_witness(tx, &record)?.map(|(_, h)| h);
            let (from_seq, from_hash) = current
                .as_ref()
                .map_or((0, Blake3::ZERO), |h| (h.seq, h.hash));
            if u.seq == from_seq && u.hash == from_hash {
                return Ok(match current {
                    Some(h) => Ok(h),
                    // An empty record and nothing witnessed yet: nothing to witness.
                    None => Err(ApiError::not_found(msg!("api-no-head", record = &record))),
                });
            }
            if u.seq < from_seq || u.lines.len() as u64 != u.seq - from_seq {
                return Ok(Err(ApiError::conflict(msg!(
                    "api-head-not-extending",
                    seq = u.seq,
                    witnessed = from_seq
                ))));
            }
            let mut prev = from_hash;
            for (i, line) in u.lines.iter().enumerate() {
                let mut bytes = line.clone().into_bytes();
                bytes.push(b'\n');
                match crate::record::parse_link(&bytes) {
                    // A service under the city's signed documents witnesses no entry made
                    // under rules no one signed.
                    Some((seq, _, true)) if signed => {
                        return Ok(Err(ApiError::conflict(msg!(
                            "api-entry-development",
                            entry = seq
                        ))));
                    }
                    Some((seq, p, _)) if seq == from_seq + 1 + i as u64 && p == prev => {
                        // Under the city's documents, every entry that names its rules names
                        // rules the city signed and this service held: an entry from an okuri
                        // that obeyed something else (its own anchor, say) is not witnessed.
                        if signed
                            && let Some(rules) = crate::record::rules_of(&bytes)
                            && !store::rules_held(tx, &rules)?
                        {
                            return Ok(Err(ApiError::conflict(msg!(
                                "api-entry-other-rules",
                                entry = seq,
                                rules = rules.short()
                            ))));
                        }
                    }
                    _ => {
                        return Ok(Err(ApiError::conflict(msg!(
                            "api-entry-not-extending",
                            entry = from_seq + 1 + i as u64,
                            witnessed = from_seq
                        ))));
                    }
                }
                prev = Blake3::of(&bytes);
            }
            if prev != u.hash {
                return Ok(Err(ApiError::bad(msg!("api-lines-not-head"))));
            }
            let to = WitnessHead {
                record: record.clone(),
                seq: u.seq,
                hash: u.hash,
                updated_at: now.clone(),
            };
            store::advance_witness(tx, &record, owner.as_str(), current.as_ref(), &to)?;
            store::offline_uses(tx, &record, &owner, &u.lines, &to.updated_at)?;
            store::unasked_designations(tx, &record, &owner, &u.lines, &to.updated_at)?;
            Ok(Ok(to))
        })
        .await??;
    Ok(Json(head))
}
