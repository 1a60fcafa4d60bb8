//! The okuri home: the sender's identity, the transfer record, the label register, the outbox.
//!
//! Layout (mode 0700):
//! ```text
//! identity.toml      who sends (name, department)
//! record.jsonl       the transfer record (append-only, hash-chained)
//! record.head        the last entry's sequence number and hash, to detect a cut-short record
//! record.lock        the single-writer lock
//! labels/            unsigned labels: <blake3>.json per labelled file
//! designations/      signed class designations: <blake3>-<time>.okuri-designation
//! keys/              key pairs made by `okuri keygen` without --out
//! recipients.toml    the recipient register, unless --recipients says otherwise
//! outbox/            packages, unless --out says otherwise
//! ```

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil;

#[derive(Clone, Debug)]
pub struct Home {
    root: PathBuf,
    /// The media register, when it is shared rather than in the home (`--media`).
    media: Option<PathBuf>,
}

/// The sender, as recorded in every entry and shown on every slip.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// The staff id (ASCII, like a login name): what the trust list and approvals name.
    pub id: String,
    pub name: String,
    pub department: String,
    pub created: String,
}

impl Home {
    /// `--home`/`OKURI_HOME` if given, else `$XDG_DATA_HOME/okuri` (`~/.local/share/okuri`).
    pub fn resolve(explicit: Option<&Path>) -> Result<Home> {
        let root = match explicit {
            Some(p) => p.to_path_buf(),
            None => dirs::data_dir().map(|d| d.join("okuri")).ok_or_else(|| {
                Error::usage("cannot find a home directory for okuri")
                    .with_hint("give one with --home DIR or OKURI_HOME")
            })?,
        };
        Ok(Home { root, media: None })
    }

    /// Uses `dir` as the media register (a directory the custodians share) instead of
    /// `media/` in the home.
    pub fn with_media(mut self, dir: Option<PathBuf>) -> Home {
        self.media = dir;
        self
    }

    /// The media register: registered media's markers and retirement notes.
    pub fn media_dir(&self) -> PathBuf {
        self.media
            .clone()
            .unwrap_or_else(|| self.root.join("media"))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn identity_path(&self) -> PathBuf {
        self.root.join("identity.toml")
    }
    pub fn record_path(&self) -> PathBuf {
        self.root.join("record.jsonl")
    }
    pub fn head_path(&self) -> PathBuf {
        self.root.join("record.head")
    }
    pub fn lock_path(&self) -> PathBuf {
        self.root.join("record.lock")
    }
    pub fn labels_dir(&self) -> PathBuf {
        self.root.join("labels")
    }
    pub fn outbox(&self) -> PathBuf {
        self.root.join("outbox")
    }
    pub fn designations_dir(&self) -> PathBuf {
        self.root.join("designations")
    }
    pub fn keys_dir(&self) -> PathBuf {
        self.root.join("keys")
    }
    /// The default recipient register (see [`crate::recipients`]).
    pub fn recipients_path(&self) -> PathBuf {
        self.root.join("recipients.toml")
    }

    /// Creates the home with the sender's identity. Refuses to replace an existing identity.
    pub fn init(&self, id: &str, name: &str, department: &str, now: &str) -> Result<Identity> {
        let (name, department) = (name.trim(), department.trim());
        if name.is_empty() || department.is_empty() {
            return Err(Error::usage("name and department must not be empty"));
        }
        crate::keys::check_id(id).map_err(|e| {
            Error::usage(format!("--id: {e}"))
                .with_hint("give your staff id, e.g. --id yamada.taro")
        })?;
        if self.identity_path().exists() {
            return Err(Error::invalid(format!(
                "okuri is already set up in {}",
                self.root.display()
            ))
            .with_hint("use this home as it is, or choose another with --home"));
        }
        fsutil::create_dir(&self.root, 0o700)?;
        fsutil::create_dir(&self.labels_dir(), 0o700)?;
        fsutil::create_dir(&self.outbox(), 0o700)?;
        let id = Identity {
            id: id.to_owned(),
            name: name.to_owned(),
            department: department.to_owned(),
            created: now.to_owned(),
        };
        let text = toml::to_string(&id)
            .map_err(|e| Error::failure("cannot encode identity").with_source(e))?;
        fsutil::write_new(&self.identity_path(), text.as_bytes())?;
        Ok(id)
    }

    /// The sender's identity; an error that says to run `okuri init` if there is none.
    pub fn identity(&self) -> Result<Identity> {
        let path = self.identity_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::usage(format!(
                    "okuri is not set up in {}",
                    self.root.display()
                ))
                .with_hint("run `okuri init --name NAME --department DEPT` first"));
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        toml::from_str(&text).map_err(|e| {
            Error::invalid(format!("{} is not a valid identity file", path.display()))
                .with_source(e)
                .with_hint("restore it from backup, or set up a new home with `okuri init`")
        })
    }
}

/// Asks for a missing value on the terminal; without a terminal it is a usage error, so a
/// script never hangs on a prompt.
pub fn prompt_missing(value: Option<String>, label: &str, flag: &str) -> Result<String> {
    if let Some(v) = value {
        return Ok(v);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::usage(format!("{flag} is required"))
            .with_hint(format!("give it on the command line: {flag} <{label}>")));
    }
    eprint!("{label}: ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::failure("cannot read from the terminal").with_source(e))?;
    let v = line.trim().to_owned();
    if v.is_empty() {
        return Err(Error::usage(format!("{label} must not be empty")));
    }
    Ok(v)
}
