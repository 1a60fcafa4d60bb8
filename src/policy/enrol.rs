//! Enrolment without hand-editing TOML: adds a person, or a person's new key, to the trust list
//! (`[[custodian]]`, `[[officer]]`, `[[administrator]]`) or the staff directory
//! (`[[person]]`), keeping the document's comments and layout, and raising its `serial` so
//! that every okuri that has seen the old version takes the new one.
//!
//! It makes the new text, reads the person's key file, and says whether a signer may extend
//! the document as it stands (they signed it, or it lists no one yet). Whether the result is a
//! valid document is decided by the reader that will read it, and who may sign it where it is
//! read (policy::city): the caller checks the text with that reader before writing anything.

use std::path::Path;

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::base::class::Class;
use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::msg;
use crate::policy::directory;
use crate::policy::trust::SignerRole;
use crate::secret::keys;

/// Where the person goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// The trust list, under this role's table.
    Trust(SignerRole),
    /// The staff directory, with this role (staff or auditor).
    Staff(directory::Role),
}

impl List {
    fn table(self) -> &'static str {
        match self {
            List::Trust(role) => role.key(),
            List::Staff(_) => "person",
        }
    }
}

/// The person to add.
#[derive(Clone, Debug)]
pub struct Person<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub department: &'a str,
    pub key: &'a ssh_key::PublicKey,
    /// Custodians and officers: the classes they approve or designate.
    pub classes: &'a [Class],
    /// Custodians and officers: the departments they act for (`*` for all).
    pub departments: &'a [String],
    /// The last day the key is trusted (trust list only).
    pub valid_before: Option<jiff::civil::Date>,
}

/// What the enrolment changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new entry.
    Person,
    /// A new key for a person already listed.
    Key,
    /// The person already has this key: nothing to write.
    Nothing,
}

/// The enrolled document.
#[derive(Clone, Debug)]
pub struct Enrolled {
    pub text: String,
    pub change: Change,
    pub serial: u64,
}

/// Adds `person` to `list` in `text` (the document at `path`, for messages).
pub fn add(text: &str, path: &Path, list: List, person: &Person) -> Result<Enrolled> {
    let invalid = |detail: String| {
        Error::invalid(msg!("enrol-invalid", file = path, detail = detail))
            .with_hint(msg!("hint-enrol-invalid"))
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| invalid(e.message().trim().to_owned()))?;
    let serial = doc
        .get("serial")
        .and_then(Item::as_integer)
        .and_then(|s| u64::try_from(s).ok())
        .filter(|s| *s > 0)
        .ok_or_else(|| {
            Error::invalid(msg!("enrol-no-serial", file = path))
                .with_hint(msg!("hint-enrol-no-serial"))
        })?;
    let line = keys::public_line(person.key);
    if matches!(list, List::Trust(_)) && revoked(&doc, &line) {
        return Err(Error::invalid(msg!(
            "enrol-revoked",
            file = path,
            key = crate::base::digest::Fingerprint::of(person.key).to_string()
        ))
        .with_hint(msg!("hint-enrol-revoked")));
    }
    let table = list.table();
    let entries = match doc.get_mut(table) {
        None => {
            doc.insert(table, Item::ArrayOfTables(ArrayOfTables::new()));
            doc.get_mut(table).and_then(Item::as_array_of_tables_mut)
        }
        Some(item) => item.as_array_of_tables_mut(),
    }
    .ok_or_else(|| {
        Error::invalid(msg!("enrol-not-a-list", file = path, table = table))
            .with_hint(msg!("hint-enrol-invalid"))
    })?;
    let existing = entries
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(person.id));
    let change = match existing {
        Some(entry) => add_key(entry, list, person, &line, path)?,
        None => {
            entries.push(new_entry(list, person, &line));
            Change::Person
        }
    };
    if change == Change::Nothing {
        return Ok(Enrolled {
            text: text.to_owned(),
            change,
            serial,
        });
    }
    let serial = serial
        .checked_add(1)
        .filter(|s| i64::try_from(*s).is_ok())
        .ok_or_else(|| Error::invalid(msg!("enrol-serial-max", file = path)))?;
    // Keep the comment on the serial's line (`serial = 1   # …`) where it was.
    if let Some(v) = doc.get_mut("serial").and_then(Item::as_value_mut) {
        let decor = v.decor().clone();
        *v = Value::from(serial as i64);
        *v.decor_mut() = decor;
    }
    Ok(Enrolled {
        text: doc.to_string(),
        change,
        serial,
    })
}

