//! The staff directory the service keeps: who may log in as staff or auditor, in which
//! department, with which Ed25519 keys. Custodians come from the policy's trust list instead.
//!
//! Enrolment: a staff member makes a key (`okuri keygen --role staff`) and gives the `.pub`
//! line to the service's administrator, who adds it here and restarts the service.

use std::path::Path;

use serde::Deserialize;

use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::msg;
use crate::net::wire::Role;
use crate::secret::keys::{self, BadPublicKey, Fingerprint};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    // The header of the city's signed directory (policy::city), checked there.
    #[serde(default)]
    #[allow(dead_code)]
    serial: Option<u64>,
    #[serde(default)]
    #[allow(dead_code)]
    valid_until: Option<toml::value::Datetime>,
    #[serde(default)]
    person: Vec<RawPerson>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: String,
    /// The person's other ids (a custodian's id in the trust list, another login): one person,
    /// one entry, so that no one can approve their own request under another name.
    #[serde(default)]
    also: Vec<String>,
    name: String,
    department: String,
    roles: Vec<Role>,
    keys: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    /// Other ids of the same person.
    pub also: Vec<String>,
    pub name: String,
    pub department: String,
    pub roles: Vec<Role>,
    pub keys: Vec<Fingerprint>,
}

#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub people: Vec<Person>,
}

impl Directory {
    pub fn load(path: &Path) -> Result<Directory> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        Self::parse(&text, path)
    }

    /// Checks a directory's text; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Directory> {
        let text = text.to_owned();
        let bad = |offset: usize, finding: Msg| {
            Error::invalid_at(
                msg!("directory-invalid", file = path),
                path,
                &text,
                offset,
                finding,
            )
        };
        let f: File = toml::from_str(&text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            bad(at, msg!("directory-toml", detail = e.message().trim()))
        })?;
        if f.version != 1 {
            return Err(bad(0, msg!("directory-version")));
        }
        let mut people = Vec::new();
        for p in f.person {
            keys::check_id(&p.id).map_err(|e| bad(0, e))?;
            if p.roles.contains(&Role::Custodian) {
                return Err(bad(0, msg!("directory-custodian", id = &p.id)));
            }
            for id in std::iter::once(&p.id).chain(&p.also) {
                keys::check_id(id).map_err(|e| bad(0, e))?;
                if people.iter().any(|q: &Person| q.is(id))
                    || p.also.iter().filter(|a| *a == id).count() > usize::from(id != &p.id)
                {
                    return Err(bad(0, msg!("directory-id-twice", id = id)));
                }
            }
            let mut fps = Vec::new();
            for k in &p.keys {
                let key = keys::parse_public(k).map_err(|e| {
                    bad(
                        0,
                        match e {
                            BadPublicKey::NotOpenSsh(detail) => {
                                msg!("directory-key-not-openssh", id = &p.id, detail = detail)
                            }
                            BadPublicKey::NotEd25519(algorithm) => msg!(
                                "directory-key-not-ed25519",
                                id = &p.id,
                                algorithm = algorithm
                            ),
                        },
                    )
                })?;
                let fp = Fingerprint::of(&key);
                // One key, one person: a key under two entries is a person listed twice.
                if let Some(q) = people.iter().find(|q: &&Person| q.keys.contains(&fp)) {
                    return Err(bad(
                        0,
                        msg!("directory-key-twice", id = &p.id, other = &q.id, key = &fp),
                    ));
                }
                fps.push(fp);
            }
            people.push(Person {
                id: p.id,
                also: p.also,
                name: p.name,
                department: p.department,
                roles: p.roles,
                keys: fps,
            });
        }
        Ok(Directory { people })
    }

    /// The person with this id, their main one or another of theirs.
    pub fn get(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.is(id))
    }

    /// Are the holder of id `a` and the holder of id `b` (who signs with one of `b_keys`) one
    /// person: the same entry, or an entry that holds one of `b_keys`?
    pub fn same_person(&self, a: &str, b: &str, b_keys: &[Fingerprint]) -> bool {
        a == b
            || self
                .get(a)
                .is_some_and(|p| p.is(b) || p.keys.iter().any(|k| b_keys.contains(k)))
    }
}

impl Person {
    /// Is `id` this person's id or one of their other ids?
    pub fn is(&self, id: &str) -> bool {
        self.id == id || self.also.iter().any(|a| a == id)
    }
}
