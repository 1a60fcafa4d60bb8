//! The service's state: requests, decisions, consumptions, login challenges and sessions,
//! and witnessed record heads, in SQLite or PostgreSQL (service::db).
//!
//! A write the service acknowledged is durable (SQLite: WAL with `synchronous = FULL`;
//! PostgreSQL: its commit), so `kill -9` (or a power cut) loses nothing acknowledged. Single
//! use of a token is a primary key: of two consumers racing, the database lets exactly one
//! insert.

use std::time::Duration;

use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::ids::{RequestId, StaffId, TokenId, TransferId};
use crate::base::message::Msg;
use crate::msg;
use crate::net::wire::{Consumption, Role, Status, WitnessHead};
use crate::policy::city::Kind;
use crate::service::db::{Db, DbRow, Mode, Tx};

/// Why a store operation failed, in the terms the API maps to status codes. The texts here are
/// for logs; what a client reads is the API's message (a conflict carries its own).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database stayed locked (another process holds it) past the busy timeout, or every
    /// connection of the pool stayed in use.
    #[error("database busy")]
    Busy,
    /// The database server cannot be reached, does not answer in time, or is going down:
    /// the caller retries later. Why, for the log.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// PostgreSQL aborted a transaction that raced another; it runs again (service::db).
    #[error("serialization failure")]
    Retry,
    /// The conflict of a token used already, of a request decided already, …: the message
    /// says what.
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    /// What the operation is about is not there.
    #[error("not found: {0:?}")]
    NotFound(Msg),
    /// The caller may not do this to what is stored.
    #[error("forbidden: {0:?}")]
    Forbidden(Msg),
    /// The database holds a newer serial of a city document than this instance loaded:
    /// another instance works under the newer one, and this one writes nothing until it has
    /// it too.
    #[error("stale {kind:?}: serial {serial}, {held} in force")]
    Stale { kind: Kind, serial: u64, held: u64 },
    /// The database's schema is not one this service can use: the message says why.
    #[error("schema: {0:?}")]
    Schema(Msg),
    /// A copy differs from what it was copied from: the message says where.
    #[error("mismatch: {0:?}")]
    Mismatch(Msg),
    /// The database's password file may be read by others.
    #[error("password file {0:?} is readable by others")]
    PasswordFileOpen(std::path::PathBuf),
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = std::result::Result<T, StoreError>;

/// The service's database and the migrations opening it applied.
#[derive(Clone)]
pub struct Store {
    db: Db,
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

impl Store {
    /// Opens the database and brings its schema up to date (`migrate`); [`Store::applied`]
    /// says which migrations this did. Blocking.
    pub fn open(db: Db) -> StoreResult<Store> {
        let mut store = Store::unopened(db);
        store.applied = store.migrate()?;
        Ok(store)
    }

    /// The database, not yet migrated (an instance that starts before its database answers).
    pub fn unopened(db: Db) -> Store {
        Store {
            db,
            applied: Vec::new(),
        }
    }

    /// Brings the schema up to date; the migrations this applied.
    pub fn migrate(&self) -> StoreResult<Vec<crate::service::migrate::Migration>> {
        self.db.run(Mode::Migrate, &crate::service::migrate::apply)
    }

    /// Opens a SQLite file (tests and tools).
    pub fn open_sqlite(path: &std::path::Path, busy: Duration) -> StoreResult<Store> {
        Store::open(Db::sqlite(path, busy)?)
    }

    /// The database underneath (copy-db, the document poll).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Runs a read-only `f` in one consistent snapshot, on a blocking thread.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl Fn(&Tx<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        self.spawn(Mode::Read, f).await
    }

    /// Runs `f` in one serial transaction that commits when `f` succeeds, on a blocking
    /// thread. On PostgreSQL `f` may run more than once (service::db): it only reads and
    /// writes through its transaction.
    pub async fn tx<T: Send + 'static>(
        &self,
        f: impl Fn(&Tx<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        self.spawn(Mode::Write, f).await
    }