/// Does the document already list anyone (in any of the trust list's or the directory's
/// tables)? A template lists no one; a list that does was signed by someone, or should be.
pub fn has_people(text: &str) -> bool {
    let Ok(doc) = text.parse::<DocumentMut>() else {
        return true;
    };
    ["custodian", "officer", "administrator", "person"]
        .iter()
        .filter_map(|t| doc.get(t))
        .any(|item| {
            item.as_array_of_tables().is_some_and(|a| !a.is_empty())
                || item.as_array().is_some_and(|a| !a.is_empty())
        })
}

/// Is `line` a key some entry of the trust list revokes?
fn revoked(doc: &DocumentMut, line: &str) -> bool {
    let roles = [
        SignerRole::Custodian,
        SignerRole::Officer,
        SignerRole::Administrator,
    ];
    let mut keys_revoked: Vec<String> = Vec::new();
    for entries in roles
        .iter()
        .filter_map(|r| doc.get(r.key()).and_then(Item::as_array_of_tables))
    {
        for item in entries.iter().filter_map(|e| e.get("revoked")) {
            // `revoked = [{ key = … }]`, or `[[custodian.revoked]]` tables: both are read.
            if let Some(a) = item.as_array() {
                keys_revoked.extend(
                    a.iter()
                        .filter_map(|v| v.as_inline_table()?.get("key")?.as_str())
                        .map(str::to_owned),
                );
            }
            if let Some(a) = item.as_array_of_tables() {
                keys_revoked.extend(
                    a.iter()
                        .filter_map(|t| t.get("key")?.as_str())
                        .map(str::to_owned),
                );
            }
        }
    }
    keys_revoked
        .iter()
        .filter_map(|k| keys::parse_public(k).ok())
        .any(|k| keys::public_line(&k) == line)
}

