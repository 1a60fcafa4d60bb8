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

use crate::base::digest::Blake3;
use crate::base::message::Msg;
use crate::msg;
use crate::net::wire::{Consumption, Status, WitnessHead};

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
}

/// One stored request, with what became of it.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub requester: String,
    pub department: String,
    pub class: String,
    pub body: String,
    pub submitted_at: String,
    pub status: Status,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub kind: Option<String>,
    pub document: Option<String>,
    pub token_id: Option<String>,
    pub consumed: Option<Consumption>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS requests (
    id TEXT PRIMARY KEY,
    requester TEXT NOT NULL,
    department TEXT NOT NULL,
    class TEXT NOT NULL,
    body TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_status ON requests(status);
CREATE INDEX IF NOT EXISTS requests_requester ON requests(requester);
CREATE TABLE IF NOT EXISTS decisions (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    kind TEXT NOT NULL,
    custodian TEXT NOT NULL,
    document TEXT NOT NULL,
    token_id TEXT UNIQUE,
    decided_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS consumptions (
    token_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    by_id TEXT NOT NULL,
    transfer_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS challenges (
    nonce TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    roles TEXT NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS witness (
    record TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
";

impl Store {
    pub fn open(path: &Path, busy: Duration) -> StoreResult<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(busy)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.execute_batch(SCHEMA)?;
        let reader = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(busy)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            reader: Arc::new(Mutex::new(reader)),
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

pub fn put_session(
    tx: &rusqlite::Transaction<'_>,
    hash: &str,
    id: &str,
    roles: &str,
    expires: i64,
    now: i64,
) -> StoreResult<()> {
    tx.execute("DELETE FROM sessions WHERE expires < ?1", params![now])?;
    tx.execute(
        "INSERT INTO sessions (hash, id, roles, expires) VALUES (?1, ?2, ?3, ?4)",
        params![hash, id, roles, expires],
    )?;
    Ok(())
}

pub fn get_session(
    tx: &rusqlite::Transaction<'_>,
    hash: &str,
) -> StoreResult<Option<(String, String, i64)>> {
    Ok(tx
        .query_row(
            "SELECT id, roles, expires FROM sessions WHERE hash = ?1",
            params![hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub fn insert_request(tx: &rusqlite::Transaction<'_>, row: &Row) -> StoreResult<()> {
    let n = tx.execute(
        "INSERT INTO requests (id, requester, department, class, body, submitted_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending') ON CONFLICT(id) DO NOTHING",
        params![
            row.id,
            row.requester,
            row.department,
            row.class,
            row.body,
            row.submitted_at
        ],
    )?;
    if n == 0 {
        // The same request sent twice (a retry after a lost reply) is fine; another with the
        // same id is not.
        let body: String = tx.query_row(
            "SELECT body FROM requests WHERE id = ?1",
            params![row.id],
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
    let status: String = r.get(6)?;
    let token_id: Option<String> = r.get(11)?;
    let by: Option<String> = r.get(12)?;
    Ok(Row {
        id: r.get(0)?,
        requester: r.get(1)?,
        department: r.get(2)?,
        class: r.get(3)?,
        body: r.get(4)?,
        submitted_at: r.get(5)?,
        status: Status::parse(&status).unwrap_or(Status::Pending),
        decided_by: r.get(7)?,
        decided_at: r.get(8)?,
        kind: r.get(9)?,
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

pub fn get_request(tx: &rusqlite::Transaction<'_>, id: &str) -> StoreResult<Option<Row>> {
    Ok(tx
        .query_row(&format!("{SELECT} WHERE r.id = ?1"), params![id], row)
        .optional()?)
}

/// Requests by status and/or requester, newest first, at most `limit`.
pub fn list_requests(
    tx: &rusqlite::Transaction<'_>,
    status: Option<Status>,
    requester: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<Row>> {
    let mut stmt = tx.prepare(&format!(
        "{SELECT} WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.requester = ?2)
         ORDER BY r.submitted_at DESC, r.id LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(params![status.map(Status::as_str), requester, limit], row)?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    Ok(rows)
}

/// Records a decision on a pending request.
pub fn decide(
    tx: &rusqlite::Transaction<'_>,
    request_id: &str,
    kind: &str,
    custodian: &str,
    document: &str,
    token_id: Option<&str>,
    at: &str,
) -> StoreResult<()> {
    let status: Option<String> = tx
        .query_row(
            "SELECT status FROM requests WHERE id = ?1",
            params![request_id],
            |r| r.get(0),
        )
        .optional()?;
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
        params![request_id, kind, custodian, document, token_id, at],
    )?;
    let new = if kind == "approved" {
        "approved"
    } else {
        "denied"
    };
    tx.execute(
        "UPDATE requests SET status = ?2 WHERE id = ?1",
        params![request_id, new],
    )?;
    Ok(())
}

/// Marks a token consumed. Exactly one caller ever succeeds for a token id.
pub fn consume(
    tx: &rusqlite::Transaction<'_>,
    token_id: &str,
    by: &str,
    transfer_id: &str,
    at: &str,
) -> StoreResult<Consumption> {
    let request_id: Option<String> = tx
        .query_row(
            "SELECT request_id FROM decisions WHERE token_id = ?1 AND kind = 'approved'",
            params![token_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(request_id) = request_id else {
        return Err(StoreError::Conflict(msg!(
            "api-no-approved-token",
            token = token_id
        )));
    };
    let n = tx.execute(
        "INSERT INTO consumptions (token_id, request_id, by_id, transfer_id, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(token_id) DO NOTHING",
        params![token_id, request_id, by, transfer_id, at],
    )?;
    if n == 0 {
        let (who, t, when): (String, String, String) = tx.query_row(
            "SELECT by_id, transfer_id, at FROM consumptions WHERE token_id = ?1",
            params![token_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        return Err(StoreError::Conflict(msg!(
            "api-token-used",
            token = token_id,
            by = who,
            transfer = t,
            at = when
        )));
    }
    tx.execute(
        "UPDATE requests SET status = 'consumed' WHERE id = ?1",
        params![request_id],
    )?;
    Ok(Consumption {
        token_id: token_id.to_owned(),
        by: by.to_owned(),
        transfer_id: transfer_id.to_owned(),
        at: at.to_owned(),
    })
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
