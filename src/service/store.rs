//! The service's state in SQLite: requests, decisions, consumptions, login challenges and
//! sessions, and witnessed record heads.
//!
//! WAL mode with `synchronous = FULL`: a write the service acknowledged has been fsynced, so
//! `kill -9` (or a power cut) loses nothing acknowledged. Single use of a token is a primary
//! key: of two consumers racing, the database lets exactly one insert.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::ids::{RequestId, StaffId, TokenId, TransferId};
use crate::base::message::Msg;
use crate::msg;
use crate::net::wire::{Consumption, Role, Status, WitnessHead};
use crate::policy::city::Kind;

/// Why a store operation failed, in the terms the API maps to status codes. The texts here are
/// for logs; what a client reads is the API's message (a conflict carries its own).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database stayed locked (another process holds it) past the busy timeout.
    #[error("database busy")]
    Busy,
    /// The operation contradicts what is stored: the message says what.
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    /// What the operation is about is not there.
    #[error("not found: {0:?}")]
    NotFound(Msg),
    /// The caller may not do this to what is stored.
    #[error("forbidden: {0:?}")]
    Forbidden(Msg),
    /// The database's schema is not one this service can use: the message says why.
    #[error("schema: {0:?}")]
    Schema(Msg),
    #[error(transparent)]
    Other(#[from] rusqlite::Error),
}

fn classify(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
        _ => StoreError::Other(e),
    }
}

pub type StoreResult<T> = std::result::Result<T, StoreError>;

/// One connection writes (one transaction at a time, as SQLite allows); another reads, so
/// that listing and session checks never wait for a write's fsync (WAL lets them run side by
/// side).
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
    /// The migrations opening the database applied, oldest first.
    pub applied: Vec<crate::service::migrate::Migration>,
}

/// What a custodian decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionKind {
    Approved,
    Denied,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Approved => "approved",
            DecisionKind::Denied => "denied",
        }
    }

    fn parse(s: &str) -> Option<DecisionKind> {
        [DecisionKind::Approved, DecisionKind::Denied]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One stored request, with what became of it.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: RequestId,
    pub requester: StaffId,
    pub department: String,
    pub class: Class,
    pub body: String,
    pub submitted_at: String,
    pub status: Status,
    pub decided_by: Option<StaffId>,
    pub decided_at: Option<String>,
    pub kind: Option<DecisionKind>,
    pub document: Option<String>,
    pub token_id: Option<TokenId>,
    pub consumed: Option<Consumption>,
}

impl Row {
    /// A request as the service first stores it: pending, undecided, unused.
    pub fn pending(req: &crate::signed::approval::Request, submitted_at: String) -> Row {
        Row {
            id: req.request_id.clone(),
            requester: req.requester.id.clone(),
            department: req.requester.department.clone(),
            class: req.class,
            body: serde_json::to_string(req).expect("a request serializes"),
            submitted_at,
            status: Status::Pending,
            decided_by: None,
            decided_at: None,
            kind: None,
            document: None,
            token_id: None,
            consumed: None,
        }
    }
}

/// A column read back as the type it was written from; anything else is a damaged database.
fn typed<T>(
    r: &rusqlite::Row<'_>,
    i: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unexpected value {s:?}").into(),
        )
    })
}

fn typed_opt<T>(
    r: &rusqlite::Row<'_>,
    i: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match r.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(_) => typed(r, i, parse).map(Some),
    }
}

impl Store {
    /// Opens the database, creating it if need be, and brings its schema up to date
    /// (`migrate`); [`Store::applied`] says which migrations this did.
    pub fn open(path: &Path, busy: Duration) -> StoreResult<Store> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(busy)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let applied = crate::service::migrate::apply(&mut conn)?;
        let reader = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(busy)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            reader: Arc::new(Mutex::new(reader)),
            applied,
        })
    }

    /// Runs a read-only `f` on the reading connection, in one consistent snapshot.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let conn = Arc::clone(&self.reader);
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().unwrap_or_else(|p| p.into_inner());
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Deferred)
                .map_err(classify)?;
            f(&tx).map_err(|e| match e {
                StoreError::Other(e) => classify(e),
                e => e,
            })
        })
        .await
        .expect("a store task does not panic")
    }

    /// Runs `f` on the connection in a blocking thread, inside an immediate transaction that
    /// commits when `f` succeeds.
    pub async fn tx<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().unwrap_or_else(|p| p.into_inner());
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(classify)?;
            let out = f(&tx).map_err(|e| match e {
                StoreError::Other(e) => classify(e),
                e => e,
            })?;
            tx.commit().map_err(classify)?;
            Ok(out)
        })
        .await
        .expect("a store task does not panic")
    }
}

