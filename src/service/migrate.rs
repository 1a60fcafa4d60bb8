//! The database's schema, in numbered migrations (`migrations/sqlite/NNNN_name.sql`), and the
//! table `schema_migrations` that says which ones a database has. Opening the database applies
//! the ones it lacks, in order, each in one transaction with its row; `okuri-approvald migrate`
//! does only that. A database that has a migration this service does not know was made by a
//! newer release: it is refused, never written to.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::msg;
use crate::service::store::{StoreError, StoreResult};

/// One step of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    sqlite: &'static str,
}

/// Every migration, oldest first; versions count from 1 without gaps.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "baseline",
    sqlite: include_str!("../../migrations/sqlite/0001_baseline.sql"),
}];

/// The newest schema this service knows.
pub fn latest() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Applies what `conn`'s database lacks and returns it. All under one write lock, so that two
/// services starting on one database migrate it once.
pub fn apply(conn: &mut Connection) -> StoreResult<Vec<Migration>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );",
    )?;
    let have: u32 = tx
        .query_row("SELECT max(version) FROM schema_migrations", [], |r| {
            r.get::<_, Option<u32>>(0)
        })
        .optional()?
        .flatten()
        .unwrap_or(0);
    if have > latest() {
        return Err(StoreError::Schema(msg!(
            "service-database-newer",
            have = have,
            known = latest()
        )));
    }
    let now = jiff::Timestamp::now().to_string();
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| m.version > have) {
        tx.execute_batch(m.sqlite)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, now],
        )?;
        applied.push(*m);
    }
    tx.commit()?;
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
