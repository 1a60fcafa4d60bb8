//! The web console of okuri-approvald (docs/console.md): pages for custodians (their queue,
//! the request in full, approve or deny, their decisions) and staff (their requests, the token
//! file for the offline flow), rendered by the service in Japanese or English.
//!
//! An approval stays a signature by the custodian's own key, made on their device: the
//! browser's Ed25519 key (WebCrypto, not extractable, `assets/console.js`) signs the SSHSIG
//! blob of a payload the service built with `okuri approve`'s own serializer and keeps pending
//! under a nonce; the service assembles the SSHSIG from the raw signature over exactly the
//! bytes it kept, and the decision then takes the one path every decision takes
//! ([`api::record_decision`]). The browser never sends a payload, only a signature.
//!
//! Sessions are the service's own (the same table as the CLI's bearer sessions), carried in an
//! `HttpOnly`, `SameSite=Strict` cookie (`Secure` whenever the service speaks TLS); every form
//! carries a CSRF token, a keyed BLAKE3 of the session under a key every instance shares.

mod pages;

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine as _;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::api::{self, ApiError, AppState, Caller};
use super::store::{self, DecisionKind, Pending};
use crate::base::ids::RequestId;
use crate::base::message::{Lang, Msg};
use crate::i18n::Texts;
use crate::msg;
use crate::net::wire::{DecisionUpload, NS_AUTH, RequestView, Role, Status};
use crate::policy::trust::{Signer, TrustedKey};
use crate::signed::approval::Request as ApprovalRequest;
use crate::signed::approval::{DenialPayload, TokenPayload};
use crate::signed::designation::DesignationPayload;
use crate::signed::{NS_APPROVAL, NS_DENIAL, Parsed, Signed};

/// The session cookie: the session's secret, as the CLI's bearer token is. Over TLS it is a
/// `__Host-` cookie (Secure, `Path=/`, no Domain: no sibling host or plain-HTTP page can set
/// one the browser would send here); on a plain loopback listener it cannot be.
const SESSION: &str = "okuri-session";
const SESSION_TLS: &str = "__Host-okuri-session";
/// The reader's language, `ja` (the default) or `en`.
const LANG: &str = "okuri-lang";
/// Rows on one page of a list.
const PAGE: u32 = 100;
/// How long a prepared decision waits for its signature.
pub(super) const PENDING_SECONDS: i64 = 600;

/// The session cookie this service sets, holding `secret`.
fn session_cookie(secure: bool, secret: String) -> Cookie<'static> {
    if secure {
        Cookie::build((SESSION_TLS, secret)).path("/").secure(true)
    } else {
        Cookie::build((SESSION, secret)).path("/console")
    }
    .http_only(true)
    .same_site(SameSite::Strict)
    .build()
}

/// The session secret the request carries: exactly one cookie of this service's name (two
/// mean one was planted beside ours, and neither is believed).
fn session_secret(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = if state.secure_cookies {
        SESSION_TLS
    } else {
        SESSION
    };
    secret_named(name, headers)
}

fn secret_named(name: &str, headers: &HeaderMap) -> Option<String> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == name)
        .map(|c| c.value().to_owned());
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The pages' policy: scripts, styles and forms from the service only, nothing inline, never
/// framed.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/console", get(home))
        .route("/console/login", get(login_page).post(login))
        .route("/console/logout", post(logout))
        .route("/console/key", get(key_page))
        .route("/console/lang/{lang}", get(switch_lang))
        .route("/console/queue", get(queue))
        .route("/console/decisions", get(decisions))
        .route("/console/mine", get(mine))
        .route("/console/requests/{id}", get(request_page))
        .route("/console/requests/{id}/token", get(token_file))
        .route("/console/requests/{id}/approve", post(prepare_approval))
        .route("/console/requests/{id}/deny", post(prepare_denial))
        .route("/console/pending", post(sign))
        .route("/console/assets/console.js", get(script))
        .route("/console/assets/console.css", get(style))
        .layer(axum::middleware::from_fn(same_origin))
        .layer(axum::middleware::from_fn(headers))
}

