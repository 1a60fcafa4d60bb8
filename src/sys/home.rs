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

use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::StaffId;
use crate::base::message::Msg;
use crate::msg;
use crate::sys::fsutil;

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
    pub id: StaffId,
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
                Error::usage(msg!("home-no-home-dir")).with_hint(msg!("hint-home-no-home-dir"))
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
    /// The default recipient register (read by the policy layer).
    pub fn recipients_path(&self) -> PathBuf {
        self.root.join("recipients.toml")
    }

    /// Creates the home with the sender's identity. Refuses to replace an existing identity.
    pub fn init(&self, id: &str, name: &str, department: &str, now: &str) -> Result<Identity> {
        let (name, department) = (name.trim(), department.trim());
        if name.is_empty() || department.is_empty() {
            return Err(Error::usage(msg!("home-empty-name-department")));
        }
        let id: StaffId = id
            .parse()
            .map_err(|e| Error::usage(e).with_hint(msg!("hint-home-id")))?;
        if self.identity_path().exists() {
            return Err(
                Error::invalid(msg!("home-already-set-up", path = self.root.as_path()))
                    .with_hint(msg!("hint-home-already-set-up")),
            );
        }
        fsutil::create_dir(&self.root, 0o700)?;
        fsutil::create_dir(&self.labels_dir(), 0o700)?;
        fsutil::create_dir(&self.outbox(), 0o700)?;
        let id = Identity {
            id,
            name: name.to_owned(),
            department: department.to_owned(),
            created: now.to_owned(),
        };
        let text = toml::to_string(&id)
            .map_err(|e| Error::failure(msg!("home-identity-encode-failed")).with_source(e))?;
        fsutil::write_new(&self.identity_path(), text.as_bytes())?;
        Ok(id)
    }

    /// The sender's identity; an error that says to run `okuri init` if there is none.
    pub fn identity(&self) -> Result<Identity> {
        let path = self.identity_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(
                    Error::usage(msg!("home-not-set-up", path = self.root.as_path()))
                        .with_hint(msg!("hint-home-not-set-up")),
                );
            }
            Err(e) => return Err(Error::io(IoOp::Read, &path, e)),
        };
        toml::from_str(&text).map_err(|e| {
            Error::invalid(msg!("home-identity-invalid", path = &path))
                .with_source(e)
                .with_hint(msg!("hint-home-identity-invalid"))
        })
    }
}

/// A value `okuri init` asks for when it is not on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The staff id (`--id`).
    Id,
    /// The sender's name (`--name`).
    Name,
    /// The sender's department (`--department`).
    Department,
}

impl Field {
    /// The error when the value is missing and there is no terminal to ask on.
    fn required(self) -> (Msg, Msg) {
        match self {
            Field::Id => (msg!("home-id-required"), msg!("hint-home-id-required")),
            Field::Name => (msg!("home-name-required"), msg!("hint-home-name-required")),
            Field::Department => (
                msg!("home-department-required"),
                msg!("hint-home-department-required"),
            ),
        }
    }

    /// The prompt on the terminal.
    fn prompt(self) -> Msg {
        match self {
            Field::Id => msg!("home-prompt-id"),
            Field::Name => msg!("home-prompt-name"),
            Field::Department => msg!("home-prompt-department"),
        }
    }

    /// The error when the answer is empty.
    fn empty(self) -> Msg {
        match self {
            Field::Id => msg!("home-id-empty"),
            Field::Name => msg!("home-name-empty"),
            Field::Department => msg!("home-department-empty"),
        }
    }
}

/// Asks for a missing value on the terminal; without a terminal it is a usage error, so a
/// script never hangs on a prompt. `prompt` renders the question in the reader's language.
pub fn prompt_missing(
    value: Option<String>,
    field: Field,
    prompt: &dyn Fn(&Msg) -> String,
) -> Result<String> {
    if let Some(v) = value {
        return Ok(v);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        let (message, hint) = field.required();
        return Err(Error::usage(message).with_hint(hint));
    }
    // Fluent drops the trailing space of a message; the prompt needs one.
    eprint!("{} ", prompt(&field.prompt()).trim_end());
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::failure(msg!("home-terminal-unreadable")).with_source(e))?;
    let v = line.trim().to_owned();
    if v.is_empty() {
        return Err(Error::usage(field.empty()));
    }
    Ok(v)
}
