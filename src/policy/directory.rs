//! The staff directory: who the city's staff and auditors are, in which department, with
//! which Ed25519 keys. Custodians and officers come from the trust list instead. In a signed
//! city it is `staff.toml`, signed by an administrator the trust list names (policy::city),
//! and every okuri reads it offline: the department a staff member acts for, and the key a
//! request is signed with, are the directory's, never what a home says of itself.
//!
//! Enrolment: a staff member makes a key (`okuri keygen --role staff`) and gives the `.pub`
//! line to the administrator, who adds it here, signs the directory and installs it.

use std::path::Path;

use serde::Deserialize;

use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::msg;
use crate::secret::keys::{self, BadPublicKey, Fingerprint};

/// What a person may do at the approval service, from the key they log in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Staff,
    Custodian,
    Auditor,
    /// An information officer of the trust list (never a role the directory gives).
    Officer,
}

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
    // Spanned: a finding about an id, a role or a key is reported at its line.
    id: toml::Spanned<String>,
    /// The person's other ids (a custodian's id in the trust list, another login): one person,
    /// one entry, so that no one can approve their own request under another name.
    #[serde(default)]
    also: Vec<toml::Spanned<String>>,
    name: toml::Spanned<String>,
    department: toml::Spanned<String>,
    roles: toml::Spanned<Vec<Role>>,
    keys: Vec<toml::Spanned<String>>,
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
            let at = p.id.span().start;
            let id = p.id.into_inner();
            keys::check_id(&id).map_err(|e| bad(at, e))?;
            let roles_at = p.roles.span().start;
            let roles = p.roles.into_inner();
            if roles.contains(&Role::Custodian) || roles.contains(&Role::Officer) {
                return Err(bad(roles_at, msg!("directory-custodian", id = &id)));
            }
            // The one rule for a person's text in every city document (base::text).
            for (field, v) in [("name", &p.name), ("department", &p.department)] {
                if crate::base::text::has_hidden_control(v.get_ref()) {
                    return Err(bad(
                        v.span().start,
                        msg!("policy-control-character", what = field),
                    ));
                }
            }
            let also: Vec<String> = p.also.iter().map(|a| a.get_ref().clone()).collect();
            let names = std::iter::once((at, &id))
                .chain(p.also.iter().map(|a| (a.span().start, a.get_ref())));
            for (at, other) in names {
                keys::check_id(other).map_err(|e| bad(at, e))?;
                if people.iter().any(|q: &Person| q.is(other))
                    || also.iter().filter(|a| *a == other).count() > usize::from(other != &id)
                {
                    return Err(bad(at, msg!("directory-id-twice", id = other)));
                }
            }
            let mut fps = Vec::new();
            for k in &p.keys {
                let at = k.span().start;
                let key = keys::parse_public(k.get_ref()).map_err(|e| {
                    bad(
                        at,
                        match e {
                            BadPublicKey::NotOpenSsh(detail) => {
                                msg!("directory-key-not-openssh", id = &id, detail = detail)
                            }
                            BadPublicKey::NotEd25519(algorithm) => {
                                msg!("directory-key-not-ed25519", id = &id, algorithm = algorithm)
                            }
                        },
                    )
                })?;
                let fp = Fingerprint::of(&key);
                // One key, one person: a key under two entries is a person listed twice.
                if let Some(q) = people.iter().find(|q: &&Person| q.keys.contains(&fp)) {
                    return Err(bad(
                        at,
                        msg!("directory-key-twice", id = &id, other = &q.id, key = &fp),
                    ));
                }
                fps.push(fp);
            }
            people.push(Person {
                id,
                also,
                name: p.name.into_inner(),
                department: p.department.into_inner(),
                roles,
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

/// Why a requester does not stand in the directory as the request says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotEnrolled {
    /// No staff member has this id.
    Unknown,
    /// The person is listed under another department (named).
    Department(String),
    /// The request was not signed with a key (a signed city needs one).
    Unsigned,
    /// The request was signed with a key the directory does not give the person.
    OtherKey,
}

impl NotEnrolled {
    /// The refusal's `why` and `listed` arguments.
    pub fn why(&self) -> (&'static str, String) {
        match self {
            NotEnrolled::Unknown => ("unknown", String::new()),
            NotEnrolled::Department(d) => ("department", d.clone()),
            NotEnrolled::Unsigned => ("unsigned", String::new()),
            NotEnrolled::OtherKey => ("key", String::new()),
        }
    }
}

impl Directory {
    /// The one check of a requester against the directory: a staff member under this id,
    /// of this department, and `key` (the key the request was signed or the session was
    /// opened with) one of theirs. Called by `okuri request`, `approve`, `deny`, `pack` and
    /// the service.
    pub fn check_requester(
        &self,
        id: &str,
        department: &str,
        key: Option<&Fingerprint>,
    ) -> std::result::Result<&Person, NotEnrolled> {
        let p = self.member(id, department)?;
        match key {
            None => Err(NotEnrolled::Unsigned),
            Some(k) if !p.keys.contains(k) => Err(NotEnrolled::OtherKey),
            Some(_) => Ok(p),
        }
    }

    /// A staff member under this id, of this department.
    pub fn member(&self, id: &str, department: &str) -> std::result::Result<&Person, NotEnrolled> {
        let p = self
            .get(id)
            .filter(|p| p.roles.contains(&Role::Staff))
            .ok_or(NotEnrolled::Unknown)?;
        if p.department != department {
            return Err(NotEnrolled::Department(p.department.clone()));
        }
        Ok(p)
    }

    /// Checks the identity a home declares (`okuri init`) against the directory: in a signed
    /// city one acts as the staff member and for the department the directory says, never
    /// as what one's home says of itself.
    pub fn confirm(&self, me: &crate::sys::home::Identity) -> Result<()> {
        self.member(me.id.as_str(), &me.department)
            .map(drop)
            .map_err(|gap| {
                let (why, listed) = gap.why();
                Error::invalid(msg!(
                    "identity-not-in-directory",
                    id = &me.id,
                    department = &me.department,
                    why = why,
                    listed = listed
                ))
                .with_hint(msg!("hint-identity-not-in-directory"))
            })
    }

    /// Proves the home's identity with the key the staff member signs with: the directory's
    /// entry for the id, of the department, holding this key. A home that names a colleague
    /// cannot act as them without their key.
    pub fn prove(&self, me: &crate::sys::home::Identity, key: &Fingerprint) -> Result<()> {
        self.confirm(me)?;
        if self
            .member(me.id.as_str(), &me.department)
            .is_ok_and(|p| p.keys.contains(key))
        {
            return Ok(());
        }
        Err(Error::invalid(msg!(
            "identity-not-in-directory",
            id = &me.id,
            department = &me.department,
            why = "key",
            listed = key.as_str()
        ))
        .with_hint(msg!("hint-identity-not-in-directory")))
    }

    /// The directory in force: the city's, signed by an administrator of `trust`, where a
    /// trust anchor is installed (its serial checked against `home`); none in development
    /// mode, where requests and identities are not checked against a directory.
    pub fn in_force(
        home: &Path,
        trust: &crate::policy::trust::TrustList,
    ) -> Result<Option<Directory>> {
        use crate::policy::city;
        let dir = city::system_dir()?;
        let Some(c) = city::City::open(&dir)? else {
            return Ok(None);
        };
        let now = crate::sys::hooks::now().timestamp();
        let doc = c.document(
            city::Kind::Staff,
            &|fp| city::signed_by_role(trust, city::Kind::Staff, fp, now),
            now,
        )?;
        city::Seen::check(home, city::Kind::Staff, doc.serial)?;
        Self::parse(&doc.text, &doc.path).map(Some)
    }
}

impl Person {
    /// Is `id` this person's id or one of their other ids?
    pub fn is(&self, id: &str) -> bool {
        self.id == id || self.also.iter().any(|a| a == id)
    }
}