/// Every form, the login's included, must come from the console's own pages: a browser says
/// where a request comes from (`Sec-Fetch-Site`, `Origin`), and a post another site made it
/// send is refused before anything is read or changed. (A program that is no browser sends
/// neither, and is no one's confused deputy.) The CSRF token covers browsers that say neither.
async fn same_origin(req: Request, next: axum::middleware::Next) -> Response {
    if req.method() == axum::http::Method::POST && !from_here(req.headers(), req.uri()) {
        let texts = Texts::new(lang_of(req.headers()));
        tracing::warn!(path = %req.uri().path(), "console form posted from another site");
        return page_error(&texts, &ApiError::forbidden(msg!("console-cross-site")));
    }
    next.run(req).await
}

fn from_here(h: &HeaderMap, uri: &axum::http::Uri) -> bool {
    // A header that is there but unreadable is not "absent".
    if let Some(site) = h.get("sec-fetch-site") {
        return site.to_str().is_ok_and(|v| v == "same-origin");
    }
    let Some(origin) = h.get(header::ORIGIN) else {
        return true;
    };
    let Some(o) = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()) else {
        return false;
    };
    let Some(host) = o.host_str() else {
        return false;
    };
    let origin = match o.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    // HTTP/2 carries the authority in the URI, HTTP/1.1 in `Host`.
    let here = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| h.get(header::HOST)?.to_str().ok().map(str::to_owned));
    here.is_some_and(|here| here.eq_ignore_ascii_case(&origin))
}

/// Every console response: the CSP, no sniffing, no referrer, never stored by a cache (pages
/// hold requests and CSRF tokens).
async fn headers(req: Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
    // a form, and the origin check could not tell the console's own forms from another site's.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("assets/console.js"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/console.css"),
    )
        .into_response()
}

// ---- the reader: language, session, CSRF --------------------------------------------------------

/// The reader's language: their choice (a cookie), else Japanese.
fn lang_of(headers: &HeaderMap) -> Lang {
    CookieJar::from_headers(headers)
        .get(LANG)
        .and_then(|c| c.value().parse().ok())
        .unwrap_or(Lang::Ja)
}

/// Anyone, before logging in: their language.
pub(super) struct Reader {
    texts: Texts,
}

impl<S: Send + Sync> FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Reader {
            texts: Texts::new(lang_of(&parts.headers)),
        })
    }
}

/// Someone logged in through the console: who, in which language, and the CSRF token their
/// forms carry.
pub(super) struct In {
    pub(super) caller: Caller,
    texts: Texts,
    pub(super) csrf: String,
}

impl FromRequestParts<Arc<AppState>> for In {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Response> {
        let texts = Texts::new(lang_of(&parts.headers));
        let Some(secret) = session_secret(state, &parts.headers) else {
            return Err(not_in(&texts, parts, msg!("console-not-logged-in")));
        };
        let caller = match Caller::of_secret(state, &secret).await {
            Ok(c) => c,
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => {
                return Err(not_in(&texts, parts, e.msg().clone()));
            }
            Err(e) => return Err(page_error(&texts, &e)),
        };
        let csrf = csrf_token(state, caller.session_hash()).map_err(|e| page_error(&texts, &e))?;
        Ok(In {
            caller,
            texts,
            csrf,
        })
    }
}

/// Without a session: a page is sent to the login page; a form is refused, saying why.
fn not_in(texts: &Texts, parts: &Parts, why: Msg) -> Response {
    if parts.method == axum::http::Method::GET {
        Redirect::to("/console/login").into_response()
    } else {
        page_error(texts, &ApiError::unauthorized(why))
    }
}

/// The CSRF token of a session: a BLAKE3 keyed with a key derived from the instances' shared
/// secret, over the session's hash. Any instance computes the same; no other session's token
/// fits.
fn csrf_token(state: &AppState, session_hash: &str) -> Result<String, ApiError> {
    let secret = state
        .csrf_key
        .get()
        .ok_or_else(|| ApiError::internal(msg!("api-internal")))?;
    let key = zeroize::Zeroizing::new(blake3::derive_key(
        "okuri-approvald 2026-12 console CSRF",
        secret.as_bytes(),
    ));
    Ok(blake3::keyed_hash(&key, session_hash.as_bytes())
        .to_hex()
        .to_string())
}

