//! The service's configuration file (TOML). Every path and limit is checked at start, so a bad
//! configuration stops the service with a message instead of failing on the first request.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::error::{Error, IoOp, Result};
use crate::msg;
use crate::service::db::{Database, DatabaseUrlError};
use std::str::FromStr;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where to listen. Loopback may be plain HTTP; any other address needs [tls].
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// The database, as written: a SQLite file (created if missing; WAL mode), or
    /// `sqlite:FILE`, or `postgres://user@host/db?sslmode=require` (no password in it).
    #[serde(rename = "database")]
    database_text: String,
    /// What `database` names, read when the file is loaded.
    #[serde(skip)]
    pub database: Database,
    /// PostgreSQL only: a file (owner-only) holding the password, if the server asks one.
    pub database_password_file: Option<PathBuf>,
    /// PostgreSQL only: the CA certificates (PEM) that sign the server's certificate. Given,
    /// the connection is TLS and the server's name is checked against its certificate.
    pub database_ca_file: Option<PathBuf>,
    /// The city's system directory (`/etc/okuri`): its trust anchor and signed documents
    /// (policy::city). A production service names it; then `policy`, `recipients` and
    /// `staff` are not given.
    pub city: Option<PathBuf>,
    /// Development mode only (no `city`): the policy, whose trust list says who the
    /// custodians are.
    #[serde(default)]
    pub policy: PathBuf,
    /// Development mode only: the recipient register, for checking what custodians approve.
    #[serde(default)]
    pub recipients: PathBuf,
    /// Development mode only: the staff directory (staff and auditors, departments, keys).
    #[serde(default)]
    pub staff: PathBuf,
    pub tls: Option<Tls>,
    #[serde(default)]
    pub limits: Limits,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    /// How long a login session lasts.
    #[serde(default = "default_session")]
    pub session_minutes: u32,
    /// How long a login challenge may be answered.
    #[serde(default = "default_challenge")]
    pub challenge_seconds: u32,
    /// How long to wait for a database another process holds (SQLite), or for a free
    /// connection of the pool (PostgreSQL), before answering 503 busy.
    #[serde(default = "default_busy")]
    pub busy_timeout_ms: u32,
    /// PostgreSQL: the most connections this instance holds.
    #[serde(default = "default_pool")]
    pub pool_size: u32,
    /// PostgreSQL: how long one request's database work may take in all; past it (a server
    /// gone, a network cut) the request answers 503 with Retry-After.
    #[serde(default = "default_request_timeout")]
    pub request_timeout_ms: u32,
    /// How often to ask the database whether another instance has put newer city documents
    /// in force (then this one loads them, and writes nothing until it has).
    #[serde(default = "default_document_poll")]
    pub document_poll_seconds: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: default_body(),
            session_minutes: default_session(),
            challenge_seconds: default_challenge(),
            busy_timeout_ms: default_busy(),
            pool_size: default_pool(),
            request_timeout_ms: default_request_timeout(),
            document_poll_seconds: default_document_poll(),
        }
    }
}

fn default_listen() -> SocketAddr {
    "127.0.0.1:8441".parse().expect("a valid address")
}
fn default_body() -> usize {
    256 * 1024
}
fn default_session() -> u32 {
    15
}
fn default_challenge() -> u32 {
    60
}
fn default_busy() -> u32 {
    5000
}
fn default_pool() -> u32 {
    16
}
fn default_request_timeout() -> u32 {
    10_000
}
fn default_document_poll() -> u32 {
    10
}

