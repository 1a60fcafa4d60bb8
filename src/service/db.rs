//! The service's database behind one interface: SQLite (the embedded default: one file, WAL,
//! `synchronous = FULL`) or PostgreSQL (several instances, one truth).
//!
//! Each statement is written once, with `?N` parameters (PostgreSQL reads them as `$N`), and
//! runs inside a [`Tx`]. Every writing transaction is serial on both: SQLite's `IMMEDIATE`
//! takes the one write lock; PostgreSQL runs it `SERIALIZABLE`, aborts one of two transactions
//! whose interleaving no serial order explains, and [`Db`] runs the aborted one again from
//! its start. So an operation correct on one backend cannot be racy on the other: a token is
//! consumed once, a request decided once, a witness head extended from the head it read.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, TransactionBehavior};
use tokio::runtime::Handle;
use zeroize::Zeroizing;

use crate::service::store::{StoreError, StoreResult};

/// Which database the configuration names: `database = "/path/file.sqlite"` (or
/// `"sqlite:/path/file.sqlite"`) or `database = "postgres://user@host/db?sslmode=require"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    /// The URL as written (it holds no password: the configuration refuses one).
    Postgres(String),
}

impl Database {
    /// Reads what a configuration or `copy-db` names; a PostgreSQL URL that does not parse,
    /// or holds a password, is refused with the reason.
    pub fn parse(s: &str) -> std::result::Result<Database, DatabaseUrlError> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            let c = tokio_postgres::Config::from_str(s)
                .map_err(|e| DatabaseUrlError::Invalid(e.to_string()))?;
            if c.get_password().is_some() {
                return Err(DatabaseUrlError::Password);
            }
            return Ok(Database::Postgres(s.to_owned()));
        }
        let path = s.strip_prefix("sqlite:").unwrap_or(s);
        if path.is_empty() {
            return Err(DatabaseUrlError::Invalid("no file named".into()));
        }
        Ok(Database::Sqlite(PathBuf::from(path)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Database::Postgres(_))
    }

    /// What to call it in messages: the file, or the URL (which holds no secret).
    pub fn display(&self) -> String {
        match self {
            Database::Sqlite(p) => p.display().to_string(),
            Database::Postgres(u) => u.clone(),
        }
    }
}

impl Default for Database {
    fn default() -> Self {
        Database::Sqlite(PathBuf::new())
    }
}

/// Why a `database` value is refused.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("{0}")]
    Invalid(String),
    #[error("the URL holds a password")]
    Password,
}

/// How to reach PostgreSQL beyond its URL.
#[derive(Clone, Debug, Default)]
pub struct PgOptions {
    /// A file holding the password (owner-only), if the server asks for one.
    pub password_file: Option<PathBuf>,
    /// The CA certificates (PEM) that sign the server's certificate: given, the connection is
    /// TLS (rustls) and the server's name is checked against its certificate.
    pub ca_file: Option<PathBuf>,
    /// The most connections this instance holds.
    pub pool_size: usize,
    /// How long one request may wait for its database work, in all (a server that is gone
    /// makes it `503`, never a hang).
    pub request_timeout: Duration,
}

/// A parameter of a statement.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Text(&'a str),
    Int(i64),
    /// A text column's NULL.
    Null,
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s)
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s)
    }
}
impl From<i64> for Arg<'_> {
    fn from(i: i64) -> Self {
        Arg::Int(i)
    }
}
impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(s: Option<&'a str>) -> Self {
        s.map_or(Arg::Null, Arg::Text)
    }
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ToSqlOutput;
        Ok(match self {
            Arg::Text(s) => ToSqlOutput::from(*s),
            Arg::Int(i) => ToSqlOutput::from(*i),
            Arg::Null => ToSqlOutput::from(rusqlite::types::Null),
        })
    }
}

/// A text NULL for PostgreSQL.
const PG_NULL: Option<&str> = None;

impl<'a> Arg<'a> {
    fn pg(&self) -> &(dyn tokio_postgres::types::ToSql + Sync) {
        match self {
            Arg::Text(s) => s,
            Arg::Int(i) => i,
            Arg::Null => &PG_NULL,
        }
    }
}