    async fn spawn<T: Send + 'static>(
        &self,
        mode: Mode,
        f: impl Fn(&Tx<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.run(mode, &f))
            .await
            .expect("a store task does not panic")
    }

    /// [`Store::tx`], blocking: at start, before the service serves.
    pub fn tx_blocking<T>(&self, f: impl Fn(&Tx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        self.db.run(Mode::Write, &f)
    }

    /// Records the serials of the city documents the service is about to work under, unless
    /// one is lower than the serial it already holds for that kind: then nothing changes and
    /// the first such kind is returned with the serial held. `rules` is the digest of the
    /// rules among them, remembered so that the witness can tell entries made under rules the
    /// city signed from any others.
    pub fn hold_serials(
        &self,
        docs: &[(Kind, u64)],
        rules: &Blake3,
        at: &str,
    ) -> StoreResult<Option<(Kind, u64, u64)>> {
        self.tx_blocking(|tx| hold_serials(tx, docs, rules, at))
    }
}

fn hold_serials(
    tx: &Tx<'_>,
    docs: &[(Kind, u64)],
    rules: &Blake3,
    at: &str,
) -> StoreResult<Option<(Kind, u64, u64)>> {
    // Every serial is checked before any is written: a refusal leaves the serials in force
    // as they were (a newer rules file beside an older staff directory must not put the new
    // rules in force for every instance).
    if let Some(older) = newer_in_force(tx, docs)? {
        return Ok(Some(older));
    }
    for (kind, serial) in docs {
        tx.execute(
            "INSERT INTO serials (kind, serial) VALUES (?1, ?2)
             ON CONFLICT (kind) DO UPDATE SET serial =
                CASE WHEN excluded.serial > serials.serial THEN excluded.serial ELSE serials.serial END",
            &[kind.as_str().into(), sql_int(*serial).into()],
        )?;
    }
    if !docs.is_empty() {
        tx.execute(
            "INSERT INTO rules_held (digest, first_held) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[rules.to_hex().as_str().into(), at.into()],
        )?;
    }
    Ok(None)
}

/// The first of the `loaded` documents of which the database holds a newer serial (another
/// instance put it in force): its kind, the serial loaded and the serial held.
pub fn newer_in_force(
    tx: &Tx<'_>,
    loaded: &[(Kind, u64)],
) -> StoreResult<Option<(Kind, u64, u64)>> {
    if loaded.is_empty() {
        return Ok(None);
    }
    let held = tx.query_all("SELECT kind, serial FROM serials", &[], |r| {
        Ok((r.text(0)?, r.int(1)?))
    })?;
    Ok(loaded.iter().find_map(|(kind, serial)| {
        let (_, h) = held.iter().find(|(k, _)| k == kind.as_str())?;
        let h = u64::try_from(*h).unwrap_or(0);
        (h > *serial).then_some((*kind, *serial, h))
    }))
}

/// Refuses a write by an instance whose documents are older than those in force.
pub fn documents_current(tx: &Tx<'_>, loaded: &[(Kind, u64)]) -> StoreResult<()> {
    match newer_in_force(tx, loaded)? {
        Some((kind, serial, held)) => Err(StoreError::Stale { kind, serial, held }),
        None => Ok(()),
    }
}

/// The secret named `name` that every instance shares: made (32 random bytes) by the first
/// that asks, read by the others.
pub fn shared_secret(tx: &Tx<'_>, name: &str, at: &str) -> StoreResult<zeroize::Zeroizing<String>> {
    use base64::Engine;
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::getrandom(&mut *bytes).map_err(|e| StoreError::Other(e.to_string().into()))?;
    let fresh =
        zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(bytes.as_slice()));
    tx.execute(
        "INSERT INTO secrets (name, value, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        &[name.into(), fresh.as_str().into(), at.into()],
    )?;
    tx.query_one(
        "SELECT value FROM secrets WHERE name = ?1",
        &[name.into()],
        |r| r.text(0).map(zeroize::Zeroizing::new),
    )
}

/// A serial, sequence number or time as the database's 64-bit signed integer. Those the
/// service stores come from signed TOML integers and record sequence numbers, which are far
/// below `i64::MAX`; a larger one is stored as `i64::MAX`, so order is kept.
fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

// ---- the operations, each one transaction ----------------------------------------------------

pub fn put_challenge(
    tx: &Tx<'_>,
    nonce: &str,
    id: &str,
    expires: i64,
    now: i64,
) -> StoreResult<()> {
    tx.execute("DELETE FROM challenges WHERE expires < ?1", &[now.into()])?;
    tx.execute(
        "INSERT INTO challenges (nonce, id, expires) VALUES (?1, ?2, ?3)",
        &[nonce.into(), id.into(), expires.into()],
    )?;
    Ok(())
}