/// A new key for a person already listed: the name, department, remit and role given must be
/// the ones the list has, so that a typo never files a key under someone else and no one
/// believes they changed a remit.
fn add_key(
    entry: &mut Table,
    list: List,
    person: &Person,
    line: &str,
    path: &Path,
) -> Result<Change> {
    // Everything the command was told about the person must be what the list says: the
    // command adds a key, it never changes (or seems to change) a person's remit or role.
    // Lists compare as sets of what they mean: `Ⅰ` and `I` are one class, and the order in
    // which a list names departments does not matter.
    let listed = |field: &str| -> Vec<String> {
        let mut v: Vec<String> = match entry.get(field).and_then(Item::as_array) {
            Some(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(|x| match x.parse::<Class>() {
                    Ok(c) if field == "classes" => c.as_str().to_owned(),
                    _ => x.to_owned(),
                })
                .collect(),
            None => Vec::new(),
        };
        v.sort();
        v.dedup();
        v
    };
    let set = |items: &mut dyn Iterator<Item = String>| -> Vec<String> {
        let mut v: Vec<String> = items.collect();
        v.sort();
        v.dedup();
        v
    };
    let text = |field: &str| {
        entry
            .get(field)
            .and_then(Item::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let mut fields = vec![
        ("name", text("name"), person.name.to_owned()),
        (
            "department",
            text("department"),
            person.department.to_owned(),
        ),
    ];
    match list {
        List::Trust(SignerRole::Administrator) => {}
        List::Trust(_) => {
            let given = set(&mut person.classes.iter().map(|c| c.as_str().to_owned()));
            fields.push(("classes", listed("classes").join(","), given.join(",")));
            let given = set(&mut person.departments.iter().cloned());
            fields.push((
                "departments",
                listed("departments").join(","),
                given.join(","),
            ));
        }
        List::Staff(role) => {
            let role = match role {
                directory::Role::Auditor => "auditor",
                _ => "staff",
            };
            // A person with several roles takes a new key for any one of them.
            let roles = listed("roles");
            if !roles.iter().any(|r| r == role) {
                fields.push(("roles", roles.join(","), role.to_owned()));
            }
        }
    }
    for (field, listed, given) in fields {
        if listed != given {
            return Err(Error::invalid(msg!(
                "enrol-differs",
                file = path,
                id = person.id,
                field = field,
                listed = listed.as_str(),
                given = given.as_str()
            ))
            .with_hint(msg!("hint-enrol-differs", field = field)));
        }
    }
    let keys = entry
        .get_mut("keys")
        .and_then(Item::as_array_mut)
        .ok_or_else(|| {
            Error::invalid(msg!("enrol-not-a-list", file = path, table = "keys"))
                .with_hint(msg!("hint-enrol-invalid"))
        })?;
    let held = keys.iter().any(|k| {
        let text = match k {
            Value::String(s) => Some(s.value().as_str()),
            Value::InlineTable(t) => t.get("key").and_then(Value::as_str),
            _ => None,
        };
        text.and_then(|t| keys::parse_public(t).ok())
            .is_some_and(|k| keys::public_line(&k) == line)
    });
    if held {
        return Ok(Change::Nothing);
    }
    keys.push_formatted(key_value(list, person, line));
    Ok(Change::Key)
}

fn key_value(list: List, person: &Person, line: &str) -> Value {
    let commented = format!("{line} {}", person.id);
    match list {
        List::Staff(_) => Value::from(commented),
        List::Trust(_) => {
            let mut t = InlineTable::new();
            t.insert("key", Value::from(commented));
            // The CLI accepts only years 2000–2999 (see cli::enrol), which TOML holds.
            if let Some(Ok(d)) = person
                .valid_before
                .map(|d| d.to_string().parse::<toml_edit::Datetime>())
            {
                t.insert("valid_before", Value::from(d));
            }
            Value::InlineTable(t)
        }
    }
}

fn new_entry(list: List, person: &Person, line: &str) -> Table {
    let mut t = Table::new();
    t.insert("id", toml_edit::value(person.id));
    t.insert("name", toml_edit::value(person.name));
    t.insert("department", toml_edit::value(person.department));
    let strings = |items: &mut dyn Iterator<Item = &str>| {
        let mut a = Array::new();
        for i in items {
            a.push(i);
        }
        toml_edit::value(a)
    };
    match list {
        List::Trust(SignerRole::Administrator) => {}
        List::Trust(_) => {
            t.insert(
                "classes",
                strings(&mut person.classes.iter().map(|c| c.as_str())),
            );
            t.insert(
                "departments",
                strings(&mut person.departments.iter().map(String::as_str)),
            );
        }
        List::Staff(role) => {
            let role = match role {
                directory::Role::Auditor => "auditor",
                _ => "staff",
            };
            t.insert("roles", strings(&mut std::iter::once(role)));
        }
    }
    let mut keys = Array::new();
    keys.push_formatted(key_value(list, person, line));
    t.insert("keys", toml_edit::value(keys));
    t
}

/// The key whose signature `FILE.sig` holds over `text` in the kind's namespace, if it does.
pub fn signed_by(
    kind: crate::policy::city::Kind,
    sig_path: &Path,
    text: &str,
) -> Option<crate::base::digest::Fingerprint> {
    let armor = std::fs::read(sig_path).ok()?;
    let sig = ssh_key::SshSig::from_pem(armor.trim_ascii_end()).ok()?;
    crate::secret::keys::verify_sshsig(&sig, kind.namespace(), text.as_bytes()).then(|| {
        crate::base::digest::Fingerprint::of(&ssh_key::PublicKey::from(sig.public_key().clone()))
    })
}

/// A signer extends only what they signed: where the document has a signature, it must be
/// this signer's, over the text as it is now; a document without one may list no one yet (a
/// template). Otherwise the new signature would also cover whatever someone wrote into the
/// file since (a custodian of their own, say, with the old signature deleted), while the
/// command said only who it added.
pub fn vouched(
    kind: crate::policy::city::Kind,
    file: &Path,
    sig_path: &Path,
    text: &str,
    key: &crate::secret::keys::SigningKey,
) -> Result<()> {
    let fine = if std::fs::symlink_metadata(sig_path).is_ok() {
        signed_by(kind, sig_path, text).as_ref() == Some(&key.fingerprint)
    } else {
        !has_people(text)
    };
    if fine {
        return Ok(());
    }
    Err(Error::invalid(msg!(
        "enrol-unvouched",
        file = file,
        key = key.fingerprint.to_string()
    ))
    .with_hint(msg!("hint-enrol-unvouched", kind = kind.as_str())))
}

/// The person's public key: exactly one OpenSSH Ed25519 line (a file of two keys would enrol
/// the first one silently; one of more than 16 KiB is not a key file).
pub fn read_public(path: &Path) -> Result<ssh_key::PublicKey> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(16 * 1024 + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(IoOp::Read, path, e))?;
    let bad = |m: Msg| Error::invalid(m).with_hint(msg!("hint-enrol-bad-key"));
    if bytes.len() > 16 * 1024 {
        return Err(bad(msg!("enrol-key-too-long", file = path)));
    }
    let text =
        std::str::from_utf8(&bytes).map_err(|_| bad(msg!("enrol-key-not-utf8", file = path)))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let [line] = lines.as_slice() else {
        return Err(bad(msg!(
            "enrol-key-lines",
            file = path,
            lines = lines.len()
        )));
    };
    if crate::base::text::has_hidden_control(line) {
        return Err(bad(msg!("enrol-key-control", file = path)));
    }
    crate::secret::keys::parse_public(line).map_err(|e| {
        bad(match e {
            crate::secret::keys::BadPublicKey::NotOpenSsh(d) => {
                msg!("enrol-bad-key", file = path, detail = d)
            }
            crate::secret::keys::BadPublicKey::NotEd25519(a) => {
                msg!("enrol-key-not-ed25519", file = path, algorithm = a)
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPgl/SxltMLWcAQWdh+8CFY0HNMGumjhjxrcKp06PT/h t";

    #[test]
    fn an_existing_remit_matches_as_a_set() {
        let text = "serial = 3\n\n[[officer]]\nid = \"tanaka.ichiro\"\nname = \"田中\"\ndepartment = \"総務部\"\nclasses = [\"Ⅱ\", \"Ⅰ\"]\ndepartments = [\"税務課\", \"総務課\"]\nkeys = []\n";
        let key = keys::parse_public(KEY).unwrap();
        let person = |classes: &'static [Class], departments: &[String]| {
            add(
                text,
                Path::new("t.toml"),
                List::Trust(SignerRole::Officer),
                &Person {
                    id: "tanaka.ichiro",
                    name: "田中",
                    department: "総務部",
                    key: &key,
                    classes,
                    departments,
                    valid_before: None,
                },
            )
        };
        let both = ["総務課".to_owned(), "税務課".to_owned()];
        let e = person(&[Class::I, Class::II], &both).unwrap();
        assert_eq!(e.change, Change::Key);
        assert_eq!(e.serial, 4);
        assert!(e.text.contains("classes = [\"Ⅱ\", \"Ⅰ\"]"), "{}", e.text);
        // A narrower remit is a different request, not a new key.
        let err = person(&[Class::II], &both).unwrap_err();
        assert_eq!(err.message().id(), "enrol-differs");
        let err = person(&[Class::I, Class::II], &both[..1]).unwrap_err();
        assert_eq!(err.message().id(), "enrol-differs");
    }

    #[test]
    fn a_key_revoked_in_a_table_of_its_own_is_found() {
        let text = format!(
            "serial = 1\n\n[[custodian]]\nid = \"a\"\nname = \"A\"\ndepartment = \"D\"\nclasses = [\"I\"]\ndepartments = [\"D\"]\nkeys = []\n\n[[custodian.revoked]]\nkey = \"{KEY}\"\nrevoked_at = 2026-01-01\nreason = \"x\"\n"
        );
        let doc: DocumentMut = text.parse().unwrap();
        let line = keys::public_line(&keys::parse_public(KEY).unwrap());
        assert!(revoked(&doc, &line));
        assert!(has_people(&text));
        assert!(!has_people("serial = 1\n"));
    }
}
