//! `okuri-approvald copy-db`: moves the service's state from one database to another (a
//! city's SQLite file to PostgreSQL, when it grows to several instances), every table of the
//! schema, into an empty database at the same schema version, in one transaction; then reads
//! every row of both back, in key order, and compares them.
//!
//! One list of tables ([`TABLES`]) drives the copy and the comparison; a test checks that it
//! names every table the migrations make, so a table added later cannot be left behind.

use crate::base::digest::Blake3;
use crate::msg;
use crate::service::db::{Arg, DbRow, Mode, Tx};
use crate::service::store::{Store, StoreError, StoreResult};

/// A column's type, as both schemas declare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Text,
    Int,
}

/// One table: its columns, and the key its rows are read in.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Col)],
    pub key: &'static str,
}

use Col::{Int, Text};

/// Every table of the schema but `schema_migrations` (each database has its own), parents
/// before the tables that refer to them.
pub const TABLES: &[Table] = &[
    Table {
        name: "requests",
        columns: &[
            ("id", Text),
            ("requester", Text),
            ("department", Text),
            ("class", Text),
            ("body", Text),
            ("submitted_at", Text),
            ("status", Text),
        ],
        key: "id",
    },
    Table {
        name: "decisions",
        columns: &[
            ("request_id", Text),
            ("kind", Text),
            ("custodian", Text),
            ("document", Text),
            ("token_id", Text),
            ("decided_at", Text),
        ],
        key: "request_id",
    },
    Table {
        name: "consumptions",
        columns: &[
            ("token_id", Text),
            ("request_id", Text),
            ("by_id", Text),
            ("transfer_id", Text),
            ("at", Text),
        ],
        key: "token_id",
    },
    Table {
        name: "offline_uses",
        columns: &[
            ("token_id", Text),
            ("transfer_id", Text),
            ("request_id", Text),
            ("by_id", Text),
            ("record", Text),
            ("at", Text),
        ],
        key: "token_id, transfer_id",
    },
    Table {
        name: "violations",
        columns: &[
            ("token_id", Text),
            ("transfer_id", Text),
            ("first_transfer", Text),
            ("by_id", Text),
            ("record", Text),
            ("at", Text),
        ],
        key: "token_id, transfer_id",
    },
    Table {
        name: "challenges",
        columns: &[("nonce", Text), ("id", Text), ("expires", Int)],
        key: "nonce",
    },
    Table {
        name: "console_pending",
        columns: &[
            ("nonce", Text),
            ("session", Text),
            ("custodian", Text),
            ("request_id", Text),
            ("kind", Text),
            ("payload", Text),
            ("expires", Int),
        ],
        key: "nonce",
    },
    Table {
        name: "sessions",
        columns: &[
            ("hash", Text),
            ("id", Text),
            ("roles", Text),
            ("expires", Int),
        ],
        key: "hash",
    },
    Table {
        name: "designations",
        columns: &[
            ("blake3", Text),
            ("document_hash", Text),
            ("document", Text),
            ("class", Text),
            ("department", Text),
            ("designated_at", Text),
            ("registered_at", Text),
        ],
        key: "blake3, document_hash",
    },
    Table {
        name: "class_findings",
        columns: &[
            ("record", Text),
            ("transfer_id", Text),
            ("by_id", Text),
            ("blake3", Text),
            ("class", Text),
            ("city_class", Text),
            ("at", Text),
        ],
        key: "record, transfer_id",
    },
    Table {
        name: "rules_held",
        columns: &[("digest", Text), ("first_held", Text)],
        key: "digest",
    },
    Table {
        name: "serials",
        columns: &[("kind", Text), ("serial", Int)],
        key: "kind",
    },
    Table {
        name: "witness",
        columns: &[
            ("record", Text),
            ("owner", Text),
            ("seq", Int),
            ("hash", Text),
            ("updated_at", Text),
        ],
        key: "record",
    },
    Table {
        name: "secrets",
        columns: &[("name", Text), ("value", Text), ("created_at", Text)],
        key: "name",
    },
];

/// One value of a row, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl Value {
    fn arg(&self) -> Arg<'_> {
        match self {
            Value::Null => Arg::Null,
            Value::Int(i) => Arg::Int(*i),
            Value::Text(s) => Arg::Text(s),
        }
    }
}

impl Table {
    fn select(&self) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|c| c.0).collect();
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            cols.join(", "),
            self.name,
            self.key
        )
    }

    fn insert(&self) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|c| c.0).collect();
        let params: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.name,
            cols.join(", "),
            params.join(", ")
        )
    }

    fn values(&self, r: &DbRow<'_, '_>) -> StoreResult<Vec<Value>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, col))| {
                Ok(match col {
                    Col::Int => r.opt_int(i)?.map_or(Value::Null, Value::Int),
                    Col::Text => r.opt_text(i)?.map_or(Value::Null, Value::Text),
                })
            })
            .collect()
    }

    fn count(&self, tx: &Tx<'_>) -> StoreResult<u64> {
        let n = tx.query_one(&format!("SELECT count(*) FROM {}", self.name), &[], |r| {
            r.int(0)
        })?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// How many rows, and a BLAKE3 over every value of every row in key order (each value
    /// tagged with its type and length, so that no two different tables of rows read alike).
    fn fingerprint(&self, tx: &Tx<'_>) -> StoreResult<(u64, Blake3)> {
        let mut h = blake3::Hasher::new();
        let mut rows = 0u64;
        tx.for_each(&self.select(), |r| {
            rows += 1;
            for v in self.values(r)? {
                match v {
                    Value::Null => h.update(b"n"),
                    Value::Int(i) => h.update(b"i").update(&i.to_be_bytes()),
                    Value::Text(s) => h
                        .update(b"t")
                        .update(&(s.len() as u64).to_be_bytes())
                        .update(s.as_bytes()),
                };
            }
            Ok(())
        })?;
        Ok((rows, Blake3::from(h.finalize())))
    }
}