/// One row of a result, read by column position.
pub enum DbRow<'a, 'r> {
    Sqlite(&'a rusqlite::Row<'r>),
    Pg(&'a tokio_postgres::Row),
}

impl DbRow<'_, '_> {
    pub fn text(&self, i: usize) -> StoreResult<String> {
        Ok(match self {
            DbRow::Sqlite(r) => r.get(i)?,
            DbRow::Pg(r) => r.try_get(i)?,
        })
    }
    pub fn opt_text(&self, i: usize) -> StoreResult<Option<String>> {
        Ok(match self {
            DbRow::Sqlite(r) => r.get(i)?,
            DbRow::Pg(r) => r.try_get(i)?,
        })
    }
    pub fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        Ok(match self {
            DbRow::Sqlite(r) => r.get(i)?,
            DbRow::Pg(r) => r.try_get(i)?,
        })
    }
    pub fn int(&self, i: usize) -> StoreResult<i64> {
        Ok(match self {
            DbRow::Sqlite(r) => r.get(i)?,
            DbRow::Pg(r) => r.try_get(i)?,
        })
    }
    /// A text column read back as the type it was written from; anything else is a damaged
    /// database.
    pub fn typed<T>(&self, i: usize, parse: impl Fn(&str) -> Option<T>) -> StoreResult<T> {
        let s = self.text(i)?;
        parse(&s).ok_or_else(|| damaged(format!("column {i}: unexpected value {s:?}")))
    }
    pub fn typed_opt<T>(
        &self,
        i: usize,
        parse: impl Fn(&str) -> Option<T>,
    ) -> StoreResult<Option<T>> {
        match self.opt_text(i)? {
            None => Ok(None),
            Some(_) => self.typed(i, parse).map(Some),
        }
    }
}

/// A value in the database that this service never writes.
pub fn damaged(what: String) -> StoreError {
    StoreError::Other(what.into())
}

/// One transaction on either backend. Dropped without [`Tx::commit`], it rolls back.
pub enum Tx<'c> {
    Sqlite(rusqlite::Transaction<'c>),
    Pg {
        tx: deadpool_postgres::Transaction<'c>,
        rt: &'c Handle,
        deadline: Instant,
    },
}

impl Tx<'_> {
    /// Runs a statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<u64> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(args.iter()))? as u64)
            }
            Tx::Pg { tx, rt, deadline } => {
                let stmt = block(rt, *deadline, tx.prepare_cached(&dollars(sql)))??;
                let params: Vec<_> = args.iter().map(Arg::pg).collect();
                Ok(block(rt, *deadline, tx.execute(&stmt, &params))??)
            }
        }
    }

    /// The first row of a query, made into a `T`, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&DbRow<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
                match rows.next()? {
                    Some(r) => f(&DbRow::Sqlite(r)).map(Some),
                    None => Ok(None),
                }
            }
            Tx::Pg { tx, rt, deadline } => {
                let rows = pg_rows(tx, rt, *deadline, sql, args)?;
                rows.first().map(|r| f(&DbRow::Pg(r))).transpose()
            }
        }
    }

    /// The first row of a query that always has one (its absence is a damaged database).
    pub fn query_one<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&DbRow<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.query_opt(sql, args, f)?
            .ok_or_else(|| damaged(format!("no row for {sql}")))
    }

    /// Every row of a query, each made into a `T`.
    pub fn query_all<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&DbRow<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&DbRow::Sqlite(r))?);
                }
                Ok(out)
            }
            Tx::Pg { tx, rt, deadline } => pg_rows(tx, rt, *deadline, sql, args)?
                .iter()
                .map(|r| f(&DbRow::Pg(r)))
                .collect(),
        }
    }

    /// Calls `f` on every row of a query without parameters, a batch at a time (a whole
    /// table, for copy-db: never all of it in memory).
    pub fn for_each(
        &self,
        sql: &str,
        mut f: impl FnMut(&DbRow<'_, '_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare(sql)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    f(&DbRow::Sqlite(r))?;
                }
                Ok(())
            }
            Tx::Pg { tx, rt, deadline } => {
                static CURSORS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let name = format!(
                    "okuri_rows_{}",
                    CURSORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                self.batch(&format!("DECLARE {name} NO SCROLL CURSOR FOR {sql}"))?;
                let fetch = format!("FETCH 1000 FROM {name}");
                loop {
                    let rows = block(rt, *deadline, tx.query(fetch.as_str(), &[]))??;
                    if rows.is_empty() {
                        break;
                    }
                    for r in &rows {
                        f(&DbRow::Pg(r))?;
                    }
                }
                self.batch(&format!("CLOSE {name}"))
            }
        }
    }

    /// Runs statements without parameters (a migration).
    pub fn batch(&self, sql: &str) -> StoreResult<()> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.execute_batch(sql)?),
            Tx::Pg { tx, rt, deadline } => Ok(block(rt, *deadline, tx.batch_execute(sql))??),
        }
    }

    /// Which backend this is, for the few statements that differ.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Pg { .. })
    }

    fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.commit()?),
            Tx::Pg { tx, rt, deadline } => Ok(block(rt, deadline, tx.commit())??),
        }
    }
}

