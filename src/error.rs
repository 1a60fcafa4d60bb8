//! Errors that carry what to do next, and map to documented exit codes in one place.

use std::fmt;
use std::io;
use std::path::Path;

use crate::policy::Refusal;

/// The process exit codes. Documented in `okuri --help` and the README; scripts rely on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    /// Something went wrong that is not the user's input: I/O, a full disk, a lock.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
    /// The policy refused the transfer (重要性分類 and channel rules). The refusal is recorded.
    Refused = 3,
    /// Input could not be used: a bad policy, a bad label, a file that is not a regular file or
    /// that changed while it was read, an output that already exists.
    Invalid = 4,
    /// The transfer record failed verification: it was edited, cut short or reordered.
    Integrity = 5,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Failure,
    Usage,
    Refused,
    Invalid,
    Integrity,
}

/// An error for staff: a message, hints that say what to do, and the cause chain below.
pub struct Error {
    kind: Kind,
    message: String,
    hints: Vec<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    refusal: Option<Box<Refusal>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hints: Vec::new(),
            source: None,
            refusal: None,
        }
    }

    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(Kind::Failure, message)
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(Kind::Invalid, message)
    }

    pub fn integrity(message: impl Into<String>) -> Self {
        Self::new(Kind::Integrity, message)
    }

    /// A refusal by policy. The message is bilingual because it explains a rule of the standard.
    pub fn refused(refusal: Refusal) -> Self {
        let mut e = Self::new(Kind::Refused, format!("{}\n{}", refusal.ja, refusal.en));
        e.hints
            .push(format!("{}\n{}", refusal.hint_ja, refusal.hint_en));
        e.refusal = Some(Box::new(refusal));
        e
    }

    /// An I/O error on a path, with the path in the message.
    pub fn io(what: &str, path: &Path, source: io::Error) -> Self {
        let kind = match source.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied => Kind::Invalid,
            _ => Kind::Failure,
        };
        let mut e = Self::new(kind, format!("could not {what} {}", path.display()));
        match source.kind() {
            io::ErrorKind::NotFound => e.hints.push("check the path and spelling".into()),
            io::ErrorKind::PermissionDenied => e
                .hints
                .push("check the file's permissions, or ask whoever owns it".into()),
            io::ErrorKind::StorageFull => e.hints.push("free some disk space and try again".into()),
            _ => {}
        }
        e.source = Some(Box::new(source));
        e
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hints(&self) -> &[String] {
        &self.hints
    }

    pub fn refusal(&self) -> Option<&Refusal> {
        self.refusal.as_deref()
    }

    /// The causes below the message, outermost first.
    pub fn causes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut next: Option<&(dyn std::error::Error + 'static)> =
            self.source.as_deref().map(|e| e as _);
        while let Some(e) = next {
            out.push(e.to_string());
            next = e.source();
        }
        out
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            Kind::Failure => ExitCode::Failure,
            Kind::Usage => ExitCode::Usage,
            Kind::Refused => ExitCode::Refused,
            Kind::Invalid => ExitCode::Invalid,
            Kind::Integrity => ExitCode::Integrity,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("hints", &self.hints)
            .field("causes", &self.causes())
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}