impl Store {
    /// Records the serials of the city documents the service is about to work under, unless
    /// one is lower than the serial it already holds for that kind: then nothing changes and
    /// the first such kind is returned with the serial held. Synchronous, for start and reload.
    /// `rules` is the digest of the rules among them, remembered so that the witness can tell
    /// entries made under rules the city signed from any others.
    pub fn hold_serials(
        &self,
        docs: &[(Kind, u64)],
        rules: &Blake3,
        at: &str,
    ) -> StoreResult<Option<(Kind, u64, u64)>> {
        let mut c = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(classify)?;
        for (kind, serial) in docs {
            let held: Option<i64> = tx
                .query_row(
                    "SELECT serial FROM serials WHERE kind = ?1",
                    params![kind.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            let held = held.map_or(0, |h| h as u64);
            if *serial < held {
                return Ok(Some((*kind, *serial, held)));
            }
            tx.execute(
                "INSERT INTO serials (kind, serial) VALUES (?1, ?2)
                 ON CONFLICT (kind) DO UPDATE SET serial = max(serial, excluded.serial)",
                params![kind.as_str(), *serial as i64],
            )?;
        }
        if !docs.is_empty() {
            tx.execute(
                "INSERT INTO rules_held (digest, first_held) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![rules.to_hex(), at],
            )?;
        }
        tx.commit().map_err(classify)?;
        Ok(None)
    }
}

// ---- the operations, each one transaction ----------------------------------------------------

pub fn put_challenge(
    tx: &rusqlite::Transaction<'_>,
    nonce: &str,
    id: &str,
    expires: i64,
    now: i64,
) -> StoreResult<()> {
    tx.execute("DELETE FROM challenges WHERE expires < ?1", params![now])?;
    tx.execute(
        "INSERT INTO challenges (nonce, id, expires) VALUES (?1, ?2, ?3)",
        params![nonce, id, expires],
    )?;
    Ok(())
}

/// Takes a challenge: it can be answered once. Returns its id and expiry if it existed.
pub fn take_challenge(
    tx: &rusqlite::Transaction<'_>,
    nonce: &str,
) -> StoreResult<Option<(String, i64)>> {
    Ok(tx
        .query_row(
            "DELETE FROM challenges WHERE nonce = ?1 RETURNING id, expires",
            params![nonce],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// A login session as stored: who, with which roles (a JSON array, as the API names them),
/// until when. Only the session secret's BLAKE3 is the key.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: StaffId,
    /// The key that logged in: the caller's roles are worked out from it on every call.
    pub key: crate::base::digest::Fingerprint,
    /// The roles at login, for the log only.
    pub roles: Vec<Role>,
    pub expires: i64,
}

/// What the `roles` column holds: the key and the roles at login. (A session stored by an
/// older service held only the roles: it does not parse, and its holder logs in again.)
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionKey {
    key: crate::base::digest::Fingerprint,
    roles: Vec<Role>,
}

pub fn put_session(
    tx: &rusqlite::Transaction<'_>,
    hash: &str,
    session: &SessionRow,
    now: i64,
) -> StoreResult<()> {
    let roles = serde_json::to_string(&SessionKey {
        key: session.key.clone(),
        roles: session.roles.clone(),
    })
    .expect("a key and roles serialize");
    tx.execute("DELETE FROM sessions WHERE expires < ?1", params![now])?;
    tx.execute(
        "INSERT INTO sessions (hash, id, roles, expires) VALUES (?1, ?2, ?3, ?4)",
        params![hash, session.id.as_str(), roles, session.expires],
    )?;
    Ok(())
}

/// The session with this hash. A session stored by an older service, in another form, is no
/// session: its holder logs in again (sessions last minutes).
pub fn get_session(tx: &rusqlite::Transaction<'_>, hash: &str) -> StoreResult<Option<SessionRow>> {
    let row: Option<(String, String, i64)> = tx
        .query_row(
            "SELECT id, roles, expires FROM sessions WHERE hash = ?1",
            params![hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(id, roles, expires)| {
        let k: SessionKey = serde_json::from_str(&roles).ok()?;
        Some(SessionRow {
            id: id.parse().ok()?,
            key: k.key,
            roles: k.roles,
            expires,
        })
    }))
}

/// Ends a session (logout).
pub fn delete_session(tx: &rusqlite::Transaction<'_>, hash: &str) -> StoreResult<()> {
    tx.execute("DELETE FROM sessions WHERE hash = ?1", params![hash])?;
    Ok(())
}

pub fn insert_request(tx: &rusqlite::Transaction<'_>, row: &Row) -> StoreResult<()> {
    let n = tx.execute(
        "INSERT INTO requests (id, requester, department, class, body, submitted_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending') ON CONFLICT(id) DO NOTHING",
        params![
            row.id.as_str(),
            row.requester.as_str(),
            row.department,
            row.class.as_str(),
            row.body,
            row.submitted_at
        ],
    )?;
    if n == 0 {
        // The same request sent twice (a retry after a lost reply) is fine; another with the
        // same id is not.
        let body: String = tx.query_row(
            "SELECT body FROM requests WHERE id = ?1",
            params![row.id.as_str()],
            |r| r.get(0),
        )?;
        if body != row.body {
            return Err(StoreError::Conflict(msg!(
                "api-request-exists",
                id = &row.id
            )));
        }
    }
    Ok(())
}

const SELECT: &str =
    "SELECT r.id, r.requester, r.department, r.class, r.body, r.submitted_at, r.status,
    d.custodian, d.decided_at, d.kind, d.document, d.token_id, c.by_id, c.transfer_id, c.at
    FROM requests r LEFT JOIN decisions d ON d.request_id = r.id
    LEFT JOIN consumptions c ON c.token_id = d.token_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let token_id: Option<TokenId> = typed_opt(r, 11, |s| s.parse().ok())?;
    let by: Option<StaffId> = typed_opt(r, 12, |s| s.parse().ok())?;
    Ok(Row {
        id: typed(r, 0, |s| s.parse().ok())?,
        requester: typed(r, 1, |s| s.parse().ok())?,
        department: r.get(2)?,
        class: typed(r, 3, |s| s.parse().ok())?,
        body: r.get(4)?,
        submitted_at: r.get(5)?,
        status: typed(r, 6, Status::parse)?,
        decided_by: typed_opt(r, 7, |s| s.parse().ok())?,
        decided_at: r.get(8)?,
        kind: typed_opt(r, 9, DecisionKind::parse)?,
        document: r.get(10)?,
        consumed: match (by, &token_id) {
            (Some(by), Some(t)) => Some(Consumption {
                token_id: t.clone(),
                by,
                transfer_id: r.get(13)?,
                at: r.get(14)?,
            }),
            _ => None,
        },
        token_id,
    })
}

pub fn get_request(tx: &rusqlite::Transaction<'_>, id: &RequestId) -> StoreResult<Option<Row>> {
    Ok(tx
        .query_row(
            &format!("{SELECT} WHERE r.id = ?1"),
            params![id.as_str()],
            row,
        )
        .optional()?)
}

/// Requests by status and/or requester, newest first, at most `limit`, starting after the
/// request `after` (the last one of the page before). Read by keyset, not by offset: a page
/// costs its own rows however deep it is.
pub fn list_requests(
    tx: &rusqlite::Transaction<'_>,
    status: Option<Status>,
    requester: Option<&StaffId>,
    after: Option<&RequestId>,
    limit: u32,
) -> StoreResult<Vec<Row>> {
    let mut conditions = Vec::new();
    let mut args: Vec<String> = Vec::new();
    if let Some(s) = status {
        args.push(s.as_str().to_owned());
        conditions.push(format!("r.status = ?{}", args.len()));
    }
    if let Some(r) = requester {
        args.push(r.as_str().to_owned());
        conditions.push(format!("r.requester = ?{}", args.len()));
    }
    if let Some(a) = after {
        // Only a place among the rows the caller reads: another person's request is not
        // there (and its time is not learnt by paging from it).
        let at: Option<String> = tx
            .query_row(
                "SELECT submitted_at FROM requests WHERE id = ?1 AND (?2 IS NULL OR requester = ?2)",
                params![a.as_str(), requester.map(StaffId::as_str)],
                |r| r.get(0),
            )
            .optional()?;
        let Some(at) = at else {
            return Err(StoreError::NotFound(msg!("api-no-request", id = a)));
        };
        args.push(at);
        args.push(a.as_str().to_owned());
        conditions.push(format!(
            "(r.submitted_at, r.id) < (?{}, ?{})",
            args.len() - 1,
            args.len()
        ));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    // A number, written into the statement as such.
    let mut stmt = tx.prepare(&format!(
        "{SELECT} {filter} ORDER BY r.submitted_at DESC, r.id DESC LIMIT {limit}"
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(&args), row)?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    Ok(rows)
}

/// Records a decision on a pending request.
pub fn decide(
    tx: &rusqlite::Transaction<'_>,
    request_id: &RequestId,
    kind: DecisionKind,
    custodian: &StaffId,
    document: &str,
    token_id: Option<&TokenId>,
    at: &str,
) -> StoreResult<()> {
    let (request_id, custodian) = (request_id.as_str(), custodian.as_str());
    let token_id = token_id.map(TokenId::as_str);
    let status = request_status(tx, request_id)?;
    match status.as_deref() {
        None => {
            return Err(StoreError::Conflict(msg!(
                "api-no-request",
                id = request_id
            )));
        }
        Some("pending") => {}
        Some(s) => {
            return Err(StoreError::Conflict(msg!(
                "api-already-decided",
                id = request_id,
                status = s
            )));
        }
    }
    tx.execute(
        "INSERT INTO decisions (request_id, kind, custodian, document, token_id, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![request_id, kind.as_str(), custodian, document, token_id, at],
    )?;
    let new = match kind {
        DecisionKind::Approved => Status::Approved,
        DecisionKind::Denied => Status::Denied,
    };
    tx.execute(
        "UPDATE requests SET status = ?2 WHERE id = ?1",
        params![request_id, new.as_str()],
    )?;
    Ok(())
}

/// Marks a token consumed by its requester. Exactly one caller ever succeeds for a token id.
/// A request's status as stored (`pending`, …), if the service has the request.
fn request_status(tx: &rusqlite::Transaction<'_>, id: &str) -> StoreResult<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT status FROM requests WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?)
}

/// A token a custodian signed offline (`okuri approve --out`), already checked by the one
/// verification: the request it approves, who signed it, and the token itself.
pub struct OfflineApproval {
    pub request: Row,
    pub custodian: StaffId,
    pub document: String,
}

/// Makes an offline approval known: its request (if the service never saw it) and the
/// decision. Known already with this token: nothing to do. Decided otherwise: a conflict.
fn record_offline_approval(
    tx: &rusqlite::Transaction<'_>,
    o: &OfflineApproval,
    token_id: &TokenId,
    at: &str,
) -> StoreResult<()> {
    let id = o.request.id.as_str();
    let status = request_status(tx, id)?;
    match status.as_deref() {
        None => insert_request(tx, &o.request)?,
        Some("pending") => {}
        Some(s) => {
            let decided: Option<Option<String>> = tx
                .query_row(
                    "SELECT token_id FROM decisions WHERE request_id = ?1",
                    params![id],
                    |r| r.get(0),
                )
                .optional()?;
            if decided.flatten().as_deref() == Some(token_id.as_str()) {
                return Ok(());
            }
            return Err(StoreError::Conflict(msg!(
                "api-already-decided",
                id = id,
                status = s
            )));
        }
    }
    decide(
        tx,
        &o.request.id,
        DecisionKind::Approved,
        &o.custodian,
        &o.document,
        Some(token_id),
        at,
    )
}

pub fn consume(
    tx: &rusqlite::Transaction<'_>,
    token_id: &TokenId,
    by: &StaffId,
    transfer_id: &TransferId,
    at: &str,
    offline: Option<&OfflineApproval>,
) -> StoreResult<Consumption> {
    if let Some(o) = offline {
        record_offline_approval(tx, o, token_id, at)?;
    }
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT d.request_id, r.requester FROM decisions d JOIN requests r ON r.id = d.request_id
             WHERE d.token_id = ?1 AND d.kind = ?2",
            params![token_id.as_str(), DecisionKind::Approved.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((request_id, requester)) = found else {
        return Err(StoreError::NotFound(msg!(
            "api-no-approved-token",
            token = token_id
        )));
    };
    if requester != by.as_str() {
        return Err(StoreError::Forbidden(msg!("api-not-token-owner")));
    }
    // Used offline already (the service learnt it from a witnessed record): used.
    if let Some(first) = first_use(tx, token_id.as_str(), transfer_id.as_str())? {
        return Err(used(token_id, first));
    }
    let n = tx.execute(
        "INSERT INTO consumptions (token_id, request_id, by_id, transfer_id, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(token_id) DO NOTHING",
        params![token_id.as_str(), request_id, by.as_str(), transfer_id.as_str(), at],
    )?;
    if n == 0 {
        let first = tx.query_row(
            "SELECT by_id, transfer_id, at FROM consumptions WHERE token_id = ?1",
            params![token_id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        return Err(used(token_id, first));
    }
    tx.execute(
        "UPDATE requests SET status = ?2 WHERE id = ?1",
        params![request_id, Status::Consumed.as_str()],
    )?;
    Ok(Consumption {
        token_id: token_id.clone(),
        by: by.clone(),
        transfer_id: transfer_id.to_string(),
        at: at.to_owned(),
    })
}

/// The conflict of a token used already: by whom, for which transfer, when.
fn used(token_id: &TokenId, (by, transfer, at): (String, String, String)) -> StoreError {
    StoreError::Conflict(msg!(
        "api-token-used",
        token = token_id,
        by = by,
        transfer = transfer,
        at = at
    ))
}

/// The use of a token that another transfer made first (online or offline), if any.
fn first_use(
    tx: &rusqlite::Transaction<'_>,
    token_id: &str,
    transfer_id: &str,
) -> StoreResult<Option<(String, String, String)>> {
    Ok(tx
        .query_row(
            "SELECT by_id, transfer_id, at FROM consumptions WHERE token_id = ?1 AND transfer_id <> ?2
             UNION ALL
             SELECT by_id, transfer_id, at FROM offline_uses WHERE token_id = ?1 AND transfer_id <> ?2
             ORDER BY at LIMIT 1",
            params![token_id, transfer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// Takes note of the tokens a witnessed record says were used offline (entries `packed` with
/// `token_offline`): each use is kept, and a token used by more than one transfer (offline
/// twice, or online and offline) is a violation for custodians and auditors.
pub fn offline_uses(
    tx: &rusqlite::Transaction<'_>,
    record: &str,
    owner: &StaffId,
    lines: &[String],
    at: &str,
) -> StoreResult<()> {
    #[derive(serde::Deserialize)]
    struct Approval {
        token_id: String,
        request_id: String,
    }
    #[derive(serde::Deserialize)]
    struct Line {
        event: String,
        outcome: String,
        transfer_id: Option<String>,
        approval: Option<Approval>,
        #[serde(default)]
        token_offline: bool,
    }
    for line in lines {
        let Ok(l) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        let (Some(a), Some(transfer)) = (l.approval, l.transfer_id) else {
            continue;
        };
        if l.event != "transfer" || l.outcome != "packed" || !l.token_offline {
            continue;
        }
        // A token is used by its requester only (pack checks the packer): a line in one
        // person's record claiming another person's request is not a use of that token, and
        // must not mark it used (which would deny its requester the transfer).
        let requester: Option<String> = tx
            .query_row(
                "SELECT requester FROM requests WHERE id = ?1",
                params![a.request_id],
                |r| r.get(0),
            )
            .optional()?;
        if requester.is_some_and(|r| r != owner.as_str()) {
            tracing::warn!(
                token = %a.token_id,
                record = %record,
                "a witnessed entry claims another person's token; not counted as a use"
            );
            continue;
        }
        if let Some((_, first, _)) = first_use(tx, &a.token_id, &transfer)? {
            tx.execute(
                "INSERT INTO violations (token_id, transfer_id, first_transfer, by_id, record, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                params![a.token_id, transfer, first, owner.as_str(), record, at],
            )?;
        }
        tx.execute(
            "INSERT INTO offline_uses (token_id, transfer_id, request_id, by_id, record, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                a.token_id,
                transfer,
                a.request_id,
                owner.as_str(),
                record,
                at
            ],
        )?;
    }
    Ok(())
}

/// Every token used by more than one transfer, as the service learnt of it.
pub fn violations(tx: &rusqlite::Transaction<'_>) -> StoreResult<Vec<crate::net::wire::Violation>> {
    all(
        tx,
        "SELECT token_id, transfer_id, first_transfer, by_id, record, at FROM violations ORDER BY at",
        [],
        |r| {
            Ok(crate::net::wire::Violation {
                token_id: r.get(0)?,
                transfer_id: r.get(1)?,
                first_transfer: r.get(2)?,
                by: r.get(3)?,
                record: r.get(4)?,
                at: r.get(5)?,
            })
        },
    )
}

/// Every row of a query, each made into a `T` by `row`.
fn all<T>(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map(params, row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Registers a signed designation (verified by the caller) for the file digest it names;
/// one already held keeps its first registration time. Returns that time.
pub fn register_designation(
    tx: &rusqlite::Transaction<'_>,
    d: &HeldDesignation,
    document: &str,
    at: &str,
) -> StoreResult<String> {
    let hash = Blake3::of(document.as_bytes()).to_hex();
    let blake3 = &d.blake3;
    tx.execute(
        "INSERT INTO designations (blake3, document_hash, document, class, department, designated_at, registered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        params![
            blake3.to_hex(),
            hash,
            document,
            d.class.as_str(),
            d.department,
            d.designated_at.as_str(),
            at
        ],
    )?;
    Ok(tx.query_row(
        "SELECT registered_at FROM designations WHERE blake3 = ?1 AND document_hash = ?2",
        params![blake3.to_hex(), hash],
        |r| r.get(0),
    )?)
}

/// A verified designation's facts, as the service keeps them beside the document.
pub struct HeldDesignation {
    pub blake3: Blake3,
    pub class: Class,
    pub department: String,
    pub designated_at: crate::base::time::Time,
}

/// Transfers packed where the service could not be asked for the city's designations
/// (`designations_unasked`): each one whose file the city holds a stricter designation for
/// (the department's latest, raised by any other's) is a finding for custodians and
/// auditors.
pub fn unasked_designations(
    tx: &rusqlite::Transaction<'_>,
    record: &str,
    owner: &StaffId,
    lines: &[String],
    at: &str,
) -> StoreResult<()> {
    #[derive(serde::Deserialize)]
    struct FileRef {
        blake3: Blake3,
    }
    #[derive(serde::Deserialize)]
    struct Sender {
        department: String,
    }
    #[derive(serde::Deserialize)]
    struct Line {
        event: String,
        outcome: String,
        transfer_id: Option<String>,
        class: Option<Class>,
        file: Option<FileRef>,
        sender: Option<Sender>,
        #[serde(default)]
        designations_unasked: bool,
    }
    for line in lines {
        let Ok(l) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        let (Some(transfer), Some(class), Some(file), Some(sender)) =
            (l.transfer_id, l.class, l.file, l.sender)
        else {
            continue;
        };
        if l.event != "transfer" || l.outcome != "packed" || !l.designations_unasked {
            continue;
        }
        let held: Vec<(String, String, String)> = all(
            tx,
            "SELECT class, department, designated_at FROM designations WHERE blake3 = ?1",
            params![file.blake3.to_hex()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let parse = |c: &str| c.parse::<Class>().ok();
        // The department's own latest designation; without one the service cannot say what
        // the sender's machine should have found.
        let Some(own) = held
            .iter()
            .filter(|(_, d, _)| *d == sender.department)
            .max_by(|a, b| {
                let t = |x: &str| x.parse::<jiff::Timestamp>().ok();
                t(&a.2).cmp(&t(&b.2))
            })
            .and_then(|(c, _, _)| parse(c))
        else {
            continue;
        };
        let city = held
            .iter()
            .filter(|(_, d, _)| *d != sender.department)
            .filter_map(|(c, _, _)| parse(c))
            .fold(own, Class::max);
        if city > class {
            tx.execute(
                "INSERT INTO class_findings (record, transfer_id, by_id, blake3, class, city_class, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![
                    record,
                    transfer,
                    owner.as_str(),
                    file.blake3.to_hex(),
                    class.as_str(),
                    city.as_str(),
                    at
                ],
            )?;
        }
    }
    Ok(())
}

/// Every class finding, oldest first.
pub fn class_findings(
    tx: &rusqlite::Transaction<'_>,
) -> StoreResult<Vec<crate::net::wire::ClassFinding>> {
    all(
        tx,
        "SELECT record, transfer_id, by_id, blake3, class, city_class, at FROM class_findings ORDER BY at",
        [],
        |r| {
            Ok(crate::net::wire::ClassFinding {
                record: r.get(0)?,
                transfer_id: r.get(1)?,
                by: r.get(2)?,
                blake3: r.get(3)?,
                class: r.get(4)?,
                city_class: r.get(5)?,
                at: r.get(6)?,
            })
        },
    )
}

/// Has the service ever worked under rules with this digest (a signed city's rules)?
pub fn rules_held(tx: &rusqlite::Transaction<'_>, digest: &Blake3) -> StoreResult<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM rules_held WHERE digest = ?1",
            params![digest.to_hex()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Every designation registered for a file digest, oldest first.
pub fn designations(
    tx: &rusqlite::Transaction<'_>,
    blake3: &Blake3,
) -> StoreResult<Vec<crate::net::wire::DesignationDoc>> {
    all(
        tx,
        "SELECT document, registered_at FROM designations WHERE blake3 = ?1 ORDER BY registered_at, document_hash",
        params![blake3.to_hex()],
        |r| {
            Ok(crate::net::wire::DesignationDoc {
                document: r.get(0)?,
                registered_at: Some(r.get(1)?),
            })
        },
    )
}

pub fn get_witness(
    tx: &rusqlite::Transaction<'_>,
    record: &str,
) -> StoreResult<Option<(String, WitnessHead)>> {
    Ok(tx
        .query_row(
            "SELECT owner, seq, hash, updated_at FROM witness WHERE record = ?1",
            params![record],
            |r| {
                let hash: String = r.get(2)?;
                Ok((
                    r.get::<_, String>(0)?,
                    WitnessHead {
                        record: record.to_owned(),
                        seq: r.get::<_, i64>(1)? as u64,
                        hash: hash.parse::<Blake3>().unwrap_or(Blake3::ZERO),
                        updated_at: r.get(3)?,
                    },
                ))
            },
        )
        .optional()?)
}

/// Moves a record's head forward from exactly `from` (the head the caller checked against).
pub fn advance_witness(
    tx: &rusqlite::Transaction<'_>,
    record: &str,
    owner: &str,
    from: Option<&WitnessHead>,
    to: &WitnessHead,
) -> StoreResult<()> {
    let n = match from {
        None => tx.execute(
            "INSERT INTO witness (record, owner, seq, hash, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(record) DO NOTHING",
            params![record, owner, to.seq as i64, to.hash.to_hex(), to.updated_at],
        )?,
        Some(f) => tx.execute(
            "UPDATE witness SET seq = ?3, hash = ?4, updated_at = ?5 WHERE record = ?1 AND seq = ?6 AND hash = ?7 AND owner = ?2",
            params![record, owner, to.seq as i64, to.hash.to_hex(), to.updated_at, f.seq as i64, f.hash.to_hex()],
        )?,
    };
    if n == 0 {
        return Err(StoreError::Conflict(msg!("api-head-moved")));
    }
    Ok(())
}