impl In {
    /// Refuses a form whose CSRF token is not this session's (compared in constant time).
    fn check_csrf(&self, sent: &str) -> Result<(), Response> {
        let ours = blake3::Hash::from_hex(&self.csrf).ok();
        let theirs = blake3::Hash::from_hex(sent.trim()).ok();
        match (ours, theirs) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ => {
                tracing::warn!(id = %self.caller.id, "console form with a wrong CSRF token");
                Err(self.error(&ApiError::forbidden(msg!("console-csrf"))))
            }
        }
    }

    fn error(&self, e: &ApiError) -> Response {
        page_error(&self.texts, e)
    }

    fn page(&self, here: &str, title: &Msg, body: maud::Markup) -> Response {
        pages::layout(&self.texts, Some(self), here, title, body).into_response()
    }
}

/// A form's fields; a form that does not parse is an error page, not axum's plain text.
pub(super) struct Fields<T>(T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Fields<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let texts = Texts::new(lang_of(req.headers()));
        match Form::<T>::from_request(req, state).await {
            Ok(Form(v)) => Ok(Fields(v)),
            Err(rej) => Err(page_error(
                &texts,
                &ApiError::bad(msg!("console-bad-form", detail = rej.body_text())),
            )),
        }
    }
}

/// An error as a page in the reader's language, with the service's status.
fn page_error(texts: &Texts, e: &ApiError) -> Response {
    let mut res = (
        e.status(),
        pages::layout(
            texts,
            None,
            "/console",
            &msg!("console-error-title"),
            pages::error(texts, e.msg()),
        ),
    )
        .into_response();
    if e.status() == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    res
}

// ---- logging in and out -------------------------------------------------------------------------

async fn login_page(r: Reader) -> Response {
    pages::layout(
        &r.texts,
        None,
        "/console/login",
        &msg!("console-login-title"),
        pages::login(&r.texts, NS_AUTH),
    )
    .into_response()
}

async fn key_page(r: Reader) -> Response {
    pages::layout(
        &r.texts,
        None,
        "/console/key",
        &msg!("console-key-title"),
        pages::key(&r.texts),
    )
    .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    id: String,
    challenge: String,
    public_key: String,
    signature: String,
}

/// A raw Ed25519 signature as the browser sends it (base64 of 64 bytes).
fn raw_signature(text: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ApiError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .filter(|b| b.len() == 64)
        .map(zeroize::Zeroizing::new)
        .ok_or_else(|| ApiError::bad(msg!("console-bad-signature")))
}

