//! okuri-approvald, the companion approval service: requests, custodians' decisions and
//! single-use tokens between rooms and buildings, and a witness of each staff record's head.
//! axum on tokio, state in SQLite (WAL) or PostgreSQL. See docs/service.md.

pub mod api;
pub mod config;
pub mod console;
pub mod copy;
pub mod db;
pub mod migrate;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use crate::base::error::{Error, Result};
use crate::base::message::Msg;
use crate::msg;

pub use config::{Args, Command, Config};

/// Loads the city's documents the service works under: the signed ones of its `city`
/// directory, each checked like okuri checks them (policy::city), or in development mode the
/// files the configuration names.
pub fn docs(cfg: &Config) -> Result<api::Docs> {
    use crate::policy::city::{self, City, Kind};
    let Some(dir) = &cfg.city else {
        return Ok(api::Docs {
            policy: crate::policy::Policy::load(Some(&cfg.policy))?,
            register: crate::policy::recipients::Register::load(&cfg.recipients)?,
            directory: crate::policy::directory::Directory::load(&cfg.staff)?,
        });
    };
    let c = City::open(dir)?.ok_or_else(|| {
        Error::invalid(msg!(
            "service-city-no-anchor",
            dir = dir,
            file = city::ANCHOR_FILE
        ))
        .with_hint(msg!("hint-service-city-no-anchor"))
    })?;
    let now = crate::sys::hooks::now().timestamp();
    let mut policy = crate::policy::Policy::from_city(&c, now)?;
    let by_role = |kind: Kind| {
        let trust = policy.trust.clone();
        move |fp: &crate::base::digest::Fingerprint| city::signed_by_role(&trust, kind, fp, now)
    };
    let staff = c.document(Kind::Staff, &by_role(Kind::Staff), now)?;
    let directory = crate::policy::directory::Directory::parse(&staff.text, &staff.path)?;
    let register = if c.has(Kind::Recipients)? {
        let doc = c.document(Kind::Recipients, &by_role(Kind::Recipients), now)?;
        policy.documents.push((Kind::Recipients, doc.serial));
        policy.valid_until = policy.valid_until.min(Some(doc.valid_until));
        crate::policy::recipients::Register::parse(&doc.text, &doc.path)?
    } else {
        crate::policy::recipients::Register::load(&c.path(Kind::Recipients))?
    };
    policy.documents.push((Kind::Staff, staff.serial));
    policy.valid_until = policy.valid_until.min(Some(staff.valid_until));
    Ok(api::Docs {
        policy,
        register,
        directory,
    })
}

/// Holds the serials of `docs` in the database, or says which older document was offered
/// and which serial the service holds: a rollback is refused at start and on reload.
pub fn hold_serials(store: &store::Store, docs: &api::Docs) -> Result<()> {
    let at = crate::base::time::Time::of(&crate::sys::hooks::now());
    match store.hold_serials(&docs.policy.documents, &docs.policy.digest, at.as_str()) {
        Ok(None) => Ok(()),
        Ok(Some(older)) => Err(rollback(older)),
        Err(e) => Err(Error::failure(msg!("service-serials-unrecorded"))
            .with_source(std::io::Error::other(format!("{e:?}")))),
    }
}

/// A document older than the one the database holds: refused, saying both serials.
fn rollback((kind, serial, held): (crate::policy::city::Kind, u64, u64)) -> Error {
    Error::integrity(msg!(
        "service-city-rollback",
        kind = kind.as_str(),
        serial = serial,
        held = held
    ))
    .with_hint(msg!("hint-city-rollback"))
}