/// Reads a `database` setting (or `copy-db`'s `--from`/`--to`), refusing a password in it.
pub fn parse_database(text: &str) -> Result<Database> {
    Database::parse(text).map_err(|e| match e {
        DatabaseUrlError::Password => Error::invalid(msg!("config-database-password"))
            .with_hint(msg!("hint-config-database-password")),
        DatabaseUrlError::Invalid(detail) => {
            Error::invalid(msg!("config-database-invalid", detail = detail))
                .with_hint(msg!("hint-config-database"))
        }
    })
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        let mut c: Config = toml::from_str(&text).map_err(|e| {
            Error::invalid_at(
                msg!("config-invalid", file = path),
                path,
                &text,
                e.span().map_or(0, |s| s.start),
                msg!("config-toml", detail = e.message().trim()),
            )
            .with_hint(msg!("hint-config-example"))
        })?;
        // Relative paths are relative to the configuration file, not to wherever systemd or
        // a shell happened to start the service.
        let base = path.parent().unwrap_or(Path::new("."));
        c.database = parse_database(&c.database_text)?;
        if let Database::Sqlite(p) = &mut c.database
            && p.is_relative()
        {
            *p = base.join(&*p);
        }
        for p in [&mut c.database_password_file, &mut c.database_ca_file]
            .into_iter()
            .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        for p in [&mut c.policy, &mut c.recipients, &mut c.staff] {
            if p.is_relative() && !p.as_os_str().is_empty() {
                *p = base.join(&*p);
            }
        }
        if let Some(d) = &mut c.city
            && d.is_relative()
        {
            *d = base.join(&*d);
        }
        if let Some(t) = &mut c.tls {
            for p in [&mut t.cert, &mut t.key] {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            }
        }
        c.check()?;
        Ok(c)
    }

    fn check(&self) -> Result<()> {
        if self.tls.is_none() && !self.listen.ip().is_loopback() {
            return Err(Error::invalid(msg!(
                "config-listen-not-loopback",
                listen = self.listen.to_string()
            ))
            .with_hint(msg!("hint-config-listen")));
        }
        let range = |key: &str, min: u64, max: u64| {
            Error::invalid(msg!("config-limit-range", key = key, min = min, max = max))
        };
        if self.limits.max_body_bytes < 1024 || self.limits.max_body_bytes > 16 << 20 {
            return Err(range("limits.max_body_bytes", 1024, 16 << 20));
        }
        if !(1..=24 * 60).contains(&self.limits.session_minutes) {
            return Err(range("limits.session_minutes", 1, 24 * 60));
        }
        if !(10..=60_000).contains(&self.limits.busy_timeout_ms) {
            return Err(range("limits.busy_timeout_ms", 10, 60_000));
        }
        if !(5..=3600).contains(&self.limits.challenge_seconds) {
            return Err(range("limits.challenge_seconds", 5, 3600));
        }
        if !(1..=1000).contains(&self.limits.pool_size) {
            return Err(range("limits.pool_size", 1, 1000));
        }
        if !(100..=600_000).contains(&self.limits.request_timeout_ms) {
            return Err(range("limits.request_timeout_ms", 100, 600_000));
        }
        if !(1..=3600).contains(&self.limits.document_poll_seconds) {
            return Err(range("limits.document_poll_seconds", 1, 3600));
        }
        self.check_database()?;
        let files = [&self.policy, &self.recipients, &self.staff];
        if let Some(dir) = &self.city {
            if files.iter().any(|p| !p.as_os_str().is_empty()) {
                return Err(Error::invalid(msg!("config-city-and-files", dir = dir))
                    .with_hint(msg!("hint-config-city-and-files")));
            }
            return self.check_tls();
        }
        if self.policy.as_os_str().is_empty() {
            return Err(
                Error::invalid(msg!("config-no-city")).with_hint(msg!("hint-config-example"))
            );
        }
        if !self.staff.is_file() {
            return Err(Error::invalid(msg!(
                "config-staff-missing",
                path = &self.staff
            )));
        }
        if !self.recipients.is_file() {
            return Err(Error::invalid(msg!(
                "config-recipients-missing",
                path = &self.recipients
            )));
        }
        self.check_tls()
    }

    fn check_database(&self) -> Result<()> {
        match &self.database {
            Database::Sqlite(path) => {
                if let Some(dir) = path.parent()
                    && !dir.as_os_str().is_empty()
                    && !dir.is_dir()
                {
                    return Err(
                        Error::invalid(msg!("config-database-dir-missing", path = dir))
                            .with_hint(msg!("hint-config-database-dir")),
                    );
                }
                if self.database_password_file.is_some() || self.database_ca_file.is_some() {
                    return Err(Error::invalid(msg!("config-database-pg-only"))
                        .with_hint(msg!("hint-config-database")));
                }
            }
            Database::Postgres(url) => {
                for p in [&self.database_password_file, &self.database_ca_file]
                    .into_iter()
                    .flatten()
                {
                    if !p.is_file() {
                        return Err(Error::invalid(msg!("config-file-missing", path = p)));
                    }
                }
                use tokio_postgres::config::{Host, SslMode};
                let Ok(parsed) = tokio_postgres::Config::from_str(url) else {
                    return Ok(());
                };
                // A Unix socket is on this machine: no network to protect. Over a network the
                // choice is said, never "prefer" (which falls back to plain text silently):
                // `sslmode=require` with the CA that signs the server, or `disable` for a
                // network the city trusts.
                let unix = parsed
                    .get_hosts()
                    .iter()
                    .all(|h| matches!(h, Host::Unix(_)));
                let ok = unix
                    || match parsed.get_ssl_mode() {
                        SslMode::Disable => true,
                        SslMode::Require => self.database_ca_file.is_some(),
                        _ => false,
                    };
                if !ok {
                    return Err(Error::invalid(msg!("config-database-tls"))
                        .with_hint(msg!("hint-config-database-tls")));
                }
                // A CA named for a connection that will not use it: whoever wrote it believes
                // the connection is protected.
                if parsed.get_ssl_mode() == SslMode::Disable && self.database_ca_file.is_some() {
                    return Err(Error::invalid(msg!("config-database-ca-unused"))
                        .with_hint(msg!("hint-config-database-tls")));
                }
            }
        }
        Ok(())
    }

    fn check_tls(&self) -> Result<()> {
        if let Some(t) = &self.tls {
            for p in [&t.cert, &t.key] {
                if !p.is_file() {
                    return Err(Error::invalid(msg!("config-tls-missing", path = p)));
                }
            }
        }
        Ok(())
    }
}