/// The browser answered a challenge: its public key and raw signature make the SSHSIG the CLI
/// would have sent, and the login is the CLI's ([`api::open_session`]).
async fn login(
    State(s): State<Arc<AppState>>,
    r: Reader,
    headers: HeaderMap,
    jar: CookieJar,
    Fields(f): Fields<LoginForm>,
) -> Response {
    let attempt = async {
        // The browser's earlier session, if any, ends here rather than lingering.
        if let Some(old) = session_secret(&s, &headers) {
            let hash = crate::base::digest::Blake3::of(old.as_bytes()).to_hex();
            s.write(move |tx| store::delete_session(tx, &hash)).await?;
        }
        let key = crate::secret::keys::parse_public(&f.public_key)
            .map_err(|_| ApiError::bad(msg!("console-bad-public-key")))?;
        let raw = raw_signature(&f.signature)?;
        let message = crate::net::wire::auth_message(&f.id, &f.challenge);
        let sig = crate::secret::keys::assemble_sshsig(&key, NS_AUTH, &message, &raw)
            .ok_or_else(|| ApiError::unauthorized(msg!("api-signature-invalid")))?;
        api::open_session(&s, &f.id, &f.challenge, &sig).await
    };
    match attempt.await {
        Ok(session) => {
            let cookie = session_cookie(s.secure_cookies, session.session);
            (jar.add(cookie), Redirect::to("/console")).into_response()
        }
        Err(e) => page_error(&r.texts, &e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsrfOnly {
    csrf: String,
}

async fn logout(
    State(s): State<Arc<AppState>>,
    me: In,
    jar: CookieJar,
    Fields(f): Fields<CsrfOnly>,
) -> Response {
    if let Err(r) = me.check_csrf(&f.csrf) {
        return r;
    }
    let hash = me.caller.session_hash().to_owned();
    if let Err(e) = s.write(move |tx| store::delete_session(tx, &hash)).await {
        return me.error(&e.into());
    }
    tracing::info!(id = %me.caller.id, "console logout");
    let gone = session_cookie(s.secure_cookies, String::new());
    (jar.remove(gone), Redirect::to("/console/login")).into_response()
}

/// `/console/lang/en?back=/console/queue`: the reader's language, kept in a cookie; back to
/// the page they were on (only ever a console page).
async fn switch_lang(
    jar: CookieJar,
    P(lang): P,
    Q(q): Q<std::collections::HashMap<String, String>>,
) -> Response {
    let lang: Lang = lang.parse().unwrap_or(Lang::Ja);
    // Only a console path, of the characters a console URL has: never another site, and never
    // a character a Location header cannot carry.
    let back = q
        .get("back")
        .filter(|b| {
            b.starts_with("/console")
                && !b.contains("//")
                && b.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/-_.?=&".contains(c))
        })
        .map_or("/console", String::as_str);
    let cookie = Cookie::build((LANG, lang.as_str()))
        .path("/console")
        .same_site(SameSite::Strict)
        .build();
    (jar.add(cookie), Redirect::to(back)).into_response()
}

// ---- lists ---------------------------------------------------------------------------------------

async fn home(me: In) -> Response {
    if me.caller.has(Role::Custodian) {
        Redirect::to("/console/queue").into_response()
    } else if me.caller.has(Role::Staff) {
        Redirect::to("/console/mine").into_response()
    } else {
        me.page(
            "/console",
            &msg!("console-title"),
            pages::no_pages_for(&me.texts),
        )
    }
}

/// The query string and the path's parameter, whose rejections are error pages in the
/// reader's language, never axum's plain text.
pub(super) struct Q<T>(T);
pub(super) struct P(String);

/// A rejected query string or path, as an error page.
fn bad_part(parts: &Parts, detail: String) -> Response {
    let texts = Texts::new(lang_of(&parts.headers));
    page_error(
        &texts,
        &ApiError::bad(msg!("console-bad-form", detail = detail)),
    )
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Q<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Q(v)),
            Err(rej) => Err(bad_part(parts, rej.body_text())),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for P {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(P(v)),
            Err(rej) => Err(bad_part(parts, rej.body_text())),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct After {
    after: Option<String>,
}

impl After {
    fn id(&self) -> Result<Option<RequestId>, ApiError> {
        self.after.as_deref().map(api::request_id).transpose()
    }
}

/// One page of a listing: the rows `keep` keeps, up to [`PAGE`] of them, and where the next
/// page starts when there may be more. It reads on past the rows `keep` leaves out (other
/// custodians' requests, in the queue), at most [`READS`] pages of the database at a time.
async fn listing<R>(
    s: &AppState,
    after: Option<RequestId>,
    keep: impl Fn(&store::Row) -> bool,
    read: R,
) -> Result<(Vec<store::Row>, Option<RequestId>), ApiError>
where
    R: Fn(&crate::service::db::Tx<'_>, Option<&RequestId>) -> store::StoreResult<Vec<store::Row>>
        + Clone
        + Send
        + 'static,
{
    let mut kept: Vec<store::Row> = Vec::new();
    let mut from = after;
    for _ in 0..READS {
        let (r, at) = (read.clone(), from.clone());
        let rows = s.store.read(move |tx| r(tx, at.as_ref())).await?;
        let more = rows.len() == PAGE as usize;
        let last = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            from = Some(row.id.clone());
            if keep(&row) {
                kept.push(row);
                if kept.len() == PAGE as usize {
                    // Nothing after it when it was the database's last row.
                    let after = (more || i + 1 < last).then_some(from);
                    return Ok((kept, after.flatten()));
                }
            }
        }
        if !more {
            return Ok((kept, None));
        }
    }
    Ok((kept, from))
}

/// The database pages one console page reads at most.
const READS: usize = 20;

/// One of the console's lists: who may open it, where it is, and what it says.
struct List {
    role: Role,
    /// What anyone else is told.
    only: Msg,
    path: &'static str,
    title: Msg,
    empty: Msg,
}

/// A page of a list, for those its role allows.
async fn list_page<R>(
    s: &AppState,
    me: &In,
    q: &After,
    list: List,
    keep: impl Fn(&store::Row) -> bool,
    read: R,
) -> Response
where
    R: Fn(&crate::service::db::Tx<'_>, Option<&RequestId>) -> store::StoreResult<Vec<store::Row>>
        + Clone
        + Send
        + 'static,
{
    if !me.caller.has(list.role) {
        return me.error(&ApiError::forbidden(list.only));
    }
    let after = match q.id() {
        Ok(a) => a,
        Err(e) => return me.error(&e),
    };
    match listing(s, after, keep, read).await {
        Ok((rows, next)) => me.page(
            list.path,
            &list.title,
            pages::rows(
                &me.texts,
                &s.docs(),
                &rows,
                list.path,
                next.as_ref(),
                list.empty,
            ),
        ),
        Err(e) => me.error(&e),
    }
}

/// The requests waiting for this custodian: pending, in their classes and departments.
async fn queue(State(s): State<Arc<AppState>>, me: In, Q(q): Q<After>) -> Response {
    let list = List {
        role: Role::Custodian,
        only: msg!("console-custodians-only"),
        path: "/console/queue",
        title: msg!("console-queue-title"),
        empty: msg!("console-queue-empty"),
    };
    let keep = |r: &store::Row| api::may_decide(&s, &me.caller, r);
    let read = |tx: &crate::service::db::Tx<'_>, after: Option<&RequestId>| {
        store::list_requests(tx, Some(Status::Pending), None, after, PAGE)
    };
    list_page(&s, &me, &q, list, keep, read).await
}

/// The requests this custodian decided.
async fn decisions(State(s): State<Arc<AppState>>, me: In, Q(q): Q<After>) -> Response {
    let list = List {
        role: Role::Custodian,
        only: msg!("console-custodians-only"),
        path: "/console/decisions",
        title: msg!("console-decisions-title"),
        empty: msg!("console-decisions-empty"),
    };
    let who = me.caller.id.clone();
    let read = move |tx: &crate::service::db::Tx<'_>, after: Option<&RequestId>| {
        store::list_decided_by(tx, &who, after, PAGE)
    };
    list_page(&s, &me, &q, list, |_| true, read).await
}

/// A staff member's own requests and where each stands.
async fn mine(State(s): State<Arc<AppState>>, me: In, Q(q): Q<After>) -> Response {
    let list = List {
        role: Role::Staff,
        only: msg!("console-staff-only"),
        path: "/console/mine",
        title: msg!("console-mine-title"),
        empty: msg!("console-mine-empty"),
    };
    let who = me.caller.id.clone();
    let read = move |tx: &crate::service::db::Tx<'_>, after: Option<&RequestId>| {
        store::list_requests(tx, None, Some(&who), after, PAGE)
    };
    list_page(&s, &me, &q, list, |_| true, read).await
}

// ---- one request --------------------------------------------------------------------------------

/// The officers' designations of a file that the service holds and that hold now: each
/// through the one verification of a signed document under the trust list in force (one by a
/// key since revoked is not shown).
async fn designations_of(
    s: &AppState,
    file: &crate::base::digest::Blake3,
) -> Result<Vec<DesignationPayload>, ApiError> {
    let digest = *file;
    let held = s
        .store
        .read(move |tx| store::designations(tx, &digest))
        .await?;
    let docs = s.docs();
    let now = crate::sys::hooks::now().timestamp();
    Ok(held
        .iter()
        .filter_map(|d| Parsed::<DesignationPayload>::read(d.document.as_bytes()).ok())
        .filter(|d| d.verify(&docs.policy.trust, now).is_ok())
        .map(|d| d.payload)
        .collect())
}

/// A request the caller may see, from the path.
async fn visible(s: &AppState, me: &In, id: &str) -> Result<(store::Row, RequestView), Response> {
    let id = api::request_id(id).map_err(|e| me.error(&e))?;
    let row = api::load(s, &id).await.map_err(|e| me.error(&e))?;
    if !api::may_see(s, &me.caller, &row) {
        return Err(me.error(&ApiError::forbidden(msg!("api-may-not-see-request"))));
    }
    let view = api::view(&row).map_err(|e| me.error(&e))?;
    Ok((row, view))
}

async fn request_page(State(s): State<Arc<AppState>>, me: In, P(id): P) -> Response {
    let (row, view) = match visible(&s, &me, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let designations = match designations_of(&s, &view.request.file.blake3).await {
        Ok(d) => d,
        Err(e) => return me.error(&e),
    };
    let docs = s.docs();
    let decide = view.status == Status::Pending && api::may_decide(&s, &me.caller, &row);
    let here = format!("/console/requests/{}", row.id);
    me.page(
        &here,
        &msg!("console-request-title", id = &row.id),
        pages::request(&me.texts, &me, &view, &docs, &designations, decide),
    )
}

/// The approval token as a file, for `okuri pack --approval` on a machine without the service.
async fn token_file(State(s): State<Arc<AppState>>, me: In, P(id): P) -> Response {
    let (row, view) = match visible(&s, &me, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(token) = view.token else {
        return me.error(&ApiError::not_found(msg!("console-no-token", id = &row.id)));
    };
    let name = format!("attachment; filename=\"{}.token\"", row.id);
    let mut res = ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], token).into_response();
    if let Ok(v) = HeaderValue::from_str(&name) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

// ---- deciding -----------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveForm {
    csrf: String,
    hours: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DenyForm {
    csrf: String,
    reason: String,
}

/// What a custodian asked to decide: the approval's validity, or the denial's reason.
enum Asked {
    Approve(u32),
    Deny(String),
}

/// The SSHSIG namespace of a decision of this kind.
pub(super) fn namespace(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Approved => NS_APPROVAL,
        DecisionKind::Denied => NS_DENIAL,
    }
}

async fn prepare_approval(
    State(s): State<Arc<AppState>>,
    me: In,
    P(id): P,
    Fields(f): Fields<ApproveForm>,
) -> Response {
    if let Err(r) = me.check_csrf(&f.csrf) {
        return r;
    }
    prepare(&s, &me, &id, Asked::Approve(f.hours)).await
}

async fn prepare_denial(
    State(s): State<Arc<AppState>>,
    me: In,
    P(id): P,
    Fields(f): Fields<DenyForm>,
) -> Response {
    if let Err(r) = me.check_csrf(&f.csrf) {
        return r;
    }
    prepare(&s, &me, &id, Asked::Deny(f.reason)).await
}

/// The stored request, the custodian's trust-list entry and the key they logged in with.
struct Checked<'d> {
    row: store::Row,
    stored: ApprovalRequest,
    signer: &'d Signer,
    key: &'d TrustedKey,
}

/// What `okuri approve` and `okuri deny` check before they sign, for the key the custodian
/// logged in with, under the documents in force now: the key is a custodian's in force, the
/// request is pending and theirs to decide, and the rules allow it (the same functions).
async fn before_signing<'d>(
    s: &AppState,
    me: &In,
    docs: &'d api::Docs,
    id: &RequestId,
    approving: bool,
) -> Result<Checked<'d>, ApiError> {
    let (row, stored) = api::decidable(s, &me.caller, id).await?;
    if row.status != Status::Pending {
        return Err(ApiError::conflict(msg!(
            "console-already-decided",
            id = &row.id
        )));
    }
    let (signer, key) =
        crate::transfer::workflow::custodian_of(&docs.policy, &me.caller.key, &stored)
            .map_err(|r| ApiError::forbidden(r.message.clone()))?;
    crate::signed::approval::precheck(
        &docs.policy,
        &docs.register,
        docs.checking_directory(),
        &stored,
        signer,
        &me.caller.key,
        approving,
    )
    .map_err(|r| ApiError::forbidden(r.message.clone()))?;
    Ok(Checked {
        row,
        stored,
        signer,
        key,
    })
}