/// `--check`: loads everything the service would, and checks the documents' serials against
/// those the database holds, without putting them in force (a running instance still works
/// under its own until it reloads). A PostgreSQL server that does not answer now is not an
/// error (the service waits for it, answering 503): the returned message says so. Anything
/// else wrong with the database is.
pub fn check(cfg: &Config, rt: &tokio::runtime::Handle) -> Result<Option<Msg>> {
    let docs = docs(cfg)?;
    let later = |why: &(dyn std::error::Error + 'static)| {
        Some(msg!(
            "service-check-database-later",
            database = cfg.database.display(),
            reason = crate::base::error::chain(why)
        ))
    };
    let db = db_of(cfg, &cfg.database, rt).map_err(|e| database_error(&cfg.database, e))?;
    let store = match store::Store::open(db) {
        Ok(s) => s,
        Err(store::StoreError::Unavailable(why)) if cfg.database.is_postgres() => {
            return Ok(later(&*why));
        }
        Err(e) => return Err(database_error(&cfg.database, e)),
    };
    let loaded = docs.policy.documents.clone();
    match store
        .db()
        .run(db::Mode::Read, &|tx| store::newer_in_force(tx, &loaded))
    {
        Ok(None) => Ok(None),
        Ok(Some(older)) => Err(rollback(older)),
        Err(store::StoreError::Unavailable(why)) if cfg.database.is_postgres() => Ok(later(&*why)),
        Err(e) => Err(Error::failure(msg!("service-serials-unread"))
            .with_source(std::io::Error::other(format!("{e:?}")))),
    }
}

/// Opens the service's database and brings its schema up to date. PostgreSQL's connections
/// live on `rt`; call this outside it (it blocks).
pub fn open_store(cfg: &Config, rt: &tokio::runtime::Handle) -> Result<store::Store> {
    open_database(cfg, &cfg.database, rt)
}

/// Opens `database` with the configuration's limits (and, for PostgreSQL, its password and
/// CA files), and brings its schema up to date.
pub fn open_database(
    cfg: &Config,
    database: &db::Database,
    rt: &tokio::runtime::Handle,
) -> Result<store::Store> {
    db_of(cfg, database, rt)
        .and_then(store::Store::open)
        .map_err(|e| database_error(database, e))
}

/// The database `database` names, with the configuration's limits and files; nothing is
/// asked of it yet.
fn db_of(
    cfg: &Config,
    database: &db::Database,
    rt: &tokio::runtime::Handle,
) -> store::StoreResult<db::Db> {
    let busy = Duration::from_millis(u64::from(cfg.limits.busy_timeout_ms));
    match database {
        db::Database::Sqlite(path) => db::Db::sqlite(path, busy),
        db::Database::Postgres(url) => {
            let o = db::PgOptions {
                password_file: cfg.database_password_file.clone(),
                ca_file: cfg.database_ca_file.clone(),
                pool_size: cfg.limits.pool_size as usize,
                request_timeout: Duration::from_millis(u64::from(cfg.limits.request_timeout_ms)),
            };
            db::Db::postgres(url, &o, busy, rt)
        }
    }
}

/// What opening or preparing `database` failed with, for the operator.
fn database_error(database: &db::Database, e: store::StoreError) -> Error {
    let name = database.display();
    match e {
        store::StoreError::Schema(m) => {
            Error::invalid(m).with_hint(msg!("service-database-newer-hint"))
        }
        store::StoreError::PasswordFileOpen(path) => {
            Error::invalid(msg!("service-database-password-open", path = &path))
                .with_hint(msg!("hint-service-database-password-open", path = &path))
        }
        e if database.is_postgres() => {
            Error::failure(msg!("service-database-connect", database = &name))
                .with_source(e)
                .with_hint(msg!("service-database-connect-hint"))
        }
        e => Error::failure(msg!("service-database-open", path = &name))
            .with_source(e)
            .with_hint(msg!("service-database-open-hint")),
    }
}

/// `copy-db`: copies `from` into the configuration's database (or `to`) and compares them;
/// what was copied of each table.
pub fn copy_db(
    cfg: &Config,
    from: &str,
    to: Option<&str>,
    rt: &tokio::runtime::Handle,
) -> Result<(db::Database, db::Database, Vec<copy::Copied>)> {
    let from = config::parse_database(from)?;
    let to = match to {
        Some(t) => config::parse_database(t)?,
        None => cfg.database.clone(),
    };
    if from == to {
        return Err(
            Error::usage(msg!("service-copy-same", database = from.display()))
                .with_hint(msg!("hint-service-copy-same")),
        );
    }
    if let db::Database::Sqlite(p) = &from
        && !p.is_file()
    {
        return Err(Error::invalid(msg!("config-file-missing", path = p)));
    }
    let source = open_database(cfg, &from, rt)?;
    let target = open_database(cfg, &to, rt)?;
    let copied = copy::copy(&source, &target).map_err(|e| match e {
        store::StoreError::Conflict(m) => {
            Error::invalid(m).with_hint(msg!("hint-service-copy-target-not-empty"))
        }
        store::StoreError::Mismatch(m) => {
            Error::integrity(m).with_hint(msg!("hint-service-copy-mismatch"))
        }
        e => Error::failure(msg!("service-copy-failed", database = to.display())).with_source(e),
    })?;
    Ok((from, to, copied))
}