/// Takes a challenge: it can be answered once. Returns its id and expiry if it existed.
pub fn take_challenge(tx: &Tx<'_>, nonce: &str) -> StoreResult<Option<(String, i64)>> {
    tx.query_opt(
        "DELETE FROM challenges WHERE nonce = ?1 RETURNING id, expires",
        &[nonce.into()],
        |r| Ok((r.text(0)?, r.int(1)?)),
    )
}

/// A decision the web console prepared and is waiting for the custodian's browser to sign:
/// the exact payload bytes, for one session, once, until `expires`.
#[derive(Clone, Debug)]
pub struct Pending {
    pub nonce: String,
    /// The BLAKE3 of the session that asked: no other session may sign it.
    pub session: String,
    pub custodian: StaffId,
    pub request_id: RequestId,
    pub kind: DecisionKind,
    /// The payload as it will be signed (pretty JSON ending in a newline).
    pub payload: String,
    pub expires: i64,
}

/// Keeps a prepared decision, in place of any other the same session had prepared (one at a
/// time per session: a custodian who prepares again has left the earlier page), and forgets
/// those that expired.
pub fn put_pending(tx: &Tx<'_>, p: &Pending, now: i64) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM console_pending WHERE expires < ?1 OR session = ?2",
        &[now.into(), p.session.as_str().into()],
    )?;
    tx.execute(
        "INSERT INTO console_pending (nonce, session, custodian, request_id, kind, payload, expires) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            p.nonce.as_str().into(),
            p.session.as_str().into(),
            p.custodian.as_str().into(),
            p.request_id.as_str().into(),
            p.kind.as_str().into(),
            p.payload.as_str().into(),
            p.expires.into(),
        ],
    )?;
    Ok(())
}

const PENDING: &str = "nonce, session, custodian, request_id, kind, payload, expires";
const PENDING_WHERE: &str = "WHERE nonce = ?1 AND session = ?2 AND custodian = ?3 AND expires > ?4";

fn pending_row(r: &DbRow<'_, '_>) -> StoreResult<Pending> {
    Ok(Pending {
        nonce: r.text(0)?,
        session: r.text(1)?,
        custodian: r.typed(2, |t| t.parse().ok())?,
        request_id: r.typed(3, |t| t.parse().ok())?,
        kind: r.typed(4, DecisionKind::parse)?,
        payload: r.text(5)?,
        expires: r.int(6)?,
    })
}

/// A prepared decision, if it is this session's and this custodian's and has not expired;
/// it stays kept (nothing another session sends can spend it).
pub fn get_pending(
    tx: &Tx<'_>,
    nonce: &str,
    session: &str,
    custodian: &StaffId,
    now: i64,
) -> StoreResult<Option<Pending>> {
    tx.query_opt(
        &format!("SELECT {PENDING} FROM console_pending {PENDING_WHERE}"),
        &[
            nonce.into(),
            session.into(),
            custodian.as_str().into(),
            now.into(),
        ],
        pending_row,
    )
}

