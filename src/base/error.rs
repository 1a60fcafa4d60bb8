//! Errors as facts: a kind (which maps to a documented exit code, in one place), a message
//! and hints as [`Msg`]s that the edge renders in the reader's language, and the cause chain.

use std::fmt;
use std::io;
use std::path::Path;

use crate::base::message::Msg;
use crate::base::refusal::Refusal;
use crate::msg;

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

/// What okuri was doing with a file when the operating system said no. Each is a message
/// `io-<op>` that names the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoOp {
    Read,
    Write,
    Open,
    Create,
    Lock,
    Sync,
    Remove,
    Append,
    Repair,
    Resolve,
    ReadXattr,
    WriteXattr,
}

impl IoOp {
    fn msg(self, path: &Path) -> Msg {
        match self {
            IoOp::Read => msg!("io-read", path = path),
            IoOp::Write => msg!("io-write", path = path),
            IoOp::Open => msg!("io-open", path = path),
            IoOp::Create => msg!("io-create", path = path),
            IoOp::Lock => msg!("io-lock", path = path),
            IoOp::Sync => msg!("io-sync", path = path),
            IoOp::Remove => msg!("io-remove", path = path),
            IoOp::Append => msg!("io-append", path = path),
            IoOp::Repair => msg!("io-repair", path = path),
            IoOp::Resolve => msg!("io-resolve", path = path),
            IoOp::ReadXattr => msg!("io-read-xattr", path = path),
            IoOp::WriteXattr => msg!("io-write-xattr", path = path),
        }
    }
}

/// How serious a finding in a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding at a place in a file the city keeps (the policy, a register, a directory, a
/// configuration): where, what, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: Msg,
    pub hint: Option<Msg>,
    /// The byte offset, for sorting.
    #[serde(skip)]
    pub offset: usize,
}

/// The 1-based line and column (in characters) of a byte offset, for diagnostics.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// An error for staff: a message, hints that say what to do, and the cause chain below.
/// Boxed, so that a `Result` stays one pointer wide whatever an error carries.
pub struct Error(Box<Inner>);

struct Inner {
    kind: Kind,
    message: Msg,
    hints: Vec<Msg>,
    /// The file the diagnostics are about, and the findings, for a file that is not valid.
    diagnostics: Option<(String, Vec<Diagnostic>)>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    refusal: Option<Box<Refusal>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: Msg) -> Self {
        Error(Box::new(Inner {
            kind,
            message,
            hints: Vec::new(),
            diagnostics: None,
            source: None,
            refusal: None,
        }))
    }

    /// A file that is not valid because of one finding at byte `offset` of its `text`.
    pub fn invalid_at(message: Msg, file: &Path, text: &str, offset: usize, finding: Msg) -> Self {
        let (line, column) = line_col(text, offset);
        Self::invalid(message).with_diagnostics(
            crate::base::fsname::shown(file),
            vec![Diagnostic {
                severity: Severity::Error,
                line,
                column,
                message: finding,
                hint: None,
                offset,
            }],
        )
    }

    /// A file that is not valid, with every finding in it.
    pub fn with_diagnostics(mut self, file: String, diagnostics: Vec<Diagnostic>) -> Self {
        self.0.diagnostics = Some((file, diagnostics));
        self
    }

    pub fn diagnostics(&self) -> Option<(&str, &[Diagnostic])> {
        self.0
            .diagnostics
            .as_ref()
            .map(|(f, d)| (f.as_str(), d.as_slice()))
    }

    pub fn failure(message: Msg) -> Self {
        Self::new(Kind::Failure, message)
    }

    pub fn usage(message: Msg) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn invalid(message: Msg) -> Self {
        Self::new(Kind::Invalid, message)
    }

    pub fn integrity(message: Msg) -> Self {
        Self::new(Kind::Integrity, message)
    }

    /// A refusal by policy: the message and hint are the refusal's own.
    pub fn refused(refusal: Refusal) -> Self {
        let mut e = Self::new(Kind::Refused, refusal.message.clone());
        e.0.hints.push(refusal.hint.clone());
        e.0.refusal = Some(Box::new(refusal));
        e
    }

    /// An I/O error on a path: what okuri was doing, the path, and a hint for the usual causes.
    pub fn io(op: IoOp, path: &Path, source: io::Error) -> Self {
        let kind = match source.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied => Kind::Invalid,
            _ => Kind::Failure,
        };
        let mut e = Self::new(kind, op.msg(path));
        match source.kind() {
            io::ErrorKind::NotFound => e.0.hints.push(msg!("hint-check-path")),
            io::ErrorKind::PermissionDenied => e.0.hints.push(msg!("hint-check-permissions")),
            io::ErrorKind::StorageFull => e.0.hints.push(msg!("hint-free-space")),
            _ => {}
        }
        e.0.source = Some(Box::new(source));
        e
    }

    /// The operating system's random number generator failed: nothing can be kept secret.
    pub fn random(source: impl fmt::Display) -> Self {
        Self::failure(msg!("error-random")).with_source(io::Error::other(source.to_string()))
    }

    pub fn with_hint(mut self, hint: Msg) -> Self {
        self.0.hints.push(hint);
        self
    }

    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> Kind {
        self.0.kind
    }

    pub fn message(&self) -> &Msg {
        &self.0.message
    }

    pub fn hints(&self) -> &[Msg] {
        &self.0.hints
    }

    pub fn refusal(&self) -> Option<&Refusal> {
        self.0.refusal.as_deref()
    }

    /// The causes below the message, outermost first. These come from the operating system
    /// and libraries, in their own words.
    pub fn causes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut next: Option<&(dyn std::error::Error + 'static)> =
            self.0.source.as_deref().map(|e| e as _);
        while let Some(e) = next {
            out.push(e.to_string());
            next = e.source();
        }
        out
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.0.kind {
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
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("hints", &self.0.hints)
            .field("causes", &self.causes())
            .finish()
    }
}

/// The message's id and arguments: errors are rendered for people by [`crate::i18n`].
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0.message, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as _)
    }
}

/// An error and its causes on one line, outermost first (`a: b: c`), for a log.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        out.push_str(": ");
        out.push_str(&c.to_string());
        next = c.source();
    }
    out
}