/// Loads everything the service needs, so that a bad file stops it before it listens, and
/// prepares its database. A PostgreSQL server that does not answer yet does not stop it: the
/// instance serves `503 database-unavailable` and [`serve`] prepares it when the server is
/// back. Anything else wrong with the database (a password, a certificate, a newer schema, an
/// older document) stops it here.
pub fn state(cfg: &Config, rt: &tokio::runtime::Handle) -> Result<api::AppState> {
    let docs = docs(cfg)?;
    let db = db_of(cfg, &cfg.database, rt).map_err(|e| database_error(&cfg.database, e))?;
    let mut state = api::AppState::new(store::Store::unopened(db), docs, cfg.limits.clone());
    state.secure_cookies = cfg.tls.is_some();
    match prepare(cfg, &state) {
        Ok(()) => {}
        Err(NotReady::Unavailable(why)) if cfg.database.is_postgres() => tracing::warn!(
            error = %crate::base::error::chain(&*why),
            "the database does not answer; serving 503 until it does"
        ),
        Err(NotReady::Unavailable(why)) => {
            return Err(database_error(
                &cfg.database,
                store::StoreError::Unavailable(why),
            ));
        }
        Err(NotReady::Fatal(e)) => return Err(e),
    }
    Ok(state)
}

/// Why an instance is not ready.
enum NotReady {
    /// The database does not answer (yet).
    Unavailable(Box<dyn std::error::Error + Send + Sync>),
    /// Something an operator must mend.
    Fatal(Error),
}

/// Makes the instance ready: the schema migrated, the documents' serials held, the console's
/// key read. Blocking.
fn prepare(cfg: &Config, state: &api::AppState) -> std::result::Result<(), NotReady> {
    let fail = |e: store::StoreError| match e {
        store::StoreError::Unavailable(why) => NotReady::Unavailable(why),
        e => NotReady::Fatal(database_error(&cfg.database, e)),
    };
    for m in state.store.migrate().map_err(fail)? {
        tracing::info!(
            version = m.version,
            name = m.name,
            "database schema migrated"
        );
    }
    let docs = state.docs();
    let at = crate::base::time::Time::of(&crate::sys::hooks::now());
    match state
        .store
        .hold_serials(&docs.policy.documents, &docs.policy.digest, at.as_str())
    {
        Ok(None) => {}
        Ok(Some(older)) => return Err(NotReady::Fatal(rollback(older))),
        Err(e) => return Err(fail(e)),
    }
    let key = state
        .store
        .tx_blocking(|tx| store::shared_secret(tx, "console-csrf", at.as_str()))
        .map_err(fail)?;
    let _ = state.csrf_key.set(key);
    state
        .ready
        .store(true, std::sync::atomic::Ordering::Release);
    Ok(())
}

/// Prepares an instance that started before its database answered, every two seconds until
/// it is ready; something an operator must mend is logged, and it goes on trying.
async fn until_prepared(cfg: Config, state: Arc<api::AppState>) {
    let texts = crate::i18n::Texts::new(crate::base::message::Lang::En);
    // The last reason logged: a reason is logged when it changes, not every two seconds.
    let mut said = String::new();
    while !state.ready.load(std::sync::atomic::Ordering::Acquire) {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let (c, s) = (cfg.clone(), Arc::clone(&state));
        let why = match tokio::task::spawn_blocking(move || prepare(&c, &s))
            .await
            .expect("preparing does not panic")
        {
            Ok(()) => {
                tracing::info!("the database answers; serving");
                continue;
            }
            Err(NotReady::Unavailable(why)) => format!(
                "the database does not answer: {}",
                crate::base::error::chain(&*why)
            ),
            Err(NotReady::Fatal(e)) => format!(
                "the database answers but the service cannot use it: {}",
                texts.render(e.message())
            ),
        };
        if why != said {
            tracing::error!(error = %why, "not serving yet; trying again every 2 s");
            said = why;
        }
    }
}