/// Builds the payload the custodian is asked to sign, with the serializer `okuri approve` and
/// `okuri deny` use, after the checks they make ([`before_signing`]); keeps it under a new
/// nonce for this session and shows it, rendered from the very bytes kept.
async fn prepare(s: &AppState, me: &In, id: &str, asked: Asked) -> Response {
    let built = async {
        let id = api::request_id(id)?;
        let docs = s.docs();
        let approving = matches!(asked, Asked::Approve(_));
        let Checked {
            row,
            stored,
            signer,
            ..
        } = before_signing(s, me, &docs, &id, approving).await?;
        let now = crate::sys::hooks::now();
        let (kind, bytes) = match &asked {
            Asked::Approve(hours) => {
                let span = jiff::Span::new()
                    .try_hours(i64::from(*hours))
                    .map_err(|_| ApiError::bad(msg!("console-bad-hours")))?;
                let p = crate::transfer::workflow::token_payload(
                    &docs.policy,
                    signer,
                    &me.caller.key,
                    &stored,
                    Some(span),
                    &now,
                )
                .map_err(|e| ApiError::bad(e.message().clone()))?;
                (DecisionKind::Approved, crate::signed::payload_bytes(&p))
            }
            Asked::Deny(reason) => {
                let p = crate::transfer::workflow::denial_payload(
                    &docs.policy,
                    signer,
                    &me.caller.key,
                    &stored,
                    reason,
                    &now,
                )
                .map_err(|e| ApiError::bad(e.message().clone()))?;
                (DecisionKind::Denied, crate::signed::payload_bytes(&p))
            }
        };
        // Payloads are JSON text: UTF-8 by construction.
        let payload =
            String::from_utf8(bytes).map_err(|_| ApiError::internal(msg!("api-internal")))?;
        let unix = now.timestamp().as_second();
        let pending = Pending {
            nonce: api::random_hex()?,
            session: me.caller.session_hash().to_owned(),
            custodian: me.caller.id.clone(),
            request_id: row.id.clone(),
            kind,
            payload,
            expires: unix + PENDING_SECONDS,
        };
        let kept = pending.clone();
        s.write(move |tx| store::put_pending(tx, &kept, unix))
            .await?;
        let designations = designations_of(s, &stored.file.blake3).await?;
        Ok((pending, designations))
    };
    match built.await {
        Ok((p, designations)) => match pages::sign(&me.texts, me, &p, &s.docs(), &designations) {
            Some(body) => me.page(
                &format!("/console/requests/{}", p.request_id),
                &msg!("console-sign-title"),
                body,
            ),
            None => me.error(&ApiError::internal(msg!("api-internal"))),
        },
        Err(e) => me.error(&e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignForm {
    csrf: String,
    nonce: String,
    signature: String,
}

/// The browser's signature over a prepared payload. The prepared decision must be this
/// session's and this custodian's, and unexpired (anything else leaves it as it is); the
/// checks before signing run again under the documents in force now; the SSHSIG is assembled
/// by the key the custodian logged in with over the bytes kept (anything else signed does not
/// assemble); then the decision is recorded as every decision is, and the prepared one spent
/// in the same transaction.
async fn sign(State(s): State<Arc<AppState>>, me: In, Fields(f): Fields<SignForm>) -> Response {
    if let Err(r) = me.check_csrf(&f.csrf) {
        return r;
    }
    let done = async {
        let raw = raw_signature(&f.signature)?;
        let now = crate::sys::hooks::now().timestamp().as_second();
        let unknown = || {
            ApiError::conflict(msg!(
                "console-pending-unknown",
                minutes = PENDING_SECONDS / 60
            ))
        };
        let (nonce, session, who) = (
            f.nonce.clone(),
            me.caller.session_hash().to_owned(),
            me.caller.id.clone(),
        );
        let pending = s
            .store
            .read(move |tx| store::get_pending(tx, &nonce, &session, &who, now))
            .await?
            .ok_or_else(unknown)?;
        let docs = s.docs();
        let approving = pending.kind == DecisionKind::Approved;
        let Checked { key, .. } =
            before_signing(&s, &me, &docs, &pending.request_id, approving).await?;
        let payload = pending.payload.into_bytes();
        let sig =
            crate::secret::keys::assemble_sshsig(&key.key, namespace(pending.kind), &payload, &raw)
                .ok_or_else(|| ApiError::bad(msg!("console-signature-mismatch")))?;
        let document = String::from_utf8_lossy(&Signed { payload, sig }.render()).into_owned();
        let upload = if approving {
            DecisionUpload {
                token: Some(document),
                denial: None,
            }
        } else {
            DecisionUpload {
                token: None,
                denial: Some(document),
            }
        };
        let spend = api::Spend {
            nonce: f.nonce.clone(),
            now,
        };
        api::record_decision(&s, &me.caller, &pending.request_id, upload, Some(spend)).await?;
        Ok(pending.request_id)
    };
    match done.await {
        Ok(id) => Redirect::to(&format!("/console/requests/{id}")).into_response(),
        Err(e) => me.error(&e),
    }
}

/// What the sign page shows: the payload read back from the bytes that will be signed.
pub(super) enum Shown {
    Token(TokenPayload),
    Denial(DenialPayload),
}

impl Shown {
    fn of(p: &Pending) -> Option<Shown> {
        match p.kind {
            DecisionKind::Approved => serde_json::from_str(&p.payload).ok().map(Shown::Token),
            DecisionKind::Denied => serde_json::from_str(&p.payload).ok().map(Shown::Denial),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The session cookie's flags: HttpOnly and SameSite=Strict always; over TLS a `__Host-`
    /// cookie (Secure, `Path=/`); on plain loopback the console's path, not Secure.
    #[test]
    fn the_session_cookie_is_secure_with_tls() {
        let tls = session_cookie(true, "s".into()).to_string();
        for part in [
            "__Host-okuri-session=s",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
        ] {
            assert!(tls.contains(part), "{tls}");
        }
        assert!(!tls.contains("Domain"), "{tls}");
        let plain = session_cookie(false, "s".into()).to_string();
        for part in [
            "okuri-session=s",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/console",
        ] {
            assert!(plain.contains(part), "{plain}");
        }
        assert!(
            !plain.contains("Secure") && !plain.starts_with("__Host-"),
            "{plain}"
        );
    }

    fn from_here_h(h: &HeaderMap) -> bool {
        from_here(h, &axum::http::Uri::from_static("/console/pending"))
    }

    #[test]
    fn only_the_console_s_own_pages_may_post() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        assert!(from_here_h(&h(&[])));
        assert!(from_here_h(&h(&[("sec-fetch-site", "same-origin")])));
        for site in ["cross-site", "same-site", "none"] {
            let mut m = h(&[
                ("origin", "https://okuri.example:8443"),
                ("host", "okuri.example:8443"),
            ]);
            m.insert("sec-fetch-site", HeaderValue::from_static(site));
            assert!(!from_here_h(&m), "{site}");
        }
        let host = ("host", "okuri.example:8443");
        assert!(from_here_h(&h(&[
            host,
            ("origin", "https://okuri.example:8443")
        ])));
        assert!(from_here_h(&h(&[
            host,
            ("origin", "https://OKURI.example:8443")
        ])));
        assert!(!from_here_h(&h(&[
            host,
            ("origin", "https://evil.example:8443")
        ])));
        assert!(!from_here_h(&h(&[
            host,
            ("origin", "https://okuri.example:9443")
        ])));
        assert!(!from_here_h(&h(&[host, ("origin", "null")])));
        assert!(!from_here_h(&h(&[(
            "origin",
            "https://okuri.example:8443"
        )])));
        // HTTP/2: the authority is in the URI.
        let h2 = h(&[("origin", "https://okuri.example:8443")]);
        let uri = axum::http::Uri::from_static("https://okuri.example:8443/console/pending");
        assert!(from_here(&h2, &uri));
        let mut odd = h(&[]);
        odd.insert(
            "sec-fetch-site",
            HeaderValue::from_bytes(b"same-origin\xff").unwrap(),
        );
        assert!(!from_here_h(&odd));
    }

    /// Two session cookies of our name (one planted beside ours): neither is believed.
    #[test]
    fn a_second_session_cookie_is_no_session() {
        let state_cookies = |v: &'static str| {
            let mut m = HeaderMap::new();
            m.append(header::COOKIE, HeaderValue::from_static(v));
            m
        };
        let one = state_cookies("okuri-lang=en; okuri-session=abc");
        let two = state_cookies("okuri-session=abc; okuri-session=evil");
        let mut split = state_cookies("okuri-session=abc");
        split.append(
            header::COOKIE,
            HeaderValue::from_static("okuri-session=evil"),
        );
        assert_eq!(secret_named(SESSION, &one).as_deref(), Some("abc"));
        assert_eq!(secret_named(SESSION, &two), None);
        assert_eq!(secret_named(SESSION, &split), None);
        assert_eq!(secret_named(SESSION_TLS, &one), None);
    }
}