/// Takes a prepared decision, under the same conditions as [`get_pending`]: in the
/// transaction that records the decision, so that it is spent exactly when the decision is
/// stored (a second try, or a replay, finds none).
pub fn take_pending(
    tx: &Tx<'_>,
    nonce: &str,
    session: &str,
    custodian: &StaffId,
    now: i64,
) -> StoreResult<Option<Pending>> {
    tx.query_opt(
        &format!("DELETE FROM console_pending {PENDING_WHERE} RETURNING {PENDING}"),
        &[
            nonce.into(),
            session.into(),
            custodian.as_str().into(),
            now.into(),
        ],
        pending_row,
    )
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

pub fn put_session(tx: &Tx<'_>, hash: &str, session: &SessionRow, now: i64) -> StoreResult<()> {
    let roles = serde_json::to_string(&SessionKey {
        key: session.key.clone(),
        roles: session.roles.clone(),
    })
    .expect("a key and roles serialize");
    tx.execute("DELETE FROM sessions WHERE expires < ?1", &[now.into()])?;
    tx.execute(
        "INSERT INTO sessions (hash, id, roles, expires) VALUES (?1, ?2, ?3, ?4)",
        &[
            hash.into(),
            session.id.as_str().into(),
            (&roles).into(),
            session.expires.into(),
        ],
    )?;
    Ok(())
}

/// The session with this hash. A session stored by an older service, in another form, is no
/// session: its holder logs in again (sessions last minutes).
pub fn get_session(tx: &Tx<'_>, hash: &str) -> StoreResult<Option<SessionRow>> {
    let row = tx.query_opt(
        "SELECT id, roles, expires FROM sessions WHERE hash = ?1",
        &[hash.into()],
        |r| Ok((r.text(0)?, r.text(1)?, r.int(2)?)),
    )?;
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
pub fn delete_session(tx: &Tx<'_>, hash: &str) -> StoreResult<()> {
    tx.execute("DELETE FROM sessions WHERE hash = ?1", &[hash.into()])?;
    Ok(())
}

pub fn insert_request(tx: &Tx<'_>, row: &Row) -> StoreResult<()> {
    let n = tx.execute(
        "INSERT INTO requests (id, requester, department, class, body, submitted_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending') ON CONFLICT(id) DO NOTHING",
        &[
            row.id.as_str().into(),
            row.requester.as_str().into(),
            (&row.department).into(),
            row.class.as_str().into(),
            (&row.body).into(),
            (&row.submitted_at).into(),
        ],
    )?;
    if n == 0 {
        // The same request sent twice (a retry after a lost reply) is fine; another with the
        // same id is not.
        let body = tx.query_one(
            "SELECT body FROM requests WHERE id = ?1",
            &[row.id.as_str().into()],
            |r| r.text(0),
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

fn row(r: &DbRow<'_, '_>) -> StoreResult<Row> {
    let token_id: Option<TokenId> = r.typed_opt(11, |s| s.parse().ok())?;
    let by: Option<StaffId> = r.typed_opt(12, |s| s.parse().ok())?;
    Ok(Row {
        id: r.typed(0, |s| s.parse().ok())?,
        requester: r.typed(1, |s| s.parse().ok())?,
        department: r.text(2)?,
        class: r.typed(3, |s| s.parse().ok())?,
        body: r.text(4)?,
        submitted_at: r.text(5)?,
        status: r.typed(6, Status::parse)?,
        decided_by: r.typed_opt(7, |s| s.parse().ok())?,
        decided_at: r.opt_text(8)?,
        kind: r.typed_opt(9, DecisionKind::parse)?,
        document: r.opt_text(10)?,
        consumed: match (by, &token_id) {
            (Some(by), Some(t)) => Some(Consumption {
                token_id: t.clone(),
                by,
                transfer_id: r.text(13)?,
                at: r.text(14)?,
            }),
            _ => None,
        },
        token_id,
    })
}

pub fn get_request(tx: &Tx<'_>, id: &RequestId) -> StoreResult<Option<Row>> {
    tx.query_opt(
        &format!("{SELECT} WHERE r.id = ?1"),
        &[id.as_str().into()],
        row,
    )
}

/// Requests by status and/or requester, newest first, at most `limit`, starting after the
/// request `after` (the last one of the page before). Read by keyset, not by offset: a page
/// costs its own rows however deep it is.
pub fn list_requests(
    tx: &Tx<'_>,
    status: Option<Status>,
    requester: Option<&StaffId>,
    after: Option<&RequestId>,
    limit: u32,
) -> StoreResult<Vec<Row>> {
    list_where(tx, status, Whose::Requester(requester), after, limit)
}

/// The requests one custodian decided, newest first (the console's "your decisions").
pub fn list_decided_by(
    tx: &Tx<'_>,
    custodian: &StaffId,
    after: Option<&RequestId>,
    limit: u32,
) -> StoreResult<Vec<Row>> {
    list_where(tx, None, Whose::Decider(custodian), after, limit)
}

/// Whose requests a listing reads.
enum Whose<'a> {
    /// Everyone's (`None`) or one requester's.
    Requester(Option<&'a StaffId>),
    /// Those one custodian decided.
    Decider(&'a StaffId),
}

fn list_where(
    tx: &Tx<'_>,
    status: Option<Status>,
    whose: Whose<'_>,
    after: Option<&RequestId>,
    limit: u32,
) -> StoreResult<Vec<Row>> {
    let mut conditions = Vec::new();
    let mut args: Vec<String> = Vec::new();
    if let Some(s) = status {
        args.push(s.as_str().to_owned());
        conditions.push(format!("r.status = ?{}", args.len()));
    }
    match whose {
        Whose::Requester(Some(r)) => {
            args.push(r.as_str().to_owned());
            conditions.push(format!("r.requester = ?{}", args.len()));
        }
        Whose::Decider(d) => {
            args.push(d.as_str().to_owned());
            conditions.push(format!("d.custodian = ?{}", args.len()));
        }
        Whose::Requester(None) => {}
    }
    if let Some(a) = after {
        // Only a place among the rows the caller reads: another person's request is not
        // there (and its time is not learnt by paging from it).
        let (sql, place): (&str, Vec<_>) = match whose {
            Whose::Requester(None) => (
                "SELECT submitted_at FROM requests WHERE id = ?1",
                vec![a.as_str().into()],
            ),
            Whose::Requester(Some(r)) => (
                "SELECT submitted_at FROM requests WHERE id = ?1 AND requester = ?2",
                vec![a.as_str().into(), r.as_str().into()],
            ),
            Whose::Decider(d) => (
                "SELECT r.submitted_at FROM requests r JOIN decisions d ON d.request_id = r.id \
                 WHERE r.id = ?1 AND d.custodian = ?2",
                vec![a.as_str().into(), d.as_str().into()],
            ),
        };
        let Some(at) = tx.query_opt(sql, &place, |r| r.text(0))? else {
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
    let mut params: Vec<_> = args.iter().map(Into::into).collect();
    // The limit is a parameter, not written into the text: each text is a statement prepared
    // on every connection, and a caller choosing among a thousand limits must not make a
    // thousand of them.
    params.push(i64::from(limit).into());
    tx.query_all(
        &format!(
            "{SELECT} {filter} ORDER BY r.submitted_at DESC, r.id DESC LIMIT ?{}",
            params.len()
        ),
        &params,
        row,
    )
}

/// Records a decision on a pending request.
pub fn decide(
    tx: &Tx<'_>,
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
    // A decision another transaction made meanwhile (on another instance) is a conflict, not
    // an error: PostgreSQL then aborts one of the two, which runs again and finds it.
    let n = tx.execute(
        "INSERT INTO decisions (request_id, kind, custodian, document, token_id, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO NOTHING",
        &[
            request_id.into(),
            kind.as_str().into(),
            custodian.into(),
            document.into(),
            token_id.into(),
            at.into(),
        ],
    )?;
    if n == 0 {
        // Decided meanwhile, or a token whose id another decision holds.
        return Err(StoreError::Conflict(
            match request_status(tx, request_id)?.as_deref() {
                Some(s) if s != "pending" => {
                    msg!("api-already-decided", id = request_id, status = s)
                }
                _ => msg!("api-token-id-taken", token = token_id.unwrap_or_default()),
            },
        ));
    }
    let new = match kind {
        DecisionKind::Approved => Status::Approved,
        DecisionKind::Denied => Status::Denied,
    };
    tx.execute(
        "UPDATE requests SET status = ?2 WHERE id = ?1",
        &[request_id.into(), new.as_str().into()],
    )?;
    Ok(())
}

/// A request's status as stored (`pending`, …), if the service has the request.
fn request_status(tx: &Tx<'_>, id: &str) -> StoreResult<Option<String>> {
    tx.query_opt(
        "SELECT status FROM requests WHERE id = ?1",
        &[id.into()],
        |r| r.text(0),
    )
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
    tx: &Tx<'_>,
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
            let decided = tx.query_opt(
                "SELECT token_id FROM decisions WHERE request_id = ?1",
                &[id.into()],
                |r| r.opt_text(0),
            )?;
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

/// Marks a token consumed by its requester. Exactly one caller ever succeeds for a token id.
pub fn consume(
    tx: &Tx<'_>,
    token_id: &TokenId,
    by: &StaffId,
    transfer_id: &TransferId,
    at: &str,
    offline: Option<&OfflineApproval>,
) -> StoreResult<Consumption> {
    if let Some(o) = offline {
        record_offline_approval(tx, o, token_id, at)?;
    }
    let found = tx.query_opt(
        "SELECT d.request_id, r.requester FROM decisions d JOIN requests r ON r.id = d.request_id
         WHERE d.token_id = ?1 AND d.kind = ?2",
        &[
            token_id.as_str().into(),
            DecisionKind::Approved.as_str().into(),
        ],
        |r| Ok((r.text(0)?, r.text(1)?)),
    )?;
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
    let transfer = transfer_id.to_string();
    let n = tx.execute(
        "INSERT INTO consumptions (token_id, request_id, by_id, transfer_id, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(token_id) DO NOTHING",
        &[
            token_id.as_str().into(),
            (&request_id).into(),
            by.as_str().into(),
            (&transfer).into(),
            at.into(),
        ],
    )?;
    if n == 0 {
        let first = tx.query_one(
            "SELECT by_id, transfer_id, at FROM consumptions WHERE token_id = ?1",
            &[token_id.as_str().into()],
            |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)),
        )?;
        // The same transfer asking again (its answer was lost: a connection cut after the
        // commit) is told what it has; any other transfer, that the token is used.
        if first.0 == by.as_str() && first.1 == transfer {
            return Ok(Consumption {
                token_id: token_id.clone(),
                by: by.clone(),
                transfer_id: first.1,
                at: first.2,
            });
        }
        return Err(used(token_id, first));
    }
    tx.execute(
        "UPDATE requests SET status = ?2 WHERE id = ?1",
        &[(&request_id).into(), Status::Consumed.as_str().into()],
    )?;
    Ok(Consumption {
        token_id: token_id.clone(),
        by: by.clone(),
        transfer_id: transfer,
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
    tx: &Tx<'_>,
    token_id: &str,
    transfer_id: &str,
) -> StoreResult<Option<(String, String, String)>> {
    tx.query_opt(
        "SELECT by_id, transfer_id, at FROM consumptions WHERE token_id = ?1 AND transfer_id <> ?2
         UNION ALL
         SELECT by_id, transfer_id, at FROM offline_uses WHERE token_id = ?1 AND transfer_id <> ?2
         ORDER BY at LIMIT 1",
        &[token_id.into(), transfer_id.into()],
        |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)),
    )
}

/// Takes note of the tokens a witnessed record says were used offline (entries `packed` with
/// `token_offline`): each use is kept, and a token used by more than one transfer (offline
/// twice, or online and offline) is a violation for custodians and auditors.
pub fn offline_uses(
    tx: &Tx<'_>,
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
        // Ids as okuri writes them, or the line is not a use of anything (and no text the
        // database would refuse, a NUL say, reaches it).
        if a.token_id.parse::<TokenId>().is_err()
            || a.request_id.parse::<RequestId>().is_err()
            || transfer.parse::<TransferId>().is_err()
        {
            continue;
        }
        // A token is used by its requester only (pack checks the packer): a line in one
        // person's record claiming another person's request is not a use of that token, and
        // must not mark it used (which would deny its requester the transfer).
        let requester = tx.query_opt(
            "SELECT requester FROM requests WHERE id = ?1",
            &[(&a.request_id).into()],
            |r| r.text(0),
        )?;
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
                &[
                    (&a.token_id).into(),
                    (&transfer).into(),
                    (&first).into(),
                    owner.as_str().into(),
                    record.into(),
                    at.into(),
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO offline_uses (token_id, transfer_id, request_id, by_id, record, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            &[
                (&a.token_id).into(),
                (&transfer).into(),
                (&a.request_id).into(),
                owner.as_str().into(),
                record.into(),
                at.into(),
            ],
        )?;
    }
    Ok(())
}

/// Every token used by more than one transfer, as the service learnt of it.
pub fn violations(tx: &Tx<'_>) -> StoreResult<Vec<crate::net::wire::Violation>> {
    tx.query_all(
        "SELECT token_id, transfer_id, first_transfer, by_id, record, at FROM violations ORDER BY at",
        &[],
        |r| {
            Ok(crate::net::wire::Violation {
                token_id: r.text(0)?,
                transfer_id: r.text(1)?,
                first_transfer: r.text(2)?,
                by: r.text(3)?,
                record: r.text(4)?,
                at: r.text(5)?,
            })
        },
    )
}

/// Registers a signed designation (verified by the caller) for the file digest it names;
/// one already held keeps its first registration time. Returns that time.
pub fn register_designation(
    tx: &Tx<'_>,
    d: &HeldDesignation,
    document: &str,
    at: &str,
) -> StoreResult<String> {
    let hash = Blake3::of(document.as_bytes()).to_hex();
    let blake3 = d.blake3.to_hex();
    tx.execute(
        "INSERT INTO designations (blake3, document_hash, document, class, department, designated_at, registered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        &[
            (&blake3).into(),
            (&hash).into(),
            document.into(),
            d.class.as_str().into(),
            (&d.department).into(),
            d.designated_at.as_str().into(),
            at.into(),
        ],
    )?;
    tx.query_one(
        "SELECT registered_at FROM designations WHERE blake3 = ?1 AND document_hash = ?2",
        &[(&blake3).into(), (&hash).into()],
        |r| r.text(0),
    )
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
    tx: &Tx<'_>,
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
        if l.event != "transfer"
            || l.outcome != "packed"
            || !l.designations_unasked
            || transfer.parse::<TransferId>().is_err()
        {
            continue;
        }
        let blake3 = file.blake3.to_hex();
        let held: Vec<(String, String, String)> = tx.query_all(
            "SELECT class, department, designated_at FROM designations WHERE blake3 = ?1",
            &[(&blake3).into()],
            |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)),
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
                &[
                    record.into(),
                    (&transfer).into(),
                    owner.as_str().into(),
                    (&blake3).into(),
                    class.as_str().into(),
                    city.as_str().into(),
                    at.into(),
                ],
            )?;
        }
    }
    Ok(())
}

/// Every class finding, oldest first.
pub fn class_findings(tx: &Tx<'_>) -> StoreResult<Vec<crate::net::wire::ClassFinding>> {
    tx.query_all(
        "SELECT record, transfer_id, by_id, blake3, class, city_class, at FROM class_findings ORDER BY at",
        &[],
        |r| {
            Ok(crate::net::wire::ClassFinding {
                record: r.text(0)?,
                transfer_id: r.text(1)?,
                by: r.text(2)?,
                blake3: r.text(3)?,
                class: r.text(4)?,
                city_class: r.text(5)?,
                at: r.text(6)?,
            })
        },
    )
}

/// Has the service ever worked under rules with this digest (a signed city's rules)?
pub fn rules_held(tx: &Tx<'_>, digest: &Blake3) -> StoreResult<bool> {
    Ok(tx
        .query_opt(
            "SELECT digest FROM rules_held WHERE digest = ?1",
            &[digest.to_hex().as_str().into()],
            |_| Ok(()),
        )?
        .is_some())
}

/// Every designation registered for a file digest, oldest first.
pub fn designations(
    tx: &Tx<'_>,
    blake3: &Blake3,
) -> StoreResult<Vec<crate::net::wire::DesignationDoc>> {
    tx.query_all(
        "SELECT document, registered_at FROM designations WHERE blake3 = ?1 ORDER BY registered_at, document_hash",
        &[blake3.to_hex().as_str().into()],
        |r| {
            Ok(crate::net::wire::DesignationDoc {
                document: r.text(0)?,
                registered_at: Some(r.text(1)?),
            })
        },
    )
}

pub fn get_witness(tx: &Tx<'_>, record: &str) -> StoreResult<Option<(String, WitnessHead)>> {
    tx.query_opt(
        "SELECT owner, seq, hash, updated_at FROM witness WHERE record = ?1",
        &[record.into()],
        |r| {
            Ok((
                r.text(0)?,
                WitnessHead {
                    record: record.to_owned(),
                    seq: u64::try_from(r.int(1)?).unwrap_or(0),
                    hash: r.text(2)?.parse::<Blake3>().unwrap_or(Blake3::ZERO),
                    updated_at: r.text(3)?,
                },
            ))
        },
    )
}

/// Moves a record's head forward from exactly `from` (the head the caller checked against).
pub fn advance_witness(
    tx: &Tx<'_>,
    record: &str,
    owner: &str,
    from: Option<&WitnessHead>,
    to: &WitnessHead,
) -> StoreResult<()> {
    let hash = to.hash.to_hex();
    let n = match from {
        None => tx.execute(
            "INSERT INTO witness (record, owner, seq, hash, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(record) DO NOTHING",
            &[
                record.into(),
                owner.into(),
                sql_int(to.seq).into(),
                (&hash).into(),
                (&to.updated_at).into(),
            ],
        )?,
        Some(f) => tx.execute(
            "UPDATE witness SET seq = ?3, hash = ?4, updated_at = ?5 WHERE record = ?1 AND seq = ?6 AND hash = ?7 AND owner = ?2",
            &[
                record.into(),
                owner.into(),
                sql_int(to.seq).into(),
                (&hash).into(),
                (&to.updated_at).into(),
                sql_int(f.seq).into(),
                f.hash.to_hex().as_str().into(),
            ],
        )?,
    };
    if n == 0 {
        return Err(StoreError::Conflict(msg!("api-head-moved")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serial the database holds for a kind of document (0: none yet).
    fn held_serial(tx: &Tx<'_>, kind: Kind) -> StoreResult<u64> {
        let held = tx.query_opt(
            "SELECT serial FROM serials WHERE kind = ?1",
            &[kind.as_str().into()],
            |r| r.int(0),
        )?;
        Ok(held.map_or(0, |h| u64::try_from(h).unwrap_or(0)))
    }

    /// A store in `dir` holding yamada.taro's requests `ids`, each with `status`.
    fn with_requests(dir: &std::path::Path, ids: &[&RequestId], status: &str) -> Store {
        let store = Store::open_sqlite(&dir.join("db.sqlite"), Duration::from_secs(1)).unwrap();
        for id in ids {
            store
                .tx_blocking(|tx| {
                    tx.execute(
                        "INSERT INTO requests (id, requester, department, class, body, submitted_at, status)
                         VALUES (?1, 'yamada.taro', '総務課', 'II', '{}', 't', ?2)",
                        &[id.as_str().into(), status.into()],
                    )
                    .map(drop)
                })
                .unwrap();
        }
        store
    }

    /// A refused set of serials changes none of them: a newer rules file beside an older staff
    /// directory does not put the new rules in force.
    #[test]
    fn a_refused_set_of_serials_leaves_every_serial_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_sqlite(&dir.path().join("db.sqlite"), Duration::from_secs(1)).unwrap();
        let rules = Blake3::of(b"rules");
        assert_eq!(
            store
                .hold_serials(&[(Kind::Rules, 1), (Kind::Staff, 2)], &rules, "t")
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .hold_serials(&[(Kind::Rules, 2), (Kind::Staff, 1)], &rules, "t")
                .unwrap(),
            Some((Kind::Staff, 1, 2))
        );
        let held = store
            .tx_blocking(|tx| Ok((held_serial(tx, Kind::Rules)?, held_serial(tx, Kind::Staff)?)))
            .unwrap();
        assert_eq!(held, (1, 2));
    }

    /// A decision is taken once per request, and a token id once: the second of either is a
    /// conflict naming which (never a database error).
    #[test]
    fn a_request_is_decided_once_and_a_token_id_used_once() {
        let dir = tempfile::tempdir().unwrap();
        let (r1, r2) = (RequestId::new().unwrap(), RequestId::new().unwrap());
        let store = with_requests(dir.path(), &[&r1, &r2], "pending");
        let token = TokenId::new().unwrap();
        let suzuki: StaffId = "suzuki.hanako".parse().unwrap();
        let decide = |r: &RequestId| {
            store.tx_blocking(|tx| {
                decide(
                    tx,
                    r,
                    DecisionKind::Approved,
                    &suzuki,
                    "d",
                    Some(&token),
                    "t",
                )
            })
        };
        decide(&r1).unwrap();
        let conflict = |r| match decide(r) {
            Err(StoreError::Conflict(m)) => m.id.into_owned(),
            other => panic!("{other:?}"),
        };
        assert_eq!(conflict(&r1), "api-already-decided");
        assert_eq!(conflict(&r2), "api-token-id-taken");
    }

    /// A consumption asked again for the same transfer (its answer was lost) is answered with
    /// what was recorded; for any other transfer the token is used.
    #[test]
    fn a_consumption_asked_again_for_its_transfer_is_answered_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let (request, token) = (RequestId::new().unwrap(), TokenId::new().unwrap());
        let store = with_requests(dir.path(), &[&request], "approved");
        let yamada: StaffId = "yamada.taro".parse().unwrap();
        let (first, second): (TransferId, TransferId) = (
            "20261207-0000-0001".parse().unwrap(),
            "20261207-0000-0002".parse().unwrap(),
        );
        store
            .tx_blocking(|tx| {
                tx.execute(
                    "INSERT INTO decisions (request_id, kind, custodian, document, token_id, decided_at)
                     VALUES (?1, 'approved', 'suzuki.hanako', 'd', ?2, 't')",
                    &[request.as_str().into(), token.as_str().into()],
                )?;
                Ok(())
            })
            .unwrap();
        let consume = |transfer: &TransferId, at: &str| {
            store.tx_blocking(|tx| consume(tx, &token, &yamada, transfer, at, None))
        };
        let c = consume(&first, "at-1").unwrap();
        let again = consume(&first, "at-2").unwrap();
        assert_eq!(
            (again.transfer_id, again.at),
            (c.transfer_id, "at-1".to_owned())
        );
        match consume(&second, "at-3") {
            Err(StoreError::Conflict(m)) => assert_eq!(m.id, "api-token-used"),
            other => panic!("{other:?}"),
        }
    }
}