/// Loads the city's documents again and puts them in force, unless their serials are older
/// than those the database holds (SIGHUP, and the poll that finds newer ones in force).
async fn reload(cfg: &Config, state: &api::AppState) -> Result<()> {
    let (cfg, store) = (cfg.clone(), state.store.clone());
    let loaded = tokio::task::spawn_blocking(move || {
        docs(&cfg).and_then(|d| hold_serials(&store, &d).map(|()| d))
    })
    .await
    .expect("a reload does not panic")?;
    state.replace_docs(loaded);
    Ok(())
}

/// Every `interval`, asks the database whether another instance has put newer documents in
/// force, and if so loads them from this machine's files (where the city's configuration
/// management puts them). Until it has them, this instance writes nothing.
async fn poll_documents(cfg: Config, state: Arc<api::AppState>, interval: Duration) {
    let texts = crate::i18n::Texts::new(crate::base::message::Lang::En);
    // What the last poll could not load: the same again is not logged again.
    let mut missing = None;
    loop {
        tokio::time::sleep(interval).await;
        let loaded = state.docs().policy.documents.clone();
        let newer = state
            .store
            .read(move |tx| store::newer_in_force(tx, &loaded))
            .await;
        let Ok(Some((kind, serial, held))) = newer else {
            continue;
        };
        let result = reload(&cfg, &state).await;
        if result.is_ok() && state.docs().policy.documents.contains(&(kind, held)) {
            missing = None;
            tracing::info!(
                kind = kind.as_str(),
                serial = held,
                "loaded the documents another instance put in force"
            );
            continue;
        }
        let outcome = (kind, held, result.is_ok());
        if missing == Some(outcome) {
            continue;
        }
        missing = Some(outcome);
        match result {
            Ok(()) => tracing::warn!(
                kind = kind.as_str(),
                serial,
                held,
                "the database holds a newer document than this machine's files; writes are refused until they are updated"
            ),
            Err(e) => tracing::error!(
                error = %texts.render(e.message()),
                "loading the documents in force failed; writes are refused until it succeeds"
            ),
        }
    }
}

/// Serves until SIGTERM or SIGINT, then finishes the requests in flight (at most 10 s).
pub async fn serve(cfg: Config, state: api::AppState) -> Result<()> {
    let state = Arc::new(state);
    let app = api::router(state.clone());
    // SIGHUP: reload the policy, the register and the directory; requests in flight finish
    // under the documents they started with. A file that does not load leaves the old ones.
    if !state.ready.load(std::sync::atomic::Ordering::Acquire) {
        tokio::spawn(until_prepared(cfg.clone(), Arc::clone(&state)));
    }
    let reload_cfg = cfg.clone();
    let poll = Duration::from_secs(u64::from(cfg.limits.document_poll_seconds));
    tokio::spawn(poll_documents(cfg.clone(), Arc::clone(&state), poll));
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hup.recv().await.is_some() {
            match reload(&reload_cfg, &state).await {
                Ok(()) => {
                    tracing::info!("reloaded the policy, the recipient register and the directory");
                }
                Err(e) => tracing::error!(
                    error = %crate::i18n::Texts::new(crate::base::message::Lang::En).render(e.message()),
                    "reload failed; the documents in force stay"
                ),
            }
        }
    });
    let handle = axum_server::Handle::new();
    let h = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        h.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    let listening = handle.clone();
    let addr = cfg.listen;
    let tls = cfg.tls.is_some();
    tokio::spawn(async move {
        if let Some(a) = listening.listening().await {
            // Tests and systemd wait for this line: it is read by programs, so it is not a
            // message and is the same in every language.
            tracing::info!(address = %a, tls, "listening");
            eprintln!(
                "okuri-approvald: listening on {}://{a}",
                if tls { "https" } else { "http" }
            );
        }
    });
    let served = match &cfg.tls {
        None => {
            axum_server::bind(addr)
                .handle(handle)
                .serve(app.into_make_service())
                .await
        }
        Some(t) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&t.cert, &t.key)
                .await
                .map_err(|e| {
                    Error::invalid(msg!("service-tls", cert = &t.cert, key = &t.key))
                        .with_source(e)
                        .with_hint(msg!("service-tls-hint"))
                })?;
            axum_server::bind_rustls(addr, tls)
                .handle(handle)
                .serve(app.into_make_service())
                .await
        }
    };
    served.map_err(|e| {
        Error::failure(msg!("service-serve", address = addr.to_string()))
            .with_source(e)
            .with_hint(msg!("service-serve-hint"))
    })
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