/// The approval service of okuri: requests, custodians' decisions, single-use tokens.
///
/// Staff log in by signing a challenge with their key and submit requests (metadata and
/// digests, never the file); custodians decide them; `okuri pack` consumes a token atomically;
/// every pack has the record's signed head witnessed. SIGHUP reloads the city's signed
/// documents; SIGTERM finishes the requests in flight and exits.
#[derive(clap::Parser, Debug)]
#[command(name = "okuri-approvald", version, max_term_width = 100)]
pub struct Args {
    /// The configuration file (see /usr/share/okuri/examples/approvald.toml)
    #[arg(long, env = "OKURI_APPROVALD_CONFIG", value_name = "FILE")]
    pub config: std::path::PathBuf,
    /// Check the configuration and everything it names, then exit
    #[arg(long)]
    pub check: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do instead of serving.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Bring the database's schema up to date, say what was applied, and exit (the service
    /// does the same when it starts)
    Migrate,
    /// Copy every table of another database into this configuration's (which must be
    /// empty), then read every row of both back and compare them. Stop the services first.
    #[command(name = "copy-db")]
    CopyDb {
        /// The database to copy: `sqlite:/var/lib/okuri-approvald/approvald.sqlite` or a
        /// `postgres://` URL
        #[arg(long, value_name = "DATABASE")]
        from: String,
        /// Where to copy it (default: the configuration's `database`, with its password and
        /// CA files)
        #[arg(long, value_name = "DATABASE")]
        to: Option<String>,
    },
}