/// The rows of a statement on PostgreSQL (prepared once per connection).
fn pg_rows(
    tx: &deadpool_postgres::Transaction<'_>,
    rt: &Handle,
    deadline: Instant,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<Vec<tokio_postgres::Row>> {
    let stmt = block(rt, deadline, tx.prepare_cached(&dollars(sql)))??;
    let params: Vec<_> = args.iter().map(Arg::pg).collect();
    Ok(block(rt, deadline, tx.query(&stmt, &params))??)
}

/// `?N` as PostgreSQL writes it, `$N`. The statements are the service's own, with no `?` in a
/// string literal.
fn dollars(sql: &str) -> Cow<'_, str> {
    if sql.contains('?') {
        Cow::Owned(sql.replace('?', "$"))
    } else {
        Cow::Borrowed(sql)
    }
}

/// Waits for `f` on the runtime until `deadline`; past it the database is unavailable.
fn block<F: std::future::Future>(rt: &Handle, deadline: Instant, f: F) -> StoreResult<F::Output> {
    // The timer is made inside the runtime: it needs its clock.
    rt.block_on(async move { tokio::time::timeout_at(deadline.into(), f).await })
        .map_err(|_| StoreError::Unavailable("no answer within the request timeout".into()))
}

/// What a transaction may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Read one consistent snapshot.
    Read,
    /// Read and write, serially.
    Write,
    /// Change the schema: one at a time across every instance.
    Migrate,
    /// Copy or compare a whole database (copy-db): one snapshot, no deadline.
    Bulk,
}

/// The database: what a [`Store`](crate::service::store::Store) runs its transactions on.
#[derive(Clone)]
pub enum Db {
    /// One connection writes (one transaction at a time, as SQLite allows); another reads, so
    /// that listing and session checks never wait for a write's fsync (WAL lets them run side
    /// by side).
    Sqlite {
        conn: Arc<Mutex<Connection>>,
        reader: Arc<Mutex<Connection>>,
        path: PathBuf,
    },
    Pg(Arc<Pg>),
}

pub struct Pg {
    pool: deadpool_postgres::Pool,
    rt: Handle,
    timeout: Duration,
}

/// How many times a serialisation failure is run again (within the request's deadline)
/// before the caller hears `busy`. On a small table many transactions touch one index page,
/// and PostgreSQL's page-level locks make them fail one another more often than the rows do.
const RETRIES: u32 = 50;

impl Db {
    /// Opens a SQLite file, creating it if need be.
    pub fn sqlite(path: &Path, busy: Duration) -> StoreResult<Db> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(busy)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Db::Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            reader: Arc::new(Mutex::new(Self::sqlite_reader(path, busy)?)),
            path: path.to_owned(),
        })
    }

    fn sqlite_reader(path: &Path, busy: Duration) -> StoreResult<Connection> {
        let reader = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(busy)?;
        Ok(reader)
    }

    /// Makes the pool for a PostgreSQL URL. Connections are made when first needed: a server
    /// that is down makes calls `503` until it is back; a wrong password or certificate is
    /// found by the first (service::prepare, at start, stops the service on it).
    pub fn postgres(url: &str, o: &PgOptions, busy: Duration, rt: &Handle) -> StoreResult<Db> {
        let mut config =
            tokio_postgres::Config::from_str(url).map_err(|e| StoreError::Other(e.into()))?;
        if let Some(f) = &o.password_file {
            config.password(read_password(f)?.as_bytes());
        }
        config.connect_timeout(o.request_timeout);
        // The server gives up on a statement when the service does: nothing the service has
        // stopped waiting for keeps running (or holding locks) there. And it reads along the
        // indexes every statement here has: a sequential scan in a SERIALIZABLE transaction
        // locks the whole table against every concurrent writer, and makes transactions that
        // touch different rows (two staff members' witness heads) fail one another (the
        // PostgreSQL manual, "Serializable Isolation Level").
        let options = format!(
            "{} -c statement_timeout={} -c enable_seqscan=off",
            config.get_options().unwrap_or_default(),
            o.request_timeout.as_millis()
        );
        config.options(options.trim_start());
        if config.get_application_name().is_none() {
            config.application_name("okuri-approvald");
        }
        let manager_config = deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        };
        let manager = match &o.ca_file {
            None => deadpool_postgres::Manager::from_config(
                config,
                tokio_postgres::NoTls,
                manager_config,
            ),
            Some(ca) => {
                deadpool_postgres::Manager::from_config(config, tls_connector(ca)?, manager_config)
            }
        };
        let pool = deadpool_postgres::Pool::builder(manager)
            .max_size(o.pool_size)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(busy))
            .create_timeout(Some(o.request_timeout))
            .recycle_timeout(Some(o.request_timeout))
            .build()
            .map_err(|e| StoreError::Other(e.into()))?;
        Ok(Db::Pg(Arc::new(Pg {
            pool,
            rt: rt.clone(),
            timeout: o.request_timeout,
        })))
    }

    /// Runs `f` in one transaction and commits it when `f` succeeds. Blocking: call it from
    /// a blocking thread, or before the runtime serves.
    pub fn run<T>(&self, mode: Mode, f: &dyn Fn(&Tx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        match self {
            Db::Sqlite { conn, reader, .. } => {
                let (conn, behavior) = match mode {
                    Mode::Read => (reader, TransactionBehavior::Deferred),
                    Mode::Write | Mode::Migrate | Mode::Bulk => {
                        (conn, TransactionBehavior::Immediate)
                    }
                };
                let mut c = conn.lock().unwrap_or_else(|p| p.into_inner());
                let tx = Tx::Sqlite(c.transaction_with_behavior(behavior)?);
                let out = f(&tx)?;
                tx.commit()?;
                Ok(out)
            }
            Db::Pg(pg) => pg.run(mode, f),
        }
    }
}