/// What was copied of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub rows: u64,
}

/// Copies every table of `from` into `to`, which must be empty, then compares both, table by
/// table. Both are at the newest schema (opening them migrated them).
pub fn copy(from: &Store, to: &Store) -> StoreResult<Vec<Copied>> {
    to.db().run(Mode::Bulk, &|t| {
        for table in TABLES {
            let n = table.count(t)?;
            if n > 0 {
                return Err(StoreError::Conflict(msg!(
                    "service-copy-target-not-empty",
                    table = table.name,
                    rows = n
                )));
            }
        }
        from.db().run(Mode::Bulk, &|f| {
            for table in TABLES {
                let insert = table.insert();
                f.for_each(&table.select(), |r| {
                    let values = table.values(r)?;
                    let args: Vec<Arg<'_>> = values.iter().map(Value::arg).collect();
                    t.execute(&insert, &args)?;
                    Ok(())
                })?;
            }
            Ok(())
        })
    })?;
    compare(from, to)
}

/// Reads every table of both back, in key order, in a snapshot of each, and compares them;
/// the first table that differs is a [`StoreError::Mismatch`].
pub fn compare(from: &Store, to: &Store) -> StoreResult<Vec<Copied>> {
    from.db().run(Mode::Bulk, &|f| {
        to.db().run(Mode::Bulk, &|t| {
            TABLES
                .iter()
                .map(|table| {
                    let (rows, ours) = table.fingerprint(f)?;
                    let (copied, theirs) = table.fingerprint(t)?;
                    if (rows, ours) != (copied, theirs) {
                        return Err(StoreError::Mismatch(msg!(
                            "service-copy-mismatch",
                            table = table.name,
                            rows = rows,
                            copied = copied
                        )));
                    }
                    Ok(Copied {
                        table: table.name,
                        rows,
                    })
                })
                .collect()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn store(dir: &std::path::Path, name: &str) -> Store {
        Store::open_sqlite(&dir.join(name), Duration::from_secs(1)).unwrap()
    }

    /// A copy is compared row by row: a value changed, a row gone or a row added in the copy
    /// is found, and naming the table; a database that is not empty is not copied into.
    #[test]
    fn a_copy_that_differs_from_its_original_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let from = store(dir.path(), "from.sqlite");
        from.tx_blocking(|tx| {
            for i in 0..3 {
                tx.execute(
                    "INSERT INTO requests (id, requester, department, class, body, submitted_at, status)
                     VALUES (?1, 'yamada.taro', '総務課', 'II', '{}', ?2, 'pending')",
                    &[format!("r{i}").as_str().into(), format!("2026-12-07T10:0{i}:00Z").as_str().into()],
                )?;
            }
            tx.execute(
                "INSERT INTO sessions (hash, id, roles, expires) VALUES ('h', 'yamada.taro', '[]', 99)",
                &[],
            )?;
            crate::service::store::shared_secret(tx, "console-csrf", "now").map(drop)
        })
        .unwrap();
        let to = store(dir.path(), "to.sqlite");
        let copied = copy(&from, &to).unwrap();
        let rows = |t: &str| copied.iter().find(|c| c.table == t).unwrap().rows;
        assert_eq!(
            (rows("requests"), rows("sessions"), rows("secrets")),
            (3, 1, 1)
        );
        // Copying again: the target is not empty.
        assert!(matches!(copy(&from, &to), Err(StoreError::Conflict(_))));
        for edit in [
            "UPDATE requests SET status = 'approved' WHERE id = 'r1'",
            "DELETE FROM requests WHERE id = 'r2'",
            "UPDATE sessions SET expires = 100",
            "INSERT INTO serials (kind, serial) VALUES ('staff', 1)",
        ] {
            let to = store(dir.path(), "edited.sqlite");
            // A fresh copy each time, then the one edit.
            to.tx_blocking(|tx| {
                for t in TABLES.iter().rev() {
                    tx.execute(&format!("DELETE FROM {}", t.name), &[])?;
                }
                Ok(())
            })
            .unwrap();
            copy(&from, &to).unwrap();
            to.tx_blocking(|tx| tx.execute(edit, &[]).map(drop))
                .unwrap();
            match compare(&from, &to) {
                Err(StoreError::Mismatch(m)) => {
                    assert!(edit.contains(&m.args["table"].plain()), "{edit}: {m:?}")
                }
                other => panic!("{edit}: {other:?}"),
            }
        }
    }

    /// Every table a migration makes is copied (but the migrations' own list).
    #[test]
    fn every_table_of_the_schema_is_copied() {
        for m in crate::service::migrate::MIGRATIONS {
            for sql in [m.sqlite_sql(), m.postgres_sql()] {
                for part in sql.split("CREATE TABLE").skip(1) {
                    let name = part
                        .trim_start()
                        .trim_start_matches("IF NOT EXISTS")
                        .split_whitespace()
                        .next()
                        .unwrap();
                    assert!(
                        TABLES.iter().any(|t| t.name == name),
                        "{name} (migration {}) is not in copy::TABLES",
                        m.version
                    );
                }
            }
        }
    }
}
