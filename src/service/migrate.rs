//! The database's schema, in numbered migrations (`migrations/sqlite/NNNN_name.sql` and
//! `migrations/postgres/NNNN_name.sql`, the same steps for each backend), and the table
//! `schema_migrations` that says which ones a database has. Opening the database applies the
//! ones it lacks, in order, in one transaction with their rows; `okuri-approvald migrate`
//! does only that. A database that has a migration this service does not know was made by a
//! newer release: it is refused, never written to.

use crate::msg;
use crate::service::db::Tx;
use crate::service::store::{StoreError, StoreResult};

/// One step of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Every migration, oldest first; versions count from 1 without gaps.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "baseline",
        sqlite: include_str!("../../migrations/sqlite/0001_baseline.sql"),
        postgres: include_str!("../../migrations/postgres/0001_baseline.sql"),
    },
    Migration {
        version: 2,
        name: "shared_secrets",
        sqlite: include_str!("../../migrations/sqlite/0002_shared_secrets.sql"),
        postgres: include_str!("../../migrations/postgres/0002_shared_secrets.sql"),
    },
    Migration {
        version: 3,
        name: "console_pending",
        sqlite: include_str!("../../migrations/sqlite/0003_console_pending.sql"),
        postgres: include_str!("../../migrations/postgres/0003_console_pending.sql"),
    },
];

impl Migration {
    /// Its statements for SQLite.
    pub fn sqlite_sql(&self) -> &'static str {
        self.sqlite
    }
    /// Its statements for PostgreSQL.
    pub fn postgres_sql(&self) -> &'static str {
        self.postgres
    }
}

/// The newest schema this service knows.
pub fn latest() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Applies what the database lacks and returns it, in one transaction that no other
/// service's migration runs beside (service::db's `Mode::Migrate`), so that two services
/// starting on one database migrate it once.
pub fn apply(tx: &Tx<'_>) -> StoreResult<Vec<Migration>> {
    tx.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );",
    )?;
    let have = tx.query_one("SELECT max(version) FROM schema_migrations", &[], |r| {
        Ok(r.opt_int(0)?.unwrap_or(0))
    })?;
    if have > i64::from(latest()) {
        return Err(StoreError::Schema(msg!(
            "service-database-newer",
            have = have,
            known = latest()
        )));
    }
    let now = jiff::Timestamp::now().to_string();
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| i64::from(m.version) > have) {
        tx.batch(if tx.is_postgres() {
            m.postgres
        } else {
            m.sqlite
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            &[i64::from(m.version).into(), m.name.into(), (&now).into()],
        )?;
        applied.push(*m);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_count_from_one_without_gaps() {
        for (i, m) in super::MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
        }
    }
}