impl Pg {
    fn client(&self, deadline: Instant) -> StoreResult<deadpool_postgres::Client> {
        use deadpool_postgres::{PoolError, TimeoutType};
        match block(&self.rt, deadline, self.pool.get())? {
            Ok(c) => Ok(c),
            Err(PoolError::Timeout(TimeoutType::Wait)) => Err(StoreError::Busy),
            Err(PoolError::Timeout(t)) => Err(StoreError::Unavailable(
                format!("no connection within the request timeout ({t:?})").into(),
            )),
            Err(PoolError::Backend(e)) => Err(e.into()),
            Err(e) => Err(StoreError::Other(e.into())),
        }
    }

    fn run<T>(&self, mode: Mode, f: &dyn Fn(&Tx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        // Schema changes and whole copies take as long as the database's size needs.
        let deadline = Instant::now()
            + match mode {
                Mode::Read | Mode::Write => self.timeout,
                Mode::Migrate | Mode::Bulk => Duration::from_secs(7 * 24 * 3600),
            };
        let mut attempt = 0;
        loop {
            let mut client = self.client(deadline)?;
            match self.attempt(&mut client, mode, deadline, f) {
                Err(StoreError::Retry) if attempt < RETRIES && Instant::now() < deadline => {
                    attempt += 1;
                    tracing::debug!(
                        attempt,
                        "serialization failure; running the transaction again"
                    );
                    // Apart again, a little later each time (up to 20 ms), so that the two do
                    // not meet again at once.
                    let jitter = u64::from(random_byte()) % 8;
                    let pause = (u64::from(attempt) * 2).min(20) + jitter;
                    std::thread::sleep(Duration::from_millis(pause));
                }
                Err(StoreError::Retry) => return Err(StoreError::Busy),
                Err(StoreError::Unavailable(why)) => {
                    // A connection cut off, or stuck in a statement past the deadline, is not
                    // handed to the next request: it is closed (the server's
                    // statement_timeout ends what it was running).
                    drop(deadpool_postgres::Client::take(client));
                    return Err(StoreError::Unavailable(why));
                }
                r => return r,
            }
        }
    }

    /// One try of a transaction on `client`.
    fn attempt<T>(
        &self,
        client: &mut deadpool_postgres::Client,
        mode: Mode,
        deadline: Instant,
        f: &dyn Fn(&Tx<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        use tokio_postgres::IsolationLevel;
        let builder = client.build_transaction();
        let builder = match mode {
            Mode::Read => builder
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true),
            Mode::Write => builder.isolation_level(IsolationLevel::Serializable),
            Mode::Migrate => builder.isolation_level(IsolationLevel::ReadCommitted),
            Mode::Bulk => builder.isolation_level(IsolationLevel::RepeatableRead),
        };
        let started = block(&self.rt, deadline, builder.start())?.map_err(|e| {
            // A hot standby (where the primary was, before a failover) refuses a serializable
            // transaction as a feature it lacks: the primary is elsewhere, so this passes.
            if e.code() == Some(&tokio_postgres::error::SqlState::FEATURE_NOT_SUPPORTED) {
                StoreError::Unavailable(e.into())
            } else {
                StoreError::from(e)
            }
        })?;
        let tx = Tx::Pg {
            tx: started,
            rt: &self.rt,
            deadline,
        };
        if matches!(mode, Mode::Migrate | Mode::Bulk) {
            tx.batch("SET LOCAL statement_timeout = 0")?;
        }
        if mode == Mode::Migrate {
            // Two instances starting together: the second waits, then finds it done.
            tx.execute("SELECT pg_advisory_xact_lock(7011711182)", &[])?;
        }
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

fn random_byte() -> u8 {
    let mut b = [0u8];
    let _ = getrandom::getrandom(&mut b);
    b[0]
}

/// The password in its file: owner-only, its first line.
fn read_password(path: &Path) -> StoreResult<Zeroizing<String>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| StoreError::Other(e.into()))?;
    if meta.mode() & 0o077 != 0 {
        return Err(StoreError::PasswordFileOpen(path.to_owned()));
    }
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| StoreError::Other(e.into()))?);
    Ok(Zeroizing::new(
        text.lines().next().unwrap_or_default().to_owned(),
    ))
}

/// TLS to PostgreSQL with rustls, trusting the CA certificates of `ca` only.
fn tls_connector(ca: &Path) -> StoreResult<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(ca)
        .map_err(|e| StoreError::Other(e.into()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Other(e.into()))?;
    for c in certs {
        roots.add(c).map_err(|e| StoreError::Other(e.into()))?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Other(e.into()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Other(e.into()),
        }
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        use tokio_postgres::error::SqlState;
        let Some(code) = e.code() else {
            // No answer from the server: the connection failed or closed. A TLS handshake
            // that failed (a certificate the CA did not sign, a wrong name), a host name the
            // TLS library refuses, or bytes that are not the protocol are not a server that
            // is away: the operator must mend them, and the service says so.
            let io = std::error::Error::source(&e)
                .and_then(|s| s.downcast_ref::<std::io::Error>())
                .is_some_and(|io| {
                    !matches!(
                        io.kind(),
                        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData
                    ) && !io
                        .get_ref()
                        .is_some_and(|inner| inner.is::<rustls::Error>())
                });
            return if e.is_closed() || io {
                StoreError::Unavailable(e.into())
            } else {
                StoreError::Other(e.into())
            };
        };
        // (A row another transaction inserted meanwhile, which this one's snapshot did not
        // show, meets an insert's ON CONFLICT as a serialization failure, not as a unique
        // violation: every insert that can meet one says ON CONFLICT.)
        if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED
        {
            StoreError::Retry
        } else if code.code().starts_with("08")
            || code.code().starts_with("57P")
            || *code == SqlState::TOO_MANY_CONNECTIONS
            || *code == SqlState::READ_ONLY_SQL_TRANSACTION
        {
            // Connection exceptions, the server shutting down or starting up, or a standby
            // where the primary was (it refuses writes): each passes, so the caller retries.
            StoreError::Unavailable(e.into())
        } else {
            StoreError::Other(e.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_a_file_or_a_postgres_url_without_a_password() {
        assert_eq!(
            Database::parse("/var/lib/x.sqlite").unwrap(),
            Database::Sqlite("/var/lib/x.sqlite".into())
        );
        assert_eq!(
            Database::parse("sqlite:x.sqlite").unwrap(),
            Database::Sqlite("x.sqlite".into())
        );
        assert!(matches!(
            Database::parse("postgres://okuri@db.example/okuri?sslmode=require").unwrap(),
            Database::Postgres(_)
        ));
        assert!(matches!(
            Database::parse("postgres://okuri:secret@db.example/okuri"),
            Err(DatabaseUrlError::Password)
        ));
        assert!(matches!(
            Database::parse("postgres://okuri@db.example/okuri?password=secret"),
            Err(DatabaseUrlError::Password)
        ));
        assert!(matches!(
            Database::parse("postgres://okuri@db.example/okuri?sslmode=sometimes"),
            Err(DatabaseUrlError::Invalid(_))
        ));
        assert!(Database::parse("sqlite:").is_err());
    }

    #[test]
    fn parameters_are_numbered_the_postgres_way() {
        assert_eq!(
            dollars("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
    }
}
